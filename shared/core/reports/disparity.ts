/**
 * Eligibility disparity over applicants (docs/domain.md, "Disparity measures"), in two steps:
 *
 * 1. counting (`countDisparity`): exact whole numbers per group, applicants and eligible, and the
 *    statewide total. Nothing else about a person leaves this step.
 * 2. deriving (`deriveDisparity`): what may be published of those counts (withholding), then
 *    every rate, interval, reliability verdict, test, ratio and flag, computed from the counts it
 *    is handed and nothing else, so that a step may stand between the two (noise on the counts).
 *
 * Each group of a demographic breakdown is compared with the rest: every other applicant whose
 * value in that breakdown is reported.
 */
import { NOT_REPORTED } from '../reference/reference.js';
import {
  ALL,
  CONTEXT_DIMENSIONS,
  countBreakdown,
  DIMENSION_POPULATIONS,
  DIMENSIONS,
  type Dimension,
  type Grouping,
  groupings,
  type Nesting,
  nestings,
  ReportInputError,
  type ReportPerson,
  TOTAL,
} from './groupings.js';
import { type CountPublisher, EXACT_COUNTS } from './noise.js';
import type { PublishingRule } from './rule.js';
import { benjaminiHochberg, nchsReliability, twoProportionZTest, wilsonInterval } from './statistics.js';
import { isSmallCount, suppressLinked } from './suppress.js';
import { applicantSuppression, type Breakdowns, linkedSums, type RowDimension, workforceCell } from './workforce.js';

export { wilsonInterval } from './statistics.js';

/**
 * Why a row has, or has not, a test: `tested`; `context` (a context breakdown or the statewide
 * row); `not_reported` (never compared); `no_applicants`; `withheld` (a count of the group is
 * withheld); `unreliable` (its rate fails the NCHS standard); `reference_withheld` (the rest's
 * counts would reveal a withheld "Not reported" count); `reference_unreliable` (the rest is empty
 * or its rate fails the standard).
 */
export type Assessment =
  | 'tested'
  | 'context'
  | 'not_reported'
  | 'no_applicants'
  | 'withheld'
  | 'unreliable'
  | 'reference_withheld'
  | 'reference_unreliable';

export interface DisparityRow {
  dimension: RowDimension;
  group: string;
  groupName: string;
  applicants: number | null;
  eligible: number | null;
  /** eligible / applicants, from 0 to 1. */
  rate: number | null;
  /** Wilson interval at the rule's z. */
  ciLow: number | null;
  ciHigh: number | null;
  /** The group's rate over the rest's (Relative Rate Index); null unless tested and the rest's rate is above 0. */
  ratioToReference: number | null;
  /** Two-sided two-proportion z-test against the rest, Benjamini–Hochberg adjusted over the breakdown's tested groups. */
  pValue: number | null;
  /** Ratio below fourFifths and adjusted p-value below significance; null unless tested. */
  fourFifthsFlag: boolean | null;
  /** Whether the published rate passes the NCHS standard for proportions; null without a rate. */
  reliable: boolean | null;
  /** True when any count of the group is withheld. */
  suppressed: boolean;
  assessment: Assessment;
}

/** The exact counts of one group: the counting step's output. */
export interface GroupCounts {
  group: string;
  name: string;
  applicants: number;
  eligible: number;
}

/**
 * Everything the derivation step reads: the exact counts of applicants and eligible applicants per
 * group of every breakdown (empty for a breakdown not reported for applicants), and statewide.
 */
export interface DisparityCounts {
  total: { applicants: number; eligible: number };
  breakdowns: Record<Dimension, GroupCounts[]>;
}

/** Step 1: the exact counts of applicants and eligible applicants per group, and statewide. */
export function countDisparity(people: readonly ReportPerson[], by: Record<Dimension, Grouping>): DisparityCounts {
  const members = people.filter((p) => p.population === 'applicants');
  let eligible = 0;
  for (const p of members) {
    if (typeof p.eligible !== 'boolean') {
      throw new ReportInputError('every applicant needs eligible true or false for the disparity report');
    }
    if (p.eligible) eligible++;
  }
  const breakdowns = {} as Record<Dimension, GroupCounts[]>;
  for (const dimension of DIMENSIONS) {
    breakdowns[dimension] = [];
    if (!DIMENSION_POPULATIONS[dimension].includes('applicants')) continue;
    const grouping = by[dimension];
    const eligibleByGroup = new Map<string, number>();
    for (const p of members) {
      if (!p.eligible) continue;
      const g = grouping.groupOf(p);
      eligibleByGroup.set(g, (eligibleByGroup.get(g) ?? 0) + 1);
    }
    breakdowns[dimension] = countBreakdown(members, grouping).map((c) => ({
      group: c.group,
      name: c.name,
      applicants: c.count,
      eligible: eligibleByGroup.get(c.group) ?? 0,
    }));
  }
  return { total: { applicants: members.length, eligible }, breakdowns };
}

const cellId = (dimension: RowDimension, group: string): string => `${dimension}|${group}`;

/**
 * The groups whose eligible figures are withheld (ids `dimension|group`, the statewide row's too).
 * Eligible and not eligible are counts like any other, tied by the same published sums as the
 * applicant counts (each breakdown adds up to the statewide total, each region to its counties):
 * each is suppressed over those sums, starting from the groups whose applicants are withheld, and
 * a group withheld for one is withheld for the other (applicants minus one gives the other), until
 * the two agree.
 */
function withheldEligible(
  counts: DisparityCounts,
  applicants: Breakdowns,
  rule: PublishingRule,
  nest: readonly Nesting[],
): Set<string> {
  const groupsOf = (d: Dimension) =>
    counts.breakdowns[d].length > 0 ? counts.breakdowns[d].map((c) => c.group) : undefined;
  const sums = linkedSums(cellId, groupsOf, nest);
  const table = (value: (applicants: number, eligible: number) => number) => {
    const cells = new Map<string, number>([
      [cellId(TOTAL, ALL), value(counts.total.applicants, counts.total.eligible)],
    ]);
    for (const d of DIMENSIONS) {
      for (const c of counts.breakdowns[d]) cells.set(cellId(d, c.group), value(c.applicants, c.eligible));
    }
    return { counts: cells, sums };
  };
  const eligible = table((_, e) => e);
  const notEligible = table((a, e) => a - e);
  const withheld = new Set<string>();
  for (const d of [TOTAL, ...DIMENSIONS] as const) {
    // Only what the rule withholds: a count withheld because its perturbed value looked small
    // (0, or 11 or more) needs no complement, and seeding with it would withhold far more.
    for (const g of applicants[d]) if (g.ruleWithheld) withheld.add(cellId(d, g.group));
  }
  const options = { roots: [cellId(TOTAL, ALL)] };
  for (;;) {
    const before = withheld.size;
    for (const t of [eligible, notEligible]) {
      const fixed = new Map([...withheld].map((id) => [id, true] as const));
      for (const id of suppressLinked(t, rule, { ...options, fixed })) withheld.add(id);
    }
    if (withheld.size === before) return withheld;
  }
}

/** Rate, interval and reliability of published counts; nulls when there are no applicants. */
function published(applicants: number, eligible: number, rule: PublishingRule) {
  if (applicants === 0) return { rate: null, ciLow: null, ciHigh: null, reliable: null };
  const interval = wilsonInterval(eligible, applicants, rule.z);
  return {
    rate: eligible / applicants,
    ciLow: interval.low,
    ciHigh: interval.high,
    reliable: nchsReliability(eligible, applicants, rule.reliability).reliable,
  };
}

const UNTESTED = { ratioToReference: null, pValue: null, fourFifthsFlag: null } as const;
const NO_RATE = { rate: null, ciLow: null, ciHigh: null, reliable: null } as const;

/** One group's row before any test: its published counts and rate, or what is withheld of them. */
function groupRow(
  dimension: RowDimension,
  c: GroupCounts,
  applicantsWithheld: boolean,
  eligibleWithheld: boolean,
  rule: PublishingRule,
): DisparityRow {
  const base = { dimension, group: c.group, groupName: c.name, ...UNTESTED };
  const context = dimension === TOTAL || CONTEXT_DIMENSIONS.has(dimension as Dimension);
  if (applicantsWithheld) {
    return { ...base, applicants: null, eligible: null, ...NO_RATE, suppressed: true, assessment: 'withheld' };
  }
  if (eligibleWithheld) {
    return { ...base, applicants: c.applicants, eligible: null, ...NO_RATE, suppressed: true, assessment: 'withheld' };
  }
  const shown = published(c.applicants, c.eligible, rule);
  const assessment: Assessment = context
    ? 'context'
    : c.applicants === 0
      ? 'no_applicants'
      : c.group === NOT_REPORTED
        ? 'not_reported'
        : shown.reliable
          ? 'tested'
          : 'unreliable';
  return { ...base, applicants: c.applicants, eligible: c.eligible, ...shown, suppressed: false, assessment };
}

/**
 * The tests of one demographic breakdown: each reliable group against the rest (every other
 * applicant whose value is reported), adjusted with Benjamini–Hochberg over the groups tested.
 * Fills the rows' ratio, p-value and flag, or says why a group was not tested.
 */
function compareWithRest(
  counts: readonly GroupCounts[],
  rows: readonly DisparityRow[],
  rule: PublishingRule,
  statewide: DisparityRow,
): void {
  // The rest is public only when "Not reported" is: a group's rest is everyone reported less the
  // group, and the reported are the statewide total less "Not reported". With "Not reported"
  // withheld, a ratio or p-value would let a reader solve for it (docs/domain.md, "Disparity measures").
  // The rest is taken from the published numbers (statewide less "Not reported"), so that with
  // perturbed counts a ratio or p-value tells nothing the published counts do not.
  const notReported = rows.find((r) => r.group === NOT_REPORTED);
  const referencePublic =
    (notReported === undefined || !notReported.suppressed) &&
    statewide.applicants !== null &&
    statewide.eligible !== null;
  const reportedApplicants = (statewide.applicants ?? 0) - (notReported?.applicants ?? 0);
  const reportedEligible = (statewide.eligible ?? 0) - (notReported?.eligible ?? 0);

  const tests: { row: DisparityRow; p: number; ratio: number | null; lower: boolean }[] = [];
  counts.forEach((c, i) => {
    const row = rows[i] as DisparityRow;
    if (row.assessment !== 'tested') return;
    if (!referencePublic) {
      row.assessment = 'reference_withheld';
      return;
    }
    const restApplicants = reportedApplicants - c.applicants;
    const restEligible = reportedEligible - c.eligible;
    if (restApplicants === 0 || !nchsReliability(restEligible, restApplicants, rule.reliability).reliable) {
      row.assessment = 'reference_unreliable';
      return;
    }
    const { p } = twoProportionZTest(c.eligible, c.applicants, restEligible, restApplicants);
    // The ratio as (e1·a2)/(e2·a1), and the threshold compared on whole-number products, so a rate of
    // exactly four fifths of the rest's compares equal to the threshold instead of below it by rounding.
    const ratio = restEligible === 0 ? null : (c.eligible * restApplicants) / (restEligible * c.applicants);
    const lower = restEligible > 0 && c.eligible * restApplicants < rule.fourFifths * restEligible * c.applicants;
    tests.push({ row, p, ratio, lower });
  });
  const adjusted = benjaminiHochberg(tests.map((t) => t.p));
  tests.forEach((t, i) => {
    const p = adjusted[i] as number;
    t.row.pValue = p;
    t.row.ratioToReference = t.ratio;
    t.row.fourFifthsFlag = t.lower && p < rule.significance;
  });
}

/**
 * Step 2: the published disparity rows, the statewide row first, computed from `counts` alone and
 * the applicant withholding the workforce report shares (`applicantSuppression`).
 */
export function deriveDisparity(
  counts: DisparityCounts,
  rule: PublishingRule,
  applicants: Breakdowns,
  nest: readonly Nesting[] = nestings(),
  publisher: CountPublisher = EXACT_COUNTS,
): DisparityRow[] {
  const applicantsCell = (d: RowDimension, c: GroupCounts) => workforceCell('applicants', d, c.group);
  for (const d of DIMENSIONS) {
    const given = applicants[d];
    const mine = counts.breakdowns[d];
    const same =
      given.length === mine.length &&
      mine.every((c, i) => {
        const a = given[i];
        return (
          a !== undefined &&
          a.group === c.group &&
          (a.suppressed || a.count === publisher.value(applicantsCell(d, c), c.applicants))
        );
      });
    if (!same) throw new ReportInputError(`the applicant suppression given for ${d} is not of these applicants`);
  }
  const withheld = withheldEligible(counts, applicants, rule, nest);
  // The counts as published: applicants as the workforce report publishes them (the same cell), eligible
  // perturbed in its own cell; a perturbed eligible or not-eligible count that looks small is withheld.
  const rowOf = (d: RowDimension, c: GroupCounts, shownApplicants: number | null) => {
    const eligible = withheld.has(cellId(d, c.group)) ? null : publisher.value(`eligible|${d}|${c.group}`, c.eligible);
    const notEligible = shownApplicants === null || eligible === null ? null : shownApplicants - eligible;
    const eligibleWithheld = notEligible === null || notEligible < 0 || isSmallCount(notEligible, rule);
    const shown = { ...c, applicants: shownApplicants ?? 0, eligible: eligible ?? 0 };
    return { shown, row: groupRow(d, shown, shownApplicants === null, eligibleWithheld, rule) };
  };
  const statewide = rowOf(TOTAL, { group: ALL, name: ALL, ...counts.total }, applicants[TOTAL][0]?.count ?? null).row;
  const rows = [statewide];
  for (const d of DIMENSIONS) {
    const made = counts.breakdowns[d].map((c, i) => rowOf(d, c, applicants[d][i]?.count ?? null));
    const breakdown = made.map((m) => m.row);
    if (!CONTEXT_DIMENSIONS.has(d))
      compareWithRest(
        made.map((m) => m.shown),
        breakdown,
        rule,
        statewide,
      );
    rows.push(...breakdown);
  }
  return rows;
}

/** Disparity rows for every breakdown over the applicants among `people`: countDisparity, then deriveDisparity. */
export function disparityRows(
  people: readonly ReportPerson[],
  rule: PublishingRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
  publisher: CountPublisher = EXACT_COUNTS,
  applicants: Breakdowns = applicantSuppression(people, rule, by, publisher),
): DisparityRow[] {
  return deriveDisparity(countDisparity(people, by), rule, applicants, nestings(), publisher);
}
