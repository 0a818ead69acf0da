/**
 * The nightly jobs in segments (docs/operations.md, "When the nightly pass outgrows one function"):
 * the evaluate and renewals handlers run step by step (plan, each segment, finish), as their fan-out
 * state machines run them, leave exactly what one evaluation and one renewal run of everyone leave:
 * table items, administrators' exports (byte for byte) and reports. Locally `iecmh run --segments N`
 * takes this path.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { makeEvaluateHandler } from '#functions/evaluate/evaluate-handler.js';
import { makeRenewalsHandler } from '#functions/renewals/renewals-handler.js';
import { runJobs } from '#local/jobs.js';
import { localContext } from '#local/queue.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { csvRecords } from '../support/csv.js';
import { readOutputs } from '../support/outputs.js';
import { shareSecret, startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-01';
let dir: string;
let uploads: Record<string, Buffer>;
const stacks: TestStack[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iecmh-fan-out-'));
  const generated = await generateDataset({ people: 150, seed: 'fan-out', asOf: AS_OF, out: dir });
  uploads = Object.fromEntries(generated.files.map((f) => [`${f.kind}/${f.name}`, readFileSync(f.path)]));
});
afterAll(async () => {
  for (const s of stacks) await s.destroy();
  await rm(dir, { recursive: true, force: true });
});

/** Stacks holding the generated uploads, sharing the release noise's key (one deployment). */
/** An administrators' export exactly as stored (its BOM included). */
async function bytesOf(stack: TestStack, key: string): Promise<Buffer> {
  const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: key }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

/** The keys left under admin/parts/ (the segments' parts, gone once put together). */
async function partsLeft(stack: TestStack): Promise<string[]> {
  const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.uploadsBucket, Prefix: 'admin/parts/' }));
  return (listed.Contents ?? []).map((o) => o.Key as string);
}

async function loaded(count: number): Promise<TestStack[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startTestStack()));
  stacks.push(...started);
  for (const other of started.slice(1)) shareSecret(started[0] as TestStack, other);
  for (const stack of started) await stack.ingest(uploads);
  return started;
}

describe('the nightly jobs in segments', () => {
  it('leave the same items, exports and reports as one evaluation and one renewal run of everyone', async () => {
    const [whole, segmented] = (await loaded(2)) as [TestStack, TestStack];
    const [one, four] = await Promise.all([
      runJobs(whole, AS_OF),
      runJobs(segmented, AS_OF, undefined, { segments: 4 }),
    ]);
    expect(four.evaluation).toMatchObject({ segments: 4, applicants: one.evaluation.applicants });
    expect(four.evaluation.eligible).toBe(one.evaluation.eligible);
    const [expected, got] = await Promise.all([readOutputs(whole), readOutputs(segmented)]);
    // The data reaches both outcomes, so an export that dropped or doubled a segment would show.
    const rows = csvRecords(expected.admin['admin/eligibility.csv']);
    expect(new Set(rows.map((r) => r.eligible))).toEqual(new Set(['true', 'false']));
    expect(got.admin).toEqual(expected.admin);
    expect(got.reports).toEqual(expected.reports);
    expect(got.items).toEqual(expected.items);

    // The renewals (both from the summaries the evaluation left, 4 shards a segment): the same counts,
    // each status stored alike, both exports byte for byte.
    expect(four.renewals).toMatchObject({ segments: 4, fromSummaries: true, endorsees: one.renewals.endorsees });
    expect(one.renewals).toMatchObject({ fromSummaries: true });
    expect(four.renewals.byStatus).toEqual(one.renewals.byStatus);
    const renewalItems = (items: Record<string, unknown>[]) => items.filter((item) => item.sk === 'RENEWAL');
    expect(renewalItems(expected.items).length).toBe(one.renewals.endorsees);
    expect(renewalItems(got.items)).toEqual(renewalItems(expected.items));
    const statuses = new Set(csvRecords(expected.admin['admin/renewals.csv']).map((r) => r.status));
    expect(statuses.size).toBeGreaterThan(2);
    expect(csvRecords(expected.admin['admin/outreach.csv']).length).toBeGreaterThan(1);
    for (const key of ['admin/renewals.csv', 'admin/outreach.csv']) {
      expect((await bytesOf(segmented, key)).equals(await bytesOf(whole, key)), key).toBe(true);
    }
    // Both evaluations recorded both kinds of summaries, so the reports read them and not the rows.
    expect(four.reports).toMatchObject({ read: 'summaries' });
    expect(one.reports).toMatchObject({ read: 'summaries' });
    expect(await partsLeft(segmented)).toEqual([]);

    // From the rows too (a change noted as pending sends the renewal job to them): the same in segments.
    for (const stack of [whole, segmented])
      await dynamoTableStore(stack.ddb, stack.tableName).notePending('CHANGE#x#1');
    const [oneRows, fourRows] = await Promise.all([
      runJobs(whole, AS_OF),
      runJobs(segmented, AS_OF, undefined, { segments: 4 }),
    ]);
    expect(fourRows.renewals).toMatchObject({ fromSummaries: false, endorsees: one.renewals.endorsees });
    expect(oneRows.renewals).toMatchObject({ fromSummaries: false });
    for (const key of ['admin/renewals.csv', 'admin/outreach.csv']) {
      expect((await bytesOf(segmented, key)).equals(await bytesOf(whole, key)), key).toBe(true);
    }
    expect(await partsLeft(segmented)).toEqual([]);
  }, 300_000);

  it('refuses a segment the plan does not have, and a plan under a ruleset no longer in force', async () => {
    const [stack] = (await loaded(1)) as [TestStack];
    const evaluate = makeEvaluateHandler({ ...stack, adminBucket: stack.uploadsBucket });
    const { plan } = (await evaluate({ step: 'plan', asOf: AS_OF, totalSegments: 2 }, localContext('evaluate'))) as {
      plan: { rulesetId: string };
    };
    await expect(evaluate({ step: 'segment', plan, segment: 2 } as never, localContext('evaluate'))).rejects.toThrow(
      /segment 2 is not one of the plan's/,
    );
    await expect(
      evaluate(
        { step: 'segment', plan: { ...plan, rulesetId: 'wi-1990' }, segment: 0 } as never,
        localContext('evaluate'),
      ),
    ).rejects.toThrow(/no longer the one in force/);

    const renew = makeRenewalsHandler({ ...stack, adminBucket: stack.uploadsBucket });
    const renewal = (await renew({ step: 'plan', asOf: AS_OF, totalSegments: 3 }, localContext('renewals'))) as {
      plan: { rulesetId: string };
      segments: number[];
    };
    expect(renewal.segments).toEqual([0, 1, 2]);
    await expect(
      renew({ step: 'segment', plan: renewal.plan, segment: 3 } as never, localContext('renewals')),
    ).rejects.toThrow(/segment 3 is not one of the plan's/);
    await expect(
      renew({ step: 'finish', plan: { ...renewal.plan, rulesetId: 'wi-1990' } } as never, localContext('renewals')),
    ).rejects.toThrow(/no longer the one in force/);
  }, 120_000);
});
