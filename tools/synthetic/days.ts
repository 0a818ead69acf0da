/** Dates as day numbers (days since 1970-01-01, UTC): integer arithmetic, formatted on the way out. */

const DAY_MS = 86_400_000;

export function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text)
    throw new RangeError(`asOf must be a date YYYY-MM-DD: ${text}`);
  return ms / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function usDate(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

export function yearEnd(day: number, yearsLater: number): number {
  return Date.UTC(yearOf(day) + yearsLater, 11, 31) / DAY_MS;
}

export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The day number of 1 January of a year. */
export function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}
