/**
 * Calendar dates, the one module that reads, checks and moves them. The records hold dates as ISO
 * `YYYY-MM-DD` strings; arithmetic is done on the year, month and day numbers (or on whole days
 * since 1970-01-01, counted in UTC), so no time zone can shift a day.
 */
import type { IsoDate } from './model.js';

/** A date that is malformed or not on the calendar. A RangeError: the value is outside what a date may be. */
export class InvalidDateError extends RangeError {
  override name = 'InvalidDateError';
}

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of days in a month (1 to 12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] as number);
}

/** Milliseconds since 1970 at the start of a day; `day` may run past the month. (Date.UTC would read years 0 to 99 as 1900 to 1999.) */
function utcMs(year: number, month: number, day: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return t.getTime();
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The ISO text of a day given by its numbers. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Reads an ISO date, throwing InvalidDateError (naming `what`) when it is malformed or not a real calendar day. */
export function parseIsoDate(value: string, what = 'date'): CalendarDay {
  const m = ISO_DATE.exec(value);
  if (!m) throw new InvalidDateError(`${what} "${value}" is not a date YYYY-MM-DD`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isCalendarDay(year, month, day)) throw new InvalidDateError(`${what} "${value}" is not a calendar day`);
  return { year, month, day };
}

/** Throws InvalidDateError unless the value is a real calendar date YYYY-MM-DD. */
export function assertIsoDate(value: string, what = 'date'): void {
  parseIsoDate(value, what);
}

const ISO_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const US_TEXT = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** True when text is written as a date YYYY-MM-DD or M/D/YYYY, whether or not that day exists. */
export function looksLikeDate(text: string): boolean {
  return ISO_TEXT.test(text) || US_TEXT.test(text);
}

/** A date written YYYY-MM-DD or US M/D/YYYY (years 1900 to 2199) that exists on the calendar, as YYYY-MM-DD; undefined when not. */
export function parseDate(text: string): IsoDate | undefined {
  const iso = ISO_TEXT.exec(text);
  const us = iso ? null : US_TEXT.exec(text);
  if (!iso && !us) return undefined;
  const year = Number(iso ? iso[1] : us?.[3]);
  const month = Number(iso ? iso[2] : us?.[1]);
  const day = Number(iso ? iso[3] : us?.[2]);
  if (year < 1900 || year > 2199 || !isCalendarDay(year, month, day)) return undefined;
  return isoDate(year, month, day);
}

/** The date `days` days after an ISO date (negative for before). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const t = new Date(utcMs(year, month, day + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The same day `years` years later (earlier when negative); 29 February becomes 28 February in common years. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const y = year + years;
  return isoDate(y, month, Math.min(day, daysInMonth(y, month)));
}

/** The date a number of calendar months before another, the day clamped to the month's end (2026-03-31 minus 1 is 2026-02-28). */
export function minusMonths(date: IsoDate, months: number): IsoDate {
  const { year: y, month: m, day: d } = parseIsoDate(date);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return isoDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/** Whole days from one ISO date to another (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Today's date in a time zone (the association works, and its schedules run, in America/Chicago). */
export function todayIn(timeZone = 'America/Chicago', now = new Date()): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// Day numbers: whole days since 1970-01-01. Where many dates are drawn and compared (the synthetic
// data generator), integers are cheaper than text and are formatted only on the way out.

/** The day number of an ISO date, throwing InvalidDateError (naming `what`) when it is not one. */
export function dayNumber(date: string, what = 'date'): number {
  const { year, month, day } = parseIsoDate(date, what);
  return utcMs(year, month, day) / DAY_MS;
}

/** The ISO date of a day number. */
export function isoDateOfDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A day number written as US exports write dates, M/D/YYYY without leading zeros. */
export function usDateOfDay(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** The calendar year a day number falls in. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The day number of 1 January of a year. */
export function firstDayOfYear(year: number): number {
  return utcMs(year, 1, 1) / DAY_MS;
}

/** The day number of 31 December of a year. */
export function lastDayOfYear(year: number): number {
  return utcMs(year, 12, 31) / DAY_MS;
}
