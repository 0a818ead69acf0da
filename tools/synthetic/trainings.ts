/**
 * The trainings of the rosters: a pool of stand-alone trainings and competency series, dated over
 * the window, each with its attendance by popularity and its row start.
 */

import { csvField } from '#core/csv/write.js';
import { firstDayOfYear, isoDateOfDay, usDateOfDay, yearOfDay } from '#core/dates.js';
import type { People } from './people.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import { type Random, WeightedChoice } from './random.js';
import { BOOLEAN_STYLES, US_DATE_SHARE } from './spelling.js';
import { COMPETENCY_CODES, DEI_TOPICS, PROVIDERS, RSC_TOPICS, TRAINING_TOPICS } from './vocabulary.js';

export const TRAINING_DAYS = 3 * 365;

// No training is attended by more than this share of everyone, so small data sets stay plausible.
const MAX_TRAINING_SHARE = 0.6;
export const SERIES_PARTS = 10;

// Who takes a competency series: most applicants at the specialist tiers and above, fewer
// associates (for the hours). Endorsees are already endorsed: their training is renewal CE.
const SERIES_ENROLMENT = { applicant: 0.7, associate: 0.3 };
// The chance that an enrolled person attends a given part.
export const SERIES_ATTENDANCE = 0.98;

// Hours in quarter hours, 1.5 to 12: every quarter is possible, the usual session lengths common.
export const TRAINING_QUARTERS = (() => {
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

const COMPETENCY_COUNT = WeightedChoice.of<number>([
  [1, 30],
  [2, 40],
  [3, 30],
]);

// Kinds of training: stand-alone general, DEI or on providing RSC, or a part of a competency series.
export const GENERAL = 0;
export const DEI = 1;
export const RSC_TOPIC = 2;
const SERIES_PART = 3;

// The fewest stand-alone trainings of each kind (general, DEI, on providing RSC) dated in a calendar
// year (pro rata for the part years at the ends of the window), so that every endorsee can find CE,
// DEI and RSC-topic hours in every year, however small the data set.
const MIN_PER_YEAR = [12, 4, 3] as const;

export interface Training {
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

export interface TrainingDraft {
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
export interface Series {
  count: number;
  /** People enrolled in series s are members[offsets[s] .. offsets[s + 1]). */
  offsets: Int32Array;
  members: Int32Array;
}

export function drawSeries(rng: Random, people: People, count: number): Series {
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

export function singleKind(rng: Random): number {
  const r = rng.next();
  return r < 0.1 ? RSC_TOPIC : r < 0.24 ? DEI : GENERAL;
}

export function singleDraft(rng: Random, day: number, kind: number): TrainingDraft {
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
export function draftTrainings(rng: Random, total: number, series: Series, asOf: number): TrainingDraft[] {
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
  for (let y = yearOfDay(from); y <= yearOfDay(asOf); y++) {
    const lo = Math.max(from, firstDayOfYear(y));
    const hi = Math.min(asOf, firstDayOfYear(y + 1) - 1);
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

/**
 * Gives the stand-alone trainings their attendance by popularity (what the series and the renewal
 * plans leave of the roster rows) and writes each training's row start.
 */
export function finishTrainings(
  rng: Random,
  drafts: readonly TrainingDraft[],
  rows: number,
  people: number,
): Training[] {
  const popularity = Float64Array.from(drafts, (d) => d.popularity);
  const single = drafts.filter((d) => d.series < 0).length;
  const attendees =
    single > 0 ? allocateAttendees(rng, popularity, Math.max(single, rows), people) : new Int32Array(drafts.length);
  const width = Math.max(6, String(drafts.length).length);
  return drafts.map((d, t) => {
    const booleans = BOOLEAN_STYLES.pick(rng);
    const date = rng.chance(US_DATE_SHARE) ? usDateOfDay(d.day) : isoDateOfDay(d.day);
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
