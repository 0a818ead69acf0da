/**
 * The daily renewal job: every endorsee's status on a date, stored in the table, exported to
 * `admin/renewals.csv`, with an outreach list (`admin/outreach.csv`) for those at risk.
 */
import type { Clients } from '../adapters/clients.js';
import type { ScanStats } from '../adapters/dynamo/population.js';
import type { PopulationIndex } from '../adapters/dynamo/population-stream.js';
import { dynamoTableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX } from '../adapters/table-design.js';
import { isUpcoming, trainingWhen } from '../core/calendar.js';
import type { CsvValue } from '../core/csv/write.js';
import type { Endorsee, TrainingRecord, TrainingSummary } from '../core/model.js';
import { outreach, suggestableTrainings } from '../core/renewal/outreach.js';
import type { RenewalResult, RenewalStatus } from '../core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '../core/rules/registry.js';
import type { Ruleset } from '../core/rules/ruleset.js';
import {
  assembleExport,
  type CsvStream,
  csvBatch,
  csvHeader,
  csvStream,
  EVERYONE,
  idsOfSegment,
  PEOPLE_PER_BATCH,
  partKey,
  partKeys,
  type Segment,
} from './full-pass.js';
import { judgeEndorsees } from './judge.js';
import {
  mergeShardParts,
  type ReadTally,
  renewShards,
  type SummariesRenewal,
  summariesToRenewFrom,
  trainingsOfRun,
} from './renewals-from-summaries.js';
import { endorseeSummaries, type SummaryRunWriter, startSummaryRun, summaryRunId } from './report-summaries.js';

export const RENEWALS_KEY = `${ADMIN_PREFIX}renewals.csv`;
export const OUTREACH_KEY = `${ADMIN_PREFIX}outreach.csv`;

export const RENEWALS_COLUMNS = [
  'person_id',
  'first_name',
  'last_name',
  'category',
  'status',
  'ce_hours',
  'dei_hours',
  'rsc_hours',
  'due_date',
  'rsc_topic_hours',
  'ce_hours_needed',
  'dei_hours_needed',
  'rsc_topic_hours_needed',
  'rsc_hours_needed',
  'missing',
  'as_of',
  'ruleset',
] as const;
export type RenewalColumn = (typeof RENEWALS_COLUMNS)[number];

export const OUTREACH_COLUMNS = [
  'person_id',
  'first_name',
  'last_name',
  'email',
  'category',
  'due_date',
  'missing',
  'suggested_trainings',
  'upcoming_training',
  'upcoming_training_date',
  'upcoming_training_registration_url',
] as const;
export type OutreachColumn = (typeof OUTREACH_COLUMNS)[number];

/**
 * A suggested training in outreach.csv: one still ahead with its date and where to register, a
 * past one marked as past (never presented as something to register for).
 */
function outreachTraining(t: TrainingSummary, asOf: string): string {
  const name = `${t.trainingId} ${t.title ?? ''}`.trim();
  return `${name} (${t.hours} h, ${trainingWhen(t, asOf)})`;
}

export interface RenewalDeps extends Clients {
  tableName: string;
  adminBucket: string;
  association?: string;
}

export interface RenewalSummary {
  asOf: string;
  rulesetId: string;
  /** Judged from the endorsees' summaries (renewals-from-summaries.ts), not the rows. */
  fromSummaries: boolean;
  endorsees: number;
  byStatus: Record<RenewalStatus, number>;
  keys: string[];
  seconds: { read: number; judge: number; write: number };
  scan: ScanStats;
}

function upcomingColumns(t: TrainingSummary | undefined) {
  return {
    upcoming_training: t ? `${t.trainingId} ${t.title ?? ''}`.trim() : '',
    upcoming_training_date: t?.date ?? '',
    upcoming_training_registration_url: t?.registrationUrl ?? '',
  };
}

/**
 * What one judged endorsee adds to the outreach list: the words for what they miss (renewals.csv's
 * `missing` too) for those not yet renewed, and their outreach row when they are at risk.
 */
export function outreachOf(
  person: Endorsee,
  own: readonly TrainingRecord[],
  result: RenewalResult,
  run: { asOf: string; trainings: readonly TrainingSummary[] },
): { missing: string; atRisk?: Record<OutreachColumn, CsvValue> } {
  const needsHelp = result.status === 'at_risk' || result.status === 'in_progress' || result.status === 'lapsed';
  const o = needsHelp
    ? outreach(
        result,
        run.trainings,
        3,
        own.map((t) => t.trainingId),
      )
    : undefined;
  if (result.status !== 'at_risk' || !o) return { missing: o?.missing ?? '' };
  return {
    missing: o.missing,
    atRisk: {
      person_id: person.personId,
      first_name: person.firstName,
      last_name: person.lastName,
      email: person.email,
      category: person.category,
      due_date: result.dueDate,
      missing: o.missing,
      suggested_trainings: o.suggestions.map((t) => outreachTraining(t, run.asOf)).join('; '),
      // The best suggestion still ahead, alone, for a letter or mail merge.
      ...upcomingColumns(o.suggestions.find((t) => isUpcoming(t, run.asOf))),
    },
  };
}

/** Each status as stored, made one at a time as the writer takes them. */
export function* storedRenewals(rows: { result: RenewalResult; missing: string }[]) {
  for (const { result, missing } of rows) yield { ...result, missing };
}

/** One endorsee's row of admin/renewals.csv. */
export function renewalRow(person: Endorsee, r: RenewalResult, missing: string): Record<RenewalColumn, CsvValue> {
  return {
    person_id: r.personId,
    first_name: person.firstName,
    last_name: person.lastName,
    category: r.category,
    status: r.status,
    ce_hours: r.ceHours,
    dei_hours: r.deiHours,
    rsc_hours: r.rscHours,
    due_date: r.dueDate,
    rsc_topic_hours: r.rscTopicHours,
    ce_hours_needed: r.needed.ceHours,
    dei_hours_needed: r.needed.deiHours,
    rsc_topic_hours_needed: r.needed.rscTopicHours,
    rsc_hours_needed: r.needed.rscHours,
    missing,
    as_of: r.asOf,
    ruleset: r.rulesetId,
  };
}

/** What every segment of one renewal run shares. */
export interface RenewalRun {
  asOf: string;
  ruleset: Ruleset;
  /** Every training described (outreach suggests from them). */
  trainings: TrainingSummary[];
  summaries: SummaryRunWriter<'endorsee'>;
}

export interface RenewalSegmentOutcome {
  endorsees: number;
  byStatus: Record<RenewalStatus, number>;
  /** The segment's rows of admin/outreach.csv (those at risk), written as each batch is judged. */
  outreach: number;
  /** Items and requests of the people's Queries. */
  read: ScanStats;
  judgeSeconds: number;
}

/**
 * Judges one segment of the endorsees, a batch at a time in person-id order: each batch read by
 * Query, judged, its statuses and summaries written, its rows of admin/renewals.csv yielded (to the
 * export itself in a pass over everyone, to a part in a pass by segments). Only a batch of people
 * is held at once.
 */
export async function* renewalSegment(
  deps: RenewalDeps,
  index: PopulationIndex,
  run: RenewalRun,
  segment: Segment,
  outcome: RenewalSegmentOutcome,
  outreachOut: CsvStream,
): AsyncGenerator<string> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const ids = idsOfSegment(index.endorseeIds, segment);
  const inForce = rulesetsInForce(run.ruleset.association);
  for await (const batch of table.people(index, ids, 'endorsee', outcome.read, PEOPLE_PER_BATCH, {
    factCaches: true,
  })) {
    const t0 = performance.now();
    const rows = [];
    const atRisk: Record<OutreachColumn, CsvValue>[] = [];
    for (const { person, trainings: own, rscSessions, result } of judgeEndorsees(
      batch,
      run.asOf,
      run.ruleset,
      inForce,
    )) {
      outcome.byStatus[result.status]++;
      const { missing, atRisk: row } = outreachOf(person, own, result, run);
      rows.push({ person, result, missing, trainings: own, rscSessions });
      if (row) atRisk.push(row);
    }
    outcome.endorsees += rows.length;
    outcome.judgeSeconds += (performance.now() - t0) / 1000;
    await outreachOut.write([csvBatch(OUTREACH_COLUMNS, atRisk)]);
    outcome.outreach += atRisk.length;
    // An endorsee not judged on this date (endorsed after it) keeps no status.
    await table.writeResults('renewal', storedRenewals(rows), batch.endorsees.keys());
    // Their fact caches, where they differ from what was read: evaluations of a few people start from them.
    if (batch.factCaches) await table.keepFactCaches(batch.factCaches);
    // Each endorsee's summary, which the reports read as of this date instead of the rows (report-summaries.ts).
    await run.summaries.add(endorseeSummaries(batch.endorsees.keys(), rows));
    yield csvBatch(
      RENEWALS_COLUMNS,
      rows.map(({ person, result, missing }) => renewalRow(person, result, missing)),
    );
  }
}

/**
 * One renewal run of everyone, as steps that can run in one function or several (docs/architecture.md,
 * "Fanning out"), as the evaluation's: the plan fixes what every step shares (the date, the ruleset,
 * the facts' generation read before any fact, the summaries' run), each segment judges its slice of
 * the endorsees into its parts of admin/renewals.csv and admin/outreach.csv, and the finish records
 * the summaries' run and puts each export together from its parts.
 */
export interface RenewalPlan {
  asOf: string;
  rulesetId: string;
  generation: number;
  /** The run this one writes; judging from summaries, the endorsees' run it reads. */
  summaryRun: string;
  totalSegments: number;
  /** True: the endorsees are judged from the summaries of `summaryRun` (renewals-from-summaries.ts). */
  fromSummaries?: boolean;
}

export async function planRenewals(
  deps: RenewalDeps,
  asOf: string,
  totalSegments: number,
  read: ReadTally = { items: 0, requests: 0 },
): Promise<RenewalPlan> {
  const ruleset = rulesetFor(asOf, deps.association);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const current = await summariesToRenewFrom(table, asOf, ruleset.id, read);
  if (current) {
    const { generation, run: summaryRun } = current;
    return { asOf, rulesetId: ruleset.id, generation, summaryRun, totalSegments, fromSummaries: true };
  }
  // The facts' generation before they are read: the summaries are good while it holds.
  const generation = await table.watchFactsGeneration();
  return { asOf, rulesetId: ruleset.id, generation, summaryRun: summaryRunId(asOf, generation), totalSegments };
}

/** The rules of a plan, still the ones in force. */
function rulesetOfPlan(deps: RenewalDeps, plan: RenewalPlan): Ruleset {
  const ruleset = rulesetFor(plan.asOf, deps.association);
  if (ruleset.id !== plan.rulesetId)
    throw new Error(`the plan's ruleset ${plan.rulesetId} is no longer the one in force`);
  return ruleset;
}

/** What the steps of a run from summaries share: the plan's, and the trainings stored for its run. */
async function summariesRun(deps: RenewalDeps, plan: RenewalPlan, read: ReadTally): Promise<SummariesRenewal> {
  const ruleset = rulesetOfPlan(deps, plan);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  // Already only those outreach can suggest on the run's date: the evaluation stored no others.
  const trainings = await trainingsOfRun(table, plan.summaryRun, read);
  return { asOf: plan.asOf, ruleset, summaryRun: plan.summaryRun, trainings };
}

/** What the steps share, from the plan and the population's index. */
function runOf(deps: RenewalDeps, plan: RenewalPlan, index: PopulationIndex): RenewalRun {
  const ruleset = rulesetOfPlan(deps, plan);
  const summaries = startSummaryRun(dynamoTableStore(deps.ddb, deps.tableName), 'endorsee', {
    asOf: plan.asOf,
    rulesetId: plan.rulesetId,
    generation: plan.generation,
    files: index.files,
    id: plan.summaryRun,
  });
  return {
    asOf: plan.asOf,
    ruleset,
    trainings: suggestableTrainings(index.trainings.values(), plan.asOf, ruleset),
    summaries,
  };
}

const noOutcome = (): RenewalSegmentOutcome => ({
  endorsees: 0,
  byStatus: { exempt: 0, lapsed: 0, compliant: 0, at_risk: 0, in_progress: 0 },
  outreach: 0,
  read: { items: 0, requests: 0, seconds: 0 },
  judgeSeconds: 0,
});

/** The exports a renewal run writes, each with its columns. */
const EXPORTS = [
  [RENEWALS_KEY, RENEWALS_COLUMNS],
  [OUTREACH_KEY, OUTREACH_COLUMNS],
] as const;

/**
 * One segment of a planned renewal run, in its own function: it reads the population's index
 * itself, streams its rows of admin/renewals.csv to that export's part and writes its outreach rows
 * to the part of admin/outreach.csv (partKey).
 */
export async function renewPlannedSegment(deps: RenewalDeps, plan: RenewalPlan, segment: number) {
  const slice: Segment = { segment, totalSegments: plan.totalSegments };
  const outcome = noOutcome();
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  if (plan.fromSummaries) {
    // Its summary shards (shard % totalSegments === segment), each into its sorted parts.
    await renewShards(deps, admin, await summariesRun(deps, plan, outcome.read), slice, outcome);
    return { segment, endorsees: outcome.endorsees, byStatus: outcome.byStatus };
  }
  const { index } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();
  const run = runOf(deps, plan, index);
  const outreachPart = csvStream(admin, partKey(OUTREACH_KEY, slice));
  try {
    await admin.putCsvStream(
      partKey(RENEWALS_KEY, slice),
      renewalSegment(deps, index, run, slice, outcome, outreachPart),
    );
  } catch (err) {
    await outreachPart.abort(err as Error);
    throw err;
  }
  await outreachPart.end();
  return { segment, endorsees: outcome.endorsees, byStatus: outcome.byStatus };
}

/** The finish of a planned renewal run, once every segment has written its parts. */
export async function finishRenewals(deps: RenewalDeps, plan: RenewalPlan): Promise<{ keys: string[] }> {
  if (plan.fromSummaries) {
    rulesetOfPlan(deps, plan);
    // No run to record (the one read is of this date); the exports merged from the shards' parts.
    await mergeShardParts(s3ObjectStore(deps.s3, deps.adminBucket));
    return { keys: EXPORTS.map(([key]) => key) };
  }
  // The index for the uploads the summaries' run records (segments each read their own).
  const { index } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();
  await runOf(deps, plan, index).summaries.finish();
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  for (const [key, columns] of EXPORTS) await assembleExport(admin, key, columns, partKeys(key, plan.totalSegments));
  // Gone once put together: they name people, and an erasure rewrites the exports, never a part.
  for (const [key] of EXPORTS) for (const part of partKeys(key, plan.totalSegments)) await admin.deleteObject(part);
  return { keys: EXPORTS.map(([key]) => key) };
}

/**
 * Judges every endorsee on `asOf` in this function, stores each status and writes the
 * administrators' CSVs: the plan, the index (one parallel Scan), then the endorsees a batch at a
 * time (renewalSegment), their rows streamed to admin/renewals.csv as they are judged. The same
 * bytes as the steps' parts put together (csvHeader, then each segment's records in order).
 */
export async function renewalsAll(deps: RenewalDeps, asOf: string): Promise<RenewalSummary> {
  const t0 = performance.now();
  const planRead: ReadTally = { items: 0, requests: 0 };
  const plan = await planRenewals(deps, asOf, EVERYONE.totalSegments, planRead);
  if (plan.fromSummaries) return renewAllFromSummaries(deps, plan, planRead, t0);
  const { index, stats: indexStats } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();

  const t1 = performance.now();
  const run = runOf(deps, plan, index);
  const outcome = noOutcome();
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  // Nothing but this job writes renewals.csv (no lease to hold), so a pass over everyone streams it in
  // place, and outreach.csv beside it.
  const outreachOut = csvStream(admin, OUTREACH_KEY);
  await outreachOut.write([csvHeader(OUTREACH_COLUMNS)]);
  async function* records() {
    yield csvHeader(RENEWALS_COLUMNS);
    yield* renewalSegment(deps, index, run, EVERYONE, outcome, outreachOut);
  }
  try {
    await admin.putCsvStream(RENEWALS_KEY, records());
  } catch (err) {
    await outreachOut.abort(err as Error);
    throw err;
  }
  await outreachOut.end();
  await run.summaries.finish();
  const passSeconds = (performance.now() - t1) / 1000;
  return {
    asOf,
    rulesetId: plan.rulesetId,
    fromSummaries: false,
    endorsees: outcome.endorsees,
    byStatus: outcome.byStatus,
    keys: [RENEWALS_KEY, OUTREACH_KEY],
    // Reading people, judging and writing run side by side: `write` is the pass's time besides judging.
    seconds: { read: indexStats.seconds, judge: outcome.judgeSeconds, write: passSeconds - outcome.judgeSeconds },
    scan: {
      items: planRead.items + indexStats.items + outcome.read.items,
      requests: planRead.requests + indexStats.requests + outcome.read.requests,
      seconds: indexStats.seconds,
    },
  };
}

/** renewalsAll from the endorsees' summaries: every shard in this function, then the exports merged. */
async function renewAllFromSummaries(
  deps: RenewalDeps,
  plan: RenewalPlan,
  planRead: ReadTally,
  t0: number,
): Promise<RenewalSummary> {
  const outcome = noOutcome();
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  await renewShards(deps, admin, await summariesRun(deps, plan, outcome.read), EVERYONE, outcome);
  await mergeShardParts(admin);
  const seconds = (performance.now() - t0) / 1000;
  return {
    asOf: plan.asOf,
    rulesetId: plan.rulesetId,
    fromSummaries: true,
    endorsees: outcome.endorsees,
    byStatus: outcome.byStatus,
    keys: [RENEWALS_KEY, OUTREACH_KEY],
    // No index: reading the summaries, judging and writing run side by side.
    seconds: { read: 0, judge: outcome.judgeSeconds, write: seconds - outcome.judgeSeconds },
    scan: {
      items: planRead.items + outcome.read.items,
      requests: planRead.requests + outcome.read.requests,
      seconds: 0,
    },
  };
}
