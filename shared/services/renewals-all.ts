/**
 * The daily renewal job: every endorsee's status on a date, stored in the table, exported to
 * `admin/renewals.csv`, with an outreach list (`admin/outreach.csv`) for those at risk.
 */
import type { Clients } from '../adapters/clients.js';
import type { Population, ScanStats } from '../adapters/dynamo/population.js';
import { dynamoTableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX } from '../adapters/table-design.js';
import { isUpcoming, trainingWhen } from '../core/calendar.js';
import { csvRecords, toCsv } from '../core/csv/write.js';
import type { TrainingSummary } from '../core/model.js';
import { outreach } from '../core/renewal/outreach.js';
import type { RenewalResult, RenewalStatus } from '../core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '../core/rules/registry.js';
import { judgeEndorsees } from './judge.js';
import { endorseeSummary, storeSummaries } from './report-summaries.js';

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

/** Each status as stored, with what is missing, made one at a time as the writer takes them. */
function* storedRenewals(rows: { result: RenewalResult; missing: string }[]) {
  for (const { result, missing } of rows) yield { ...result, missing };
}

/** Judges every endorsee on `asOf`, stores each status and writes the administrators' CSVs. */
export async function renewalsAll(deps: RenewalDeps, asOf: string, population?: Population): Promise<RenewalSummary> {
  const ruleset = rulesetFor(asOf, deps.association);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  let scan: ScanStats = { items: 0, requests: 0, seconds: 0 };
  // The facts' generation before they are read: the summaries below are good while it holds.
  const generation = population ? undefined : await table.watchFactsGeneration();
  if (!population) ({ population, stats: scan } = await table.loadPopulation());

  const t0 = performance.now();
  const byStatus: Record<RenewalStatus, number> = { exempt: 0, lapsed: 0, compliant: 0, at_risk: 0, in_progress: 0 };
  const rows = [];
  const outreachRows = [];
  const trainings = [...population.trainings.values()];
  for (const { person, trainings: own, result } of judgeEndorsees(
    population,
    asOf,
    ruleset,
    rulesetsInForce(ruleset.association),
  )) {
    byStatus[result.status]++;
    const needsHelp = result.status === 'at_risk' || result.status === 'in_progress' || result.status === 'lapsed';
    const o = needsHelp
      ? outreach(
          result,
          trainings,
          3,
          own.map((t) => t.trainingId),
        )
      : undefined;
    rows.push({ person, result, missing: o?.missing ?? '' });
    if (result.status === 'at_risk' && o) {
      outreachRows.push({
        person_id: person.personId,
        first_name: person.firstName,
        last_name: person.lastName,
        email: person.email,
        category: person.category,
        due_date: result.dueDate,
        missing: o.missing,
        suggested_trainings: o.suggestions.map((t) => outreachTraining(t, asOf)).join('; '),
        // The best suggestion still ahead, alone, for a letter or mail merge.
        ...upcomingColumns(o.suggestions.find((t) => isUpcoming(t, asOf))),
      });
    }
  }
  const judgeSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  await table.writeResults('renewal', storedRenewals(rows), population.endorsees.keys());
  // Each endorsee's summary, which the reports read as of this date instead of the rows (report-summaries.ts).
  if (generation !== undefined) {
    await storeSummaries(
      table,
      'endorsee',
      { asOf, rulesetId: ruleset.id, generation, population },
      rows
        .values()
        .map(({ person, result }) => ({ personId: person.personId, summary: endorseeSummary(person, result) })),
    );
  }
  // Records are made as the upload reads them: the export is never held whole.
  const records = csvRecords(
    RENEWALS_COLUMNS,
    rows.values().map(({ person, result: r, missing }) => ({
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
    })),
  );
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  await admin.putCsvStream(RENEWALS_KEY, records);
  await admin.putCsv(OUTREACH_KEY, toCsv(OUTREACH_COLUMNS, outreachRows));
  return {
    asOf,
    rulesetId: ruleset.id,
    endorsees: rows.length,
    byStatus,
    keys: [RENEWALS_KEY, OUTREACH_KEY],
    seconds: { read: scan.seconds, judge: judgeSeconds, write: (performance.now() - t1) / 1000 },
    scan,
  };
}
