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
import { type CsvValue, toCsv } from '../core/csv/write.js';
import type { Endorsee, TrainingSummary } from '../core/model.js';
import { outreach } from '../core/renewal/outreach.js';
import type { RenewalResult, RenewalStatus } from '../core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '../core/rules/registry.js';
import type { Ruleset } from '../core/rules/ruleset.js';
import { csvBody, csvHeader, EVERYONE, idsOfSegment, PEOPLE_PER_BATCH, type Segment } from './full-pass.js';
import { judgeEndorsees } from './judge.js';
import { endorseeSummary, type SummaryRunWriter, startSummaryRun } from './report-summaries.js';

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
type RenewalColumn = (typeof RENEWALS_COLUMNS)[number];

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
type OutreachColumn = (typeof OUTREACH_COLUMNS)[number];

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

/** Each status as stored, made one at a time as the writer takes them. */
function* storedRenewals(rows: { result: RenewalResult; missing: string }[]) {
  for (const { result, missing } of rows) yield { ...result, missing };
}

/** One endorsee's row of admin/renewals.csv. */
function renewalRow(person: Endorsee, r: RenewalResult, missing: string): Record<RenewalColumn, CsvValue> {
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
  /** The segment's rows of admin/outreach.csv (those at risk: a few, kept until the end). */
  outreach: Record<OutreachColumn, CsvValue>[];
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
): AsyncGenerator<string> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const ids = idsOfSegment(index.endorseeIds, segment);
  const inForce = rulesetsInForce(run.ruleset.association);
  for await (const batch of table.people(index, ids, 'endorsee', outcome.read, PEOPLE_PER_BATCH)) {
    const t0 = performance.now();
    const rows = [];
    for (const { person, trainings: own, result } of judgeEndorsees(batch, run.asOf, run.ruleset, inForce)) {
      outcome.byStatus[result.status]++;
      const needsHelp = result.status === 'at_risk' || result.status === 'in_progress' || result.status === 'lapsed';
      const o = needsHelp
        ? outreach(
            result,
            run.trainings,
            3,
            own.map((t) => t.trainingId),
          )
        : undefined;
      rows.push({ person, result, missing: o?.missing ?? '' });
      if (result.status === 'at_risk' && o) {
        outcome.outreach.push({
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
        });
      }
    }
    outcome.endorsees += rows.length;
    outcome.judgeSeconds += (performance.now() - t0) / 1000;
    // An endorsee not judged on this date (endorsed after it) keeps no status.
    await table.writeResults('renewal', storedRenewals(rows), batch.endorsees.keys());
    // Each endorsee's summary, which the reports read as of this date instead of the rows (report-summaries.ts).
    await run.summaries.add(
      rows.map(({ person, result }) => ({ personId: person.personId, summary: endorseeSummary(person, result) })),
    );
    yield* csvBody(
      RENEWALS_COLUMNS,
      rows.map(({ person, result, missing }) => renewalRow(person, result, missing)),
    );
  }
}

/**
 * Judges every endorsee on `asOf`, stores each status and writes the administrators' CSVs: the
 * index (one parallel Scan), then the endorsees a batch at a time (renewalSegment), their rows
 * streamed to admin/renewals.csv as they are judged.
 */
export async function renewalsAll(deps: RenewalDeps, asOf: string): Promise<RenewalSummary> {
  const ruleset = rulesetFor(asOf, deps.association);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  // The facts' generation before they are read: the summaries below are good while it holds.
  const generation = await table.watchFactsGeneration();
  const { index, stats: indexStats } = await table.populationIndex();

  const t1 = performance.now();
  const summaries = startSummaryRun(table, 'endorsee', { asOf, rulesetId: ruleset.id, generation, files: index.files });
  const run: RenewalRun = { asOf, ruleset, trainings: [...index.trainings.values()], summaries };
  const outcome: RenewalSegmentOutcome = {
    endorsees: 0,
    byStatus: { exempt: 0, lapsed: 0, compliant: 0, at_risk: 0, in_progress: 0 },
    outreach: [],
    read: { items: 0, requests: 0, seconds: 0 },
    judgeSeconds: 0,
  };
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  // Nothing but this job writes renewals.csv (no lease to hold), so a pass over everyone streams it in place.
  async function* records() {
    yield csvHeader(RENEWALS_COLUMNS);
    yield* renewalSegment(deps, index, run, EVERYONE, outcome);
  }
  await admin.putCsvStream(RENEWALS_KEY, records());
  await summaries.finish();
  await admin.putCsv(OUTREACH_KEY, toCsv(OUTREACH_COLUMNS, outcome.outreach));
  const passSeconds = (performance.now() - t1) / 1000;
  return {
    asOf,
    rulesetId: ruleset.id,
    endorsees: outcome.endorsees,
    byStatus: outcome.byStatus,
    keys: [RENEWALS_KEY, OUTREACH_KEY],
    // Reading people, judging and writing run side by side: `write` is the pass's time besides judging.
    seconds: { read: indexStats.seconds, judge: outcome.judgeSeconds, write: passSeconds - outcome.judgeSeconds },
    scan: {
      items: indexStats.items + outcome.read.items,
      requests: indexStats.requests + outcome.read.requests,
      seconds: indexStats.seconds,
    },
  };
}
