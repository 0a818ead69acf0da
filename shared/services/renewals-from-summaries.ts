/**
 * The renewal job without the rows (docs/architecture.md, "Summaries"): when the evaluation of
 * everyone has left the endorsees' summaries as of the job's date and under its ruleset, with the
 * facts each was judged from, and nothing has changed since that they do not describe, the job
 * judges every endorsee from their summary. The summaries live in 16 shards: each shard's endorsees
 * are judged, their statuses stored as the rows' pass stores them, and their rows of
 * admin/renewals.csv and admin/outreach.csv sorted by person id into a part per shard; the exports
 * are then a merge of the parts in person-id order (sorted-parts.ts), byte for byte what the pass
 * over the rows writes. It holds one shard's rows at a time, and writes no summaries (the run it
 * reads is of this date).
 */
import type { SummaryRun } from '../adapters/dynamo/summaries.js';
import { SUMMARY_SHARDS, summaryCodec, unpackRenewalFacts } from '../adapters/dynamo/summaries.js';
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import type { ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX } from '../adapters/table-design.js';
import type { CsvValue } from '../core/csv/write.js';
import type { TrainingSummary } from '../core/model.js';
import { type RenewalResult, type RenewalStatus, renewalStatus } from '../core/renewal/renewal.js';
import { rulesetsInForce } from '../core/rules/registry.js';
import type { Ruleset } from '../core/rules/ruleset.js';
import { csvBody, csvHeader, type Segment } from './full-pass.js';
import type { RenewalDeps } from './renewals-all.js';
import {
  OUTREACH_COLUMNS,
  OUTREACH_KEY,
  outreachOf,
  RENEWALS_COLUMNS,
  RENEWALS_KEY,
  renewalRow,
  storedRenewals,
} from './renewals-all.js';
import { type KeyedRecord, mergeSortedParts, putSortedPart } from './sorted-parts.js';

/** Items and requests a renewal run read. */
export interface ReadTally {
  items: number;
  requests: number;
}

/**
 * The endorsees' run of summaries the renewal job may judge from as of `asOf` under `rulesetId`, or
 * undefined (it reads the rows): the run is of that date and ruleset, no change is pending, none was
 * left unsummarised since the run started (summariesCurrent asks the same of both kinds), and the
 * trainings outreach suggests from are stored for that run (an evaluation of a change that can alter
 * them sets them aside).
 */
export async function summariesToRenewFrom(
  table: TableStore,
  asOf: string,
  rulesetId: string,
  read: ReadTally,
): Promise<SummaryRun | undefined> {
  const [run, state, pending, trainingsRun] = await Promise.all([
    table.summaryRun('endorsee'),
    table.factsState(),
    table.anyPending(),
    table.trainingsRun(),
  ]);
  read.items += 3 + (run ? 1 : 0);
  read.requests += 4;
  if (!run || run.asOf !== asOf || run.rulesetId !== rulesetId) return undefined;
  if (pending || run.generation < state.invalidAt || trainingsRun !== run.run) return undefined;
  return run;
}

/** The summary shards a segment judges: shard % totalSegments === segment. */
export const shardsOf = (s: Segment): number[] =>
  Array.from({ length: SUMMARY_SHARDS }, (_, n) => n).filter((n) => n % s.totalSegments === s.segment);

/** Where a shard's sorted part of an export goes (JSON lines, sorted-parts.ts). */
export function shardPartKey(exportKey: string, shard: number): string {
  const name = exportKey.slice(exportKey.lastIndexOf('/') + 1).replace(/\.csv$/, '');
  return `${ADMIN_PREFIX}parts/${name}-shard-${String(shard).padStart(2, '0')}-of-${SUMMARY_SHARDS}.jsonl`;
}

/** What a run from summaries shares: the date, the rules, the run read and the trainings stored for it. */
export interface SummariesRenewal {
  asOf: string;
  ruleset: Ruleset;
  summaryRun: string;
  trainings: readonly TrainingSummary[];
}

export interface ShardsOutcome {
  endorsees: number;
  byStatus: Record<RenewalStatus, number>;
  outreach: number;
  read: ReadTally;
  judgeSeconds: number;
}

/** The trainings stored for the run, read when a segment starts (the plan saw them there). */
export async function trainingsOfRun(table: TableStore, summaryRun: string, read: ReadTally) {
  const count = { items: 0 };
  const trainings = await table.trainings(summaryRun, count);
  read.items += count.items;
  read.requests += count.items;
  // Set aside since the plan (a change that can alter them was evaluated): this run cannot go on.
  if (!trainings) throw new Error(`the trainings stored for the summaries' run ${summaryRun} are gone: run it again`);
  return trainings;
}

/**
 * Judges one shard's endorsees from their summaries: statuses stored a page at a time (and removed
 * for those marked gone, as the rows' pass removes the status of an endorsee not judged on the
 * date), rows sorted by person id into the shard's parts of both exports.
 */
export async function renewShard(
  deps: RenewalDeps,
  admin: ObjectStore,
  run: SummariesRenewal,
  shard: number,
  outcome: ShardsOutcome,
): Promise<void> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const rulesetOn = rulesetsInForce(run.ruleset.association);
  const renewals: KeyedRecord[] = [];
  const outreach: KeyedRecord[] = [];
  for await (const page of table.renewalSummaries(shard, run.summaryRun, outcome.read)) {
    const t0 = performance.now();
    const judged: { result: RenewalResult; missing: string }[] = [];
    const gone: string[] = [];
    const rows: Record<string, CsvValue>[] = [];
    const atRisk: Record<string, CsvValue>[] = [];
    for (const item of page) {
      if (summaryCodec.isGone(item)) {
        // Its status goes, as the rows' pass removes that of an endorsee not judged on the date.
        if (typeof item.pid === 'string') gone.push(item.pid);
        continue;
      }
      if (!(item.renewal instanceof Uint8Array))
        throw new Error(`a summary of the run ${run.summaryRun} holds no renewal facts`);
      const facts = unpackRenewalFacts(item.renewal);
      const result = renewalStatus({ ...facts, asOf: run.asOf, ruleset: run.ruleset, rulesetOn });
      outcome.byStatus[result.status]++;
      const { missing, atRisk: row } = outreachOf(facts.endorsee, facts.trainings, result, run);
      judged.push({ result, missing });
      rows.push(renewalRow(facts.endorsee, result, missing));
      if (row) atRisk.push(row);
    }
    renewals.push(...keyed(RENEWALS_COLUMNS, rows));
    outreach.push(...keyed(OUTREACH_COLUMNS, atRisk));
    outcome.endorsees += judged.length;
    outcome.outreach += atRisk.length;
    outcome.judgeSeconds += (performance.now() - t0) / 1000;
    // Each status as the rows' pass stores it; one no longer judged (marked gone) is removed.
    await table.writeResults('renewal', storedRenewals(judged), gone);
  }
  await putSortedPart(admin, shardPartKey(RENEWALS_KEY, shard), renewals);
  await putSortedPart(admin, shardPartKey(OUTREACH_KEY, shard), outreach);
}

/** Each row's CSV record, keyed by its person id (the exports' first column). */
function keyed(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): KeyedRecord[] {
  const records = [...csvBody(columns, rows)];
  return rows.map((row, i) => ({ key: String(row.person_id), record: records[i] as string }));
}

/** Judges the shards of one segment (every shard in a run of one segment). */
export async function renewShards(
  deps: RenewalDeps,
  admin: ObjectStore,
  run: SummariesRenewal,
  segment: Segment,
  outcome: ShardsOutcome,
): Promise<void> {
  for (const shard of shardsOf(segment)) await renewShard(deps, admin, run, shard, outcome);
}

/** Both exports merged from the shards' sorted parts, in person-id order, and the parts deleted (they name people). */
export async function mergeShardParts(admin: ObjectStore): Promise<void> {
  for (const [key, columns] of [
    [RENEWALS_KEY, RENEWALS_COLUMNS],
    [OUTREACH_KEY, OUTREACH_COLUMNS],
  ] as const) {
    const parts = Array.from({ length: SUMMARY_SHARDS }, (_, n) => shardPartKey(key, n));
    async function* text() {
      yield csvHeader(columns);
      yield* mergeSortedParts(admin, parts);
    }
    await admin.putCsvStream(key, text());
    for (const part of parts) await admin.deleteObject(part);
  }
}
