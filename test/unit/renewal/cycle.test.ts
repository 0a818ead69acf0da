import { describe, expect, it } from 'vitest';
import { cyclePosition } from '#core/renewal/cycle.js';
import { defaultRuleset } from './builders.js';

/** An association whose renewal year ends on 30 June. */
const dueInJune = { ...defaultRuleset, renewal: { ...defaultRuleset.renewal, dueMonthDay: '06-30' } };

describe('renewal cycles', () => {
  it('with the default ruleset, is the calendar year after the endorsement year', () => {
    // Act
    const position = cyclePosition('2023-08-01', '2025-04-04', defaultRuleset);

    // Assess
    expect(position).toEqual({
      current: { start: '2025-01-01', end: '2025-12-31', endorsementCycle: false },
      previous: { start: '2024-01-01', end: '2024-12-31', endorsementCycle: false },
    });
  });

  it('runs a renewal year from the day after one due date to the next', () => {
    // Act
    const position = cyclePosition('2020-01-01', '2025-07-01', dueInJune);

    // Assess
    expect(position.current).toEqual({ start: '2025-07-01', end: '2026-06-30', endorsementCycle: false });
  });

  it('places an endorsement on the due date in the renewal year that ends that day', () => {
    // Act
    const onDueDate = cyclePosition('2025-06-30', '2025-07-01', dueInJune);
    const dayAfter = cyclePosition('2025-07-01', '2025-07-01', dueInJune);

    // Assess
    expect(onDueDate.current.endorsementCycle).toBe(false);
    expect(onDueDate.previous?.endorsementCycle).toBe(true);
    expect(dayAfter.current.endorsementCycle).toBe(true);
  });

  it('treats an endorsement dated after the as-of date as the endorsement cycle', () => {
    // Act
    const position = cyclePosition('2026-02-01', '2025-10-01', defaultRuleset);

    // Assess
    expect(position).toEqual({
      current: { start: '2025-01-01', end: '2025-12-31', endorsementCycle: true },
      previous: null,
    });
  });
});
