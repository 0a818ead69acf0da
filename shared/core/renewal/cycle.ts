/**
 * Renewal cycles: which dates a renewal judges, from the ruleset's `cycleYears` and `dueMonthDay`.
 *
 * Convention (documented in domain terms so an association can check it):
 * - A *renewal year* ends on its due date (`dueMonthDay`, 31 December by default) and starts the day
 *   after the previous year's due date, so with the default it is the calendar year. A date belongs to
 *   the renewal year whose span contains it.
 * - The renewal year in which a person is endorsed is their *endorsement cycle*: always one year long,
 *   exempt when `firstCycleExempt` (the first renewal needs no hours).
 * - Full cycles of `cycleYears` renewal years follow, counted from the renewal year after endorsement:
 *   endorsed in E, cycles cover E+1..E+N, E+N+1..E+2N, and so on. With `cycleYears` 1 this is exactly
 *   the annual rule: every calendar year after the endorsement year is its own cycle.
 * - The previous cycle (judged for a lapse) is the one just before the current cycle; when that is the
 *   exempt endorsement cycle, nothing is judged.
 * - A person whose endorsement date is after the as-of date is treated as in their endorsement cycle.
 */
import { addDays, daysInMonth, InvalidDateError, isoDate, parseIsoDate } from '../dates.js';
import type { IsoDate } from '../model.js';
import type { Ruleset } from '../rules/ruleset.js';

/** A span of dates, both ends included, with the due date that closes it. */
export interface Cycle {
  start: IsoDate;
  end: IsoDate;
  /** True for the renewal year in which the person was endorsed. */
  endorsementCycle: boolean;
}

/** The current and previous cycle of an endorsee on an as-of date. */
export interface CyclePosition {
  current: Cycle;
  /** Null when the current cycle is the endorsement cycle (nothing came before it). */
  previous: Cycle | null;
}

/** The due date of renewal year `year`: `dueMonthDay` in that year (a 29 February due date is the 28th in common years). */
export function dueDateOf(year: number, ruleset: Ruleset): IsoDate {
  const [mm, dd] = ruleset.renewal.dueMonthDay.split('-').map(Number) as [number, number];
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) {
    throw new InvalidDateError(
      `ruleset ${ruleset.id}: renewal.dueMonthDay "${ruleset.renewal.dueMonthDay}" is not a day`,
    );
  }
  return isoDate(year, mm, Math.min(dd, daysInMonth(year, mm)));
}

/** The renewal year a date belongs to: its calendar year, or the next one when it falls after that year's due date. */
export function renewalYearOf(date: IsoDate, ruleset: Ruleset): number {
  const { year } = parseIsoDate(date);
  return date <= dueDateOf(year, ruleset) ? year : year + 1;
}

/** The span of renewal years `first`..`last`, both included. */
function spanOf(first: number, last: number, ruleset: Ruleset, endorsementCycle: boolean): Cycle {
  return { start: addDays(dueDateOf(first - 1, ruleset), 1), end: dueDateOf(last, ruleset), endorsementCycle };
}

/** Where an endorsee stands on an as-of date: the cycle it falls in and the one before (see the module comment). */
export function cyclePosition(endorsedOn: IsoDate, asOf: IsoDate, ruleset: Ruleset): CyclePosition {
  const n = ruleset.renewal.cycleYears;
  const asOfYear = renewalYearOf(asOf, ruleset);
  const endorsedYear = renewalYearOf(endorsedOn, ruleset);
  if (asOfYear <= endorsedYear) {
    return { current: spanOf(asOfYear, asOfYear, ruleset, true), previous: null };
  }
  const index = Math.floor((asOfYear - endorsedYear - 1) / n);
  const first = endorsedYear + 1 + index * n;
  const current = spanOf(first, first + n - 1, ruleset, false);
  const previous =
    index === 0 ? spanOf(endorsedYear, endorsedYear, ruleset, true) : spanOf(first - n, first - 1, ruleset, false);
  return { current, previous };
}

/**
 * The dates the current cycle of any endorsee can span on an as-of date: every current cycle holds
 * the as-of date's renewal year (the endorsement cycle is that year; a full cycle of `cycleYears`
 * years is the one that holds it) and is at most `cycleYears` long, so it lies within the
 * `cycleYears - 1` renewal years either side. Outreach suggests only trainings of the current cycle,
 * so a job keeps only those dated in this span (suggestableTrainings), not the whole history.
 */
export function currentCyclesSpan(asOf: IsoDate, ruleset: Ruleset): { start: IsoDate; end: IsoDate } {
  const n = ruleset.renewal.cycleYears;
  const asOfYear = renewalYearOf(asOf, ruleset);
  const { start, end } = spanOf(asOfYear - n + 1, asOfYear + n - 1, ruleset, false);
  return { start, end };
}
