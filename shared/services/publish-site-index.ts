/**
 * Writes the reports site's index (index.html at the root of the reports bucket) from what the
 * bucket holds: latest/ and every dated release under reports/<asOf>/. It lists report files only;
 * the page itself is built by the core (shared/core/reports/site-index.ts).
 */
import type { ObjectStore } from '../adapters/s3/object-store.js';
import { LATEST_PREFIX, RUNS_PREFIX, SITE_INDEX_KEY } from '../adapters/table-design.js';
import { type SiteRelease, siteIndexHtml } from '../core/reports/site-index.js';

export { SITE_INDEX_KEY };

/** Every run writes its manifest last: a folder without one holds a run that stopped part way. */
const WHOLE_RUN_MARKER = 'manifest.json';
const DATED_FILE = new RegExp(`^${RUNS_PREFIX}(\\d{4}-\\d{2}-\\d{2})/([^/]+)$`);

/** The files directly under each dated folder, by as-of date. */
function datedReleases(keys: readonly string[]): SiteRelease[] {
  const files = new Map<string, string[]>();
  for (const key of keys) {
    const match = DATED_FILE.exec(key);
    if (!match) continue;
    const [, asOf, name] = match as unknown as [string, string, string];
    files.set(asOf, [...(files.get(asOf) ?? []), name]);
  }
  return [...files].map(([asOf, names]) => ({ asOf, folder: `${RUNS_PREFIX}${asOf}/`, files: names }));
}

/**
 * index.html for what the bucket holds now. `latestAsOf` is the date latest/ holds, which may be later
 * than the run just written when an earlier date was republished. Only whole runs are listed.
 */
export async function siteIndexOf(reports: ObjectStore, latestAsOf: string | undefined): Promise<string> {
  // Both folders listed side by side: one round trip instead of two.
  const [datedKeys, latestKeys] = await Promise.all([reports.listKeys(RUNS_PREFIX), reports.listKeys(LATEST_PREFIX)]);
  const dated = datedReleases(datedKeys).filter((r) => r.files.includes(WHOLE_RUN_MARKER));
  const latestFiles = latestKeys
    .map((key) => key.slice(LATEST_PREFIX.length))
    .filter((name) => name.length > 0 && !name.includes('/'));
  const latest: SiteRelease | undefined = latestFiles.includes(WHOLE_RUN_MARKER)
    ? { asOf: latestAsOf, folder: LATEST_PREFIX, files: latestFiles }
    : undefined;
  return siteIndexHtml({ latest, dated });
}

/**
 * Writes index.html at the bucket's root (Cache-Control no-cache, like the report files: it changes
 * with every run). Returns the key written.
 */
export async function publishSiteIndex(reports: ObjectStore, latestAsOf: string | undefined): Promise<string> {
  const html = await siteIndexOf(reports, latestAsOf);
  await reports.putText(SITE_INDEX_KEY, html, 'text/html; charset=utf-8', { cacheControl: 'no-cache' });
  return SITE_INDEX_KEY;
}
