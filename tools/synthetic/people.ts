/**
 * People: the few attributes other files need are kept in typed arrays (a few bytes a person);
 * everything else is drawn while the person's own row is written. Also the draws that the
 * applicants and endorsements files share (race and ethnicity, language, gender, sector).
 */

import { csvField } from '#core/csv/write.js';
import { CATEGORIES, type CategoryCode, SPD15_CATEGORIES, type Tier } from '#core/reference/reference.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import { AliasTable, type Random, WeightedChoice } from './random.js';
import { FIRST_NAMES, GENDERS, LANGUAGES, LAST_NAMES, SECTORS } from './vocabulary.js';

/** Without a set number of endorsees, the chance that a person is one. */
const ENDORSEE_SHARE = 0.4;
/** Endorsement dates spread over this many days up to the as-of date. */
const ENDORSED_DAYS = 8 * 365;

/** Relative numbers of people per category: mostly associates and specialists, few mentors. */
const CATEGORY_WEIGHTS: Record<CategoryCode, number> = {
  IFA: 16,
  IFS: 18,
  IFRS: 5,
  IMHS: 8,
  'IMHM-C': 3,
  'IMHM-P': 0.8,
  'IMHM-RF': 0.8,
  ECFA: 14,
  ECFS: 16,
  ECFRS: 4,
  ECMHS: 7,
  'ECMHM-C': 2.5,
  'ECMHM-P': 0.7,
  'ECMHM-RF': 0.7,
};

// Higher tiers need more training hours and competency coverage, so they attend more; the
// factors average about 1 over the category mix above.
const TIER_ACTIVITY: Record<Tier, number> = { associate: 0.8, specialist: 1.1, mhs: 1.45, mentor: 1.6 };

const CATEGORY_INDEX = new AliasTable(CATEGORIES.map((c) => CATEGORY_WEIGHTS[c.code]));

function spd15(name: string): string {
  if (!SPD15_CATEGORIES.includes(name)) throw new Error(`not an SPD-15 category: ${name}`);
  return name;
}
const AIAN = spd15('American Indian or Alaska Native');
const ASIAN = spd15('Asian');
const BLACK = spd15('Black or African American');
const HISPANIC = spd15('Hispanic or Latino');
const MENA = spd15('Middle Eastern or North African');
const NHPI = spd15('Native Hawaiian or Pacific Islander');
const WHITE = spd15('White');

export const RACE_ETHNICITY = WeightedChoice.of<string>([
  [WHITE, 74],
  [BLACK, 7],
  [HISPANIC, 6],
  [ASIAN, 3],
  [AIAN, 1.2],
  [MENA, 0.4],
  [NHPI, 0.1],
  [`${HISPANIC};${WHITE}`, 1.8],
  [`${BLACK};${WHITE}`, 1.2],
  [`${AIAN};${WHITE}`, 0.8],
  [`${ASIAN};${WHITE}`, 0.5],
  [`${BLACK};${HISPANIC}`, 0.3],
  [`${AIAN};${BLACK};${WHITE}`, 0.1],
  ['', 5],
]);
export const LANGUAGE = WeightedChoice.of(LANGUAGES);
export const GENDER = WeightedChoice.of(GENDERS);
const SECTOR = WeightedChoice.of(SECTORS);

export interface People {
  count: number;
  endorsee: Uint8Array;
  category: Uint8Array;
  first: Uint16Array;
  last: Uint16Array;
  /** Relative chance of attending any one training. */
  activity: Float64Array;
  /** Endorsees: the day of endorsement. */
  endorsed: Int32Array;
  /** 0 for an endorsee whose email the endorsements file leaves blank (rosters then name them by id). */
  listed: Uint8Array;
}

function foldForEmail(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}
export const FIRST_EMAIL = FIRST_NAMES.map(foldForEmail);
export const LAST_EMAIL = LAST_NAMES.map(foldForEmail);
export const FIRST_CSV = FIRST_NAMES.map(csvField);
export const LAST_CSV = LAST_NAMES.map(csvField);

export function personId(i: number): string {
  return `P${String(i + 1).padStart(7, '0')}`;
}

export function email(people: People, i: number): string {
  return `${FIRST_EMAIL[people.first[i] as number]}.${LAST_EMAIL[people.last[i] as number]}.${i + 1}@example.org`;
}

export function drawPeople(rng: Random, count: number, endorseeCount?: number): People {
  const people: People = {
    count,
    endorsee: new Uint8Array(count),
    category: new Uint8Array(count),
    first: new Uint16Array(count),
    last: new Uint16Array(count),
    activity: new Float64Array(count),
    endorsed: new Int32Array(count),
    listed: new Uint8Array(count).fill(1),
  };
  let endorseesLeft = endorseeCount ?? 0;
  for (let i = 0; i < count; i++) {
    // With a set number, each person is an endorsee with the chance (endorsees left) / (people left),
    // which gives exactly that number, spread evenly (selection sampling).
    const share = endorseeCount === undefined ? ENDORSEE_SHARE : endorseesLeft / (count - i);
    people.endorsee[i] = rng.chance(share) ? 1 : 0;
    endorseesLeft -= people.endorsee[i] as number;
    const c = CATEGORY_INDEX.sample(rng);
    people.category[i] = c;
    people.first[i] = rng.int(0, FIRST_NAMES.length - 1);
    people.last[i] = rng.int(0, LAST_NAMES.length - 1);
    const tier = (PROFILES[c] as CategoryProfile).tier;
    people.activity[i] = TIER_ACTIVITY[tier] * Math.max(0.15, rng.normal(1, 0.45));
  }
  return people;
}

/** Endorsement dates and listed emails, needed by the endorsements file and by the renewal plans. */
export function drawEndorsed(rng: Random, people: People, asOf: number): void {
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    // 1 - sqrt(u) has a density falling linearly from 1 to 0: recent endorsements are commoner.
    people.endorsed[i] = asOf - Math.floor(ENDORSED_DAYS * (1 - Math.sqrt(rng.next())));
    people.listed[i] = rng.chance(0.95) ? 1 : 0;
  }
}

export function sectorFor(rng: Random, code: CategoryCode): string {
  // Policy and research/faculty mentors work, mostly, where their titles say.
  if (code.endsWith('-P') && rng.chance(0.7)) return 'Policy';
  if (code.endsWith('-RF') && rng.chance(0.7)) return 'Higher education';
  return SECTOR.pick(rng);
}
