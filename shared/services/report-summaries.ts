/**
 * The reports' inputs without the raw rows: the evaluation and the renewal job each leave one
 * summary per judged person (shared/adapters/dynamo/summaries.ts), and a report as of their date
 * reads those, a page at a time. People who share every reported field share one record, so the
 * job holds one record per distinct combination of groups and outcome, not one per person.
 */
import { randomUUID } from 'node:crypto';
import type { IngestedFile } from '../adapters/dynamo/population.js';
import type {
  ApplicantSummary,
  EndorseeSummary,
  ReportedSummary,
  SummaryKind,
  SummaryOf,
  SummaryRun,
} from '../adapters/dynamo/summaries.js';
import {
  packRenewalFacts,
  type RenewalFacts,
  summaryCodec,
  type WrittenEndorseeSummary,
} from '../adapters/dynamo/summaries.js';
import type { TableStore } from '../adapters/dynamo/table-store.js';
import type { Evaluation } from '../core/eligibility/index.js';
import type { Applicant, Endorsee, RscSession, TrainingRecord } from '../core/model.js';
import type { RenewalResult } from '../core/renewal/renewal.js';
import type { ComplianceEndorsee } from '../core/reports/compliance.js';
import { isEndorsedStatus } from '../core/reports/compliance.js';
import type { ReportPerson } from '../core/reports/workforce.js';

/** An input as the policymakers' manifest names it: its kind and checksum only. */
export interface ManifestInput {
  kind: string;
  sha256: string | null;
}

/** The ingested files as the manifest names them: kind and checksum, sorted. */
export function inputsOf(files: readonly { kind: string; sha256?: string | null }[]): ManifestInput[] {
  const order = (a: ManifestInput) => `${a.kind}\u0000${a.sha256 ?? ''}`;
  return files
    .map((f) => ({ kind: f.kind, sha256: f.sha256 ?? null }))
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** A run's inputs: each file's kind and checksum, and its upload key (never published). */
export function runInputsOf(files: readonly IngestedFile[]): SummaryRun['inputs'] {
  return files.map((f) => ({ key: f.key, kind: f.kind, sha256: f.sha256 ?? null }));
}

/** The fields the reports group a person by, and nothing else (no id, name or email). */
export function reportPersonOf(
  person: Pick<ReportPerson, 'category' | 'county' | 'primaryLanguage' | 'sector'> & { raceEthnicity?: string[] },
  population: ReportPerson['population'],
): ReportPerson {
  return {
    population,
    category: person.category,
    county: person.county,
    raceEthnicity: person.raceEthnicity ?? [],
    primaryLanguage: person.primaryLanguage,
    sector: person.sector,
  };
}

/**
 * What the reports count, gathered one judged person at a time. Equal records are one object
 * (`lines` counts each record's JSON text, which the release's noise key is drawn from).
 */
export class ReportTally {
  readonly people: ReportPerson[] = [];
  readonly endorsees: ComplianceEndorsee[] = [];
  /** Each distinct record's JSON text and how many people it stands for. */
  readonly lines = new Map<string, number>();
  private readonly shared = new Map<string, ReportPerson | ComplianceEndorsee>();

  private intern<T extends ReportPerson | ComplianceEndorsee>(record: T): T {
    const line = JSON.stringify(record);
    this.lines.set(line, (this.lines.get(line) ?? 0) + 1);
    const known = this.shared.get(line);
    if (known) return known as T;
    this.shared.set(line, record);
    return record;
  }

  applicant(groups: Parameters<typeof reportPersonOf>[0], education: string | undefined, eligible: boolean): void {
    this.people.push(this.intern({ ...reportPersonOf(groups, 'applicants'), education, eligible }));
  }

  endorsee(groups: Parameters<typeof reportPersonOf>[0], status: ComplianceEndorsee['status']): void {
    this.endorsees.push(this.intern({ category: groups.category, county: groups.county, status }));
    if (isEndorsedStatus(status)) this.people.push(this.intern(reportPersonOf(groups, 'endorsed')));
  }
}

// --- written by the jobs -----------------------------------------------------------------------------

export function applicantSummary(person: Applicant, result: Evaluation): ApplicantSummary {
  return {
    category: person.category,
    county: person.county,
    raceEthnicity: person.raceEthnicity ?? [],
    primaryLanguage: person.primaryLanguage,
    sector: person.sector,
    education: person.education,
    eligible: result.eligible,
    gaps: result.gaps.map((g) => g.id),
  };
}

/**
 * An endorsee's summary: what the reports count, and the facts they were judged from (their profile,
 * merged trainings and RSC sessions), so the renewal job can judge them again without the rows.
 */
export function endorseeSummary(facts: RenewalFacts, result: RenewalResult): WrittenEndorseeSummary {
  const person = facts.endorsee;
  return {
    category: person.category,
    county: person.county,
    raceEthnicity: person.raceEthnicity ?? [],
    primaryLanguage: person.primaryLanguage,
    sector: person.sector,
    status: result.status,
    pid: person.personId,
    renewal: packRenewalFacts({ endorsee: person, trainings: facts.trainings, rscSessions: facts.rscSessions }),
  };
}

/**
 * A batch's endorsee summaries: each judged endorsee's, and a `gone` mark (with the id) for each one
 * on file but not judged on the date (endorsed after it), so that the renewal job judging from
 * summaries removes their stored status as the job judging from the rows does.
 */
export function endorseeSummaries(
  onFile: Iterable<string>,
  judged: readonly {
    person: Endorsee;
    trainings: TrainingRecord[];
    rscSessions: RscSession[];
    result: RenewalResult;
  }[],
): { personId: string; summary: WrittenEndorseeSummary | undefined }[] {
  const out: { personId: string; summary: WrittenEndorseeSummary | undefined }[] = judged.map(
    ({ person, trainings, rscSessions, result }) => ({
      personId: person.personId,
      summary: endorseeSummary({ endorsee: person, trainings, rscSessions }, result),
    }),
  );
  const seen = new Set(judged.map((j) => j.person.personId));
  for (const id of onFile) if (!seen.has(id)) out.push({ personId: id, summary: undefined });
  return out;
}

/** A job's run of summaries, written batch by batch as it judges people. */
export interface SummaryRunWriter<K extends SummaryKind> {
  /** Writes the summaries of some of the people judged (undefined: on file, not judged on the date). */
  add(summaries: Iterable<{ personId: string; summary: SummaryOf[K] | undefined }>): Promise<void>;
  /** Records the run once every summary is written (the reports read only recorded runs' summaries). */
  finish(): Promise<void>;
}

/** A new run's id: its date and facts' generation, and a random part so that two runs never share one. */
export const summaryRunId = (asOf: string, generation: number) => `${asOf}#${generation}#${randomUUID()}`;

/**
 * Starts a job's run of summaries: as of `asOf` under `rulesetId`, judged from the facts of
 * `generation` (read before the facts were) and the uploads `files`.
 */
export function startSummaryRun<K extends SummaryKind>(
  table: TableStore,
  kind: K,
  run: {
    asOf: string;
    rulesetId: string;
    generation: number;
    files: readonly IngestedFile[];
    /** The run's id, when several functions write one run's summaries (summaryRunId); a new one otherwise. */
    id?: string;
  },
): SummaryRunWriter<K> {
  const record = {
    run: run.id ?? summaryRunId(run.asOf, run.generation),
    asOf: run.asOf,
    rulesetId: run.rulesetId,
    generation: run.generation,
    inputs: runInputsOf(run.files),
  };
  return {
    async add(summaries) {
      await table.putSummaries(kind, record, summaries);
    },
    finish: () => table.finishSummaries(kind, record),
  };
}

// --- read by the reports ------------------------------------------------------------------------------

/**
 * True when both jobs' summaries describe the table's facts as of `asOf` under `rulesetId`: each
 * kind's run is of that date and ruleset, no change is pending (its people not yet summarised),
 * and every change since the runs started was summarised by the evaluation it reached (none marked
 * the summaries invalid since).
 */
export async function summariesCurrent(
  table: TableStore,
  asOf: string,
  rulesetId: string,
): Promise<{ applicants: SummaryRun; endorsees: SummaryRun } | undefined> {
  const [applicants, endorsees, state, pending] = await Promise.all([
    table.summaryRun('applicant'),
    table.summaryRun('endorsee'),
    table.factsState(),
    table.anyPending(),
  ]);
  const current = (r: SummaryRun | undefined): r is SummaryRun =>
    r !== undefined && r.asOf === asOf && r.rulesetId === rulesetId && r.generation >= state.invalidAt;
  if (pending || !current(applicants) || !current(endorsees)) return undefined;
  return { applicants, endorsees };
}

/**
 * The reports' tally from the summaries, when they describe the facts the table holds now as of
 * `asOf` under `rulesetId` (summariesCurrent); undefined otherwise (the reports then judge from the rows).
 */
export async function tallyFromSummaries(
  table: TableStore,
  asOf: string,
  rulesetId: string,
): Promise<{ tally: ReportTally; inputs: ManifestInput[]; items: number; requests: number } | undefined> {
  const runs = await summariesCurrent(table, asOf, rulesetId);
  if (!runs) return undefined;
  const { applicants, endorsees } = runs;

  const tally = new ReportTally();
  let items = 0;
  let requests = 0;
  // The shards' pages arrive in any order: the reports count, so the order people come in is no matter.
  for await (const page of table.summaries([applicants.run, endorsees.run])) {
    requests++;
    for (const item of page) {
      items++;
      if (summaryCodec.isGone(item)) continue;
      const { kind, summary } = summaryCodec.decode(item);
      if (kind === 'applicant') {
        const a = summary as Exclude<ReportedSummary, EndorseeSummary>;
        tally.applicant(a, a.education, a.eligible);
      } else {
        tally.endorsee(summary, (summary as EndorseeSummary).status as ComplianceEndorsee['status']);
      }
    }
  }
  // Kind and checksum only, sorted as inputsOf sorts them: the upload keys stay in the table.
  const inputs = inputsOf(applicants.inputs);
  return { tally, inputs, items, requests };
}
