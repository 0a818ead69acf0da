/**
 * The full pass without the population in memory (docs/architecture.md, "How the full pass reads
 * everyone"): the index and the people read in batches by Query give the same facts as one read of
 * the whole table, on generated files plus the awkward cases: a training completed by someone named
 * by id in one roster and by email in another (and by a second email of theirs in a third), and
 * an email given to two people (its rows go to the id sorting first). A pass in segments puts together the same export as a pass over everyone.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPopulation, type Population } from '#adapters/dynamo/population.js';
import { readPeople, readPopulationIndex } from '#adapters/dynamo/population-stream.js';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { s3ObjectStore } from '#adapters/s3/object-store.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { rulesetFor, rulesetsInForce } from '#core/rules/registry.js';
import {
  ELIGIBILITY_COLUMNS,
  ELIGIBILITY_KEY,
  evaluateAll,
  evaluateSegment,
  suggester,
  suggestionTable,
} from '#services/evaluate-all.js';
import { assembleExport, partKeys } from '#services/full-pass.js';
import { judgeApplicants, judgeEndorsees } from '#services/judge.js';
import { startSummaryRun } from '#services/report-summaries.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-01';
let stack: TestStack;
let dir: string;
let whole: Population;
/** The person whose email the extra applicant (an id sorting first) is also given. */
let sharer: { id: string; email: string };
/** An applicant endorsed under a second email, which rows also name alone. */
let twice: string;

const SECOND_EMAIL = 'second.email@example.org';
const ROSTER_HEADER =
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,provider,person_id,email,first_name,last_name,completed';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iecmh-full-pass-'));
  const generated = await generateDataset({ people: 200, seed: 'full-pass', asOf: AS_OF, out: dir });
  const uploads: Record<string, string | Buffer> = Object.fromEntries(
    generated.files.map((f) => [`${f.kind}/${f.name}`, readFileSync(f.path)]),
  );
  const applicants = generated.files.find((f) => f.kind === 'applicants');
  const roster = generated.files.find((f) => f.kind === 'rosters');
  if (!applicants || !roster) throw new Error('the generator wrote no applicants or no roster');
  const [, first] = readFileSync(applicants.path, 'utf8').split(/\r?\n/);
  const cells = (first as string).split(',');
  sharer = { id: cells[0] as string, email: cells[3] as string };
  const emails = new Map(
    readFileSync(applicants.path, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','))
      .map((c) => [c[0], c[3]]),
  );
  // Completed roster rows naming applicants by id, named again by email alone in another upload.
  const byId = readFileSync(roster.path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','))
    .filter((c) => c[8] && emails.has(c[8]) && c[12] === 'yes')
    .slice(0, 40);
  uploads['rosters/by-email.csv'] = [
    ROSTER_HEADER,
    ...byId.map((c) => [...c.slice(0, 8), '', emails.get(c[8] as string), ...c.slice(10)].join(',')),
  ].join('\n');
  // One of those applicants endorsed under a second email, which other rows name alone: rows by id
  // and by either email count them once among a training's attendees.
  twice = byId[0]?.[8] as string;
  const endorsements = generated.files.find((f) => f.kind === 'endorsements');
  if (!endorsements) throw new Error('the generator wrote no endorsements');
  const [endorsementHeader, endorsement] = readFileSync(endorsements.path, 'utf8').split(/\r?\n/);
  const columns = (endorsementHeader as string).split(',');
  const endorsed = (endorsement as string).split(',');
  endorsed[columns.indexOf('person_id')] = twice;
  endorsed[columns.indexOf('email')] = SECOND_EMAIL;
  uploads['endorsements/second-email.csv'] = [endorsementHeader, endorsed.join(',')].join('\n');
  // Besides their own trainings, three they completed only in rows naming either email.
  const own = new Set(byId.filter((c) => c[8] === twice).map((c) => c[0]));
  const others = byId.filter((c) => !own.has(c[0])).slice(0, 3);
  uploads['rosters/second-email.csv'] = [
    ROSTER_HEADER,
    ...byId.filter((c) => c[8] === twice).map((c) => [...c.slice(0, 8), '', SECOND_EMAIL, ...c.slice(10)].join(',')),
    ...others.flatMap((c) =>
      [emails.get(twice), SECOND_EMAIL].map((email) => [...c.slice(0, 8), '', email, ...c.slice(10)].join(',')),
    ),
  ].join('\n');
  // An applicant whose id sorts before everyone's, given the first applicant's email.
  const header = readFileSync(applicants.path, 'utf8').split(/\r?\n/)[0];
  uploads['applicants/shared-email.csv'] = [header, ['A0000000', ...cells.slice(1)].join(',')].join('\n');
  stack = await startTestStack();
  await stack.ingest(uploads);
  ({ population: whole } = await loadPopulation(stack.ddb, stack.tableName));
});

afterAll(async () => {
  await stack?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('the full pass in batches', () => {
  it('reads the same trainings, attendees, receipts and people as one read of the whole table', async () => {
    const { index } = await readPopulationIndex(stack.ddb, stack.tableName);
    expect(index.trainings).toEqual(whole.trainings);
    expect(index.files.map((f) => f.key).sort()).toEqual(whole.files.map((f) => f.key).sort());
    expect(index.applicantIds).toEqual([...whole.applicants.keys()].sort());
    expect(index.endorseeIds).toEqual([...whole.endorsees.keys()].sort());
    // The cases this test is for are in the table: an email given to two people, rows naming only it.
    expect(whole.emailOwners?.get(sharer.email)).toBe('A0000000');
    expect(whole.emailOwners?.get(SECOND_EMAIL)).toBe(twice);
    // Who reads an email's rows: its owner, by the profile (applicant, endorsee) that gives it.
    const readers = (people: Map<string, { personId: string; email?: string }>) =>
      [...people.values()]
        .filter((p) => p.email !== undefined && whole.attendance.has(`E:${p.email}`))
        .filter((p) => whole.emailOwners?.get(p.email as string) === p.personId)
        .map((p) => p.personId)
        .sort();
    expect([...index.emailReaders.applicant].sort()).toEqual(readers(whole.applicants));
    expect([...index.emailReaders.endorsee].sort()).toEqual(readers(whole.endorsees));
    expect(index.emailReaders.applicant.has('A0000000')).toBe(true);
    expect(index.emailReaders.applicant.has(sharer.id)).toBe(false);
    expect(index.emailReaders.endorsee.has(twice)).toBe(true);
  });

  it('judges every applicant and endorsee, 7 at a time, as judging everyone at once does', async () => {
    const { index } = await readPopulationIndex(stack.ddb, stack.tableName);
    const ruleset = rulesetFor(AS_OF);
    const catalog = loadCatalog();
    const stats = { items: 0, requests: 0, seconds: 0 };
    const table = dynamoTableStore(stack.ddb, stack.tableName);
    const applicants = [];
    for await (const batch of table.people(index, index.applicantIds, 'applicant', stats, 7)) {
      applicants.push(...judgeApplicants(batch, AS_OF, ruleset, catalog));
    }
    expect(applicants).toEqual([...judgeApplicants(whole, AS_OF, ruleset, catalog)]);
    const endorsees = [];
    const inForce = rulesetsInForce(ruleset.association);
    for await (const batch of table.people(index, index.endorseeIds, 'endorsee', stats, 7)) {
      endorsees.push(...judgeEndorsees(batch, AS_OF, ruleset, inForce));
    }
    expect(endorsees).toEqual([...judgeEndorsees(whole, AS_OF, ruleset, inForce)]);
    // The sharer's email rows are the id sorting first's: read with A0000000, not with the sharer.
    const [sharing] = [await readPeople(stack.ddb, stack.tableName, index, [sharer.id], 'applicant', stats)];
    expect(sharing?.attendance.has(`E:${sharer.email}`)).toBe(false);
  });

  it('puts together from three segments the export a pass over everyone writes', async () => {
    const deps = { ...stack, adminBucket: stack.uploadsBucket };
    await evaluateAll(deps, AS_OF);
    const admin = s3ObjectStore(stack.s3, stack.uploadsBucket);
    const everyone = await admin.readText(ELIGIBILITY_KEY);

    const table = dynamoTableStore(stack.ddb, stack.tableName);
    const { index } = await readPopulationIndex(stack.ddb, stack.tableName);
    const ruleset = rulesetFor(AS_OF);
    const summaries = startSummaryRun(table, 'applicant', {
      asOf: AS_OF,
      rulesetId: ruleset.id,
      generation: 0,
      files: [],
    });
    const endorsees = startSummaryRun(table, 'endorsee', {
      asOf: AS_OF,
      rulesetId: ruleset.id,
      generation: 0,
      files: [],
    });
    const run = {
      asOf: AS_OF,
      ruleset,
      suggest: suggester(suggestionTable(index, AS_OF), AS_OF),
      summaries,
      endorsees,
    };
    let applicants = 0;
    for (let segment = 0; segment < 3; segment++) {
      applicants += (await evaluateSegment(deps, index, run, { segment, totalSegments: 3 })).applicants;
    }
    await assembleExport(admin, 'admin/segmented.csv', ELIGIBILITY_COLUMNS, partKeys(ELIGIBILITY_KEY, 3));
    expect(applicants).toBeGreaterThan(50);
    expect(await admin.readText('admin/segmented.csv')).toBe(everyone);
  });
});
