/**
 * The reports from the jobs' summaries (docs/architecture.md, "Summaries"): once the evaluation and
 * the renewal job have run as of a date, the reports as of that date read one summary per judged
 * person instead of the rows, and publish the same files byte for byte. A change of the facts, or
 * another date, sends them back to the rows; erasure takes a person's summaries with them.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { eraseOnStack } from '#local/erase.js';
import { requestAfter } from '#local/jobs.js';
import { evaluateAll } from '#services/evaluate-all.js';
import { evaluateEveryone, evaluatePeople } from '#services/evaluate-people.js';
import { type PublishSummary, publishReports, REPORT_FILES } from '#services/publish-reports.js';
import { renewalsAll } from '#services/renewals-all.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-01';
const NOW = new Date('2026-11-01T12:00:00Z');
let stack: TestStack;
let dir: string;
let uploads: Record<string, Buffer>;

const deps = () => ({ ...stack, reportsBucket: stack.reportsBucket, adminBucket: stack.uploadsBucket });

/** Publishes as of `asOf` (release noise on, as in production) and reads back the dated run's files. */
async function publish(asOf = AS_OF): Promise<{ summary: PublishSummary; files: Record<string, string> }> {
  const summary = await publishReports(deps(), asOf, { now: NOW });
  const files: Record<string, string> = {};
  for (const name of REPORT_FILES) {
    const got = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.reportsBucket, Key: `reports/${asOf}/${name}` }),
    );
    files[name] = (await got.Body?.transformToString('utf-8')) ?? '';
  }
  return { summary, files };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iecmh-summaries-'));
  const generated = await generateDataset({ people: 200, seed: 'summaries', asOf: AS_OF, out: dir });
  uploads = Object.fromEntries(generated.files.map((f) => [`${f.kind}/${f.name}`, readFileSync(f.path)]));
  stack = await startTestStack();
  // The uploads' evaluation (of everyone: there is none yet), as their refresh messages ask for it.
  await evaluateEveryone(deps(), AS_OF, requestAfter(await stack.ingest(uploads, { pending: true })).pending ?? []);
});

afterAll(async () => {
  await stack?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('reports from summaries', () => {
  let fromRows: Awaited<ReturnType<typeof publish>>;

  it('read the rows while no job has left summaries that describe the facts', async () => {
    // The evaluation of everyone leaves both kinds (the endorsees' for the renewal job): set them aside.
    await dynamoTableStore(stack.ddb, stack.tableName).invalidateSummaries();
    fromRows = await publish();
    expect(fromRows.summary.read).toBe('rows');
    expect(fromRows.summary.people.applicants).toBeGreaterThan(50);
    expect(fromRows.summary.people.endorsees).toBeGreaterThan(20);
  });

  it('read one summary per judged person once both jobs ran, and publish the same files', async () => {
    const evaluated = await evaluateAll(deps(), AS_OF);
    const renewed = await renewalsAll(deps(), AS_OF);
    const fromSummaries = await publish();
    expect(fromSummaries.summary.read).toBe('summaries');
    expect(fromSummaries.summary.scan.items).toBe(evaluated.applicants + renewed.endorsees);
    expect(fromSummaries.summary.people).toEqual(fromRows.summary.people);
    for (const name of REPORT_FILES) expect(fromSummaries.files[name], name).toBe(fromRows.files[name]);
  });

  it('read the rows as of another date than the jobs judged', async () => {
    expect((await publish('2026-10-01')).summary.read).toBe('rows');
  });

  it('read the rows while a change is not yet evaluated, and summaries kept current once it is', async () => {
    const [rosterKey] = Object.keys(uploads).filter((k) => k.startsWith('rosters/'));
    const request = requestAfter(await stack.withdraw([rosterKey as string], { pending: true }));
    const changed = await publish();
    expect(changed.summary.read).toBe('rows');
    if (!('personIds' in request)) throw new Error('the roster reached everyone');
    const evaluated = await evaluatePeople(deps(), AS_OF, request.personIds, request.sources, request.pending);
    expect(evaluated).toMatchObject({ endorsees: expect.any(Number) });
    const again = await publish();
    expect(again.summary.read).toBe('summaries');
    for (const name of REPORT_FILES) expect(again.files[name], name).toBe(changed.files[name]);
  });

  it('read the rows after a change no evaluation summarised, until the jobs run again', async () => {
    await dynamoTableStore(stack.ddb, stack.tableName).invalidateSummaries();
    expect((await publish()).summary.read).toBe('rows');
    await evaluateAll(deps(), AS_OF);
    await renewalsAll(deps(), AS_OF);
    expect((await publish()).summary.read).toBe('summaries');
  });

  it('lose an erased person’s summaries with the rest of their items', async () => {
    const table = dynamoTableStore(stack.ddb, stack.tableName);
    // An applicant the evaluation judged (summaries name people by a digest of their id only).
    const { index } = await table.populationIndex();
    let applicant = '';
    for (const id of index.applicantIds) {
      if (!applicant && (await table.personSummaries(id)).length > 0) applicant = id;
    }
    expect(await table.personSummaries(applicant)).not.toEqual([]);
    await eraseOnStack(stack, [applicant], AS_OF);
    expect(await table.personSummaries(applicant)).toEqual([]);
  });
});
