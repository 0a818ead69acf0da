/**
 * Hours are summed as whole millionths of an hour, so sums are exact for any number of hours
 * written with up to six decimals: ten 0.1-hour sessions make exactly 1 (floating-point drift
 * must never turn 30 hours into 29.999), and 79 trainings of 0.375 hours make 29.625, not 30
 * (rounding each row to hundredths first would have made 30.02 and passed a 30-hour rule).
 */
const UNITS_PER_HOUR = 1_000_000;

/** Hours as a whole number of millionths of an hour. */
export function toHourUnits(hours: number): number {
  return Math.round(hours * UNITS_PER_HOUR);
}

/** Millionths of an hour back to hours (printed with at most six decimals). */
export function fromHourUnits(units: number): number {
  return units / UNITS_PER_HOUR;
}

/**
 * Hours to read in words, to two decimals without trailing zeros (4.5, 1, 0.25); a shortfall
 * (`up`) is rounded up, so 0.004 hours still missing reads 0.01, never 0.
 */
export function formatHours(hours: number, rounding: 'nearest' | 'up' = 'nearest'): string {
  const hundredths = toHourUnits(hours) / (UNITS_PER_HOUR / 100);
  return String((rounding === 'up' ? Math.ceil(hundredths) : Math.round(hundredths)) / 100);
}
