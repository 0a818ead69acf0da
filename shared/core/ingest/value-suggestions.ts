/**
 * Near misses of the values matched against reference data (docs/input-files.md, "When a header
 * or value is almost right"): a county, a category, an SPD-15 category. The suggestion goes into
 * the row's rejection message; the row stays rejected.
 */
import { CATEGORIES, COUNTIES, foldLabel, SPD15_CATEGORIES } from '../reference/reference.js';
import { type Candidate, memoNearMiss } from './near-miss.js';

/** "County" as exports shorten it: Dane Cnty, Dane Co., Dane Cty. */
const COUNTY_WORD = /[\s.,]*\b(?:county|cnty|cty|co)\.?$/i;

const countyCandidates: Candidate[] = COUNTIES.flatMap((c) => [
  { folded: foldLabel(c.name), label: c.name, key: c.fips },
  { folded: foldLabel(`${c.name} County`), label: c.name, key: c.fips },
]);

/** The county a misspelt or abbreviated county name most likely means (never for digits: FIPS codes are all one digit apart). */
export const countySuggestion = memoNearMiss(
  (text) => (/\d/.test(text) ? [] : [foldLabel(text.replace(COUNTY_WORD, '')), foldLabel(text)]),
  countyCandidates,
);

export const categorySuggestion = memoNearMiss(
  (text) => [foldLabel(text)],
  CATEGORIES.flatMap((c) => [
    { folded: foldLabel(c.code), label: c.code, key: c.code },
    { folded: foldLabel(c.name), label: c.name, key: c.code },
  ]),
);

export const raceEthnicitySuggestion = memoNearMiss(
  (text) => [foldLabel(text)],
  SPD15_CATEGORIES.map((name) => ({ folded: foldLabel(name), label: name, key: name })),
);
