import { describe, expect, it } from 'vitest';
import { formatHours, fromHourUnits, toHourUnits } from '#core/hours.js';

const sum = (hours: number[]) => fromHourUnits(hours.reduce((total, h) => total + toHourUnits(h), 0));

describe('hours', () => {
  it('sums ten 0.1-hour sessions to exactly 1', () => {
    expect(sum(Array.from({ length: 10 }, () => 0.1))).toBe(1);
  });

  it('sums 79 trainings of 0.375 hours to 29.625, not to 30 or more', () => {
    expect(sum(Array.from({ length: 79 }, () => 0.375))).toBe(29.625);
  });

  it('keeps hours written with up to six decimals exact', () => {
    expect(sum([0.333333, 0.333333, 0.333334])).toBe(1);
    expect(sum([1.005, 1.005])).toBe(2.01);
  });

  it('formats hours to two decimals without trailing zeros', () => {
    expect([formatHours(4.5), formatHours(1), formatHours(0.25), formatHours(0.1 + 0.2)]).toEqual([
      '4.5',
      '1',
      '0.25',
      '0.3',
    ]);
  });

  it('rounds a shortfall up, so hours still missing never read 0', () => {
    expect([formatHours(0.004, 'up'), formatHours(0.004), formatHours(4.5, 'up'), formatHours(1.001, 'up')]).toEqual([
      '0.01',
      '0',
      '4.5',
      '1.01',
    ]);
  });
});
