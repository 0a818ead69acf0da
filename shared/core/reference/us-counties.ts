/**
 * Counties outside the association's state (docs/input-files.md, "Counties outside the state"):
 * read from config/reference/us-counties.json (every US county by FIPS code, built from the Census
 * boundaries by scripts/build-us-counties.ts). A person living across the state line is accepted
 * with a warning and reported in one group, never rejected.
 */
import { z } from 'zod';
import usCountiesFile from '#config/reference/us-counties.json' with { type: 'json' };
import countiesFile from '#config/reference/wisconsin-counties.json' with { type: 'json' };
import { type Candidate, nearMiss } from '../ingest/near-miss.js';
import { parseOrThrow } from '../validate.js';
import { findCounty, foldLabel } from './reference.js';

export const UsCountiesSchema = z.strictObject({
  $comment: z.string().optional(),
  states: z
    .array(
      z.strictObject({
        fips: z.string().regex(/^\d{2}$/),
        code: z.string().regex(/^[A-Z]{2}$/),
        name: z.string().min(1),
      }),
    )
    .min(1),
  counties: z.record(z.string().regex(/^\d{5}$/), z.string().min(1)),
});

export interface UsState {
  fips: string;
  code: string;
  name: string;
}

export interface UsCounty {
  fips: string;
  /** As the Census names it, without "County" (Winona; a Virginia city and a county may share a name). */
  name: string;
  state: UsState;
}

const data = parseOrThrow(UsCountiesSchema, usCountiesFile, 'config/reference/us-counties.json is invalid');
const stateByFips = new Map(data.states.map((s) => [s.fips, s]));
const stateByLabel = new Map<string, UsState>();
for (const s of data.states) {
  stateByLabel.set(foldLabel(s.code), s);
  stateByLabel.set(foldLabel(s.name), s);
}

const home = data.states.find((s) => s.code === countiesFile.state);
if (!home) throw new Error(`the association's state ${countiesFile.state} is not in config/reference/us-counties.json`);
/** The association's state (config/reference/wisconsin-counties.json names it). */
export const ASSOCIATION_STATE: UsState = home;

/** The report group of everyone living in a county outside the association's state. */
export const OUTSIDE_STATE = `Outside ${ASSOCIATION_STATE.name}`;

const counties = new Map<string, UsCounty>();
/** Per state: folded name (with or without its county word) → the FIPS codes so named. */
const byName = new Map<string, Map<string, string[]>>();
/** Folded name → every county so named in any state (for the hint on a bare name). */
const anywhere = new Map<string, UsCounty[]>();
const COUNTY_WORDS = ['county', 'parish', 'borough', 'censusarea', 'municipality', 'cityandborough'];
for (const [fips, name] of Object.entries(data.counties)) {
  const state = stateByFips.get(fips.slice(0, 2));
  if (!state) throw new Error(`config/reference/us-counties.json: county ${fips} is in no listed state`);
  const county: UsCounty = { fips, name, state };
  counties.set(fips, county);
  const names = byName.get(state.fips) ?? new Map<string, string[]>();
  byName.set(state.fips, names);
  const folded = foldLabel(name);
  for (const key of [folded, ...COUNTY_WORDS.map((w) => folded + w)]) {
    const list = names.get(key) ?? [];
    if (!list.includes(fips)) list.push(fips);
    names.set(key, list);
  }
  const all = anywhere.get(folded) ?? [];
  all.push(county);
  anywhere.set(folded, all);
}

/** "County" and its short forms at the end of a name (Winona Cnty). */
const COUNTY_WORD = /[\s.,]*\b(?:county|cnty|cty|co|parish)\.?$/i;

const stateCandidates = new Map<string, Candidate[]>();
/** The near-miss candidates of one state's counties, built when a file first needs them. */
function candidatesIn(state: UsState): Candidate[] {
  let list = stateCandidates.get(state.fips);
  if (!list) {
    list = [...counties.values()]
      .filter((c) => c.state.fips === state.fips)
      .map((c) => ({ folded: foldLabel(c.name), label: countyLabel(c), key: c.fips }));
    stateCandidates.set(state.fips, list);
  }
  return list;
}

/** "Winona County, MN": how a warning or a hint names a county of another state. */
export function countyLabel(c: UsCounty): string {
  const word = /\bcity$/i.test(c.name)
    ? ''
    : c.state.code === 'LA'
      ? ' Parish'
      : c.state.code === 'AK'
        ? ''
        : ' County';
  return `${c.name}${word}, ${c.state.code}`;
}

/** True when a stored county (5-digit FIPS) lies in the association's state. */
export function isInAssociationState(fips: string): boolean {
  return fips.startsWith(ASSOCIATION_STATE.fips);
}

/** A US county by its 5-digit FIPS code. */
export function usCountyByFips(fips: string): UsCounty | undefined {
  return counties.get(fips);
}

/** What a county cell outside the association's state reads as: the county, or a hint for the message. */
export type OtherCountyReading = { county: UsCounty; hint?: undefined } | { county?: undefined; hint?: string };

/** "Winona County, MN", "Winona, Minnesota", "Winona County MN" (a trailing USPS code). */
function splitState(text: string): { name: string; state: UsState } | undefined {
  const comma = text.lastIndexOf(',');
  if (comma > 0) {
    const state = stateByLabel.get(foldLabel(text.slice(comma + 1)));
    return state ? { name: text.slice(0, comma), state } : undefined;
  }
  const m = /^(.+?)\s+([A-Za-z]{2})$/.exec(text);
  const state = m ? stateByLabel.get(foldLabel(m[2] as string)) : undefined;
  return m && state ? { name: m[1] as string, state } : undefined;
}

/**
 * A county named with its state or by a FIPS code of another state. A county of the association's
 * state written with its state ("Dane County, WI") reads as that county; the caller tries the
 * association's own list (findCounty) first.
 */
export function readOtherCounty(text: string): OtherCountyReading {
  const t = text.trim();
  if (/^\d{5}$/.test(t)) {
    const c = counties.get(t);
    return c ? { county: c } : {};
  }
  const split = splitState(t);
  if (split) {
    if (split.state.fips === ASSOCIATION_STATE.fips) {
      const own = findCounty(split.name);
      const c = own ? counties.get(own.fips) : undefined;
      if (c) return { county: c };
    }
    const fips = byName.get(split.state.fips)?.get(foldLabel(split.name)) ?? [];
    if (fips.length === 1) return { county: counties.get(fips[0] as string) as UsCounty };
    if (fips.length > 1) {
      return {
        hint: `${split.state.code} has ${fips.length} counties of that name: write the 5-digit FIPS code (${fips.join(' or ')})`,
      };
    }
    // A trailing two letters may be no state at all ("Dane Co"): only a comma says one was meant.
    if (t.includes(',')) {
      const guess = nearMiss(
        [foldLabel(split.name), foldLabel(split.name.replace(COUNTY_WORD, ''))],
        candidatesIn(split.state),
      );
      return { hint: guess ? `did you mean "${guess}"?` : `it is no county of ${split.state.name}` };
    }
    return {};
  }
  const named = anywhere.get(foldLabel(t.replace(COUNTY_WORD, ''))) ?? [];
  const others = named.filter((c) => !isInAssociationState(c.fips));
  if (others.length === 0) return {};
  const examples = others.slice(0, 3).map((c) => `"${countyLabel(c)}"`);
  return {
    hint: `a county of another state is written with its state (${examples.join(', ')}${others.length > 3 ? ', ...' : ''}) or as its 5-digit FIPS code`,
  };
}
