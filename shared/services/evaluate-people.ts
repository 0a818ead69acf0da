/**
 * Evaluates a few people after a change reached them (docs/architecture.md, "Incremental
 * evaluation"): each read from their own partition by key, judged by the same core as the full
 * pass, their evaluations stored, their summaries brought up to date (as applicant and as
 * endorsee, so the reports need not read the rows: "Summaries"), and their rows of
 * admin/eligibility.csv replaced in the export as it stands in S3, without reading the rest of the
 * table. Suggestions come from the table the last full pass stored. Without that table, with
 * another ruleset in force than the one it was made under, or without an export to change,
 * everyone is evaluated (evaluateAll) instead.
 */
import type { ReadCount } from '../adapters/dynamo/incremental.js';
import { changedFacts, type Descriptions, readPersonFacts } from '../adapters/dynamo/person-facts.js';
import { type IngestedFile, ingestedFile } from '../adapters/dynamo/population.js';
import type { SummaryKind, SummaryOf } from '../adapters/dynamo/summaries.js';
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { ELIGIBILITY_KEY } from '../adapters/table-design.js';
import { loadCatalog } from '../core/catalog/catalog.js';
import { replaceRows } from '../core/csv/replace-rows.js';
import { csvRecords } from '../core/csv/write.js';
import { evaluateApplicant, mergeTrainings } from '../core/eligibility/index.js';
import { renewalStatus } from '../core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '../core/rules/registry.js';
import {
  ADMIN_MANIFEST_KEY,
  ELIGIBILITY_COLUMNS,
  type EvaluateDeps,
  type EvaluateSummary,
  eligibilityRow,
  evaluateAll,
  manifestOf,
  suggester,
  withExportLease,
} from './evaluate-all.js';
import { appliedBy, endorsedBy } from './judge.js';
import { applicantSummary, endorseeSummary, runInputsOf } from './report-summaries.js';

export interface EvaluatePeopleSummary {
  asOf: string;
  rulesetId: string;
  /** The people asked about. */
  people: number;
  /** Of them, the applicants evaluated (the others' evaluations and rows are removed). */
  applicants: number;
  /** Of them, the endorsees whose renewal status was judged again for their summaries. */
  endorsees: number;
  eligible: number;
  csvKey: string;
  /** Items the reads returned (DynamoDB's ScannedCount): the cost follows the change. */
  itemsRead: number;
  seconds: number;
}

/** People read at once. */
const CONCURRENCY = 16;

/** Summaries written at once (one conditional write each). */
const SUMMARY_WRITES = 16;

/**
 * Brings the summaries of the people judged up to date in the name of the runs the reports read
 * (report-summaries.ts): each kind's summary of each person asked about, or a mark that they are
 * gone where they had one. Where a kind's run is of another date or ruleset, its summaries cannot
 * take this judgement: they are marked as no longer describing the facts instead.
 */
async function keepSummaries(
  table: TableStore,
  asOf: string,
  rulesetId: string,
  judgedAt: number,
  ids: readonly string[],
  judged: { [K in SummaryKind]: Map<string, SummaryOf[K]> },
): Promise<void> {
  for (const kind of ['applicant', 'endorsee'] as const) {
    const run = await table.summaryRun(kind);
    if (!run) continue; // no run yet: nothing the reports read
    if (run.asOf !== asOf || run.rulesetId !== rulesetId) {
      await table.invalidateSummaries();
      continue;
    }
    const of = judged[kind] as Map<string, SummaryOf[typeof kind]>;
    for (let i = 0; i < ids.length; i += SUMMARY_WRITES) {
      await Promise.all(
        ids.slice(i, i + SUMMARY_WRITES).map((id) => table.keepSummary(kind, id, run.run, of.get(id), judgedAt)),
      );
    }
  }
}

/**
 * Evaluates `personIds` as of `asOf`; falls back to evaluating everyone where it cannot (see above).
 * `sources` are the upload keys whose change reached them: their entries of the administrators'
 * manifest are brought up to date from their source records (one read each).
 */
export async function evaluatePeople(
  deps: EvaluateDeps,
  asOf: string,
  personIds: readonly string[],
  sources: readonly string[] = [],
  /** The changes or refresh messages this evaluation summarises (STATE#pending), cleared once it has. */
  pending: readonly string[] = [],
): Promise<EvaluatePeopleSummary | EvaluateSummary> {
  const started = performance.now();
  const ruleset = rulesetFor(asOf, deps.association);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  const count: ReadCount = { items: 0 };
  const stored = await table.suggestions(count);
  // A new ruleset in force re-judges everyone; so does a first evaluation (no suggestion table yet).
  if (!stored || stored.rulesetId !== ruleset.id) return evaluateEveryone(deps, asOf, pending);
  // The facts' generation before any fact is read: each summary written says how fresh it is.
  const { generation, cacheEpoch } = await table.factsState();
  const suggest = suggester(stored.byCompetency, asOf);
  const catalog = loadCatalog();

  // The uploads whose change reached them: what they can have altered is all that is read of a
  // person whose fact cache holds the rest (applicant-facts.ts).
  const records = [];
  for (const key of new Set(sources)) {
    records.push(await table.sources.get(key));
    count.items += 1;
  }
  const changed = changedFacts(records);
  const ids = [...new Set(personIds)].sort();
  const descriptions: Descriptions = new Map();
  const judged: { id: string; row: string; result: Record<string, unknown> & { personId: string } }[] = [];
  const summaries = { applicant: new Map(), endorsee: new Map() } as { [K in SummaryKind]: Map<string, SummaryOf[K]> };
  const rulesetOn = rulesetsInForce(ruleset.association);
  let eligible = 0;
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const batch = ids.slice(i, i + CONCURRENCY);
    const facts = await Promise.all(
      batch.map((id) => readPersonFacts(deps.ddb, deps.tableName, id, descriptions, count, changed, cacheEpoch)),
    );
    for (const [j, f] of facts.entries()) {
      const id = batch[j] as string;
      if (f?.endorsee && endorsedBy(f.endorsee, asOf)) {
        const facts = {
          endorsee: f.endorsee,
          trainings: mergeTrainings([...f.attendance, ...(await f.emailAttendance(f.endorsee.email))]),
          rscSessions: f.rsc,
        };
        const status = renewalStatus({ ...facts, asOf, ruleset, rulesetOn });
        // With the facts judged, which the renewal job judges again from the summary (renewals-from-summaries.ts).
        summaries.endorsee.set(id, endorseeSummary(facts, status));
      }
      if (!f?.applicant || !appliedBy(f.applicant, asOf)) continue;
      const result = evaluateApplicant({
        applicant: f.applicant,
        trainings: mergeTrainings([...f.attendance, ...(await f.emailAttendance(f.applicant.email))]),
        rscSessions: f.rsc,
        asOf,
        ruleset,
        catalog,
      });
      const suggestions = suggest(result.missingCodes);
      if (result.eligible) eligible++;
      summaries.applicant.set(id, applicantSummary(f.applicant, result));
      const [, record] = csvRecords(ELIGIBILITY_COLUMNS, [eligibilityRow(f.applicant, result, suggestions)]);
      judged.push({ id, row: record as string, result: { ...result, suggestions } });
    }
  }
  // Their evaluations; anyone asked about who is no (longer an) applicant loses theirs.
  await table.writeResults(
    'evaluation',
    judged.map((j) => j.result),
    ids,
  );
  // Their summaries as judged now (a withdrawn applicant's marked gone); then the reports may read
  // summaries again, unless another change is still pending.
  await keepSummaries(table, asOf, ruleset.id, generation, ids, summaries);
  // The trainings kept for the renewal job hold attendance counts, which a roster changes and a
  // profile can too (whom an email's rows count as): only an RSC log leaves them as they are. Set
  // aside before the change is let go, so the renewal job sees one or the other and reads the rows.
  const onlyRsc = changed !== undefined && !changed.profile && !changed.endorsement && changed.rosters.length === 0;
  if (!onlyRsc) await table.forgetTrainings();
  for (const key of pending) await table.clearPending(key);
  const stillCurrent: IngestedFile[] = records.flatMap((r) =>
    r?.status === 'current' && r.sourceId ? [ingestedFile(r)] : [],
  );
  const written = await withExportLease(table, async () => {
    const current = await admin.readText(ELIGIBILITY_KEY);
    const manifest = await admin.readText(ADMIN_MANIFEST_KEY);
    if (current === undefined || manifest === undefined) return false;
    const earlier = JSON.parse(manifest) as ReturnType<typeof manifestOf>;
    const gone = new Set(sources);
    const kept = earlier.inputs
      .filter((f) => !gone.has(f.name))
      .map((f) => ({
        ...f,
        key: f.name,
        versionId: f.version ?? undefined,
        sha256: f.sha256 ?? undefined,
        ingestedAt: f.ingestedAt ?? undefined,
      }));
    await admin.putJson(ADMIN_MANIFEST_KEY, manifestOf(asOf, ruleset.id, [...kept, ...stillCurrent]));
    // The summaries' runs name the same uploads (the reports' manifest counts them), under the same lease.
    await keepRunInputs(table, gone, stillCurrent);
    const [header] = csvRecords(ELIGIBILITY_COLUMNS, []);
    const rows = judged.map((j) => ({ key: j.id, record: j.row }));
    await admin.putCsvStream(ELIGIBILITY_KEY, replaceRows(current, header as string, new Set(ids), rows));
    return true;
  });
  // No export yet to change: the first one is everyone's.
  if (!written) return evaluateEveryone(deps, asOf, []);
  return {
    asOf,
    rulesetId: ruleset.id,
    people: ids.length,
    applicants: judged.length,
    endorsees: summaries.endorsee.size,
    eligible,
    csvKey: ELIGIBILITY_KEY,
    itemsRead: count.items,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Each summaries' run's inputs with the changed uploads' entries replaced by their current versions. */
async function keepRunInputs(table: TableStore, changed: ReadonlySet<string>, current: readonly IngestedFile[]) {
  for (const kind of ['applicant', 'endorsee'] as const) {
    const run = await table.summaryRun(kind);
    if (!run) continue;
    const inputs = [...run.inputs.filter((i) => i.key === undefined || !changed.has(i.key)), ...runInputsOf(current)];
    // Another run recorded since names the uploads as it found them.
    await table.putSummaryRunInputs(kind, run, inputs);
  }
}

/**
 * Everyone evaluated instead of the people asked about: the summaries so far are marked as no longer
 * describing the facts before the pending changes are let go (the evaluation of everyone writes both
 * kinds again, from facts read after the mark), and the fact caches start a new epoch.
 */
export async function evaluateEveryone(
  deps: EvaluateDeps,
  asOf: string,
  pending: readonly string[],
): Promise<EvaluateSummary> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  await table.invalidateSummaries();
  // A change that reached everyone may alter any training's credit: no fact cache is trusted until read again.
  await table.newCacheEpoch();
  const summary = await evaluateAll(deps, asOf);
  for (const key of pending) await table.clearPending(key);
  return summary;
}
