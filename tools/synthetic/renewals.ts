/** The renewal attendance of endorsees, planned a calendar year at a time from the trainings of the pool. */
import ruleset from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { firstDayOfYear, yearOfDay } from '#core/dates.js';
import type { People } from './people.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import type { Random } from './random.js';
import { DEI, GENERAL, RSC_TOPIC, TRAINING_DAYS, TRAINING_QUARTERS, type TrainingDraft } from './trainings.js';

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
export interface Plans {
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
export function planRenewals(
  stream: () => Random,
  people: People,
  drafts: readonly TrainingDraft[],
  asOf: number,
): Plans {
  const pool = new TrainingPool(drafts);
  const firstYear = yearOfDay(asOf - TRAINING_DAYS);
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
  const firstYear = yearOfDay(windowStart);
  const used: number[] = [];
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    const endorsed = people.endorsed[i] as number;
    const miss = rng.chance(RENEWAL.strugglingShare) ? RENEWAL.missStruggling : RENEWAL.missUsual;
    for (let y = Math.max(firstYear, yearOfDay(endorsed)); y <= yearOfDay(asOf); y++) {
      const start = firstDayOfYear(y);
      const length = firstDayOfYear(y + 1) - start;
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
