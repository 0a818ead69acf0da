/**
 * The renewal job from the endorsees' summaries (docs/architecture.md, "Summaries"): after the
 * evaluation of everyone, whose summaries carry the facts each endorsee was judged from, the job
 * judges everyone from them and leaves what it leaves from the rows: both exports byte for byte and
 * every stored status. A pending change, a change no evaluation summarised, another date, or an
 * evaluation of a change that can alter the trainings sends it back to the rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { requestAfter } from '#local/jobs.js';
import { evaluateAll } from '#services/evaluate-all.js';
import { evaluatePeople } from '#services/evaluate-people.js';
import { renewalsAll } from '#services/renewals-all.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { renewalOutputs } from '../support/outputs.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
let stack: TestStack | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await stack?.destroy();
  stack = undefined;
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const deps = (s: TestStack) => ({ ...s, adminBucket: s.uploadsBucket });

function examples(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(EXAMPLES)) {
    const kind = ['applicants', 'rosters', 'rsc', 'endorsements', 'trainings'].find((k) => name.startsWith(k));
    if (kind) files[`${kind}/${name}`] = readFileSync(join(EXAMPLES, name));
  }
  return files;
}

async function generated(): Promise<Record<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'iecmh-renew-summaries-'));
  dirs.push(dir);
  const out = await generateDataset({ people: 300, seed: 'renewals-from-summaries', asOf: AS_OF, out: dir });
  return Object.fromEntries(out.files.map((f) => [`${f.kind}/${f.name}`, readFileSync(f.path)]));
}

async function partsLeft(s: TestStack): Promise<string[]> {
  const listed = await s.s3.send(new ListObjectsV2Command({ Bucket: s.uploadsBucket, Prefix: 'admin/parts/' }));
  return (listed.Contents ?? []).map((o) => o.Key as string);
}

describe('the renewal job from the endorsees’ summaries', () => {
  it.each([
    ['the examples', async () => examples()],
    ['a generated dataset', generated],
  ])(
    'leaves what it leaves from the rows: %s',
    async (_, uploads) => {
      const s = await startTestStack();
      stack = s;
      await s.ingest(await uploads());
      await evaluateAll(deps(s), AS_OF);
      const viaSummaries = await renewalsAll(deps(s), AS_OF);
      expect(viaSummaries.fromSummaries).toBe(true);
      const fromSummaries = await renewalOutputs(s);
      expect(await partsLeft(s)).toEqual([]);

      // The rows' pass, forced: without the trainings stored for the run it cannot judge from summaries.
      await dynamoTableStore(s.ddb, s.tableName).forgetTrainings();
      const viaRows = await renewalsAll(deps(s), AS_OF);
      expect(viaRows.fromSummaries).toBe(false);
      expect(viaSummaries.byStatus).toEqual(viaRows.byStatus);
      expect(viaSummaries.endorsees).toBe(viaRows.endorsees);
      const fromRows = await renewalOutputs(s);
      // The data reaches the exports: several statuses, people at risk, statuses stored for each endorsee.
      expect(Object.values(viaRows.byStatus).filter((n) => n > 0).length).toBeGreaterThan(2);
      expect(fromRows.outreach.split('\n').length).toBeGreaterThan(2);
      expect(fromRows.statuses.length).toBe(viaRows.endorsees);
      expect(fromSummaries.renewals).toBe(fromRows.renewals);
      expect(fromSummaries.outreach).toBe(fromRows.outreach);
      expect(fromSummaries.statuses).toEqual(fromRows.statuses);
      // One item a summary, against the index's Scan of every item and each endorsee's Queries.
      expect(viaSummaries.scan.items).toBeLessThan(viaRows.scan.items);
    },
    120_000,
  );

  it('reads the rows while a change is pending, after a change no evaluation summarised, on another date, and after a roster’s evaluation', async () => {
    const s = await startTestStack();
    stack = s;
    const table = dynamoTableStore(s.ddb, s.tableName);
    const files = examples();
    const { 'rosters/rosters.csv': roster, ...rest } = files;
    await s.ingest(rest);
    await evaluateAll(deps(s), AS_OF);

    await table.notePending('CHANGE#somewhere#1');
    expect((await renewalsAll(deps(s), AS_OF)).fromSummaries).toBe(false);
    await table.clearPending('CHANGE#somewhere#1');

    await evaluateAll(deps(s), AS_OF);
    await table.invalidateSummaries();
    expect((await renewalsAll(deps(s), AS_OF)).fromSummaries).toBe(false);

    await evaluateAll(deps(s), AS_OF);
    expect((await renewalsAll(deps(s), '2026-12-01')).fromSummaries).toBe(false);

    // An RSC log's evaluation leaves the trainings as they are; a roster's sets them aside (attendance counts).
    await evaluateAll(deps(s), AS_OF);
    const rsc = requestAfter(await s.ingest({ 'rsc/rsc-more.csv': files['rsc/rsc.csv'] as Buffer }, { pending: true }));
    if (!('personIds' in rsc)) throw new Error('the RSC log reached everyone');
    await evaluatePeople(deps(s), AS_OF, rsc.personIds, rsc.sources, rsc.pending);
    expect((await renewalsAll(deps(s), AS_OF)).fromSummaries).toBe(true);
    const change = requestAfter(await s.ingest({ 'rosters/rosters.csv': roster as Buffer }, { pending: true }));
    if (!('personIds' in change)) throw new Error('the roster reached everyone');
    await evaluatePeople(deps(s), AS_OF, change.personIds, change.sources, change.pending);
    expect((await renewalsAll(deps(s), AS_OF)).fromSummaries).toBe(false);
  }, 120_000);
});
