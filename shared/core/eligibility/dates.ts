/** Calendar arithmetic on ISO dates (YYYY-MM-DD), done on the numbers so no time zone can shift a day. */

export class InvalidDateError extends Error {
  override name = 'InvalidDateError';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Throws InvalidDateError unless the value is a real calendar date YYYY-MM-DD. */
export function assertIsoDate(value: string, what = 'date'): void {
  const m = ISO_DATE.exec(value);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(m[1]), month)) {
    throw new InvalidDateError(`${what} "${value}" is not a date YYYY-MM-DD`);
  }
}

/** The date a number of calendar months before another, the day clamped to the month's end (2026-03-31 minus 1 is 2026-02-28). */
export function minusMonths(date: string, months: number): string {
  assertIsoDate(date);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
