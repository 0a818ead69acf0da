/**
 * Values spelled as real exports vary: dates mostly YYYY-MM-DD, some M/D/YYYY; categories mostly by
 * code, some by full name; counties by name, some as "X County", some by FIPS; booleans mostly
 * yes/no, some Y/N, TRUE/FALSE or 1/0.
 */

import { isoDateOfDay, usDateOfDay } from '#core/dates.js';
import { COUNTIES } from '#core/reference/reference.js';
import type { CategoryProfile } from './profiles.js';
import { type Random, WeightedChoice } from './random.js';

export const US_DATE_SHARE = 0.08;

export const COUNTY = new WeightedChoice(
  COUNTIES,
  COUNTIES.map((c) => c.population2020),
);

export const BOOLEAN_STYLES = WeightedChoice.of<readonly [string, string]>([
  [['yes', 'no'], 80],
  [['Y', 'N'], 6],
  [['TRUE', 'FALSE'], 7],
  [['1', '0'], 7],
]);

export function dateText(rng: Random, day: number): string {
  return rng.chance(US_DATE_SHARE) ? usDateOfDay(day) : isoDateOfDay(day);
}

export function categoryText(rng: Random, profile: CategoryProfile): string {
  const r = rng.next();
  if (r < 0.88) return profile.code;
  if (r < 0.97) return profile.name;
  return profile.code.toLowerCase();
}

export function countyText(rng: Random): string {
  const county = COUNTY.pick(rng);
  const r = rng.next();
  if (r < 0.8) return county.name;
  if (r < 0.92) return `${county.name} County`;
  return county.fips;
}

export function booleanText(rng: Random, value: boolean): string {
  const style = BOOLEAN_STYLES.pick(rng);
  return value ? style[0] : style[1];
}
