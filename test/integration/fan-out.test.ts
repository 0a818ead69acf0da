/**
 * The nightly evaluation in segments (docs/operations.md, "When the nightly pass outgrows one
 * function"): the evaluate handler run step by step (plan, each segment, finish), as the fan-out
 * state machine runs it, leaves exactly what one evaluation of everyone leaves: table items,
 * administrators' exports and reports. Locally `iecmh run --segments N` takes this path.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvaluateHandler } from '#functions/evaluate/evaluate-handler.js';
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
async function loaded(count: number): Promise<TestStack[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startTestStack()));
  stacks.push(...started);
  for (const other of started.slice(1)) shareSecret(started[0] as TestStack, other);
  for (const stack of started) await stack.ingest(uploads);
  return started;
}

describe('the nightly evaluation in segments', () => {
  it('leaves the same items, exports and reports as one evaluation of everyone', async () => {
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
  }, 240_000);

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
  }, 120_000);
});
