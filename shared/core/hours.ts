/** Hours as whole hundredths, so sums are exact: 0.1 + 0.2 style drift must never turn 30 hours into 29.999. */

/** Hours as a whole number of hundredths of an hour. */
export function toHundredths(hours: number): number {
  return Math.round(hours * 100);
}

/** Hundredths back to hours, exact to two decimals. */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100;
}
