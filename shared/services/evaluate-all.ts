/**
 * Evaluates every applicant on a date: stores each evaluation in the table and exports
 * `admin/eligibility.csv` to the administrators' bucket.
 */

import { randomUUID } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { ExportBusyError } from '../adapters/dynamo/incremental.js';
import type { IngestedFile, Population, ScanStats } from '../adapters/dynamo/population.js';
import type { PopulationIndex } from '../adapters/dynamo/population-stream.js';
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX, ELIGIBILITY_KEY } from '../adapters/table-design.js';
import { isUpcoming, trainingWhen } from '../core/calendar.js';
import { catalogCodes, loadCatalog } from '../core/catalog/catalog.js';
import type { CsvValue } from '../core/csv/write.js';
import { type Evaluation, suggestTrainings } from '../core/eligibility/index.js';
import type { Applicant, TrainingSummary } from '../core/model.js';
import { suggestableTrainings } from '../core/renewal/outreach.js';
import { rulesetFor } from '../core/rules/registry.js';
import type { Ruleset } from '../core/rules/ruleset.js';
import { summariseEndorseeSegment } from './evaluate-endorsees.js';
import {
  assembleExport,
  csvBatch,
  csvHeader,
  EVERYONE,
  idsOfSegment,
  PEOPLE_PER_BATCH,
  partKey,
  partKeys,
  type Segment,
} from './full-pass.js';
import { judgeApplicants } from './judge.js';
import { applicantSummary, type SummaryRunWriter, startSummaryRun, summaryRunId } from './report-summaries.js';

// Declared with the bucket layout (table-design.ts); the handlers and the local runner still import it from here.
export { ELIGIBILITY_KEY };
/** The administrators' manifest: which uploads (name, version, checksum, rows) the exports come from. */
export const ADMIN_MANIFEST_KEY = `${ADMIN_PREFIX}manifest.json`;

export const ELIGIBILITY_COLUMNS = [
  'person_id',
  'first_name',
  'last_name',
  'category',
  'eligible',
  'gaps',
  'training_hours',
  'rsc_hours',
  'competencies_covered',
  'competencies_required',
  'dei_hours',
  'rsc_topic_hours',
  'missing_competencies',
  'suggested_trainings',
  'as_of',
  'ruleset',
] as const;

export interface EvaluateDeps extends Clients {
  tableName: string;
  /** The administrators' bucket (the uploads bucket); eligibility.csv goes under admin/. */
  adminBucket: string;
  association?: string;
}

export interface EvaluateSummary {
  asOf: string;
  rulesetId: string;
  applicants: number;
  eligible: number;
  /** The endorsees judged for their summaries (evaluate-endorsees.ts). */
  endorsees: number;
  csvKey: string;
  seconds: { read: number; evaluate: number; write: number };
  scan: ScanStats;
}

/** A short reference to a training for the eligibility export and a person's file. */
export interface SuggestedTraining {
  trainingId: string;
  title?: string;
  date: string;
  hours: number;
  attendees: number;
  /** Dated after the evaluation's as-of date: still ahead, so it can be registered for. */
  upcoming: boolean;
  /** Where to register, from the association's calendar (given only for an upcoming training). */
  registrationUrl?: string;
}

const brief = (t: TrainingSummary, asOf: string): SuggestedTraining => {
  const upcoming = isUpcoming(t, asOf);
  return {
    trainingId: t.trainingId,
    title: t.title,
    date: t.date,
    hours: t.hours,
    attendees: t.attendees,
    upcoming,
    registrationUrl: upcoming ? t.registrationUrl : undefined,
  };
};

/**
 * For each competency, the trainings covering it, worked out once for everyone: those the calendar
 * (or a roster) dates after `asOf` first, then past ones, best attended first. The full pass keeps
 * this table in the table, and evaluations of a few people suggest from it (evaluate-people.ts).
 */
export function suggestionTable(
  population: Pick<Population, 'trainings'>,
  asOf: string,
): Record<string, TrainingSummary[]> {
  return suggestTrainings(catalogCodes(loadCatalog()), population.trainings.values(), 3, asOf);
}

/** The trainings suggested for each missing competency, from a suggestion table, described as of `asOf`. */
export function suggester(
  table: Record<string, TrainingSummary[]>,
  asOf: string,
): (missing: readonly string[]) => Record<string, SuggestedTraining[]> {
  return (missing) => Object.fromEntries(missing.map((code) => [code, (table[code] ?? []).map((t) => brief(t, asOf))]));
}

/** For each missing competency, the trainings covering it (suggestionTable, then suggester). */
export function suggestionsFor(
  population: Pick<Population, 'trainings'>,
  asOf: string,
): (missing: readonly string[]) => Record<string, SuggestedTraining[]> {
  return suggester(suggestionTable(population, asOf), asOf);
}

/** One applicant's row of admin/eligibility.csv. */
export function eligibilityRow(
  person: Pick<Applicant, 'firstName' | 'lastName'>,
  e: Evaluation,
  suggestions: Record<string, SuggestedTraining[]>,
): Record<(typeof ELIGIBILITY_COLUMNS)[number], CsvValue> {
  return {
    person_id: e.personId,
    first_name: person.firstName,
    last_name: person.lastName,
    category: e.category,
    eligible: e.eligible,
    gaps: e.gaps.map((g) => g.id).join(';'),
    training_hours: e.trainingHours,
    rsc_hours: e.rscHours,
    competencies_covered: e.competenciesCovered,
    competencies_required: e.competenciesRequired,
    dei_hours: e.deiHours,
    rsc_topic_hours: e.rscTopicHours,
    missing_competencies: e.missingCodes.join(';'),
    suggested_trainings: Object.entries(suggestions)
      .map(
        ([code, ts]) =>
          `${code}: ${ts.map((t) => `${t.trainingId} (${trainingWhen(t, e.asOf)})`).join(' ') || 'none seen yet'}`,
      )
      .join('; '),
    as_of: e.asOf,
    ruleset: e.rulesetId,
  };
}

/** The administrators' manifest: which uploads (name, version, checksum, rows) the exports come from. */
export function manifestOf(asOf: string, rulesetId: string, files: readonly IngestedFile[]) {
  return {
    asOf,
    ruleset: rulesetId,
    generatedAt: new Date().toISOString(),
    inputs: files
      .map((f) => ({
        name: f.key,
        kind: f.kind,
        version: f.versionId ?? f.etag ?? null,
        sha256: f.sha256 ?? null,
        ingestedAt: f.ingestedAt ?? null,
        rows: f.rows,
        accepted: f.accepted,
        rejected: f.rejected,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** How long an evaluation may hold admin/eligibility.csv, and how long another waits for it. */
const EXPORT_LEASE_MS = 5 * 60 * 1000;
const EXPORT_WAIT_MS = 3 * 60 * 1000;

/**
 * Runs `write` holding the export's lease: evaluations of a few people read, change and write back
 * admin/eligibility.csv, so two at once would lose one's rows. Waits for another evaluation to finish.
 */
export async function withExportLease<T>(table: TableStore, write: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  const until = Date.now() + EXPORT_WAIT_MS;
  for (let pause = 100; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      await table.leaseExport(owner, EXPORT_LEASE_MS);
      break;
    } catch (err) {
      if (!(err instanceof ExportBusyError) || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
  try {
    return await write();
  } finally {
    await table.releaseExport(owner);
  }
}

/** Each result as stored, made one at a time as the writer takes them. */
function* storedEvaluations(results: { result: Evaluation; suggestions: Record<string, SuggestedTraining[]> }[]) {
  for (const { result, suggestions } of results) yield { ...result, suggestions };
}

/** What every segment of one evaluation of everyone shares. */
export interface EvaluationRun {
  asOf: string;
  ruleset: Ruleset;
  suggest: (missing: readonly string[]) => Record<string, SuggestedTraining[]>;
  summaries: SummaryRunWriter<'applicant'>;
  /** The endorsees' summaries, with the facts the renewal job judges them from. */
  endorsees: SummaryRunWriter<'endorsee'>;
}

export interface SegmentOutcome {
  applicants: number;
  eligible: number;
  endorsees: number;
  /** Items and requests of the people's Queries. */
  read: ScanStats;
  judgeSeconds: number;
}

/**
 * Evaluates one segment of the applicants, a batch at a time in person-id order: each batch read
 * by Query, judged, its evaluations and summaries written, its rows streamed to the segment's part
 * of admin/eligibility.csv (partKey). Only a batch of people is held at once.
 */
export async function evaluateSegment(
  deps: EvaluateDeps,
  index: PopulationIndex,
  run: EvaluationRun,
  segment: Segment,
): Promise<SegmentOutcome> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const catalog = loadCatalog();
  const outcome: SegmentOutcome = {
    applicants: 0,
    eligible: 0,
    endorsees: 0,
    read: { items: 0, requests: 0, seconds: 0 },
    judgeSeconds: 0,
  };
  const ids = idsOfSegment(index.applicantIds, segment);
  async function* records() {
    // The part of a pass in one segment is the export whole, which the finish copies in place.
    if (segment.totalSegments === 1) yield csvHeader(ELIGIBILITY_COLUMNS);
    for await (const batch of table.people(index, ids, 'applicant', outcome.read, PEOPLE_PER_BATCH, {
      factCaches: true,
    })) {
      const t0 = performance.now();
      const results = [];
      for (const judged of judgeApplicants(batch, run.asOf, run.ruleset, catalog)) {
        results.push({ ...judged, suggestions: run.suggest(judged.result.missingCodes) });
        if (judged.result.eligible) outcome.eligible++;
      }
      outcome.applicants += results.length;
      outcome.judgeSeconds += (performance.now() - t0) / 1000;
      // The evaluation kept per person (the latest), with the trainings suggested for what is missing;
      // an applicant not judged on this date (applied after it) keeps none.
      await table.writeResults('evaluation', storedEvaluations(results), batch.applicants.keys());
      // Their fact caches, where they differ from what was read: evaluations of a few people start from them.
      if (batch.factCaches) await table.keepFactCaches(batch.factCaches);
      // Each applicant's summary, which the reports read as of this date instead of the rows (report-summaries.ts).
      await run.summaries.add(
        results.map(({ person, result }) => ({ personId: person.personId, summary: applicantSummary(person, result) })),
      );
      yield csvBatch(
        ELIGIBILITY_COLUMNS,
        results.map(({ person, result, suggestions }) => eligibilityRow(person, result, suggestions)),
      );
    }
  }
  await s3ObjectStore(deps.s3, deps.adminBucket).putCsvStream(partKey(ELIGIBILITY_KEY, segment), records());
  // Then the segment's endorsees, for their summaries (the renewal job judges from them after this pass).
  const endorsees = await summariseEndorseeSegment(table, index, run, segment, outcome.read);
  outcome.endorsees = endorsees.endorsees;
  outcome.judgeSeconds += endorsees.judgeSeconds;
  return outcome;
}

/**
 * Evaluates everyone: the index (one parallel Scan: trainings, receipts, ids), then the applicants
 * a batch at a time (evaluateSegment), then the export put together from its part under the lease.
 */
/**
 * One evaluation of everyone, as steps that can run in one function or several (docs/architecture.md,
 * "Fanning out"): the plan fixes what every step shares (the date, the ruleset, the facts'
 * generation read before any fact, the summaries' run), each segment judges its slice of the
 * applicants into its part of the export, and the finish puts the parts together.
 */
export interface EvaluationPlan {
  asOf: string;
  rulesetId: string;
  generation: number;
  summaryRun: string;
  totalSegments: number;
}

export async function planEvaluation(deps: EvaluateDeps, asOf: string, totalSegments: number): Promise<EvaluationPlan> {
  const ruleset = rulesetFor(asOf, deps.association);
  // The facts' generation before they are read: the summaries are good while it holds.
  const generation = await dynamoTableStore(deps.ddb, deps.tableName).watchFactsGeneration();
  return { asOf, rulesetId: ruleset.id, generation, summaryRun: summaryRunId(asOf, generation), totalSegments };
}

/** What the steps read and make from the plan and the population's index. */
function runOf(deps: EvaluateDeps, plan: EvaluationPlan, index: PopulationIndex) {
  const ruleset = rulesetFor(plan.asOf, deps.association);
  if (ruleset.id !== plan.rulesetId)
    throw new Error(`the plan's ruleset ${plan.rulesetId} is no longer the one in force`);
  const suggestions = suggestionTable(index, plan.asOf);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const record = {
    asOf: plan.asOf,
    rulesetId: plan.rulesetId,
    generation: plan.generation,
    files: index.files,
    id: plan.summaryRun,
  };
  // Both kinds' runs under one id (each kind has its own marker and its summaries their own key), so
  // the plan the fan-out steps pass on stays as it was.
  const summaries = startSummaryRun(table, 'applicant', record);
  const endorsees = startSummaryRun(table, 'endorsee', record);
  return {
    ruleset,
    suggestions,
    run: { asOf: plan.asOf, ruleset, suggest: suggester(suggestions, plan.asOf), summaries, endorsees },
  };
}

/** The finish: the summaries' run recorded, the manifest, the export from its parts, the suggestions. */
async function finishWith(deps: EvaluateDeps, plan: EvaluationPlan, index: PopulationIndex): Promise<void> {
  const { run, suggestions } = runOf(deps, plan, index);
  await run.summaries.finish();
  // What outreach suggests from, for the renewal job judging from this run's endorsee summaries (of
  // the run's date and rules, so only the trainings a current cycle can hold on that date); stored
  // before the run is recorded, so a recorded run's trainings are there.
  const suggestable = suggestableTrainings(index.trainings.values(), plan.asOf, run.ruleset);
  await dynamoTableStore(deps.ddb, deps.tableName).putTrainings(plan.summaryRun, suggestable);
  await run.endorsees.finish();
  // The caches of people who are neither applicant nor endorsee now: none may outlive the facts it copies.
  await dynamoTableStore(deps.ddb, deps.tableName).deleteFactCaches(index.staleFactCaches);
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  await withExportLease(dynamoTableStore(deps.ddb, deps.tableName), async () => {
    // Written before eligibility.csv, whose arrival starts the reports in AWS.
    await admin.putJson(ADMIN_MANIFEST_KEY, manifestOf(plan.asOf, plan.rulesetId, index.files));
    const parts = partKeys(ELIGIBILITY_KEY, plan.totalSegments);
    // One segment's part, headed, is copied on the S3 side: at 100,000 applicants streaming its
    // 100 MB through this function held some 50 MB of buffers (docs/benchmarks.md).
    if (parts.length === 1) await admin.copyObject(parts[0] as string, ELIGIBILITY_KEY);
    else await assembleExport(admin, ELIGIBILITY_KEY, ELIGIBILITY_COLUMNS, parts);
    // Gone once put together: evaluations of a few people (an erasure's) change the export, never a part.
    for (const part of parts) await admin.deleteObject(part);
    // What evaluations of a few people suggest until the next full pass.
    await dynamoTableStore(deps.ddb, deps.tableName).putSuggestions({
      asOf: plan.asOf,
      rulesetId: plan.rulesetId,
      byCompetency: suggestions,
    });
  });
}

/** One segment of a planned evaluation, in its own function: it reads the population's index itself. */
export async function evaluatePlannedSegment(deps: EvaluateDeps, plan: EvaluationPlan, segment: number) {
  const { index } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();
  const outcome = await evaluateSegment(deps, index, runOf(deps, plan, index).run, {
    segment,
    totalSegments: plan.totalSegments,
  });
  return { segment, applicants: outcome.applicants, eligible: outcome.eligible, endorsees: outcome.endorsees };
}

/** The finish of a planned evaluation, once every segment has written its part. */
export async function finishEvaluation(deps: EvaluateDeps, plan: EvaluationPlan): Promise<{ csvKey: string }> {
  const { index } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();
  await finishWith(deps, plan, index);
  return { csvKey: ELIGIBILITY_KEY };
}

/** Evaluates everyone in this function: the plan, its one segment and the finish, reading the index once. */
export async function evaluateAll(deps: EvaluateDeps, asOf: string): Promise<EvaluateSummary> {
  const plan = await planEvaluation(deps, asOf, EVERYONE.totalSegments);
  const { index, stats: indexStats } = await dynamoTableStore(deps.ddb, deps.tableName).populationIndex();
  const t1 = performance.now();
  const segment = await evaluateSegment(deps, index, runOf(deps, plan, index).run, EVERYONE);
  await finishWith(deps, plan, index);
  const passSeconds = (performance.now() - t1) / 1000;
  return {
    asOf,
    rulesetId: plan.rulesetId,
    applicants: segment.applicants,
    eligible: segment.eligible,
    endorsees: segment.endorsees,
    csvKey: ELIGIBILITY_KEY,
    // Reading people, judging and writing run side by side: `write` is the pass's time besides judging.
    seconds: { read: indexStats.seconds, evaluate: segment.judgeSeconds, write: passSeconds - segment.judgeSeconds },
    scan: {
      items: indexStats.items + segment.read.items,
      requests: indexStats.requests + segment.read.requests,
      seconds: indexStats.seconds,
    },
  };
}
