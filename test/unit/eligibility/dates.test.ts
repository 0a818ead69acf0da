/** Calendar months back from a date, as the RSC window needs them. */
import { describe, expect, it } from 'vitest';
import { InvalidDateError, minusMonths } from '../../../shared/core/eligibility/dates.js';

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
