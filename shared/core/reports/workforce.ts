/** Workforce counts by the five breakdowns, for endorsees and applicants, with small cells suppressed. */
import {
  CATEGORY_CODES,
  COUNTIES,
  categoryOf,
  findCategory,
  findCounty,
  findRaceEthnicity,
  NOT_REPORTED,
  reportedRaceEthnicity,
  SPD15_CATEGORIES,
  SPD15_MULTIPLE,
} from '../reference/reference.js';
import { type SuppressionRule, suppressBreakdown } from './suppress.js';

export const DIMENSIONS = ['category', 'county', 'race_ethnicity', 'primary_language', 'sector'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const POPULATIONS = ['endorsed', 'applicants'] as const;
export type Population = (typeof POPULATIONS)[number];

/** One distinct person in one population; the caller leaves out lapsed endorsees. */
export interface ReportPerson {
  population: Population;
  /** Category code or full name. */
  category: string;
  /** 5-digit FIPS code (a county name is accepted too); blank or absent is "Not reported". */
  county?: string;
  /** SPD-15 category names as chosen; blanks are ignored. */
  raceEthnicity: string[];
  primaryLanguage?: string;
  sector?: string;
  /** Whether an applicant is eligible; required for applicants, ignored for endorsees. */
  eligible?: boolean;
}

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

/** A group of a breakdown: its published label and a human-readable name. */
export interface GroupLabel {
  group: string;
  name: string;
}

/** How people fall into the groups of one dimension. */
export interface Grouping {
  dimension: Dimension;
  /** The group label of a person. */
  groupOf(person: ReportPerson): string;
  /** Every group to report, in report order, given the labels seen in a population. */
  groups(seen: ReadonlySet<string>): GroupLabel[];
}

export interface SuppressedGroup extends GroupLabel {
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

export type Breakdowns = Record<Dimension, SuppressedGroup[]>;

export interface WorkforceRow {
  dimension: Dimension;
  group: string;
  groupName: string;
  population: Population;
  count: number | null;
  suppressed: boolean;
}

function isBlank(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const categoryGrouping: Grouping = {
  dimension: 'category',
  groupOf(p) {
    const c = findCategory(p.category);
    if (!c) throw new ReportInputError(`unknown category "${p.category}"`);
    return c.code;
  },
  groups: () => CATEGORY_CODES.map((code) => ({ group: code, name: categoryOf(code).name })),
};

const sortedCounties = [...COUNTIES].sort((a, b) => byLabel(a.fips, b.fips));

const countyGrouping: Grouping = {
  dimension: 'county',
  groupOf(p) {
    if (isBlank(p.county)) return NOT_REPORTED;
    const c = findCounty(p.county);
    if (!c) throw new ReportInputError(`unknown county "${p.county}"`);
    return c.fips;
  },
  groups: (seen) => [
    ...sortedCounties.map((c) => ({ group: c.fips, name: `${c.name} County` })),
    ...(seen.has(NOT_REPORTED) ? [{ group: NOT_REPORTED, name: NOT_REPORTED }] : []),
  ],
};

const raceGrouping: Grouping = {
  dimension: 'race_ethnicity',
  groupOf(p) {
    const chosen = p.raceEthnicity
      .filter((v) => !isBlank(v))
      .map((v) => {
        const name = findRaceEthnicity(v);
        if (!name) throw new ReportInputError(`unknown race/ethnicity "${v}"`);
        return name;
      });
    return reportedRaceEthnicity(chosen);
  },
  groups: (seen) =>
    [...SPD15_CATEGORIES, SPD15_MULTIPLE, ...(seen.has(NOT_REPORTED) ? [NOT_REPORTED] : [])].map((g) => ({
      group: g,
      name: g,
    })),
};

/** Spelling of free text as shown: Unicode-normalised, trimmed, inner runs of spaces made one. */
function tidy(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

const foldFree = (value: string): string => tidy(value).toLowerCase();

/** The group of free-text values given by fewer people than may be published. */
export const OTHER = 'Other';

/**
 * Free text (language, sector) is grouped case-insensitively after tidying spaces, and each
 * group is labelled with its most common spelling among all the people given, ties going to the
 * spelling that sorts first by code unit (capitalised before lower case). A title-case rule was
 * not used because it mangles names such as "ASL", "K-12" or "McKinney"; the most common
 * spelling stays "as given". Labels are taken over both populations so a sector reads the same
 * in each. A value spelled like "Not reported" joins the blanks.
 *
 * A value given by fewer than `minPeople` people in all joins "Other": a label is published even
 * when its counts are withheld, so a rare one would tell that somebody gave it, and free text may
 * hold what no report may (a name or an email typed into the sector column).
 */
function freeTextGrouping(
  dimension: 'primary_language' | 'sector',
  fieldOf: (p: ReportPerson) => string | undefined,
  people: readonly ReportPerson[],
  minPeople: number,
): Grouping {
  const notReportedKey = foldFree(NOT_REPORTED);
  const otherKey = foldFree(OTHER);
  const spellings = new Map<string, Map<string, number>>();
  for (const p of people) {
    const v = fieldOf(p);
    if (isBlank(v)) continue;
    const key = foldFree(v);
    if (key === notReportedKey) continue;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(tidy(v), (counts.get(tidy(v)) ?? 0) + 1);
    spellings.set(key, counts);
  }
  const labels = new Map<string, string>();
  for (const [key, counts] of spellings) {
    let given = 0;
    for (const n of counts.values()) given += n;
    const best = [...counts].sort((a, b) => b[1] - a[1] || byLabel(a[0], b[0]))[0];
    if (best) labels.set(key, key === otherKey || given < minPeople ? OTHER : best[0]);
  }
  return {
    dimension,
    groupOf(p) {
      const v = fieldOf(p);
      if (isBlank(v)) return NOT_REPORTED;
      const label = labels.get(foldFree(v));
      if (label !== undefined) return label;
      if (foldFree(v) === notReportedKey) return NOT_REPORTED;
      throw new ReportInputError(`${dimension} "${v}" was not among the people the grouping was built from`);
    },
    groups: (seen) => {
      const named = [...seen]
        .filter((g) => g !== NOT_REPORTED && g !== OTHER)
        .sort((a, b) => byLabel(a.toLowerCase(), b.toLowerCase()) || byLabel(a, b));
      const last = [OTHER, NOT_REPORTED].filter((g) => seen.has(g));
      return [...named, ...last].map((g) => ({ group: g, name: g }));
    },
  };
}

/**
 * A grouping that reports, in every population, each group seen among all the people given, so
 * the two populations list the same groups (a group absent from one shows 0 there).
 */
function overAll(grouping: Grouping, people: readonly ReportPerson[]): Grouping {
  const everywhere = new Set<string>();
  for (const p of people) everywhere.add(grouping.groupOf(p));
  return { ...grouping, groups: (seen) => grouping.groups(new Set([...everywhere, ...seen])) };
}

/**
 * The groupings of the five dimensions over the people given (both populations): free-text labels
 * are chosen over them, and values given by fewer than the rule's smallest publishable count join
 * "Other".
 */
export function groupings(people: readonly ReportPerson[], rule: SuppressionRule): Record<Dimension, Grouping> {
  const by: Record<Dimension, Grouping> = {
    category: categoryGrouping,
    county: countyGrouping,
    race_ethnicity: raceGrouping,
    primary_language: freeTextGrouping('primary_language', (p) => p.primaryLanguage, people, rule.minPublishedCount),
    sector: freeTextGrouping('sector', (p) => p.sector, people, rule.minPublishedCount),
  };
  for (const d of DIMENSIONS) by[d] = overAll(by[d], people);
  return by;
}

/** Counts of people per group of one dimension, every reported group present (zeros included). */
export function countBreakdown(
  people: readonly ReportPerson[],
  grouping: Grouping,
): (GroupLabel & { count: number })[] {
  const counts = new Map<string, number>();
  for (const p of people) {
    const g = grouping.groupOf(p);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return grouping.groups(new Set(counts.keys())).map((g) => ({ ...g, count: counts.get(g.group) ?? 0 }));
}

/** The suppressed breakdowns of one population for all five dimensions. */
export function suppressedBreakdowns(
  people: readonly ReportPerson[],
  population: Population,
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
): Breakdowns {
  const members = people.filter((p) => p.population === population);
  const result = {} as Breakdowns;
  for (const dimension of DIMENSIONS) {
    const cells = countBreakdown(members, by[dimension]);
    const suppressed = suppressBreakdown(cells, rule);
    result[dimension] = cells.map((c, i) => {
      const s = suppressed[i];
      if (!s || s.group !== c.group) throw new Error('suppressBreakdown must keep the order of its cells');
      return { group: c.group, name: c.name, count: s.count, suppressed: s.suppressed };
    });
  }
  return result;
}

/**
 * The applicant-count suppression per dimension. Both the workforce and the disparity report
 * take their applicant counts from this one result, so the two files suppress them identically.
 */
export function applicantSuppression(
  people: readonly ReportPerson[],
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
): Breakdowns {
  return suppressedBreakdowns(people, 'applicants', rule, by);
}

/** Workforce rows for both populations; pass the applicant suppression to share it with the disparity report. */
export function workforceRows(
  people: readonly ReportPerson[],
  rule: SuppressionRule,
  by: Record<Dimension, Grouping> = groupings(people, rule),
  applicants: Breakdowns = applicantSuppression(people, rule, by),
): WorkforceRow[] {
  const byPopulation: Record<Population, Breakdowns> = {
    endorsed: suppressedBreakdowns(people, 'endorsed', rule, by),
    applicants,
  };
  const rows: WorkforceRow[] = [];
  for (const population of POPULATIONS) {
    for (const dimension of DIMENSIONS) {
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
