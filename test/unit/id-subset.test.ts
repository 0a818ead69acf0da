/**
 * IdSubset (shared/core/id-subset.ts): some ids of a sorted list, answering as a Set of them would.
 */
import { describe, expect, it } from 'vitest';
import { IdSubset } from '#core/id-subset.js';

describe('IdSubset', () => {
  const ids = Array.from({ length: 1_001 }, (_, i) => `P${String(i).padStart(4, '0')}`);

  it('answers has, size and iteration as a Set of the same ids, in the list order', () => {
    const subset = new IdSubset(ids);
    const set = new Set<string>();
    for (const i of [1_000, 0, 7, 500, 7, 999, 1]) {
      subset.add(ids[i] as string);
      set.add(ids[i] as string);
    }
    expect([...subset]).toEqual([...set].sort());
    expect(subset.size).toBe(set.size);
    for (const id of [...ids, 'P', 'P10000', 'Q0000', '']) expect(subset.has(id)).toBe(set.has(id));
  });

  it('refuses an id the list does not hold, instead of dropping it', () => {
    const subset = new IdSubset(['A', 'C']);
    expect(() => subset.add('B')).toThrow(/B is not among/);
    expect(new IdSubset([]).has('A')).toBe(false);
  });
});
