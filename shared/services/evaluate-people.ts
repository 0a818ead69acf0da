/**
 * Evaluates a few people after a change reached them (docs/architecture.md, "Incremental
 * evaluation"): each read from their own partition by key, judged by the same core as the full
 * pass, their evaluations stored, and their rows of admin/eligibility.csv replaced in the export as
 * it stands in S3, without reading the rest of the table. Suggestions come from the table the last
 * full pass stored. Without that table, with another ruleset in force than the one it was made
 * under, or without an export to change, everyone is evaluated (evaluateAll) instead.
 */
import { changedFacts, type Descriptions, readApplicantFacts } from '../adapters/dynamo/applicant-facts.js';
import type { ReadCount } from '../adapters/dynamo/incremental.js';
import { type IngestedFile, ingestedFile } from '../adapters/dynamo/population.js';
import { summaryCodec } from '../adapters/dynamo/summaries.js';
import { dynamoTableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { ELIGIBILITY_KEY } from '../adapters/table-design.js';
import { loadCatalog } from '../core/catalog/catalog.js';
import { replaceRows } from '../core/csv/replace-rows.js';
import { csvRecords } from '../core/csv/write.js';
import { evaluateApplicant, mergeTrainings } from '../core/eligibility/index.js';
import { rulesetFor } from '../core/rules/registry.js';
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
import { appliedBy } from './judge.js';

export interface EvaluatePeopleSummary {
  asOf: string;
  rulesetId: string;
  /** The people asked about. */
  people: number;
  /** Of them, the applicants evaluated (the others' evaluations and rows are removed). */
  applicants: number;
  eligible: number;
  csvKey: string;
  /** Items the reads returned (DynamoDB's ScannedCount): the cost follows the change. */
  itemsRead: number;
  seconds: number;
}

/** People read at once. */
const CONCURRENCY = 16;

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
): Promise<EvaluatePeopleSummary | EvaluateSummary> {
  const started = performance.now();
  const ruleset = rulesetFor(asOf, deps.association);
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const admin = s3ObjectStore(deps.s3, deps.adminBucket);
  const count: ReadCount = { items: 0 };
  const stored = await table.suggestions(count);
  // A new ruleset in force re-judges everyone; so does a first evaluation (no suggestion table yet).
  if (!stored || stored.rulesetId !== ruleset.id) return evaluateAll(deps, asOf);
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
  let eligible = 0;
  for (let i = 0; i < ids.length; i += CONCURRENCY) {
    const batch = ids.slice(i, i + CONCURRENCY);
    const facts = await Promise.all(
      batch.map((id) => readApplicantFacts(deps.ddb, deps.tableName, id, descriptions, count, changed)),
    );
    facts.forEach((f, j) => {
      if (!f || !appliedBy(f.applicant, asOf)) return;
      const result = evaluateApplicant({
        applicant: f.applicant,
        trainings: mergeTrainings(f.attendance),
        rscSessions: f.rsc,
        asOf,
        ruleset,
        catalog,
      });
      const suggestions = suggest(result.missingCodes);
      if (result.eligible) eligible++;
      const [, record] = csvRecords(ELIGIBILITY_COLUMNS, [eligibilityRow(f.applicant, result, suggestions)]);
      judged.push({ id: batch[j] as string, row: record as string, result: { ...result, suggestions } });
    });
  }
  // Their evaluations; anyone asked about who is no (longer an) applicant loses theirs.
  await table.writeResults(
    'evaluation',
    judged.map((j) => j.result),
    ids,
  );
  // Their summaries describe facts that changed: gone until the next full pass writes them again
  // (the reports read the rows meanwhile), so a withdrawn applicant's stays nowhere.
  await table.deleteItems(ids.map((id) => summaryCodec.key('applicant', id)));
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
    const [header] = csvRecords(ELIGIBILITY_COLUMNS, []);
    const rows = judged.map((j) => ({ key: j.id, record: j.row }));
    await admin.putCsvStream(ELIGIBILITY_KEY, replaceRows(current, header as string, new Set(ids), rows));
    return true;
  });
  // No export yet to change: the first one is everyone's.
  if (!written) return evaluateAll(deps, asOf);
  return {
    asOf,
    rulesetId: ruleset.id,
    people: ids.length,
    applicants: judged.length,
    eligible,
    csvKey: ELIGIBILITY_KEY,
    itemsRead: count.items,
    seconds: (performance.now() - started) / 1000,
  };
}
