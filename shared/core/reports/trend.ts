/**
 * The trend: the statewide totals of the last dated releases next to this one's. It is built from
 * what each earlier release published (its report.json), never from earlier data, so it can tell a
 * reader nothing those releases did not already say (docs/domain.md, "Releases and differencing").
 * Earlier releases are read leniently: a report.json of an older shape lacks some totals, and those
 * are gaps; a count from 1 to minPublishedCount − 1 (a release made under a looser rule) is withheld
 * here as it would be today.
 */
import { z } from 'zod';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from './compliance.js';

/** The statewide counts a trend follows, and the rate drawn from two of them. */
export const TREND_COUNTS = ['endorsed', 'applicants', 'eligible'] as const;
export type TrendCount = (typeof TREND_COUNTS)[number];

/**
 * One release's statewide totals. A number is as published; null is withheld (a small count, or a
 * rate of one); an absent field is one the release did not publish (an older report.json).
 */
export interface TrendPoint {
  asOf: string;
  endorsed?: number | null;
  applicants?: number | null;
  eligible?: number | null;
  /** eligible / applicants, from the two published totals (null when either is withheld). */
  eligibilityRate?: number | null;
  /** Endorsees by renewal status, statewide. */
  compliance?: Partial<Record<ComplianceStatus, number | null>>;
}

/** The releases compared, oldest first; the last is the release that carries the trend. */
export interface Trend {
  points: TrendPoint[];
}

const AS_OF = /^\d{4}-\d{2}-\d{2}$/;

// Each field is read on its own: a field of an unexpected type is a gap, and the rest still count.
const count = z.number().int().nonnegative().nullable().optional().catch(undefined);
const ReleaseShape = z.object({
  asOf: z.string().regex(AS_OF).optional().catch(undefined),
  summary: z
    .object({
      totals: z.object({ endorsed: count, applicants: count, eligible: count }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  compliance: z
    .array(
      z.object({
        dimension: z.string(),
        group: z.string(),
        status: z.string(),
        count: z.number().int().nonnegative().nullable(),
      }),
    )
    .optional()
    .catch(undefined),
});

/** The compliance rows of a statewide total, as the contract names them. */
const TOTAL = { dimension: 'total', group: 'All' } as const;

/**
 * Statewide endorsees by status: the published total row when the release has one; otherwise the
 * sum of the category rows when every one of them is published (a sum of published counts says
 * nothing new); otherwise withheld.
 */
function complianceTotals(rows: z.infer<typeof ReleaseShape>['compliance']): TrendPoint['compliance'] {
  if (rows === undefined) return undefined;
  const totals: Partial<Record<ComplianceStatus, number | null>> = {};
  for (const status of COMPLIANCE_STATUSES) {
    const mine = rows.filter((r) => r.status === status);
    const total = mine.find((r) => r.dimension === TOTAL.dimension && r.group === TOTAL.group);
    if (total) {
      totals[status] = total.count;
      continue;
    }
    const byCategory = mine.filter((r) => r.dimension === 'category');
    if (byCategory.length === 0) continue;
    totals[status] = byCategory.some((r) => r.count === null)
      ? null
      : byCategory.reduce((sum, r) => sum + (r.count ?? 0), 0);
  }
  return totals;
}

/** A count as the trend may show it: a small one is withheld whatever the release's rule was. */
function safe(n: number | null | undefined, minPublishedCount: number): number | null | undefined {
  return typeof n === 'number' && n > 0 && n < minPublishedCount ? null : n;
}

/**
 * The totals a release published, from its report.json as parsed (any shape). Undefined when it
 * holds no readable as-of date, since a point needs one; `asOf` names the release when the
 * document does not (its folder's date).
 */
export function releasePoint(report: unknown, minPublishedCount: number, asOf?: string): TrendPoint | undefined {
  const parsed = ReleaseShape.safeParse(report);
  if (!parsed.success) return undefined;
  const date = parsed.data.asOf ?? (asOf && AS_OF.test(asOf) ? asOf : undefined);
  if (date === undefined) return undefined;
  const totals = parsed.data.summary?.totals;
  const point: TrendPoint = { asOf: date };
  for (const key of TREND_COUNTS) {
    const value = safe(totals?.[key], minPublishedCount);
    if (value !== undefined) point[key] = value;
  }
  // Not eligible is a count too: when it is small, the eligible total would give it away.
  if (typeof point.eligible === 'number' && typeof point.applicants === 'number') {
    if (safe(point.applicants - point.eligible, minPublishedCount) === null) point.eligible = null;
  }
  if (point.eligible !== undefined && point.applicants !== undefined) {
    point.eligibilityRate =
      point.eligible === null || point.applicants === null || point.applicants === 0
        ? null
        : point.eligible / point.applicants;
  }
  const compliance = complianceTotals(parsed.data.compliance);
  if (compliance !== undefined) {
    for (const status of COMPLIANCE_STATUSES) {
      const value = safe(compliance[status], minPublishedCount);
      if (value === undefined) delete compliance[status];
      else compliance[status] = value;
    }
    point.compliance = compliance;
  }
  return point;
}

/**
 * This release's point after at most `earlierReleases` earlier ones, oldest first: only releases
 * dated before this one count, one point a date (the first given wins).
 */
export function buildTrend(current: TrendPoint, earlier: readonly TrendPoint[], earlierReleases: number): Trend {
  const byDate = new Map<string, TrendPoint>();
  for (const p of earlier) if (p.asOf < current.asOf && !byDate.has(p.asOf)) byDate.set(p.asOf, p);
  const kept = [...byDate.values()].sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
  return { points: [...(earlierReleases > 0 ? kept.slice(-earlierReleases) : []), current] };
}
