/**
 * Publishes the policymaker reports on a date: judges everyone, builds the suppressed reports and
 * writes them to the reports bucket under `reports/<asOf>/` and again under `latest/`, unless
 * `latest/` already holds a later as-of date (it always holds the most recent date published).
 */
import { createHash } from 'node:crypto';
import packageJson from '#package.json' with { type: 'json' };
import type { Clients } from '../adapters/clients.js';
import type { Population, ScanStats } from '../adapters/dynamo/population.js';
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import { s3ObjectStore } from '../adapters/s3/object-store.js';
import { LATEST_PREFIX, RUNS_PREFIX } from '../adapters/table-design.js';
import { loadCatalog } from '../core/catalog/catalog.js';
import { buildReports, disparityCsv, type ReportSummary, workforceCsv } from '../core/reports/build.js';
import { warmUpCharts } from '../core/reports/charts.js';
import { complianceCsv, complianceRows } from '../core/reports/compliance.js';
import { dictionaryCsv } from '../core/reports/dictionary.js';
import { type ReportDocument, reportHtml } from '../core/reports/html.js';
import { noisyCounts, releaseInputsDigestOfLines } from '../core/reports/noise.js';
import { REPORT_PDF, type ReportPdfRenderer } from '../core/reports/pdf.js';
import { defaultPublishingRule, type PublishingRule } from '../core/reports/rule.js';
import { buildTrend, releasePoint, type TrendPoint } from '../core/reports/trend.js';
import { rulesetFor, rulesetsInForce } from '../core/rules/registry.js';
import { PEOPLE_PER_BATCH } from './full-pass.js';
import { judgeApplicants, judgeEndorsees } from './judge.js';
import { publishSiteIndex } from './publish-site-index.js';
import { earlierReleases, type HistoryLog } from './release-history.js';
import { inputsOf, type ManifestInput, ReportTally, reportPersonOf, tallyFromSummaries } from './report-summaries.js';

// Declared with the bucket layout (table-design.ts); the handlers and the local runner still import them from here.
export { LATEST_PREFIX, RUNS_PREFIX };

/**
 * The files every run writes, in the order they are written (the manifest last, so its presence
 * means the run is whole). report.pdf (REPORT_PDF) joins them, just before the manifest, when the
 * run is given a PDF renderer.
 */
export const REPORT_FILES = [
  'workforce.csv',
  'disparity.csv',
  'compliance.csv',
  'dictionary.csv',
  'report.json',
  'report.html',
  'manifest.json',
] as const;
export type ReportFile = (typeof REPORT_FILES)[number];
export { REPORT_PDF };

const CONTENT_TYPES: Record<ReportFile | typeof REPORT_PDF, string> = {
  'workforce.csv': 'text/csv; charset=utf-8',
  'disparity.csv': 'text/csv; charset=utf-8',
  'compliance.csv': 'text/csv; charset=utf-8',
  'dictionary.csv': 'text/csv; charset=utf-8',
  'report.json': 'application/json; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
  'report.pdf': 'application/pdf',
  'manifest.json': 'application/json; charset=utf-8',
};

export interface PublishDeps extends Clients {
  tableName: string;
  reportsBucket: string;
  association?: string;
  /** Where a skipped earlier release is reported (the trend leaves it out). */
  log?: HistoryLog;
  /** Prints report.html to report.pdf; without it the run writes no PDF (and the manifest lists none). */
  pdf?: ReportPdfRenderer;
  /**
   * The keyed hash the release noise is drawn with (noise.ts): KMS GenerateMac in AWS, the state
   * folder's secret locally. Without it (tests) the key is an unkeyed digest of the inputs, which a
   * reader who knew every input could recompute.
   */
  releaseKeyedHash?: KeyedHash;
}

/** An HMAC (hex) of a message under a key the caller never sees. */
export type KeyedHash = (message: string) => Promise<string>;

export interface PublishOptions {
  /** The population, when the caller has read it already (the local runner, the benchmark). */
  population?: Population;
  /** When the run happens; defaults to now. */
  now?: Date;
  /** The publishing rule; defaults to config/publishing/default.json. */
  rule?: PublishingRule;
}

// The manifest's inputs: kind and checksum only. No file name (a name can carry a person's), no
// version, no row counts (counts of people, often 1 to 10). The administrators' manifest
// (`admin/manifest.json`) names each upload with its version.
export type { ManifestInput };
export { reportPersonOf };

export interface Manifest {
  generatedAt: string;
  asOf: string;
  inputs: ManifestInput[];
  ruleset: ReportDocument['ruleset'];
  suppression: ReportDocument['rule'] & Pick<PublishingRule, 'referenceGroup' | 'reliability'>;
  software: { name: string; version: string };
  /** The other files of the run with their checksums. */
  files: { name: string; bytes: number; sha256: string }[];
}

export interface PublishSummary {
  asOf: string;
  prefix: string;
  latestPrefix: string;
  /**
   * Whether this run was copied to latest/: false when latest/ already held a later as-of date
   * (`latestAsOf`), which it then keeps; a rerun on the same date replaces it.
   */
  latestUpdated: boolean;
  /** The as-of date latest/ holds after this run. */
  latestAsOf: string;
  /** Every key written, dated copy first. */
  keys: string[];
  summary: ReportSummary;
  /** Counts that went into the reports (never published: they may be small). */
  people: { applicants: number; endorsees: number; lapsed: number };
  /** Reading the table, building the files, printing the PDF (0 without a renderer; part of build too), writing. */
  seconds: { read: number; build: number; pdf: number; write: number };
  scan: ScanStats;
  /** What was read: the jobs' summaries as of this date, or (when there were none current) every row. */
  read: 'summaries' | 'rows';
}

const sha256 = (body: string | Uint8Array): string => createHash('sha256').update(body).digest('hex');
const bytes = (body: string | Uint8Array): number => (typeof body === 'string' ? Buffer.byteLength(body) : body.length);

/** A run's files: every REPORT_FILES entry's text, and the PDF's bytes when one was printed. */
export type ReportFiles = Record<ReportFile, string> & { [REPORT_PDF]?: Uint8Array };

/** The names of a run's files in the order they are written: the PDF, when there is one, just before the manifest. */
export function writtenFiles(files: ReportFiles): (ReportFile | typeof REPORT_PDF)[] {
  const names: (ReportFile | typeof REPORT_PDF)[] = REPORT_FILES.filter((f) => f !== 'manifest.json');
  if (files[REPORT_PDF]) names.push(REPORT_PDF);
  names.push('manifest.json');
  return names;
}

/** The inputs of a population as the policymakers' manifest names them: kind and checksum, sorted. */
export function manifestInputs(population: Population): ManifestInput[] {
  return inputsOf(population.files);
}

/**
 * The key of a release's noise: a keyed hash of everything the reports count (docs/domain.md, "Releases
 * and differencing"). The same records give the same key, so rebuilding cannot average the noise away;
 * one changed record redraws every cell.
 */
async function releaseKey(lines: ReadonlyMap<string, number>, keyedHash: KeyedHash | undefined): Promise<Uint8Array> {
  const digest = releaseInputsDigestOfLines(lines);
  const mac = keyedHash ? await keyedHash(`iecmh-release-noise\u0000${digest}`) : digest;
  return Buffer.from(mac, 'hex');
}

/** Judges everyone and gathers what the reports count, one person at a time. */
export function tallyOf(population: Population, asOf: string, association?: string): ReportTally {
  const ruleset = rulesetFor(asOf, association);
  const tally = new ReportTally();
  for (const { person, result } of judgeApplicants(population, asOf, ruleset, loadCatalog())) {
    tally.applicant(person, person.education, result.eligible);
  }
  for (const { person, result } of judgeEndorsees(population, asOf, ruleset, rulesetsInForce(ruleset.association))) {
    tally.endorsee(person, result.status);
  }
  return tally;
}

/**
 * What the reports count, judged from the rows (the summaries are not of today's facts) without
 * holding the population: the index, then the applicants and the endorsees 500 at a time, as the
 * jobs read them (population-stream.ts). The tally holds one record per distinct combination.
 */
export async function tallyFromRows(
  table: TableStore,
  asOf: string,
  association?: string,
): Promise<{ tally: ReportTally; inputs: ManifestInput[]; scan: ScanStats }> {
  const started = performance.now();
  const ruleset = rulesetFor(asOf, association);
  const { index, stats } = await table.populationIndex();
  const read: ScanStats = { items: 0, requests: 0, seconds: 0 };
  const tally = new ReportTally();
  for await (const batch of table.people(index, index.applicantIds, 'applicant', read, PEOPLE_PER_BATCH)) {
    for (const { person, result } of judgeApplicants(batch, asOf, ruleset, loadCatalog())) {
      tally.applicant(person, person.education, result.eligible);
    }
  }
  const inForce = rulesetsInForce(ruleset.association);
  for await (const batch of table.people(index, index.endorseeIds, 'endorsee', read, PEOPLE_PER_BATCH)) {
    for (const { person, result } of judgeEndorsees(batch, asOf, ruleset, inForce))
      tally.endorsee(person, result.status);
  }
  return {
    tally,
    inputs: inputsOf(index.files),
    scan: {
      items: stats.items + read.items,
      requests: stats.requests + read.requests,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/** The files made without the page: the CSV files and report.json. */
type PageFreeFile = Exclude<ReportFile, 'report.html' | 'manifest.json'>;

type BuildOptions = {
  association?: string;
  now?: Date;
  rule?: PublishingRule;
  /** The totals earlier releases published, for the trend (release-history.ts reads them). */
  earlier?: readonly TrendPoint[];
  /** Prints report.html to report.pdf; without it there is no PDF. */
  pdf?: ReportPdfRenderer;
  /** See PublishDeps.releaseKeyedHash. */
  releaseKeyedHash?: KeyedHash;
  /** Given each file made before the page (the CSV files, report.json) as soon as it is made. */
  onFile?: (name: PageFreeFile, body: string) => void;
};

/** Judges everyone and builds the report files (pure apart from the clock); no person id, name or email leaves here. */
export async function buildReportFiles(population: Population, asOf: string, options: BuildOptions = {}) {
  return buildReportFilesFrom(
    tallyOf(population, asOf, options.association),
    inputsOf(population.files),
    asOf,
    options,
  );
}

/** Builds the report files from what the reports count (the tally) and the inputs the manifest names. */
export async function buildReportFilesFrom(
  tally: ReportTally,
  inputs: ManifestInput[],
  asOf: string,
  options: BuildOptions = {},
): Promise<{
  files: ReportFiles;
  summary: ReportSummary;
  people: PublishSummary['people'];
  /** How long printing the PDF took (0 without a renderer). */
  pdfSeconds: number;
}> {
  const rule = options.rule ?? defaultPublishingRule();
  const ruleset = rulesetFor(asOf, options.association);
  // Only the fields the reports group by were copied out of each person (ReportTally).
  const { people, endorsees } = tally;
  const publisher = noisyCounts(await releaseKey(tally.lines, options.releaseKeyedHash), rule);
  const reports = buildReports(people, rule, publisher);
  const compliance = complianceRows(
    endorsees,
    rule,
    reports.workforce,
    undefined,
    publisher,
    reports.endorsedRuleWithheld,
  );
  const generatedAt = (options.now ?? new Date()).toISOString();
  const doc: ReportDocument = {
    asOf,
    generatedAt,
    ruleset: {
      id: ruleset.id,
      version: ruleset.version,
      association: ruleset.association,
      effectiveFrom: ruleset.effectiveFrom,
    },
    rule: {
      id: rule.id,
      version: rule.version,
      minPublishedCount: rule.minPublishedCount,
      z: rule.z,
      fourFifths: rule.fourFifths,
      significance: rule.significance,
      maxNoise: publisher.maxNoise,
    },
    summary: reports.summary,
    workforce: reports.workforce,
    disparity: reports.disparity,
    compliance,
  };
  // The trend repeats what earlier releases published next to this release's own published totals.
  const current = releasePoint(doc, rule.minPublishedCount) ?? { asOf };
  doc.trend = buildTrend(current, options.earlier ?? [], rule.trendReleases);
  // The files the page is not needed for first, handed on before its charts are drawn.
  const made: Record<PageFreeFile, string> = {
    'workforce.csv': workforceCsv(reports.workforce),
    'disparity.csv': disparityCsv(reports.disparity),
    'compliance.csv': complianceCsv(compliance),
    'dictionary.csv': dictionaryCsv(),
    'report.json': `${JSON.stringify(doc, null, 2)}\n`,
  };
  if (options.onFile) for (const [name, text] of Object.entries(made)) options.onFile(name as PageFreeFile, text);
  const html = await reportHtml(doc);
  const body: Omit<ReportFiles, 'manifest.json'> = { ...made, 'report.html': html };
  const t0 = performance.now();
  if (options.pdf) body[REPORT_PDF] = await options.pdf.print(html);
  const pdfSeconds = options.pdf ? (performance.now() - t0) / 1000 : 0;
  const manifest: Manifest = {
    generatedAt,
    asOf,
    inputs,
    ruleset: doc.ruleset,
    suppression: { ...doc.rule, referenceGroup: rule.referenceGroup, reliability: rule.reliability },
    software: { name: packageJson.name, version: packageJson.version },
    files: Object.entries(body).map(([name, content]) => ({ name, bytes: bytes(content), sha256: sha256(content) })),
  };
  const lapsed = endorsees.length - people.filter((p) => p.population === 'endorsed').length;
  const applicants = people.filter((p) => p.population === 'applicants').length;
  return {
    files: { ...body, 'manifest.json': `${JSON.stringify(manifest, null, 2)}\n` },
    summary: reports.summary,
    // Only those judged: applicants who applied and endorsees endorsed by the as-of date.
    people: { applicants, endorsees: endorsees.length, lapsed },
    pdfSeconds,
  };
}

/** The as-of date of the run latest/ holds (from its manifest, written last), or undefined when there is none. */
export async function publishedLatestAsOf(
  deps: Pick<PublishDeps, 's3' | 'reportsBucket'>,
): Promise<string | undefined> {
  const text = await s3ObjectStore(deps.s3, deps.reportsBucket).readText(`${LATEST_PREFIX}manifest.json`);
  if (text === undefined) return undefined;
  try {
    const asOf = (JSON.parse(text) as Partial<Manifest>).asOf;
    // A manifest without a readable date cannot hold a later run back: it is replaced.
    return typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the table (unless given a population), builds the reports and writes the dated run, then
 * latest/ unless latest/ already holds a later as-of date.
 */
export async function publishReports(
  deps: PublishDeps,
  asOf: string,
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const rule = options.rule ?? defaultPublishingRule();
  const reports = s3ObjectStore(deps.s3, deps.reportsBucket);
  // The earlier releases (the trend) are read from the bucket while the table is read: neither waits
  // for the other. earlierReleases never rejects (what it cannot read it logs and leaves out).
  const earlierRead = earlierReleases(reports, asOf, rule.trendReleases, rule.minPublishedCount, deps.log);
  const started = performance.now();
  let scan: ScanStats = { items: 0, requests: 0, seconds: 0 };
  let counted: { tally: ReportTally; inputs: ManifestInput[] } | undefined;
  let read: PublishSummary['read'] = 'rows';
  // The charts' first drawing (warmUpCharts) while the summaries or the rows are on their way: begun a
  // turn after their first reads are sent, so that no request waits behind it. It never rejects: a
  // chart that cannot be drawn fails when the report draws it.
  let warmedUp: Promise<void> | undefined;
  const warmUp = () => {
    warmedUp ??= new Promise((turn) => setTimeout(turn, 0)).then(warmUpCharts).catch(() => undefined);
  };
  const watched: TableStore = {
    ...table,
    summaries(runs) {
      const pages = table.summaries(runs);
      warmUp();
      return pages;
    },
    populationIndex() {
      const index = table.populationIndex();
      warmUp();
      return index;
    },
  };
  if (!options.population) {
    // The evaluation's and renewal job's summaries as of this date, when the facts have not changed since.
    const summarised = await tallyFromSummaries(watched, asOf, rulesetFor(asOf, deps.association).id);
    if (summarised) {
      counted = summarised;
      read = 'summaries';
      scan = { items: summarised.items, requests: summarised.requests, seconds: (performance.now() - started) / 1000 };
    }
  }
  if (!counted) {
    if (options.population) {
      counted = {
        tally: tallyOf(options.population, asOf, deps.association),
        inputs: inputsOf(options.population.files),
      };
    } else {
      const fromRows = await tallyFromRows(watched, asOf, deps.association);
      counted = fromRows;
      scan = fromRows.scan;
    }
  }

  const earlier = await earlierRead;
  // Vega numbers some elements across the process: the report's charts are drawn after the warm-up's.
  await warmedUp;

  const prefix = `${RUNS_PREFIX}${asOf}/`;
  // Reports change with every run; a cached copy must be checked again.
  const put = (key: string, name: ReportFile | typeof REPORT_PDF, body: string | Uint8Array) =>
    reports.putText(key, body, CONTENT_TYPES[name], { cacheControl: 'no-cache' });
  // The dated copy's files that come before the page go up while its charts are drawn. A put that
  // fails is reported when the copy is written (held here so that it is never left unhandled).
  const early = new Map<string, Promise<unknown>>();
  const t0 = performance.now();
  const built = await buildReportFilesFrom(counted.tally, counted.inputs, asOf, {
    association: deps.association,
    now: options.now,
    rule,
    earlier,
    pdf: deps.pdf,
    releaseKeyedHash: deps.releaseKeyedHash,
    onFile(name, body) {
      const putting = put(`${prefix}${name}`, name, body);
      putting.catch(() => undefined);
      early.set(name, putting);
    },
  });
  const buildSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const keys: string[] = [];
  // The dated copy first, then latest/, each with its manifest last: a run that fails part way never
  // leaves latest/ ahead of the dated copy, and rerunning the same date replaces both whole. latest/
  // is read while the dated copy is written, just before latest/ is, and a run as of an earlier date
  // than it holds leaves it be. Within a copy the files before the manifest go up side by side (one
  // round trip instead of one each).
  const write = async (base: string, started: ReadonlyMap<string, Promise<unknown>> = new Map()) => {
    const names = writtenFiles(built.files);
    const manifest = names.pop() as 'manifest.json';
    await Promise.all(
      names.map((name) => started.get(name) ?? put(`${base}${name}`, name, built.files[name] as string | Uint8Array)),
    );
    await put(`${base}${manifest}`, manifest, built.files[manifest]);
    keys.push(...[...names, manifest].map((name) => `${base}${name}`));
  };
  const latestRead = publishedLatestAsOf(deps);
  latestRead.catch(() => undefined);
  await write(prefix, early);
  const published = await latestRead;
  const latestUpdated = published === undefined || published <= asOf;
  if (latestUpdated) await write(LATEST_PREFIX);
  // The site's index lists the releases now in the bucket, this one included (publish-site-index.ts).
  await publishSiteIndex(reports, latestUpdated ? asOf : published);
  return {
    asOf,
    prefix,
    latestPrefix: LATEST_PREFIX,
    latestUpdated,
    latestAsOf: latestUpdated ? asOf : (published as string),
    keys,
    summary: built.summary,
    people: built.people,
    seconds: { read: scan.seconds, build: buildSeconds, pdf: built.pdfSeconds, write: (performance.now() - t1) / 1000 },
    scan,
    read,
  };
}
