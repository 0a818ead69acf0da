/**
 * The earlier dated releases a new one is compared with: their report.json, read back from the
 * reports bucket (`reports/<asOf>/report.json`). Only what was published is read, never earlier
 * data; the core (shared/core/reports/trend.ts) turns each into the totals of the trend.
 */
import type { ObjectStore } from '../adapters/s3/object-store.js';
import { RUNS_PREFIX } from '../adapters/table-design.js';
import { releasePoint, type TrendPoint } from '../core/reports/trend.js';

export type HistoryLog = (message: string, data?: Record<string, unknown>) => void;

const RELEASE = new RegExp(`^${RUNS_PREFIX}(\\d{4}-\\d{2}-\\d{2})/report\\.json$`);

/**
 * The totals of at most `limit` dated releases before `asOf`, newest first. A release whose
 * report.json cannot be read or parsed is skipped with a log line (its key and why, nothing of its
 * content), and a bucket that cannot be listed gives no earlier release: the history never stops a
 * new release from being published.
 */
export async function earlierReleases(
  reports: ObjectStore,
  asOf: string,
  limit: number,
  minPublishedCount: number,
  log: HistoryLog = () => {},
): Promise<TrendPoint[]> {
  if (limit <= 0) return [];
  let keys: string[];
  try {
    keys = await reports.listKeys(RUNS_PREFIX);
  } catch (e) {
    log('the trend has no earlier release: the dated releases could not be listed', {
      prefix: RUNS_PREFIX,
      error: e instanceof Error ? e.name : 'unknown',
    });
    return [];
  }
  const dates = keys
    .map((key) => RELEASE.exec(key)?.[1])
    .filter((date): date is string => date !== undefined && date < asOf)
    .sort()
    .reverse();
  const points: TrendPoint[] = [];
  // Newest first, until `limit` readable releases are found: a skipped one leaves room for an older one.
  for (const date of dates) {
    if (points.length >= limit) break;
    const key = `${RUNS_PREFIX}${date}/report.json`;
    let point: TrendPoint | undefined;
    try {
      const text = await reports.readText(key);
      point = text === undefined ? undefined : releasePoint(JSON.parse(text), minPublishedCount, date);
    } catch (e) {
      log('an earlier release was left out of the trend: its report.json could not be read', {
        key,
        error: e instanceof Error ? e.name : 'unknown',
      });
      continue;
    }
    if (point === undefined) {
      log('an earlier release was left out of the trend: its report.json holds no release', { key });
      continue;
    }
    // The folder's date names the release; a report.json that says otherwise was copied, not published there.
    points.push({ ...point, asOf: date });
  }
  return points;
}
