/**
 * Deterministic synthetic input for `iecmh generate`: the four CSV kinds of contract.md, streamed
 * to disk so that 100,000 people and a million roster rows fit in bounded memory.
 *
 * Assumptions behind the distributions (invented but plausible; none describe a real person):
 * - People: 40% current endorsees (endorsements file), 60% applicants (applicants file); each
 *   person is in exactly one of the two. Endorsement dates spread over the past 8 years, more of
 *   them recent (the density falls linearly with age: the programme has grown).
 * - Categories: mostly the associate and specialist categories (IFA, IFS, ECFA, ECFS), fewer
 *   reflective supervisors and mental health specialists, few Mentors (see CATEGORY_WEIGHTS).
 * - Education and work experience follow the category's requirement in the default ruleset
 *   (read from config, so they move with it): about 85% meet it, the rest fall a little short,
 *   so eligibility varies. Associates often have no CDA but enough months of work instead.
 * - Exams (where required), three references, a signed code of ethics: mostly satisfied.
 *   Applicants' membership: mostly expires in the coming year, about 8% lapsed, a few blank.
 *   Endorsees renew membership with the calendar year: about two thirds through the end of next
 *   year, a fifth through this year's end, some on anniversary dates after it; about 3% expired
 *   since last year's end (short this year only), 1.5% expired during last year or blank (which
 *   fails last year's renewal too).
 * - Counties weighted by 2020 census population (Milwaukee, Dane, Waukesha lead). Race and
 *   ethnicity (SPD-15) roughly like Wisconsin: about three quarters White alone, then Black,
 *   Hispanic or Latino, Asian, American Indian or Alaska Native, about 5% two or more, 5% blank.
 *   Primary language: English mostly, then Spanish and Hmong. Gender: mostly women.
 * - Trainings: a pool of max(50, people / 20), dated over the 3 years up to the as-of date, topped
 *   up so that each calendar year has at least 12 general, 4 DEI and 3 RSC-topic stand-alone
 *   trainings (pro rata for the part years at the window's ends). One in 50 of them is a 10-part
 *   competency series (monthly parts of 3 or 6 hours whose codes together cover all 24
 *   competencies, the first part DEI): about 70% of applicants at the specialist tiers and above
 *   take one and 30% of associate applicants; each part is attended by 98% of them. The other
 *   trainings have 1.5 to 12 hours in quarter hours (short sessions commonest), 1 to 3 random
 *   competency codes, 14% are DEI and 10% on providing RSC, and have a heavy-tailed popularity
 *   (Pareto, tail index 2).
 * - Endorsees' training is renewal CE (domain.md, annual renewal; the hours come from the ruleset).
 *   Each calendar year from the endorsement year on is planned whole: about 95% of years are met
 *   (most endorsees rarely miss; a tenth struggle and miss about one year in five), with one DEI
 *   training (a second one in 20% of years), RSC-topic trainings to 3 hours for RSC providers,
 *   then general trainings to 15 hours plus a little more (most up to 4 hours more, a few much
 *   more). A missed year falls short in one way: CE hours (1.5 to 8 hours short), no DEI, no RSC
 *   topic, or RSC received. Trainings fall on days spread through the year, 30% of them drawn
 *   later (the autumn rush), and each is a pool training of the right kind near that day, by
 *   popularity; those before the window or the endorsement, or after the as-of date, are not
 *   written. So a past year is met or missed as planned (with membership, about 6% of
 *   long-standing endorsees lapse) and the current year is as far along as the as-of date makes
 *   it: on 1 November about half have met it and most of the rest are a few hours short. One in
 *   20 attendances is followed by a training started but not completed.
 * - Applicants share the remaining roster rows by popularity (no training above 60% of the
 *   applicants), those at higher tiers attending more (they need more hours), with a spread per
 *   person. Roster rows total about 11.5 per person, about 12 per endorsee over the 3 years and 11
 *   per applicant. About 95% of attendances are completed (a blank means completed). About 10%
 *   of attendees are named by email only (letter case and surrounding spaces vary; never an
 *   endorsee whose email the endorsements file leaves blank) and about 0.4% are walk-ins whose
 *   email matches nobody. With the rest of these assumptions, roughly 15% of applicants are
 *   eligible (more associates, fewer mental health specialists and mentors), competency coverage
 *   and RSC hours being the commonest gaps.
 * - RSC received: applicants whose category needs it, about 22 sessions a person (36 at the mental
 *   health specialist and mentor tiers, which need 50 hours), 1 to 2 hours each, over the 30
 *   months up to the as-of date; 5% of them have none yet. Endorsees whose category needs it at
 *   renewal: regular sessions spread evenly through each calendar year, 1 to 10 hours more than
 *   the year asks, or short of it in the years their plan misses on RSC.
 * - Formats vary as real exports do: dates mostly YYYY-MM-DD, some M/D/YYYY; categories mostly by
 *   code, some by full name; counties by name, some as "X County", some by FIPS; booleans mostly
 *   yes/no, some Y/N, TRUE/FALSE or 1/0.
 *
 * Determinism: every part of the data draws from its own stream forked from the seed, and all
 * arithmetic is exactly specified (see random.ts), so a seed gives byte-identical files. The
 * as-of date defaults to a fixed date, not today, for the same reason.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import ruleset from '../../config/rulesets/default/2024-01-01.json' with { type: 'json' };
import type { InputKind } from '../core/model.js';
import { CATEGORIES, type CategoryCode, COUNTIES, SPD15_CATEGORIES, type Tier } from '../core/reference/reference.js';
import type { EducationLevel } from '../core/rules/ruleset.js';
import { CsvFileWriter, csvField } from './csv-writer.js';
import { AliasTable, Random, WeightedChoice } from './random.js';
import {
  APPLICATION_STATUSES,
  COMPETENCY_CODES,
  DEI_TOPICS,
  EMPLOYER_KINDS,
  FIRST_NAMES,
  GENDERS,
  LANGUAGES,
  LAST_NAMES,
  PROVIDER_CREDENTIALS,
  PROVIDERS,
  RSC_FORMATS,
  RSC_TOPICS,
  SECTORS,
  TRAINING_TOPICS,
} from './vocabulary.js';

export const DEFAULT_SEED = 'iecmh';
/** Fixed so that the same seed gives the same files on any day; pass `asOf` to move it. */
export const DEFAULT_AS_OF = '2026-11-01';

/** The columns written for each kind, in contract.md's order. */
export const COLUMNS = {
  applicants: [
    'person_id',
    'first_name',
    'last_name',
    'email',
    'category',
    'status',
    'application_date',
    'education',
    'work_experience_months',
    'exam_passed',
    'references',
    'code_of_ethics_signed',
    'membership_expires_on',
    'race_ethnicity',
    'primary_language',
    'gender',
    'county',
    'sector',
    'employer',
  ],
  rosters: [
    'training_id',
    'training_title',
    'training_date',
    'hours',
    'competencies',
    'dei',
    'rsc_topic',
    'provider',
    'person_id',
    'email',
    'first_name',
    'last_name',
    'completed',
  ],
  rsc: ['person_id', 'session_date', 'hours', 'provider_name', 'provider_category', 'format'],
  endorsements: [
    'person_id',
    'category',
    'endorsed_on',
    'membership_expires_on',
    'first_name',
    'last_name',
    'email',
    'county',
    'race_ethnicity',
    'primary_language',
    'gender',
    'sector',
  ],
} as const satisfies Record<InputKind, readonly string[]>;

/** What `generateDataset` makes and where. */
export interface GenerateOptions {
  /** How many people: applicants plus endorsees. */
  people: number;
  /** Exactly how many of them are endorsees (the rest apply); by default about 40 %, drawn at random. */
  endorsees?: number;
  /** Any text or number (42 and '42' are the same seed); the same seed gives byte-identical files. */
  seed?: string | number;
  /** The date the data is "as of", YYYY-MM-DD: nothing is dated after it. */
  asOf?: string;
  /** The folder to write into (created if missing; files in it are overwritten). */
  out: string;
  /** How many roster files to split the attendance rows into (by training date); 1 gives `rosters.csv`. */
  files?: { rosters?: number };
  /** Called every 100,000 rows or so of a file, and once when each file is complete. */
  onProgress?: (progress: GenerateProgress) => void;
}

/** How far the writing of one file has got. */
export interface GenerateProgress {
  file: string;
  rows: number;
  done: boolean;
}

/** One file written, with its kind and number of data rows. */
export interface GeneratedFile {
  kind: InputKind;
  name: string;
  path: string;
  rows: number;
}

/** What was written: the counts a caller may print or check. */
export interface GenerateResult {
  seed: string;
  asOf: string;
  people: number;
  applicants: number;
  endorsees: number;
  trainings: number;
  files: GeneratedFile[];
}

// ---------------------------------------------------------------------------------------------
// Distributions

const ENDORSEE_SHARE = 0.4;
const ROSTER_ROWS_PER_PERSON = 11.5;
const PEOPLE_PER_TRAINING = 20;
const MIN_TRAININGS = 50;
const TRAINING_DAYS = 3 * 365;
const ENDORSED_DAYS = 8 * 365;
const APPLICATION_DAYS = 2 * 365;
const RSC_DAYS = 913; // about 30 months
const US_DATE_SHARE = 0.08;
const EMAIL_ONLY_SHARE = 0.1;
const WALK_IN_SHARE = 0.004;
// No training is attended by more than this share of everyone, so small data sets stay plausible.
const MAX_TRAINING_SHARE = 0.6;
const SERIES_PARTS = 10;
// One series per this many trainings in the pool.
const TRAININGS_PER_SERIES = 50;
// Who takes a competency series: most applicants at the specialist tiers and above, fewer
// associates (for the hours). Endorsees are already endorsed: their training is renewal CE.
const SERIES_ENROLMENT = { applicant: 0.7, associate: 0.3 };
// The chance that an enrolled person attends a given part.
const SERIES_ATTENDANCE = 0.98;

// Renewal behaviour of endorsees, year by year (the hours asked come from the ruleset's renewal rules).
const RENEWAL = {
  /** Most endorsees rarely miss a year; some struggle and miss about one year in five. */
  strugglingShare: 0.1,
  missStruggling: 0.22,
  missUsual: 0.025,
  /** The chance of a second DEI training in a year. */
  secondDei: 0.2,
  /** Share of CE attendances followed by another training that the person started but did not complete. */
  incomplete: 0.05,
  /** Share of CE attendances dated by a later-weighted draw (the autumn rush before 31 December). */
  lateShare: 0.3,
  /** A training of the right kind is sought within this many days of the planned date first. */
  nearDays: 21,
};
// How a missed year falls short (weights, among those that apply to the category).
const MISS_MODES = { ceHours: 50, dei: 20, rscTopic: 12, rscReceived: 20 };

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
const RSC_SESSIONS_BY_TIER: Record<Tier, number> = { associate: 20, specialist: 22, mhs: 36, mentor: 36 };

const EDUCATION_LEVELS = ruleset.educationLevels as EducationLevel[];

// Education by the category's minimum: mostly meeting it, some short of it.
const EDUCATION_BY_MIN: Partial<Record<EducationLevel, readonly (readonly [EducationLevel, number])[]>> = {
  // Reflective supervisors have no minimum but are in practice degreed.
  none: [
    ['associate', 5],
    ['bachelor', 45],
    ['master', 45],
    ['doctorate', 5],
  ],
  cda: [
    ['none', 1],
    ['hs', 19],
    ['cda', 30],
    ['associate', 24],
    ['bachelor', 21],
    ['master', 5],
  ],
  bachelor: [
    ['hs', 2],
    ['cda', 3],
    ['associate', 8],
    ['bachelor', 60],
    ['master', 25],
    ['doctorate', 2],
  ],
  master: [
    ['associate', 2],
    ['bachelor', 10],
    ['master', 78],
    ['doctorate', 10],
  ],
};

function educationFor(min: EducationLevel): WeightedChoice<EducationLevel> {
  const table = EDUCATION_BY_MIN[min];
  if (table) return WeightedChoice.of(table);
  // A minimum the tables above do not know (a changed ruleset): the minimum and the levels round it.
  const m = EDUCATION_LEVELS.indexOf(min);
  const pairs: [EducationLevel, number][] = EDUCATION_LEVELS.map((level, i) => {
    const d = i - m;
    return [level, d < 0 ? (d === -1 ? 12 : 2) : d === 0 ? 50 : d === 1 ? 30 : 6];
  });
  return WeightedChoice.of(pairs);
}

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

const RACE_ETHNICITY = WeightedChoice.of<string>([
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
const LANGUAGE = WeightedChoice.of(LANGUAGES);
const GENDER = WeightedChoice.of(GENDERS);
const SECTOR = WeightedChoice.of(SECTORS);
const STATUS = WeightedChoice.of(APPLICATION_STATUSES);
const RSC_FORMAT = WeightedChoice.of(RSC_FORMATS);
const COUNTY = new WeightedChoice(
  COUNTIES,
  COUNTIES.map((c) => c.population2020),
);
const CATEGORY_INDEX = new AliasTable(CATEGORIES.map((c) => CATEGORY_WEIGHTS[c.code]));

// Hours in quarter hours, 1.5 to 12: every quarter is possible, the usual session lengths common.
const TRAINING_QUARTERS = (() => {
  const common: Record<number, number> = {
    6: 15,
    8: 20,
    10: 5,
    12: 18,
    16: 8,
    20: 3,
    24: 12,
    28: 3,
    30: 3,
    32: 4,
    48: 2,
  };
  const pairs: [number, number][] = [];
  for (let q = 6; q <= 48; q++) pairs.push([q, common[q] ?? 0.3]);
  return WeightedChoice.of(pairs);
})();
const RSC_QUARTERS = WeightedChoice.of<number>([
  [4, 30],
  [5, 5],
  [6, 35],
  [8, 30],
]);
const COMPETENCY_COUNT = WeightedChoice.of<number>([
  [1, 30],
  [2, 40],
  [3, 30],
]);
const BOOLEAN_STYLES = WeightedChoice.of<readonly [string, string]>([
  [['yes', 'no'], 80],
  [['Y', 'N'], 6],
  [['TRUE', 'FALSE'], 7],
  [['1', '0'], 7],
]);
const RSC_PROVIDER_CATEGORY = WeightedChoice.of<string>([
  ['IFRS', 30],
  ['ECFRS', 25],
  ['IMHM-C', 20],
  ['ECMHM-C', 15],
  ['IMHS', 5],
  ['ECMHS', 5],
]);

interface CategoryProfile {
  code: CategoryCode;
  name: string;
  tier: Tier;
  education: WeightedChoice<EducationLevel>;
  /** Months of work the category asks for (or, for associates, that replace the education). */
  workMonths: number;
  workReplacesEducation: boolean;
  exam: boolean;
  needsRsc: boolean;
  /** Hours of RSC received a renewal year asks (0: none); the lowest, for long-standing Clinical Mentors. */
  renewalRsc: number;
  renewalRscLowest: number;
  /** Hours on providing RSC a renewal year asks (0: none). */
  renewalRscTopic: number;
}

const PROFILES: readonly CategoryProfile[] = CATEGORIES.map((c) => {
  const req = ruleset.initial.requirements.find((r) => (r.categories as string[]).includes(c.code));
  if (!req) throw new Error(`the default ruleset has no requirement for ${c.code}`);
  const orWork = 'orWorkMonths' in req.education ? (req.education.orWorkMonths as number) : undefined;
  const renewal = ruleset.renewal;
  const renewalRsc = renewal.rscHours.find((r) => (r.categories as string[]).includes(c.code))?.hours ?? 0;
  const longStanding = (renewal.longStandingRsc.categories as string[]).includes(c.code);
  return {
    code: c.code,
    name: c.name,
    tier: c.tier,
    education: educationFor(req.education.min as EducationLevel),
    workMonths: orWork ?? req.workMonths,
    workReplacesEducation: orWork !== undefined,
    exam: req.exam,
    needsRsc: req.rscHours > 0 || renewalRsc > 0,
    renewalRsc,
    renewalRscLowest: longStanding ? Math.min(renewalRsc, renewal.longStandingRsc.hours) : renewalRsc,
    renewalRscTopic: (renewal.rscTopicHours.categories as string[]).includes(c.code) ? renewal.rscTopicHours.hours : 0,
  };
});

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01, UTC): integer arithmetic, formatted on the way out.

const DAY_MS = 86_400_000;

function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text)
    throw new RangeError(`asOf must be a date YYYY-MM-DD: ${text}`);
  return ms / DAY_MS;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function usDate(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

function dateText(rng: Random, day: number): string {
  return rng.chance(US_DATE_SHARE) ? usDate(day) : isoDate(day);
}

function yearEnd(day: number, yearsLater: number): number {
  return Date.UTC(yearOf(day) + yearsLater, 11, 31) / DAY_MS;
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The day number of 1 January of a year. */
function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

// ---------------------------------------------------------------------------------------------
// People: the few attributes other files need are kept in typed arrays (a few bytes a person);
// everything else is drawn while the person's own row is written.

interface People {
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
const FIRST_EMAIL = FIRST_NAMES.map(foldForEmail);
const LAST_EMAIL = LAST_NAMES.map(foldForEmail);
const FIRST_CSV = FIRST_NAMES.map(csvField);
const LAST_CSV = LAST_NAMES.map(csvField);

function personId(i: number): string {
  return `P${String(i + 1).padStart(7, '0')}`;
}

function email(people: People, i: number): string {
  return `${FIRST_EMAIL[people.first[i] as number]}.${LAST_EMAIL[people.last[i] as number]}.${i + 1}@example.org`;
}

function drawPeople(rng: Random, count: number, endorseeCount?: number): People {
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
function drawEndorsed(rng: Random, people: People, asOf: number): void {
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    // 1 - sqrt(u) has a density falling linearly from 1 to 0: recent endorsements are commoner.
    people.endorsed[i] = asOf - Math.floor(ENDORSED_DAYS * (1 - Math.sqrt(rng.next())));
    people.listed[i] = rng.chance(0.95) ? 1 : 0;
  }
}

function categoryText(rng: Random, profile: CategoryProfile): string {
  const r = rng.next();
  if (r < 0.88) return profile.code;
  if (r < 0.97) return profile.name;
  return profile.code.toLowerCase();
}

function countyText(rng: Random): string {
  const county = COUNTY.pick(rng);
  const r = rng.next();
  if (r < 0.8) return county.name;
  if (r < 0.92) return `${county.name} County`;
  return county.fips;
}

function booleanText(rng: Random, value: boolean): string {
  const style = BOOLEAN_STYLES.pick(rng);
  return value ? style[0] : style[1];
}

function employerText(rng: Random): string {
  const place = rng.chance(0.5) ? COUNTY.pick(rng).name : rng.pick(LAST_NAMES);
  return `${place} ${rng.pick(EMPLOYER_KINDS)}`;
}

function sectorFor(rng: Random, code: CategoryCode): string {
  // Policy and research/faculty mentors work, mostly, where their titles say.
  if (code.endsWith('-P') && rng.chance(0.7)) return 'Policy';
  if (code.endsWith('-RF') && rng.chance(0.7)) return 'Higher education';
  return SECTOR.pick(rng);
}

function workMonthsFor(rng: Random, profile: CategoryProfile): number {
  const req = profile.workMonths;
  if (profile.workReplacesEducation) return Math.max(0, Math.round(rng.normal(40, 30)));
  if (req === 0) return rng.int(0, 240);
  if (rng.chance(0.12)) return rng.int(Math.floor(req / 4), req - 1);
  return req + Math.max(0, Math.round(rng.normal(48, 36)));
}

/**
 * An endorsee's membership: most have renewed through the end of next year, some only through
 * this year's end; a few expired after last year's end (short this year only), a few expired
 * during last year or are blank (which also fails last year's renewal).
 */
function endorseeMembershipText(rng: Random, asOf: number): string {
  const r = rng.next();
  if (r < 0.005) return '';
  const lastYearEnd = yearEnd(asOf, -1);
  if (r < 0.015) return dateText(rng, lastYearEnd - rng.int(1, 364));
  if (r < 0.045) return dateText(rng, rng.int(lastYearEnd, Math.max(lastYearEnd, asOf - 1)));
  if (r < 0.25) return dateText(rng, yearEnd(asOf, 0));
  if (r < 0.92) return dateText(rng, yearEnd(asOf, 1));
  // Anniversary memberships, still current through this year's end.
  return dateText(rng, yearEnd(asOf, 0) + rng.int(1, 540));
}

function membershipText(rng: Random, asOf: number, lapsedShare: number): string {
  const r = rng.next();
  if (r < lapsedShare) return dateText(rng, asOf - rng.int(1, 600));
  if (r < lapsedShare + 0.03) return '';
  // Many associations renew memberships with the calendar year.
  if (rng.chance(0.4)) return dateText(rng, yearEnd(asOf, rng.chance(0.7) ? 0 : 1));
  return dateText(rng, asOf + rng.int(0, 400));
}

const PROGRESS_EVERY = 100_000;

/** Writes the writer's buffer when full and reports progress every PROGRESS_EVERY rows. */
type Drain = () => Promise<void>;

async function writeFile(
  dir: string,
  name: string,
  kind: InputKind,
  onProgress: GenerateOptions['onProgress'],
  body: (writer: CsvFileWriter, drain: Drain) => Promise<void>,
): Promise<GeneratedFile> {
  const path = join(dir, name);
  const writer = CsvFileWriter.open(path, COLUMNS[kind]);
  let nextReport = PROGRESS_EVERY;
  const drain: Drain = async () => {
    if (!writer.full) return;
    await writer.flush();
    if (onProgress && writer.rows >= nextReport) {
      onProgress({ file: name, rows: writer.rows, done: false });
      nextReport = (Math.floor(writer.rows / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
    }
  };
  try {
    await body(writer, drain);
    await writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  onProgress?.({ file: name, rows: writer.rows, done: true });
  return { kind, name, path, rows: writer.rows };
}

// ---------------------------------------------------------------------------------------------
// The four kinds

async function writeApplicants(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  asOf: number,
  drain: Drain,
): Promise<void> {
  for (let i = 0; i < people.count; i++) {
    if (people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    const exam = p.exam
      ? rng.chance(0.85)
        ? booleanText(rng, true)
        : rng.chance(0.5)
          ? booleanText(rng, false)
          : ''
      : rng.chance(0.9)
        ? ''
        : booleanText(rng, false);
    const r = rng.next();
    const references = r < 0.9 ? '3' : r < 0.92 ? '' : String(rng.int(0, 2));
    const ethics = rng.chance(0.92) ? booleanText(rng, true) : rng.chance(0.4) ? booleanText(rng, false) : '';
    writer.row([
      personId(i),
      FIRST_NAMES[people.first[i] as number] as string,
      LAST_NAMES[people.last[i] as number] as string,
      email(people, i),
      categoryText(rng, p),
      STATUS.pick(rng),
      rng.chance(0.92) ? dateText(rng, asOf - rng.int(0, APPLICATION_DAYS)) : '',
      p.education.pick(rng),
      String(workMonthsFor(rng, p)),
      exam,
      references,
      ethics,
      membershipText(rng, asOf, 0.08),
      RACE_ETHNICITY.pick(rng),
      LANGUAGE.pick(rng),
      GENDER.pick(rng),
      countyText(rng),
      sectorFor(rng, p.code),
      rng.chance(0.9) ? employerText(rng) : '',
    ]);
    await drain();
  }
}

async function writeEndorsements(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  asOf: number,
  drain: Drain,
): Promise<void> {
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    writer.row([
      personId(i),
      categoryText(rng, p),
      dateText(rng, people.endorsed[i] as number),
      endorseeMembershipText(rng, asOf),
      FIRST_NAMES[people.first[i] as number] as string,
      LAST_NAMES[people.last[i] as number] as string,
      people.listed[i] ? email(people, i) : '',
      countyText(rng),
      RACE_ETHNICITY.pick(rng),
      LANGUAGE.pick(rng),
      GENDER.pick(rng),
      sectorFor(rng, p.code),
    ]);
    await drain();
  }
}

// Kinds of training: stand-alone general, DEI or on providing RSC, or a part of a competency series.
const GENERAL = 0;
const DEI = 1;
const RSC_TOPIC = 2;
const SERIES_PART = 3;

// The fewest stand-alone trainings of each kind (general, DEI, on providing RSC) dated in a calendar
// year (pro rata for the part years at the ends of the window), so that every endorsee can find CE,
// DEI and RSC-topic hours in every year, however small the data set.
const MIN_PER_YEAR = [12, 4, 3] as const;

interface Training {
  /** Its place in the date-ordered list of all trainings. */
  index: number;
  day: number;
  /** The escaped row start shared by all its attendees, through the provider's trailing comma. */
  prefix: string;
  /** Attendances to draw by popularity; unused for a series part. */
  attendees: number;
  /** The competency series this is a part of, or -1. */
  series: number;
  /** The 'yes'/'no' spelling of this training's export. */
  booleans: readonly [string, string];
}

interface TrainingDraft {
  day: number;
  title: string;
  quarters: number;
  codes: readonly string[];
  /** GENERAL, DEI, RSC_TOPIC or SERIES_PART. */
  kind: number;
  provider: string;
  /** Relative draw (Pareto); 0 for a series part, whose attendees are its enrolled people. */
  popularity: number;
  series: number;
}

/**
 * Competency series: people seeking endorsement commonly take a multi-part series whose parts
 * together cover every competency, which is how specialists reach full coverage. Without it, 1–3
 * codes per training drawn at random would leave almost nobody covering the 19+ required codes.
 * Each series has SERIES_PARTS monthly parts whose codes partition the 24 codes.
 */
interface Series {
  count: number;
  /** People enrolled in series s are members[offsets[s] .. offsets[s + 1]). */
  offsets: Int32Array;
  members: Int32Array;
}

function drawSeries(rng: Random, people: People, count: number): Series {
  const of = new Int32Array(people.count);
  const sizes = new Int32Array(count + 1);
  for (let i = 0; i < people.count; i++) {
    if (people.endorsee[i]) {
      of[i] = -1;
      continue;
    }
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    const share = p.tier === 'associate' ? SERIES_ENROLMENT.associate : SERIES_ENROLMENT.applicant;
    const s = rng.chance(share) ? rng.int(0, count - 1) : -1;
    of[i] = s;
    if (s >= 0) sizes[s + 1] = (sizes[s + 1] as number) + 1;
  }
  const offsets = new Int32Array(count + 1);
  for (let s = 0; s < count; s++) offsets[s + 1] = (offsets[s] as number) + (sizes[s + 1] as number);
  const members = new Int32Array(offsets[count] as number);
  const fill = offsets.slice(0, count);
  for (let i = 0; i < people.count; i++) {
    const s = of[i] as number;
    if (s < 0) continue;
    members[fill[s] as number] = i;
    fill[s] = (fill[s] as number) + 1;
  }
  return { count, offsets, members };
}

function singleKind(rng: Random): number {
  const r = rng.next();
  return r < 0.1 ? RSC_TOPIC : r < 0.24 ? DEI : GENERAL;
}

function singleDraft(rng: Random, day: number, kind: number): TrainingDraft {
  let title = rng.pick(kind === RSC_TOPIC ? RSC_TOPICS : kind === DEI ? DEI_TOPICS : TRAINING_TOPICS);
  const s = rng.next();
  if (s < 0.15) title += ` (Part ${rng.int(1, 3)})`;
  else if (s < 0.25) title += ` – Cohort ${rng.int(1, 12)}`;
  else if (s < 0.3) title += ': Advanced';
  const codes = new Set<string>();
  const n = COMPETENCY_COUNT.pick(rng);
  while (codes.size < n) codes.add(rng.pick(COMPETENCY_CODES));
  return {
    day,
    title,
    quarters: TRAINING_QUARTERS.pick(rng),
    codes: [...codes],
    kind,
    provider: rng.pick(PROVIDERS),
    popularity: rng.pareto2(),
    series: -1,
  };
}

/** The series parts and stand-alone trainings, in date order (ties keep draw order). */
function draftTrainings(rng: Random, total: number, series: Series, asOf: number): TrainingDraft[] {
  const drafts: TrainingDraft[] = [];
  // Series parts: the 24 codes shuffled and dealt out, so every part has 2 or 3 of them.
  for (let s = 0; s < series.count; s++) {
    const codes = rng.shuffle([...COMPETENCY_CODES]);
    const latestStart = TRAINING_DAYS - (SERIES_PARTS - 1) * 35;
    let day = asOf - rng.int(0, latestStart) - (SERIES_PARTS - 1) * 35;
    const provider = rng.pick(PROVIDERS);
    for (let k = 0; k < SERIES_PARTS; k++) {
      const from = Math.floor((k * codes.length) / SERIES_PARTS);
      const to = Math.floor(((k + 1) * codes.length) / SERIES_PARTS);
      const topic = k === 0 ? rng.pick(DEI_TOPICS) : rng.pick(TRAINING_TOPICS);
      drafts.push({
        day,
        title: `IECMH Competency Series ${s + 1}, Part ${k + 1} of ${SERIES_PARTS}: ${topic}`,
        quarters: rng.chance(0.5) ? 12 : 24,
        codes: codes.slice(from, to),
        // The first part is the DEI one.
        kind: k === 0 ? DEI : SERIES_PART,
        provider,
        popularity: 0,
        series: s,
      });
      day += rng.int(21, 35);
    }
  }

  const single = Math.max(0, total - drafts.length);
  for (let t = 0; t < single; t++) drafts.push(singleDraft(rng, asOf - rng.int(0, TRAINING_DAYS), singleKind(rng)));

  // Top up each calendar year of the window to the minimum of each kind.
  const from = asOf - TRAINING_DAYS;
  for (let y = yearOf(from); y <= yearOf(asOf); y++) {
    const lo = Math.max(from, yearStart(y));
    const hi = Math.min(asOf, yearStart(y + 1) - 1);
    const have = [0, 0, 0];
    for (const d of drafts) {
      if (d.series < 0 && d.day >= lo && d.day <= hi) have[d.kind] = (have[d.kind] as number) + 1;
    }
    for (let kind = GENERAL; kind <= RSC_TOPIC; kind++) {
      const want = Math.ceil(((MIN_PER_YEAR[kind] as number) * (hi - lo + 1)) / 365);
      for (let n = have[kind] as number; n < want; n++) drafts.push(singleDraft(rng, rng.int(lo, hi), kind));
    }
  }

  // Numbered in date order, as a registry would; the sort is stable, so ties keep draw order.
  return drafts.sort((a, b) => a.day - b.day);
}

/** The first index of a sorted array whose value is at least `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// At most this many nearby trainings are weighed against each other for one attendance.
const MAX_CANDIDATES = 8;

/** The stand-alone trainings of each kind in date order, from which endorsees choose their CE. */
class TrainingPool {
  private readonly index: Int32Array[] = [];
  private readonly days: Int32Array[] = [];

  constructor(private readonly drafts: readonly TrainingDraft[]) {
    for (let kind = GENERAL; kind <= RSC_TOPIC; kind++) {
      const of: number[] = [];
      drafts.forEach((d, t) => {
        if (d.series < 0 && d.kind === kind) of.push(t);
      });
      this.index.push(Int32Array.from(of));
      this.days.push(Int32Array.from(of, (t) => (drafts[t] as TrainingDraft).day));
    }
  }

  hours(t: number): number {
    return (this.drafts[t] as TrainingDraft).quarters / 4;
  }

  /**
   * A training of a kind dated from `lo` to `hi` and not in `used`: near `day` when one is, else
   * anywhere in the range; chosen by popularity. -1 when there is none.
   */
  pick(rng: Random, kind: number, day: number, lo: number, hi: number, used: readonly number[]): number {
    const near = this.pickBetween(
      rng,
      kind,
      Math.max(lo, day - RENEWAL.nearDays),
      Math.min(hi, day + RENEWAL.nearDays),
      used,
    );
    return near >= 0 ? near : this.pickBetween(rng, kind, lo, hi, used);
  }

  private pickBetween(rng: Random, kind: number, lo: number, hi: number, used: readonly number[]): number {
    const index = this.index[kind] as Int32Array;
    const days = this.days[kind] as Int32Array;
    let a = lowerBound(days, lo);
    let b = lowerBound(days, hi + 1);
    if (a >= b) return -1;
    if (b - a > MAX_CANDIDATES) {
      a += rng.int(0, b - a - MAX_CANDIDATES);
      b = a + MAX_CANDIDATES;
    }
    let sum = 0;
    for (let k = a; k < b; k++) {
      const t = index[k] as number;
      if (!used.includes(t)) sum += (this.drafts[t] as TrainingDraft).popularity;
    }
    if (sum <= 0) return -1;
    let r = rng.next() * sum;
    let last = -1;
    for (let k = a; k < b; k++) {
      const t = index[k] as number;
      if (used.includes(t)) continue;
      last = t;
      r -= (this.drafts[t] as TrainingDraft).popularity;
      if (r < 0) return t;
    }
    return last;
  }
}

/** The renewal attendance of endorsees: who goes to which stand-alone training, and whose RSC falls short when. */
interface Plans {
  /** Training t's planned attendees are members[offsets[t] .. offsets[t + 1]): person i, or ~i when not completed. */
  offsets: Int32Array;
  members: Int32Array;
  /** Bit (y − firstYear) set: person i receives too few hours of RSC in year y. */
  rscShort: Uint8Array;
  firstYear: number;
}

const CE_HOURS = ruleset.renewal.trainingHours;
const MET = 0;
const MISS_CE = 1;
const MISS_DEI = 2;
const MISS_TOPIC = 3;
const MISS_RSC = 4;

/** How a year is missed: among the ways that apply to the category. */
function missMode(rng: Random, p: CategoryProfile): number {
  const weights = [
    MISS_MODES.ceHours,
    MISS_MODES.dei,
    p.renewalRscTopic > 0 ? MISS_MODES.rscTopic : 0,
    p.renewalRsc > 0 ? MISS_MODES.rscReceived : 0,
  ];
  let r = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let m = 0; m < weights.length; m++) {
    r -= weights[m] as number;
    if (r < 0) return m + 1;
  }
  return MISS_CE;
}

/** A day of the year for a CE training, 0 to length − 1: spread through the year, some crowding into the autumn. */
function yearDay(rng: Random, length: number): number {
  let u = rng.next();
  if (rng.chance(RENEWAL.lateShare)) u = Math.sqrt(u);
  return Math.floor(u * length);
}

/** CE hours beyond the 15 asked: most do a little more, some much more. */
function ceSlack(rng: Random): number {
  const r = rng.next();
  return r < 0.65 ? rng.int(0, 16) / 4 : r < 0.92 ? rng.int(16, 40) / 4 : rng.int(40, 100) / 4;
}

/**
 * Plans each endorsee's renewal years. Every calendar year from the endorsement year on is planned
 * whole, met or missed (see RENEWAL), as hours of trainings on days through the year; trainings in
 * the data's window, after the endorsement and up to the as-of date are taken from the pool, the
 * rest only count towards the plan. So a year before the as-of date is met or missed as planned,
 * and the current year is as far along as the as-of date makes it.
 *
 * The plans are drawn twice from the same stream, first to count each training's attendees, then
 * to place them, so that memory holds only the final lists.
 */
function planRenewals(stream: () => Random, people: People, drafts: readonly TrainingDraft[], asOf: number): Plans {
  const pool = new TrainingPool(drafts);
  const firstYear = yearOf(asOf - TRAINING_DAYS);
  const rscShort = new Uint8Array(people.count);
  const offsets = new Int32Array(drafts.length + 1);
  drawPlans(stream(), people, pool, asOf, rscShort, (t) => {
    offsets[t + 1] = (offsets[t + 1] as number) + 1;
  });
  for (let t = 0; t < drafts.length; t++) offsets[t + 1] = (offsets[t + 1] as number) + (offsets[t] as number);
  const members = new Int32Array(offsets[drafts.length] as number);
  const fill = offsets.slice(0, drafts.length);
  drawPlans(stream(), people, pool, asOf, rscShort, (t, member) => {
    members[fill[t] as number] = member;
    fill[t] = (fill[t] as number) + 1;
  });
  return { offsets, members, rscShort, firstYear };
}

/** Draws every endorsee's plan, calling `attend` for each training attended: person i, or ~i when not completed. */
function drawPlans(
  rng: Random,
  people: People,
  pool: TrainingPool,
  asOf: number,
  rscShort: Uint8Array,
  attend: (training: number, member: number) => void,
): void {
  const windowStart = asOf - TRAINING_DAYS;
  const firstYear = yearOf(windowStart);
  const used: number[] = [];
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    const endorsed = people.endorsed[i] as number;
    const miss = rng.chance(RENEWAL.strugglingShare) ? RENEWAL.missStruggling : RENEWAL.missUsual;
    for (let y = Math.max(firstYear, yearOf(endorsed)); y <= yearOf(asOf); y++) {
      const start = yearStart(y);
      const length = yearStart(y + 1) - start;
      const mode = rng.chance(miss) ? missMode(rng, p) : MET;
      if (mode === MISS_RSC) rscShort[i] = (rscShort[i] as number) | (1 << (y - firstYear));
      const lo = Math.max(start, windowStart, endorsed + 1);
      const hi = Math.min(start + length - 1, asOf);
      let total = 0;
      let topic = 0;
      used.length = 0;
      /** One training of a kind; false when it would take a year missed on hours to the hours asked. */
      const take = (kind: number): boolean => {
        const day = start + yearDay(rng, length);
        const t = day >= lo && day <= hi ? pool.pick(rng, kind, day, lo, hi, used) : -1;
        const hours = t >= 0 ? pool.hours(t) : TRAINING_QUARTERS.pick(rng) / 4;
        if (mode === MISS_CE && total + hours >= CE_HOURS) return false;
        total += hours;
        if (kind === RSC_TOPIC) topic += hours;
        if (t < 0) return true;
        used.push(t);
        attend(t, i);
        if (rng.chance(RENEWAL.incomplete)) {
          const u = pool.pick(rng, GENERAL, day, lo, hi, used);
          if (u >= 0) {
            used.push(u);
            attend(u, ~i);
          }
        }
        return true;
      };
      if (mode !== MISS_DEI) {
        take(DEI);
        if (rng.chance(RENEWAL.secondDei)) take(DEI);
      }
      if (mode !== MISS_TOPIC) {
        for (let k = 0; k < 8 && topic < p.renewalRscTopic; k++) take(RSC_TOPIC);
      }
      const target = mode === MISS_CE ? CE_HOURS - rng.int(6, 32) / 4 : CE_HOURS + ceSlack(rng);
      for (let k = 0, refused = 0; k < 40 && total < target && refused < 5; k++) {
        if (!take(GENERAL)) refused++;
      }
    }
  }
}

/**
 * Gives the stand-alone trainings their attendance by popularity (what the series and the renewal
 * plans leave of the roster rows) and writes each training's row start.
 */
function finishTrainings(rng: Random, drafts: readonly TrainingDraft[], rows: number, people: number): Training[] {
  const popularity = Float64Array.from(drafts, (d) => d.popularity);
  const single = drafts.filter((d) => d.series < 0).length;
  const attendees =
    single > 0 ? allocateAttendees(rng, popularity, Math.max(single, rows), people) : new Int32Array(drafts.length);
  const width = Math.max(6, String(drafts.length).length);
  return drafts.map((d, t) => {
    const booleans = BOOLEAN_STYLES.pick(rng);
    const date = rng.chance(US_DATE_SHARE) ? usDate(d.day) : isoDate(d.day);
    const prefix = [
      `T${String(t + 1).padStart(width, '0')}`,
      csvField(d.title),
      date,
      String(d.quarters / 4),
      COMPETENCY_CODES.filter((c) => d.codes.includes(c)).join(';'),
      d.kind === DEI ? booleans[0] : booleans[1],
      d.kind === RSC_TOPIC ? booleans[0] : booleans[1],
      csvField(d.provider),
      '',
    ].join(',');
    return { index: t, day: d.day, prefix, attendees: attendees[t] as number, series: d.series, booleans };
  });
}

/**
 * Splits `total` attendances over trainings in proportion to popularity, no training above
 * MAX_TRAINING_SHARE of the people: finds by bisection the scale at which the capped shares sum
 * to the total, then rounds each share up or down at random so the total is kept on average.
 */
function allocateAttendees(rng: Random, popularity: Float64Array, total: number, people: number): Int32Array {
  const cap = Math.max(1, Math.floor(people * MAX_TRAINING_SHARE));
  const capped = (scale: number): number => {
    let sum = 0;
    for (const w of popularity) sum += Math.min(cap, scale * w);
    return sum;
  };
  let lo = 0;
  let hi = total;
  for (let i = 0; i < 100 && capped(hi) < total; i++) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (capped(mid) < total) lo = mid;
    else hi = mid;
  }
  const counts = new Int32Array(popularity.length);
  for (let t = 0; t < popularity.length; t++) {
    const share = Math.min(cap, hi * (popularity[t] as number));
    const whole = Math.floor(share);
    counts[t] = Math.min(cap, whole + (rng.next() < share - whole ? 1 : 0));
  }
  return counts;
}

/** An email as people type it on a sign-in sheet: letter case and surrounding spaces vary. */
function typedEmail(rng: Random, address: string): string {
  let text = address;
  const r = rng.next();
  if (r < 0.25) text = text.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  else if (r < 0.35) text = text.toUpperCase();
  const s = rng.next();
  if (s < 0.15) text = ` ${text}`;
  else if (s < 0.25) text = `${text} `;
  else if (s < 0.3) text = `  ${text}  `;
  return csvField(text);
}

// Of completed attendances, the share marked yes (the rest are left blank).
const COMPLETED_YES = 0.72 / 0.95;

/** Writes the rows of the trainings given; rows go out one training at a time, as rosters are kept. */
async function writeRosterFile(
  writer: CsvFileWriter,
  drain: Drain,
  rng: Random,
  people: People,
  attendance: AliasTable,
  series: Series,
  plans: Plans,
  trainings: readonly Training[],
  walkIns: { next: number },
): Promise<void> {
  const completion = (training: Training, completed: boolean | undefined): string => {
    if (completed === undefined) {
      const r = rng.next();
      return r < 0.72 ? training.booleans[0] : r < 0.95 ? '' : training.booleans[1];
    }
    if (!completed) return training.booleans[1];
    return rng.chance(COMPLETED_YES) ? training.booleans[0] : '';
  };
  /** One attendee's row; `completed` undefined draws it (about 95% completed). */
  const attendee = (training: Training, i: number, completed?: boolean): void => {
    const done = completion(training, completed);
    const first = FIRST_CSV[people.first[i] as number];
    const last = LAST_CSV[people.last[i] as number];
    // Someone whose email no file lists could not be matched by it, so sheets name them by id.
    if (people.listed[i] && rng.chance(EMAIL_ONLY_SHARE)) {
      const names = rng.chance(0.6) ? `${first},${last}` : ',';
      writer.line(`${training.prefix},${typedEmail(rng, email(people, i))},${names},${done}`);
    } else {
      writer.line(`${training.prefix}${personId(i)},,${first},${last},${done}`);
    }
  };
  const walkIn = (training: Training): void => {
    const done = completion(training, undefined);
    const f = rng.int(0, FIRST_NAMES.length - 1);
    const l = rng.int(0, LAST_NAMES.length - 1);
    const address = `${FIRST_EMAIL[f]}.${LAST_EMAIL[l]}.guest${++walkIns.next}@example.net`;
    writer.line(`${training.prefix},${typedEmail(rng, address)},${FIRST_CSV[f]},${LAST_CSV[l]},${done}`);
  };

  // seen[i] === mark: person i is already on this training's roster (a typed array, not a Set, so
  // that a million rows leave no garbage behind).
  const seen = new Uint32Array(people.count);
  let mark = 0;
  for (const training of trainings) {
    if (training.series >= 0) {
      const end = series.offsets[training.series + 1] as number;
      for (let m = series.offsets[training.series] as number; m < end; m++) {
        if (rng.chance(SERIES_ATTENDANCE)) attendee(training, series.members[m] as number);
        if (writer.full) await drain();
      }
      continue;
    }
    mark++;
    const end = plans.offsets[training.index + 1] as number;
    for (let m = plans.offsets[training.index] as number; m < end; m++) {
      const member = plans.members[m] as number;
      const i = member < 0 ? ~member : member;
      seen[i] = mark;
      attendee(training, i, member >= 0);
      if (writer.full) await drain();
    }
    // Rejection sampling without replacement; the attempt limit only matters for tiny data sets
    // where a popular training would otherwise take nearly everyone.
    let attempts = training.attendees * 20;
    for (let k = 0; k < training.attendees && attempts > 0; attempts--) {
      if (rng.chance(WALK_IN_SHARE)) {
        walkIn(training);
        k++;
      } else {
        const i = attendance.sample(rng);
        if (seen[i] === mark) continue;
        seen[i] = mark;
        attendee(training, i);
        k++;
      }
      if (writer.full) await drain();
    }
  }
}

interface Supervisor {
  name: string;
  category: string;
}

async function writeRsc(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  plans: Plans,
  asOf: number,
  drain: Drain,
): Promise<void> {
  const supervisors: Supervisor[] = [];
  const supervisorCount = Math.max(20, Math.ceil(people.count / 40));
  for (let s = 0; s < supervisorCount; s++) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}, ${rng.pick(PROVIDER_CREDENTIALS)}`;
    supervisors.push({ name: csvField(name), category: RSC_PROVIDER_CATEGORY.pick(rng) });
  }
  const from = asOf - RSC_DAYS;
  // Every session falls in the window: its dates are formatted once, not once a row.
  const iso = Array.from({ length: RSC_DAYS + 1 }, (_, k) => isoDate(from + k));
  const us = Array.from({ length: RSC_DAYS + 1 }, (_, k) => usDate(from + k));
  let days = new Int32Array(64);
  let quarters = new Int32Array(64);
  // One year's sessions of an endorsee, in quarter hours.
  let year = new Int32Array(32);
  for (let i = 0; i < people.count; i++) {
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    let n = 0;
    if (people.endorsee[i]) {
      if (p.renewalRsc === 0) continue;
      // Regular supervision, planned a calendar year at a time like the CE: enough hours for the
      // year, spread evenly through it, unless the plan says the year falls short.
      for (let y = yearOf(from); y <= yearOf(asOf); y++) {
        const start = yearStart(y);
        const length = yearStart(y + 1) - start;
        const short = ((plans.rscShort[i] as number) >> (y - plans.firstYear)) & 1;
        const need = short ? p.renewalRscLowest : p.renewalRsc;
        const target = short ? need - rng.int(6, 24) / 4 : need + rng.int(4, 40) / 4;
        let count = 0;
        let total = 0;
        while (total < target) {
          const h = RSC_QUARTERS.pick(rng);
          if (short && total + h / 4 >= need) break;
          if (count === year.length) {
            const grown = new Int32Array(count * 2);
            grown.set(year);
            year = grown;
          }
          year[count++] = h;
          total += h / 4;
        }
        for (let k = 0; k < count; k++) {
          const day = start + Math.floor(((k + rng.next()) * length) / count);
          if (day < from || day > asOf) continue;
          if (days.length <= n) {
            const grownDays = new Int32Array(n * 2);
            const grownQuarters = new Int32Array(n * 2);
            grownDays.set(days);
            grownQuarters.set(quarters);
            days = grownDays;
            quarters = grownQuarters;
          }
          days[n] = day;
          quarters[n] = year[k] as number;
          n++;
        }
      }
    } else {
      if (!p.needsRsc || rng.chance(0.05)) continue;
      const mean = RSC_SESSIONS_BY_TIER[p.tier];
      n = Math.max(1, Math.round(rng.normal(mean, mean * 0.35)));
      if (days.length < n) {
        days = new Int32Array(n * 2);
        quarters = new Int32Array(n * 2);
      }
      for (let k = 0; k < n; k++) days[k] = asOf - rng.int(0, RSC_DAYS);
      days.subarray(0, n).sort();
      for (let k = 0; k < n; k++) quarters[k] = RSC_QUARTERS.pick(rng);
    }
    if (n === 0) continue;
    const primary = rng.pick(supervisors);
    const id = personId(i);
    for (let k = 0; k < n; k++) {
      const day = days[k] as number;
      const who = rng.chance(0.85) ? primary : rng.pick(supervisors);
      const date = (rng.chance(US_DATE_SHARE) ? us : iso)[day - from] as string;
      writer.line(`${id},${date},${(quarters[k] as number) / 4},${who.name},${who.category},${RSC_FORMAT.pick(rng)}`);
    }
    await drain();
  }
}

// ---------------------------------------------------------------------------------------------

/** Writes applicants.csv, endorsements.csv, rosters*.csv and rsc.csv for `people` synthetic people into `out`. */
export async function generateDataset(options: GenerateOptions): Promise<GenerateResult> {
  const { people: count, out, onProgress } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`people must be a whole number >= 1: ${count}`);
  const rosterFiles = options.files?.rosters ?? 1;
  if (!Number.isInteger(rosterFiles) || rosterFiles < 1) {
    throw new RangeError(`files.rosters must be a whole number >= 1: ${rosterFiles}`);
  }
  const seed = String(options.seed ?? DEFAULT_SEED);
  const asOfText = options.asOf ?? DEFAULT_AS_OF;
  const asOf = parseIsoDay(asOfText);
  const root = new Random(seed);
  await mkdir(out, { recursive: true });

  const wanted = options.endorsees;
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < 0 || wanted > count)) {
    throw new RangeError(`endorsees must be a whole number from 0 to people (${count}): ${wanted}`);
  }
  const people = drawPeople(root.fork('people'), count, wanted);
  drawEndorsed(root.fork('endorsed'), people, asOf);
  let endorsees = 0;
  for (const e of people.endorsee) endorsees += e;
  const applicants = count - endorsees;

  const files: GeneratedFile[] = [];
  files.push(
    await writeFile(out, 'applicants.csv', 'applicants', onProgress, (w, drain) =>
      writeApplicants(w, root.fork('applicants'), people, asOf, drain),
    ),
  );
  files.push(
    await writeFile(out, 'endorsements.csv', 'endorsements', onProgress, (w, drain) =>
      writeEndorsements(w, root.fork('endorsements'), people, asOf, drain),
    ),
  );

  const trainingCount = Math.max(MIN_TRAININGS, Math.round(count / PEOPLE_PER_TRAINING));
  const series = drawSeries(root.fork('series'), people, Math.max(1, Math.floor(trainingCount / TRAININGS_PER_SERIES)));
  const trainingRng = root.fork('trainings');
  const drafts = draftTrainings(trainingRng, trainingCount, series, asOf);
  const plans = planRenewals(() => root.fork('plans'), people, drafts, asOf);
  // Endorsees attend what their plans say; the rest of the rows go to applicants by activity.
  const seriesRows = series.members.length * SERIES_PARTS * SERIES_ATTENDANCE;
  const popularRows = count * ROSTER_ROWS_PER_PERSON - seriesRows - plans.members.length;
  const trainings = finishTrainings(trainingRng, drafts, popularRows, applicants > 0 ? applicants : count);
  const attendance = new AliasTable(
    applicants > 0 ? people.activity.map((a, i) => (people.endorsee[i] ? 0 : a)) : people.activity,
  );
  const rosterRng = root.fork('rosters');
  const walkIns = { next: 0 };
  const width = String(rosterFiles).length;
  for (let f = 0; f < rosterFiles; f++) {
    const name = rosterFiles === 1 ? 'rosters.csv' : `rosters-${String(f + 1).padStart(width, '0')}.csv`;
    // Contiguous runs of the date-ordered trainings: each file is one period's rosters.
    const part = trainings.slice(
      Math.floor((f * trainings.length) / rosterFiles),
      Math.floor(((f + 1) * trainings.length) / rosterFiles),
    );
    files.push(
      await writeFile(out, name, 'rosters', onProgress, (w, drain) =>
        writeRosterFile(w, drain, rosterRng, people, attendance, series, plans, part, walkIns),
      ),
    );
  }

  files.push(
    await writeFile(out, 'rsc.csv', 'rsc', onProgress, (w, drain) =>
      writeRsc(w, root.fork('rsc'), people, plans, asOf, drain),
    ),
  );

  return {
    seed,
    asOf: asOfText,
    people: count,
    applicants,
    endorsees,
    trainings: trainings.length,
    files,
  };
}

/** The small data set bundled as examples: 300 people, seed "examples". */
export function generateSmallExample(out: string): Promise<GenerateResult> {
  return generateDataset({ people: 300, seed: 'examples', out });
}
