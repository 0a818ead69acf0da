/** Eligibility disparity by group over applicants: rate, Wilson interval, ratio to reference, four-fifths flag. */
import { NOT_REPORTED } from '../reference/reference.js';
import type { PublishingRule } from './rule.js';
import { suppressJointly } from './suppress.js';
import {
  applicantSuppression,
  type Breakdowns,
  countBreakdown,
  DIMENSIONS,
  type Dimension,
  type Grouping,
  groupings,
  ReportInputError,
  type ReportPerson,
} from './workforce.js';

export interface DisparityRow {
  dimension: Dimension;
  group: string;
  groupName: string;
  applicants: number | null;
  eligible: number | null;
  /** eligible / applicants, from 0 to 1. */
  rate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Relative Rate Index: this group's rate over the reference group's; null for "Not reported". */
  ratioToReference: number | null;
  /** Rate below fourFifths × the highest published rate of a reported group; null for "Not reported". */
  fourFifthsFlag: boolean | null;
  /** True when any of the group's counts is withheld. */
  suppressed: boolean;
  /** True for the dimension's reference group. */
  reference: boolean;
}

export interface DisparityOptions {
  /**
   * A reference group per dimension instead of the rule's choice. Used only when that group's
   * rate is published and above 0, and never when it names "Not reported"; otherwise the rule's
   * choice stands (the `reference` column says which group was used).
   */
  referenceGroups?: Partial<Record<Dimension, string>>;
}

/** Wilson score interval for successes out of n at normal quantile z; both ends within [0, 1]. */
export function wilsonInterval(successes: number, n: number, z: number): { low: number; high: number } {
  if (!(n > 0) || successes < 0 || successes > n) {
    throw new RangeError(`Wilson interval needs 0 <= successes <= n and n > 0, got ${successes}/${n}`);
  }
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

interface GroupCounts {
  group: string;
  name: string;
  applicants: number;
  eligible: number;
}

function eligibleCounts(applicants: readonly ReportPerson[], grouping: Grouping): GroupCounts[] {
  const eligible = new Map<string, number>();
  for (const p of applicants) {
    if (p.eligible) {
      const g = grouping.groupOf(p);
      eligible.set(g, (eligible.get(g) ?? 0) + 1);
    }
  }
  return countBreakdown(applicants, grouping).map((c) => ({
    group: c.group,
    name: c.name,
    applicants: c.count,
    eligible: eligible.get(c.group) ?? 0,
  }));
}

const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rows of one dimension, given its applicant suppression (shared with the workforce report). */
function dimensionRows(
  dimension: Dimension,
  counts: readonly GroupCounts[],
  applicantGroups: Breakdowns[Dimension],
  rule: PublishingRule,
  preferredReference: string | undefined,
): DisparityRow[] {
  const applicantSuppressed = new Set(applicantGroups.filter((g) => g.suppressed).map((g) => g.group));
  const groupsMatch =
    applicantGroups.length === counts.length &&
    counts.every((c, i) => {
      const a = applicantGroups[i];
      return a !== undefined && a.group === c.group && (a.suppressed || a.count === c.applicants);
    });
  if (!groupsMatch) {
    throw new ReportInputError(`the applicant suppression given for ${dimension} is not of these applicants`);
  }

  // Eligible and not-eligible are counts with public totals; a group whose applicants are
  // withheld cannot show either, so it starts out in the suppressed set.
  const eligibleSuppressed = suppressJointly(
    counts.map((c) => ({ group: c.group, counts: [c.eligible, c.applicants - c.eligible] })),
    rule,
    applicantSuppressed,
  );

  // "Not reported" is shown with its rate but is never a reference, never compared and never
  // flagged (docs/domain.md, "Disparity measures"): it is not a group of people who share a value.
  const withRate = counts.filter((c) => !eligibleSuppressed.has(c.group) && c.applicants > 0);
  const comparable = withRate.filter((c) => c.group !== NOT_REPORTED);
  const mostApplicants = [...comparable].sort((a, b) => b.applicants - a.applicants || byLabel(a.group, b.group))[0];
  const preferred = comparable.find((c) => c.group === preferredReference && c.eligible > 0);
  const reference = preferred ?? mostApplicants;
  const highest = comparable.reduce<GroupCounts | undefined>(
    (best, c) => (best === undefined || c.eligible * best.applicants > best.eligible * c.applicants ? c : best),
    undefined,
  );

  // Ratios of rates are taken as (e1·a2)/(e2·a1): integer products are exact, so a rate of exactly
  // four fifths of the highest compares equal to the threshold instead of falling below it by rounding.
  const rateRatio = (x: GroupCounts, y: GroupCounts): number | null =>
    y.eligible === 0 ? null : (x.eligible * y.applicants) / (y.eligible * x.applicants);

  return counts.map((c): DisparityRow => {
    const base = { dimension, group: c.group, groupName: c.name, reference: c === reference };
    if (applicantSuppressed.has(c.group)) {
      return {
        ...base,
        applicants: null,
        eligible: null,
        rate: null,
        ciLow: null,
        ciHigh: null,
        ratioToReference: null,
        fourFifthsFlag: null,
        suppressed: true,
      };
    }
    if (eligibleSuppressed.has(c.group) || c.applicants === 0) {
      const suppressed = eligibleSuppressed.has(c.group);
      return {
        ...base,
        applicants: c.applicants,
        eligible: suppressed ? null : c.eligible,
        rate: null,
        ciLow: null,
        ciHigh: null,
        ratioToReference: null,
        fourFifthsFlag: null,
        suppressed,
      };
    }
    const interval = wilsonInterval(c.eligible, c.applicants, rule.z);
    const published = {
      ...base,
      applicants: c.applicants,
      eligible: c.eligible,
      rate: c.eligible / c.applicants,
      ciLow: interval.low,
      ciHigh: interval.high,
      suppressed: false,
    };
    if (c.group === NOT_REPORTED) return { ...published, ratioToReference: null, fourFifthsFlag: null };
    const toHighest = highest ? rateRatio(c, highest) : null;
    return {
      ...published,
      ratioToReference: reference ? rateRatio(c, reference) : null,
      // When the highest published rate is 0, no rate falls below 80% of it.
      fourFifthsFlag: toHighest === null ? false : toHighest < rule.fourFifths,
    };
  });
}

/** Disparity rows for the five dimensions over the applicants among `people`. */
export function disparityRows(
  people: readonly ReportPerson[],
  rule: PublishingRule,
  options: DisparityOptions = {},
  by: Record<Dimension, Grouping> = groupings(people, rule),
  applicants: Breakdowns = applicantSuppression(people, rule, by),
): DisparityRow[] {
  const members = people.filter((p) => p.population === 'applicants');
  for (const p of members) {
    if (typeof p.eligible !== 'boolean') {
      throw new ReportInputError('every applicant needs eligible true or false for the disparity report');
    }
  }
  return DIMENSIONS.flatMap((dimension) =>
    dimensionRows(
      dimension,
      eligibleCounts(members, by[dimension]),
      applicants[dimension],
      rule,
      options.referenceGroups?.[dimension],
    ),
  );
}
