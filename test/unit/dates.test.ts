/** The date module: calendar months back (the RSC window), years and days on (renewal cycles). */
import { describe, expect, it } from 'vitest';
import {
  addYears,
  dayNumber,
  daysBetween,
  firstDayOfYear,
  InvalidDateError,
  isoDateOfDay,
  lastDayOfYear,
  minusMonths,
  todayIn,
  usDateOfDay,
  yearOfDay,
} from '#core/dates.js';

describe('minusMonths', () => {
  it.each([
    ['2026-11-25', 24, '2024-11-25'],
    ['2026-03-31', 1, '2026-02-28'],
    ['2024-03-31', 1, '2024-02-29'],
    ['2024-02-29', 24, '2022-02-28'],
    ['2026-01-15', 1, '2025-12-15'],
    ['2026-05-31', 13, '2025-04-30'],
  ])('takes %s back %i months to %s', (date, months, expected) => {
    expect(minusMonths(date, months)).toBe(expected);
  });

  it('refuses a date that does not exist', () => {
    expect(() => minusMonths('2026-13-01', 1)).toThrow(InvalidDateError);
  });
});

describe('date helpers', () => {
  it('moves 29 February to 28 February in a common year', () => {
    expect(addYears('2028-02-29', -3)).toBe('2025-02-28');
  });

  it('counts whole days across a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('rejects a day that does not exist', () => {
    expect(() => addYears('2025-04-31', 1)).toThrow(InvalidDateError);
  });
});

describe('day numbers', () => {
  it('count whole days from 1970-01-01 and read back as ISO and US dates', () => {
    // Act
    const day = dayNumber('2028-02-29');

    // Assess
    expect(day).toBe(21_243);
    expect(isoDateOfDay(day)).toBe('2028-02-29');
    expect(usDateOfDay(day)).toBe('2/29/2028');
    expect(yearOfDay(day)).toBe(2028);
    expect(lastDayOfYear(2027) + 1).toBe(firstDayOfYear(2028));
  });

  it('rejects a day that does not exist, naming the value', () => {
    expect(() => dayNumber('2027-02-29', 'asOf')).toThrow('asOf "2027-02-29" is not a calendar day');
  });
});

describe('todayIn', () => {
  it('is the date where the association works, not the UTC date', () => {
    // Prepare: 03:00 UTC on 1 March is still 28 February in Chicago.
    const now = new Date('2026-03-01T03:00:00Z');

    // Act and assess
    expect(todayIn('America/Chicago', now)).toBe('2026-02-28');
    expect(todayIn('UTC', now)).toBe('2026-03-01');
  });
});
