/**
 * Incremental evaluation equals a full recomputation (docs/architecture.md, "Incremental
 * evaluation"): after each upload, replacement or withdrawal, evaluating only the people the change
 * reached (or everyone, when ingest says it reached everyone) leaves the stored evaluations and
 * admin/eligibility.csv exactly as judging everyone from the table would make them, the trainings
 * suggested coming from the table the last full pass stored; every applicant's and endorsee's fact
 * cache, from which those evaluations start, holds what a whole read of them gives; and the
 * summaries stay current (the reports may count them instead of the rows) and count what the rows
 * count, until a change that reached everyone leaves them to the next night's runs.
 *
 * Five people (unique emails); two applicants files, two rosters (the first mostly about the first two
 * trainings, the second about the last two, so a roster naming another's training sometimes makes
 * the change reach everyone), an RSC log and an endorsements file; roster rows by person_id or by
 * email alone; an applicant file sometimes gives an application date after the as-of date.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { toCsv } from '#core/csv/write.js';
import { rulesetFor } from '#core/rules/registry.js';
import { requestAfter } from '#local/jobs.js';
import {
  ELIGIBILITY_COLUMNS,
  ELIGIBILITY_KEY,
  type EvaluateDeps,
  eligibilityRow,
  suggester,
} from '#services/evaluate-all.js';
import { evaluateEveryone, evaluatePeople } from '#services/evaluate-people.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { judgeApplicants } from '#services/judge.js';
import { tallyFromRows } from '#services/publish-reports.js';
import { renewalsAll } from '#services/renewals-all.js';
import { summariesCurrent, tallyFromSummaries } from '#services/report-summaries.js';
import { factCaches } from '../support/fact-caches.js';
import { renewalOutputs } from '../support/outputs.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';

const PEOPLE = ['WI-001', 'WI-002', 'WI-003', 'WI-004', 'WI-005'].map((id, i) => ({
  id,
  first: ['Ana', 'Ben', 'Cora', 'Dev', 'Eve'][i] as string,
  last: ['Lopez', 'Xiong', 'Nguyen', 'Patel', 'Johnson'][i] as string,
  email: `person${i + 1}@example.org`,
}));
const TRAININGS = [
  ['T-01', 'Foundations (series)', '2026-02-10', 30, '1A.1;1B.2;1C.1', 'no', 'no'],
  ['T-02', 'Equity in Early Childhood', '2026-03-14', 3, '1E.1;1F.4', 'yes', 'no'],
  ['T-03', 'Reflective Practice', '2026-09-15', 9, '1D.2', 'no', 'yes'],
  ['T-04', 'Winter Institute', '2027-01-12', 6, '1C.4', 'no', 'no'],
] as const;

const KEYS = {
  applicants: ['applicants/spring.csv', 'applicants/zz-late.csv'],
  rosters: ['rosters/first.csv', 'rosters/second.csv'],
  rsc: ['rsc/log.csv'],
  endorsements: ['endorsements/current.csv'],
} as const;
type Kind = keyof typeof KEYS;

const applicantLine = fc
  .record({
    p: fc.nat(4),
    category: fc.constantFrom('IFA', 'IFA', 'ECFA', 'IFS'),
    date: fc.constantFrom('', '2026-03-02', '2026-12-10'),
    education: fc.constantFrom('cda', 'bachelor', 'hs'),
    months: fc.constantFrom(30, 6, 48),
    ethics: fc.constantFrom('yes', 'yes', 'no'),
  })
  .map(({ p, category, date, education, months, ethics }) => {
    const who = PEOPLE[p] as (typeof PEOPLE)[number];
    return [who.id, who.first, who.last, who.email, category, date, education, months, 3, ethics, '2027-06-30', 'Dane'];
  });
const rosterLine = (slot: number) =>
  fc
    .record({
      // Mostly this roster's own trainings; sometimes the other's.
      t: fc.constantFrom(...(slot === 0 ? [0, 0, 1, 1, 2] : [2, 3, 3, 2, 0])),
      p: fc.nat(4),
      byEmail: fc.nat(3).map((n) => n === 3),
      completed: fc.constantFrom('yes', 'yes', 'no'),
      hoursOff: fc.constantFrom(0, 0, 0, 2),
    })
    .map(({ t, p, byEmail, completed, hoursOff }) => {
      const [id, title, date, hours, competencies, dei, rscTopic] = TRAININGS[t] as (typeof TRAININGS)[number];
      const who = PEOPLE[p] as (typeof PEOPLE)[number];
      return [
        id,
        title,
        date,
        hours - hoursOff,
        competencies,
        dei,
        rscTopic,
        byEmail ? '' : who.id,
        byEmail ? who.email : '',
        who.first,
        who.last,
        completed,
      ];
    });
const rscLine = fc
  .record({
    p: fc.nat(4),
    date: fc.constantFrom('2025-03-02', '2026-06-20', '2024-06-15'),
    hours: fc.constantFrom(1, 2, 12),
  })
  .map(({ p, date, hours }) => [(PEOPLE[p] as (typeof PEOPLE)[number]).id, date, hours, 'Dana Roberts', 'Individual']);
const endorsementLine = fc.record({ p: fc.nat(4), category: fc.constantFrom('IFA', 'IFS') }).map(({ p, category }) => {
  const who = PEOPLE[p] as (typeof PEOPLE)[number];
  return [who.id, category, '2024-03-01', '2027-12-31', who.first, who.last, who.email];
});

const HEADERS: Record<Kind, string> = {
  applicants:
    'person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,county',
  rosters:
    'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,person_id,email,first_name,last_name,completed',
  rsc: 'person_id,session_date,hours,provider_name,format',
  endorsements: 'person_id,category,endorsed_on,membership_expires_on,first_name,last_name,email',
};
const file = (kind: Kind, lines: (string | number)[][]) =>
  `${[HEADERS[kind], ...lines.map((l) => l.map((c) => (/[",;]/.test(String(c)) ? `"${c}"` : String(c))).join(','))].join('\n')}\n`;

type Op = { op: 'upload'; key: string; body: string } | { op: 'withdraw'; key: string };
const lines = <T>(line: fc.Arbitrary<T>) => fc.array(line, { minLength: 1, maxLength: 6 });
const uploadArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ slot: fc.nat(1), l: lines(applicantLine) }).map(({ slot, l }) => ({
    op: 'upload' as const,
    key: KEYS.applicants[slot] as string,
    body: file('applicants', l),
  })),
  fc.nat(1).chain((slot) =>
    lines(rosterLine(slot)).map((l) => ({
      op: 'upload' as const,
      key: KEYS.rosters[slot] as string,
      body: file('rosters', l),
    })),
  ),
  lines(rscLine).map((l) => ({ op: 'upload' as const, key: KEYS.rsc[0], body: file('rsc', l) })),
  lines(endorsementLine).map((l) => ({
    op: 'upload' as const,
    key: KEYS.endorsements[0],
    body: file('endorsements', l),
  })),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: uploadArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...Object.values(KEYS).flat()).map((key) => ({ op: 'withdraw' as const, key })),
  },
);

/** The stored evaluations and the export, as the incremental path left them. */
async function incrementalState(stack: TestStack) {
  const evaluations = (await stack.items())
    .filter((i) => i.type === 'evaluation')
    .map(({ pk: _pk, sk: _sk, type: _type, ...rest }) => rest)
    .sort((a, b) => (String(a.personId) < String(b.personId) ? -1 : 1));
  const csv = await stack.s3
    .send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: ELIGIBILITY_KEY }))
    .then((o) => o.Body?.transformToString('utf-8'));
  return { evaluations, csv };
}

/** Everyone judged from the table as it is, suggesting from the stored suggestion table (nothing written). */
async function fromScratch(stack: TestStack) {
  const table = dynamoTableStore(stack.ddb, stack.tableName);
  const { population } = await table.loadPopulation();
  const stored = await table.suggestions();
  if (!stored) throw new Error('no suggestion table: the full pass never ran');
  const suggest = suggester(stored.byCompetency, AS_OF);
  const judged = [...judgeApplicants(population, AS_OF, rulesetFor(AS_OF), loadCatalog())].map((j) => ({
    ...j,
    suggestions: suggest(j.result.missingCodes),
  }));
  return {
    // Stored items come back without absent fields, as JSON would give them.
    evaluations: judged.map((j) => JSON.parse(JSON.stringify({ ...j.result, suggestions: j.suggestions }))),
    csv: toCsv(
      ELIGIBILITY_COLUMNS,
      judged.map((j) => eligibilityRow(j.person, j.result, j.suggestions)),
    ),
  };
}

/** What a tally counts, in a stable order: each distinct record's text and how many it stands for. */
const counted = (lines: Map<string, number>) => Object.fromEntries([...lines].sort(([a], [b]) => (a < b ? -1 : 1)));

const counts = {
  sequences: 0,
  steps: 0,
  incremental: 0,
  everyone: 0,
  people: 0,
  summarised: 0,
  renewedFromSummaries: 0,
};
afterAll(() => {
  console.log(
    `incremental evaluation: ${counts.sequences} sequences, ${counts.steps} changes (${counts.incremental} evaluated incrementally, ${counts.people} people in all; ${counts.everyone} reached everyone; reports from summaries after ${counts.summarised}; renewals from summaries equal to the rows' after ${counts.renewedFromSummaries})`,
  );
});

describe('incremental evaluation', () => {
  it('after each upload, replacement or withdrawal, equals judging everyone from the table', async () => {
    await fc.assert(
      fc.asyncProperty(
        lines(applicantLine),
        lines(rosterLine(0)),
        fc.array(opArb, { minLength: 2, maxLength: 5 }),
        async (applicants, roster, ops) => {
          // Prepare: a first applicants file and roster, and a full pass (the suggestion table, the export).
          const stack = await startTestStack();
          try {
            const deps: EvaluateDeps = { ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket };
            const first = [
              ...(await stack.ingest({ [KEYS.applicants[0]]: file('applicants', applicants) }, { pending: true })),
              ...(await stack.ingest({ [KEYS.rosters[0]]: file('rosters', roster) }, { pending: true })),
            ];
            // The first uploads' evaluation (of everyone), then the night's runs: both kinds of summaries.
            await evaluateEveryone(deps, AS_OF, requestAfter(first).pending ?? []);
            await renewalsAll(deps, AS_OF);
            const table = dynamoTableStore(stack.ddb, stack.tableName);
            let reachedEveryone = false;
            counts.sequences++;
            for (const op of ops) {
              // Act: one change, then the evaluation its request asks for.
              const outcomes: IngestOutcome[] =
                op.op === 'upload'
                  ? await stack.ingest({ [op.key]: op.body }, { pending: true })
                  : await stack.withdraw([op.key], { pending: true });
              const request = requestAfter(outcomes);
              counts.steps++;
              if ('personIds' in request) {
                counts.incremental++;
                counts.people += request.personIds.length;
                await evaluatePeople(deps, AS_OF, request.personIds, request.sources, request.pending);
              } else {
                counts.everyone++;
                reachedEveryone = true;
                await evaluateEveryone(deps, AS_OF, request.pending ?? []);
              }
              // Assert
              const [got, want] = [await incrementalState(stack), await fromScratch(stack)];
              expect(got.evaluations).toEqual(want.evaluations);
              expect(got.csv).toBe(want.csv);
              // Every applicant's and endorsee's fact cache holds what a whole read of them gives, and nobody else has one.
              // (After a change that reached everyone, caches of the earlier epoch are read whole before trusted.)
              const caches = await factCaches(stack);
              if (reachedEveryone) {
                const trusted = Object.keys(caches.stored);
                expect(caches.stored).toEqual(Object.fromEntries(trusted.map((id) => [id, caches.wholeRead[id]])));
                for (const id of caches.stale) expect(caches.wholeRead).toHaveProperty(id);
              } else expect(caches.stored).toEqual(caches.wholeRead);
              // The summaries are current (a change that reached everyone had both kinds written again by
              // the evaluation of everyone), and count what the rows count.
              const ruleset = rulesetFor(AS_OF).id;
              const current = await summariesCurrent(table, AS_OF, ruleset);
              if (!current) throw new Error('the summaries are not current after the change was evaluated');
              counts.summarised++;
              const [summaries, rows] = [
                await tallyFromSummaries(table, AS_OF, ruleset),
                await tallyFromRows(table, AS_OF),
              ];
              expect(counted(summaries?.tally.lines ?? new Map())).toEqual(counted(rows.tally.lines));
              expect(summaries?.inputs).toEqual(rows.inputs);
              // The renewal job from the endorsees' summaries leaves what it leaves from the rows. The
              // trainings outreach suggests from are stored as a full pass would now (an evaluation of a
              // change that can alter them sets them aside, and the job would read the rows).
              const { index } = await table.populationIndex();
              await table.putTrainings(current.endorsees.run, [...index.trainings.values()]);
              const viaSummaries = await renewalsAll(deps, AS_OF);
              expect(viaSummaries.fromSummaries).toBe(true);
              const judgedFromSummaries = await renewalOutputs(stack);
              await table.forgetTrainings();
              const viaRows = await renewalsAll(deps, AS_OF);
              expect(viaRows.fromSummaries).toBe(false);
              expect(viaSummaries.byStatus).toEqual(viaRows.byStatus);
              expect(judgedFromSummaries).toEqual(await renewalOutputs(stack));
              counts.renewedFromSummaries++;
            }
          } finally {
            await stack.destroy();
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 600_000);
});
