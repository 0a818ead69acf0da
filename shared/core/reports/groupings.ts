/**
 * How people fall into the groups of each report dimension, and which dimensions nest in which:
 * the one list every report (workforce, disparity, compliance) takes its breakdowns from.
 */

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
  TIERS,
} from '../reference/reference.js';
import { defaultRegions, type Regions, regionByCounty } from '../reference/regions.js';
import { isInAssociationState, OUTSIDE_STATE, readOtherCounty } from '../reference/us-counties.js';
import { EducationLevel } from '../rules/ruleset.js';
import type { SuppressionRule } from './suppress.js';

/**
 * The breakdowns, in report order. Coarse ones stand before the fine ones they collapse (tier
 * before category, region before county) so a reader meets the groups most likely to be published first.
 */
export const DIMENSIONS = [
  'tier',
  'category',
  'region',
  'county',
  'race_ethnicity',
  'primary_language',
  'sector',
  'education',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Dimensions that describe what a person is judged by rather than who they are: the requirements
 * differ by category and tier, and education is itself a requirement. The disparity report shows
 * them as context, without a flag.
 */
export const CONTEXT_DIMENSIONS: ReadonlySet<Dimension> = new Set(['tier', 'category', 'education']);

/** The dimension and group of every table's statewide row (docs/contract.md, "Output files"). */
export const TOTAL = 'total';
export const ALL = 'All';

export const POPULATIONS = ['endorsed', 'applicants'] as const;
export type Population = (typeof POPULATIONS)[number];

/**
 * The populations each dimension is reported for. Education comes from the applicant file only:
 * the endorsements file has no education column, so endorsees' education is not known.
 */
export const DIMENSION_POPULATIONS: Record<Dimension, readonly Population[]> = {
  tier: POPULATIONS,
  category: POPULATIONS,
  region: POPULATIONS,
  county: POPULATIONS,
  race_ethnicity: POPULATIONS,
  primary_language: POPULATIONS,
  sector: POPULATIONS,
  education: ['applicants'],
};

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
  /** Highest education level (applicants; the ruleset's levels); absent is "Not reported". */
  education?: string;
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

/** A coarse dimension whose every group is the union of groups of a finer one. */
export interface Nesting {
  coarse: Dimension;
  fine: Dimension;
  /** The coarse group a fine group belongs to. */
  coarseOf(fineGroup: string): string;
}

function isBlank(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const categoryCode = (p: ReportPerson): string => {
  const c = findCategory(p.category);
  if (!c) throw new ReportInputError(`unknown category "${p.category}"`);
  return c.code;
};

const categoryGrouping: Grouping = {
  dimension: 'category',
  groupOf: categoryCode,
  groups: () => CATEGORY_CODES.map((code) => ({ group: code, name: categoryOf(code).name })),
};

const TIER_NAMES: Record<(typeof TIERS)[number], string> = {
  associate: 'Associate tier (IFA, ECFA)',
  specialist: 'Specialist tier (IFS, IFRS, ECFS, ECFRS)',
  mhs: 'Mental health specialist tier (IMHS, ECMHS)',
  mentor: 'Mentor tier (IMHM-C/P/RF, ECMHM-C/P/RF)',
};

const tierGrouping: Grouping = {
  dimension: 'tier',
  groupOf: (p) => categoryOf(categoryCode(p) as (typeof CATEGORY_CODES)[number]).tier,
  groups: () => TIERS.map((t) => ({ group: t, name: TIER_NAMES[t] })),
};

const sortedCounties = [...COUNTIES].sort((a, b) => byLabel(a.fips, b.fips));

/**
 * A person's county group: its FIPS code in the association's state, or one group for every county
 * outside it (docs/domain.md): a county across the line would mostly hold too few people to show,
 * and its label alone would tell that someone lives there.
 */
const countyFips = (p: ReportPerson): string => {
  if (isBlank(p.county)) return NOT_REPORTED;
  const c = findCounty(p.county);
  if (c) return c.fips;
  const other = readOtherCounty(p.county).county;
  if (other && !isInAssociationState(other.fips)) return OUTSIDE_STATE;
  throw new ReportInputError(`unknown county "${p.county}"`);
};

/** The groups that close a county or region breakdown when anyone is in them. */
const lastGroups = (seen: ReadonlySet<string>): GroupLabel[] =>
  [OUTSIDE_STATE, NOT_REPORTED].filter((g) => seen.has(g)).map((g) => ({ group: g, name: g }));

const countyGrouping: Grouping = {
  dimension: 'county',
  groupOf: countyFips,
  groups: (seen) => [...sortedCounties.map((c) => ({ group: c.fips, name: `${c.name} County` })), ...lastGroups(seen)],
};

/** A county group's region: "Not reported" and the group outside the state are their own regions. */
function regionOfCounty(byCounty: ReadonlyMap<string, string>, group: string): string {
  if (group === NOT_REPORTED || group === OUTSIDE_STATE) return group;
  return byCounty.get(group) ?? NOT_REPORTED;
}

function regionGrouping(regions: Regions): Grouping {
  const byCounty = regionByCounty(regions);
  return {
    dimension: 'region',
    groupOf: (p) => regionOfCounty(byCounty, countyFips(p)),
    groups: (seen) => [
      ...regions.regions.map((r) => ({ group: r.name, name: `${r.name} region` })),
      ...lastGroups(seen),
    ],
  };
}

const EDUCATION_NAMES: Record<EducationLevel, string> = {
  none: 'No diploma',
  hs: 'High school diploma',
  cda: 'Child Development Associate (CDA) credential',
  associate: "Associate's degree",
  bachelor: "Bachelor's degree",
  master: "Master's degree",
  doctorate: 'Doctorate',
};

const educationGrouping: Grouping = {
  dimension: 'education',
  groupOf(p) {
    if (isBlank(p.education)) return NOT_REPORTED;
    const level = EducationLevel.safeParse(p.education.trim().toLowerCase());
    if (!level.success) throw new ReportInputError(`unknown education level "${p.education}"`);
    return level.data;
  },
  groups: (seen) => [
    ...EducationLevel.options.map((l) => ({ group: l, name: EDUCATION_NAMES[l] })),
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
  // How many people gave each value as typed, then each distinct value tidied and folded once.
  const given = new Map<string, number>();
  for (const p of people) {
    const v = fieldOf(p);
    if (!isBlank(v)) given.set(v, (given.get(v) ?? 0) + 1);
  }
  const spellings = new Map<string, Map<string, number>>();
  for (const [v, n] of given) {
    const key = foldFree(v);
    if (key === notReportedKey) continue;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(tidy(v), (counts.get(tidy(v)) ?? 0) + n);
    spellings.set(key, counts);
  }
  const labels = new Map<string, string>();
  for (const [key, counts] of spellings) {
    let total = 0;
    for (const n of counts.values()) total += n;
    const best = [...counts].sort((a, b) => b[1] - a[1] || byLabel(a[0], b[0]))[0];
    if (best) labels.set(key, key === otherKey || total < minPeople ? OTHER : best[0]);
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
  for (const p of people)
    if (DIMENSION_POPULATIONS[grouping.dimension].includes(p.population)) everywhere.add(grouping.groupOf(p));
  return { ...grouping, groups: (seen) => grouping.groups(new Set([...everywhere, ...seen])) };
}

/**
 * The fields of a person a dimension's group is drawn from, as one key: people with equal keys fall
 * in the same group. Listed with the groupings above; each reads no other field.
 */
const GROUP_KEY: Record<Dimension, (p: ReportPerson) => string | undefined> = {
  tier: (p) => p.category,
  category: (p) => p.category,
  region: (p) => p.county,
  county: (p) => p.county,
  race_ethnicity: (p) => JSON.stringify(p.raceEthnicity),
  primary_language: (p) => p.primaryLanguage,
  sector: (p) => p.sector,
  education: (p) => p.education,
};

/**
 * A grouping that works out each distinct value's group once. Every report asks the group of every
 * person several times, and the lookups behind it (folded names, county lists, free-text spellings)
 * cost far more than a map's; a value that fails still fails every time (failures are not kept).
 */
function remembered(grouping: Grouping): Grouping {
  const keyOf = GROUP_KEY[grouping.dimension];
  const known = new Map<string | undefined, string>();
  return {
    ...grouping,
    groupOf(p) {
      const key = keyOf(p);
      let group = known.get(key);
      if (group === undefined) {
        group = grouping.groupOf(p);
        known.set(key, group);
      }
      return group;
    },
  };
}

/**
 * The groupings of every dimension over the people given (both populations): free-text labels
 * are chosen over them, and values given by fewer than the rule's smallest publishable count join
 * "Other". Counties roll up into `regions` (config/reference/regions.json by default).
 */
export function groupings(
  people: readonly ReportPerson[],
  rule: SuppressionRule,
  regions: Regions = defaultRegions(),
): Record<Dimension, Grouping> {
  const by: Record<Dimension, Grouping> = {
    tier: tierGrouping,
    category: categoryGrouping,
    region: regionGrouping(regions),
    county: countyGrouping,
    race_ethnicity: raceGrouping,
    primary_language: freeTextGrouping('primary_language', (p) => p.primaryLanguage, people, rule.minPublishedCount),
    sector: freeTextGrouping('sector', (p) => p.sector, people, rule.minPublishedCount),
    education: educationGrouping,
  };
  for (const d of DIMENSIONS) by[d] = overAll(remembered(by[d]), people);
  return by;
}

/** Which dimensions collapse which: a tier is the sum of its categories, a region of its counties. */
export function nestings(regions: Regions = defaultRegions()): Nesting[] {
  const byCounty = regionByCounty(regions);
  return [
    {
      coarse: 'tier',
      fine: 'category',
      coarseOf: (code) => categoryOf(code as (typeof CATEGORY_CODES)[number]).tier,
    },
    {
      coarse: 'region',
      fine: 'county',
      coarseOf: (fips) => regionOfCounty(byCounty, fips),
    },
  ];
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
