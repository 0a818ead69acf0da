/**
 * The evaluation of everyone judges the endorsees too (docs/architecture.md, "Summaries"): it is the
 * nightly safety net for their summaries, which carry the facts they were judged from, so the
 * renewal job that runs after it can judge everyone from the summaries instead of the rows
 * (renewals-from-summaries.ts). It writes no renewal status and no renewal export: those stay the
 * renewal job's.
 */
import type { ScanStats } from '../adapters/dynamo/population.js';
import type { PopulationIndex } from '../adapters/dynamo/population-stream.js';
import type { TableStore } from '../adapters/dynamo/table-store.js';
import { rulesetsInForce } from '../core/rules/registry.js';
import type { Ruleset } from '../core/rules/ruleset.js';
import { idsOfSegment, PEOPLE_PER_BATCH, type Segment } from './full-pass.js';
import { judgeEndorsees } from './judge.js';
import { endorseeSummaries, type SummaryRunWriter } from './report-summaries.js';

/**
 * Judges one segment of the endorsees a batch at a time, as the renewal job's rows do, and writes
 * their summaries and their fact caches where they differ. How many were judged.
 */
export async function summariseEndorseeSegment(
  table: TableStore,
  index: PopulationIndex,
  run: { asOf: string; ruleset: Ruleset; endorsees: SummaryRunWriter<'endorsee'> },
  segment: Segment,
  read: ScanStats,
): Promise<{ endorsees: number; judgeSeconds: number }> {
  const inForce = rulesetsInForce(run.ruleset.association);
  const ids = idsOfSegment(index.endorseeIds, segment);
  let endorsees = 0;
  let judgeSeconds = 0;
  for await (const batch of table.people(index, ids, 'endorsee', read, PEOPLE_PER_BATCH, { factCaches: true })) {
    const t0 = performance.now();
    const judged = [...judgeEndorsees(batch, run.asOf, run.ruleset, inForce)];
    endorsees += judged.length;
    judgeSeconds += (performance.now() - t0) / 1000;
    if (batch.factCaches) await table.keepFactCaches(batch.factCaches);
    await run.endorsees.add(endorseeSummaries(batch.endorsees.keys(), judged));
  }
  return { endorsees, judgeSeconds };
}
