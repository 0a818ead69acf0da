/** Reference data the rules speak of: categories, counties, SPD-15 race and ethnicity. */
import categoriesFile from '#config/reference/categories.json' with { type: 'json' };
import spd15File from '#config/reference/spd15.json' with { type: 'json' };
import countiesFile from '#config/reference/wisconsin-counties.json' with { type: 'json' };

export const CATEGORY_CODES = [
  'IFA',
  'IFS',
  'IFRS',
  'IMHS',
  'IMHM-C',
  'IMHM-P',
  'IMHM-RF',
  'ECFA',
  'ECFS',
  'ECFRS',
  'ECMHS',
  'ECMHM-C',
  'ECMHM-P',
  'ECMHM-RF',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const TIERS = ['associate', 'specialist', 'mhs', 'mentor'] as const;
export type Tier = (typeof TIERS)[number];

export interface Category {
  code: CategoryCode;
  name: string;
  tier: Tier;
  ageBand: 'infant' | 'early_childhood';
}

export const CATEGORIES: readonly Category[] = categoriesFile.categories as Category[];

export interface County {
  fips: string;
  name: string;
  population2020: number;
}
export const COUNTIES: readonly County[] = countiesFile.counties;

export const SPD15_CATEGORIES: readonly string[] = spd15File.categories;
export const SPD15_MULTIPLE = spd15File.multiple;
export const NOT_REPORTED = spd15File.notReported;

/** Folds a free-text label for matching: case, dashes of any kind, spaces and punctuation ignored. */
export function foldLabel(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[^a-z0-9]+/g, '');
}

const categoryByLabel = new Map<string, Category>();
for (const c of CATEGORIES) {
  categoryByLabel.set(foldLabel(c.code), c);
  categoryByLabel.set(foldLabel(c.name), c);
}

/** A category named by code or full name, in any letter case; undefined when unknown. */
export function findCategory(label: string): Category | undefined {
  return categoryByLabel.get(foldLabel(label));
}

export function categoryOf(code: CategoryCode): Category {
  const c = categoryByLabel.get(foldLabel(code));
  if (!c) throw new Error(`unknown category code ${code}`);
  return c;
}

const countyByLabel = new Map<string, County>();
for (const c of COUNTIES) {
  countyByLabel.set(c.fips, c);
  countyByLabel.set(foldLabel(c.name), c);
  countyByLabel.set(foldLabel(`${c.name} County`), c);
}

/** A Wisconsin county by name (with or without "County") or 5-digit FIPS code. */
export function findCounty(label: string): County | undefined {
  const t = label.trim();
  return /^\d{5}$/.test(t) ? countyByLabel.get(t) : countyByLabel.get(foldLabel(t));
}

const spd15ByLabel = new Map(SPD15_CATEGORIES.map((c) => [foldLabel(c), c]));

/** One SPD-15 category name matched case-insensitively. */
export function findRaceEthnicity(label: string): string | undefined {
  return spd15ByLabel.get(foldLabel(label));
}

/** Exclusive SPD-15 reporting: one category alone, the multiple label for two or more, "Not reported" for none. */
export function reportedRaceEthnicity(categories: readonly string[]): string {
  const distinct = new Set(categories);
  if (distinct.size === 0) return NOT_REPORTED;
  if (distinct.size === 1) return [...distinct][0] as string;
  return SPD15_MULTIPLE;
}
