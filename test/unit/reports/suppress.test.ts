import { describe, expect, it } from 'vitest';
import { SuppressionInputError, suppressBreakdown, suppressJointly } from '#core/reports/suppress.js';

const rule = { minPublishedCount: 11 };
const cells = (counts: Record<string, number>) => Object.entries(counts).map(([group, count]) => ({ group, count }));
const hidden = (result: { group: string; suppressed: boolean }[]) =>
  result.filter((c) => c.suppressed).map((c) => c.group);

describe('suppressBreakdown', () => {
  it('publishes every count when none is from 1 to 10, zeros included', () => {
    // Act
    const result = suppressBreakdown(cells({ a: 0, b: 11, c: 40 }), rule);

    // Assess
    expect(result).toEqual([
      { group: 'a', count: 0, suppressed: false },
      { group: 'b', count: 11, suppressed: false },
      { group: 'c', count: 40, suppressed: false },
    ]);
  });

  it('withholds a small count together with the next smallest non-zero cell, skipping zeros', () => {
    // Act
    const result = suppressBreakdown(cells({ a: 3, z: 0, b: 12, c: 40 }), rule);

    // Assess: {3} alone would be total − published; {3, 12} sums to 15.
    expect(hidden(result)).toEqual(['a', 'b']);
    expect(result.find((c) => c.group === 'a')?.count).toBeNull();
  });

  it('keeps adding complements until the withheld sum reaches 11', () => {
    // Act: {1, 2} sums to 3, still small; the next smallest non-zero (11) brings it to 14.
    const result = suppressBreakdown(cells({ a: 1, b: 2, c: 11, d: 20, e: 0 }), rule);

    // Assess
    expect(hidden(result)).toEqual(['a', 'b', 'c']);
  });

  it('needs no complement when two small cells already sum to 11 or more', () => {
    // Act
    const result = suppressBreakdown(cells({ a: 5, b: 6, c: 30 }), rule);

    // Assess
    expect(hidden(result)).toEqual(['a', 'b']);
  });

  it('adds a complement when the withheld cells would each be exactly 1', () => {
    // Act: eleven counties of one person each sum to 11, but eleven cells of at least 1 summing
    // to 11 are each 1; the next smallest non-zero cell (200) must join them.
    const ones = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`c${String(i).padStart(2, '0')}`, 1]));
    const result = suppressBreakdown(cells({ ...ones, big: 200, other: 300, zero: 0 }), rule);

    // Assess
    expect(hidden(result)).toEqual([...Object.keys(ones), 'big']);
  });

  it('breaks ties between equal complements by label', () => {
    // Act
    const result = suppressBreakdown(cells({ y: 20, a: 4, x: 20, w: 30 }), rule);

    // Assess
    expect(hidden(result)).toEqual(['a', 'x']);
  });

  it('withholds the whole breakdown, zeros included, when the total itself is from 1 to 10', () => {
    // Act
    const result = suppressBreakdown(cells({ a: 4, b: 0, c: 3 }), rule);

    // Assess
    expect(hidden(result)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a negative or fractional count and a repeated group', () => {
    // Act / Assess
    expect(() => suppressBreakdown(cells({ a: -1 }), rule)).toThrow(SuppressionInputError);
    expect(() => suppressBreakdown(cells({ a: 1.5 }), rule)).toThrow(SuppressionInputError);
    expect(() => suppressBreakdown([...cells({ a: 1 }), ...cells({ a: 2 })], rule)).toThrow(/twice/);
  });
});

describe('suppressJointly', () => {
  it('adds a complement when the withheld groups hold 0 of a count whose total is not 0', () => {
    // Prepare: a and b are forced out; their eligible counts are 0, so a withheld sum of 0 would
    // tell the reader both groups had no one eligible.
    const table = [
      { group: 'a', counts: [0, 5] },
      { group: 'b', counts: [0, 7] },
      { group: 'c', counts: [30, 20] },
      { group: 'd', counts: [12, 40] },
    ];

    // Act
    const result = suppressJointly(table, rule, ['a', 'b']);

    // Assess
    expect([...result].sort()).toEqual(['a', 'b', 'd']);
  });

  it('accepts a withheld sum of 0 when that count is 0 everywhere', () => {
    // Prepare
    const table = [
      { group: 'a', counts: [0, 5] },
      { group: 'b', counts: [0, 7] },
      { group: 'c', counts: [0, 20] },
    ];

    // Act
    const result = suppressJointly(table, rule);

    // Assess
    expect([...result].sort()).toEqual(['a', 'b']);
  });

  it('gives a lone forced group a companion', () => {
    // Act
    const result = suppressJointly(
      [
        { group: 'a', counts: [20] },
        { group: 'b', counts: [0] },
        { group: 'c', counts: [15] },
      ],
      rule,
      ['a'],
    );

    // Assess
    expect([...result].sort()).toEqual(['a', 'c']);
  });
});
