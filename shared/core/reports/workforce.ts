/**
 * Workforce counts of distinct people, endorsed (not lapsed) and applicants, by every dimension of
 * groupings.ts, with the statewide total of each population. Counting (exact integers with the sums
 * that tie them) is kept apart from suppression, so a step that perturbs counts can sit between.
 */
import {
  ALL,
  countBreakdown,
  DIMENSION_POPULATIONS,
  DIMENSIONS,
  type Dimension,
  type Grouping,
  type GroupLabel,
  groupings,
  type Nesting,
  nestings,
  POPULATIONS,
  type Population,
  type ReportPerson,
  TOTAL,
} from './groupings.js';
import { type CountPublisher, EXACT_COUNTS } from './noise.js';
import { type CountTable, type LinkedSum, type SuppressionRule, suppressLinked } from './suppress.js';

export {
  ALL,
  CONTEXT_DIMENSIONS,
  countBreakdown,
  DIMENSION_POPULATIONS,
  DIMENSIONS,
  type Dimension,
  type Grouping,
  type GroupLabel,
  groupings,
  type Nesting,
  nestings,
  OTHER,
  POPULATIONS,
  type Population,
  ReportInputError,
  type ReportPerson,
  TOTAL,
} from './groupings.js';

/** A table's dimension: a breakdown, or the statewide row. */
export type RowDimension = Dimension | typeof TOTAL;

export interface SuppressedGroup extends GroupLabel {
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
  /**
   * Withheld by the small-cell rule (a small count or its complement), not only because its perturbed
   * value looked small. Never published (it would tell a reader which cells hold 0 or 11 or more): the
   * reports that build on these counts seed their own suppression with it, so that noise alone does not
   * cascade into withholding more.
   */
  ruleWithheld: boolean;
}

/** One population's groups per dimension (empty where the dimension is not reported for it), and its statewide row. */
export type Breakdowns = Record<RowDimension, SuppressedGroup[]>;

export interface WorkforceRow {
  dimension: RowDimension;
  group: string;
  groupName: string;
  population: Population;
  count: number | null;
  suppressed: boolean;
}

/** The id of one workforce count (also how the compliance table refers to an endorsed count). */
export const workforceCell = (population: Population, dimension: RowDimension, group: string): string =>
  `${population}|${dimension}|${group}`;

/** The exact counts of one population, every group of every dimension, and the sums that tie them. */
export interface PopulationCounts extends CountTable {
  population: Population;
  /** The id of the statewide total. */
  total: string;
  /** Every reported group in report order, with its cell id. */
  cells: { dimension: RowDimension; group: string; name: string; id: string }[];
}

/**
 * The published identities between the groups of one population's dimensions: the statewide total
 * is the sum of each breakdown, and each coarse group the sum of the fine groups it collapses.
 */
export function linkedSums(
  cellOf: (dimension: RowDimension, group: string) => string,
  groupsOf: (dimension: Dimension) => readonly string[] | undefined,
  nest: readonly Nesting[],
): LinkedSum[] {
  const sums: LinkedSum[] = [];
  for (const d of DIMENSIONS) {
    const groups = groupsOf(d);
    if (groups) sums.push({ whole: cellOf(TOTAL, ALL), parts: groups.map((g) => cellOf(d, g)) });
  }
  for (const n of nest) {
    const coarse = groupsOf(n.coarse);
    const fine = groupsOf(n.fine);
    if (!coarse || !fine) continue;
    for (const c of coarse) {
      sums.push({
        whole: cellOf(n.coarse, c),
        parts: fine.filter((f) => n.coarseOf(f) === c).map((f) => cellOf(n.fine, f)),
      });
    }
  }
  return sums;
}

/** Counts one population: every group of every dimension reported for it, and the total. */
export function countPopulation(
  people: readonly ReportPerson[],
  population: Population,
  by: Record<Dimension, Grouping>,
  nest: readonly Nesting[] = nestings(),
): PopulationCounts {
  const members = people.filter((p) => p.population === population);
  const counts = new Map<string, number>();
  const cells: PopulationCounts['cells'] = [];
  const total = workforceCell(population, TOTAL, ALL);
  counts.set(total, members.length);
  cells.push({ dimension: TOTAL, group: ALL, name: 'Statewide', id: total });
  const groupsOf = new Map<Dimension, string[]>();
  for (const dimension of DIMENSIONS) {
    if (!DIMENSION_POPULATIONS[dimension].includes(population)) continue;
    const breakdown = countBreakdown(members, by[dimension]);
    groupsOf.set(
      dimension,
      breakdown.map((c) => c.group),
    );
    for (const c of breakdown) {
      const id = workforceCell(population, dimension, c.group);
      counts.set(id, c.count);
      cells.push({ dimension, group: c.group, name: c.name, id });
    }
  }
  const sums = linkedSums(
    (d, g) => workforceCell(population, d, g),
    (d) => groupsOf.get(d),
    nest,
  );
  return { population, total, counts, sums, cells };
}

/** The cells withheld in one population's counts: small ones, and complements in every direction a sum is published. */
export function suppressPopulation(counts: PopulationCounts, rule: SuppressionRule): Set<string> {
  return suppressLinked(counts, rule, { roots: [counts.total] });
}

/**
 * One population's groups as published: withheld counts blanked, the others as the release's
 * publisher gives them (perturbed, docs/domain.md "Releases and differencing"; a perturbed value that
 * looks small is withheld too).
 */
export function breakdownsOf(
  counts: PopulationCounts,
  withheld: ReadonlySet<string>,
  publisher: CountPublisher = EXACT_COUNTS,
): Breakdowns {
  const result = Object.fromEntries([TOTAL, ...DIMENSIONS].map((d) => [d, [] as SuppressedGroup[]])) as Breakdowns;
  for (const c of counts.cells) {
    const ruleWithheld = withheld.has(c.id);
    const count = ruleWithheld ? null : publisher.value(c.id, counts.counts.get(c.id) as number);
    result[c.dimension].push({ group: c.group, name: c.name, count, suppressed: count === null, ruleWithheld });
  }
  return result;
}

/** The suppressed breakdowns of one population for every dimension, and its statewide row. */
export function suppressedBreakdowns(
  people: readonly ReportPerson[],
  population: Population,
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
  publisher: CountPublisher = EXACT_COUNTS,
): Breakdowns {
  const counts = countPopulation(people, population, by);
  return breakdownsOf(counts, suppressPopulation(counts, rule), publisher);
}

/**
 * The applicant-count suppression per dimension. Both the workforce and the disparity report
 * take their applicant counts from this one result, so the two files suppress them identically.
 */
export function applicantSuppression(
  people: readonly ReportPerson[],
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
  publisher: CountPublisher = EXACT_COUNTS,
): Breakdowns {
  return suppressedBreakdowns(people, 'applicants', rule, by, publisher);
}

/** Workforce rows for both populations, statewide rows first; pass the applicant suppression to share it with the disparity report. */
export function workforceRows(
  people: readonly ReportPerson[],
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
  publisher: CountPublisher = EXACT_COUNTS,
  applicants: Breakdowns = applicantSuppression(people, rule, by, publisher),
  endorsed: Breakdowns = suppressedBreakdowns(people, 'endorsed', rule, by, publisher),
): WorkforceRow[] {
  const byPopulation: Record<Population, Breakdowns> = { endorsed, applicants };
  const rows: WorkforceRow[] = [];
  for (const population of POPULATIONS) {
    for (const dimension of [TOTAL, ...DIMENSIONS] as const) {
      for (const g of byPopulation[population][dimension]) {
        rows.push({
          dimension,
          group: g.group,
          groupName: g.name,
          population,
          count: g.count,
          suppressed: g.suppressed,
        });
      }
    }
  }
  return rows;
}

/** The ids (workforceCell) of a population's counts the small-cell rule withholds, noise aside. */
export function ruleWithheldCells(population: Population, breakdowns: Breakdowns): Set<string> {
  const ids = new Set<string>();
  for (const [dimension, groups] of Object.entries(breakdowns) as [RowDimension, SuppressedGroup[]][]) {
    for (const g of groups) if (g.ruleWithheld) ids.add(workforceCell(population, dimension, g.group));
  }
  return ids;
}
