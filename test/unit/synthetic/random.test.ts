import { describe, expect, it } from 'vitest';
import { AliasTable, Random, WeightedChoice } from '#tools/synthetic/random.js';

function draws(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

describe('Random', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draws(new Random('alpha'), 100)).toEqual(draws(new Random('alpha'), 100));
  });

  it('gives a different sequence for a different seed', () => {
    expect(draws(new Random('alpha'), 10)).not.toEqual(draws(new Random('beta'), 10));
  });

  it('treats a number seed like its text', () => {
    expect(draws(new Random(42), 10)).toEqual(draws(new Random('42'), 10));
  });

  it('keeps the first values of a known seed (the sequence is part of the output format)', () => {
    // Pinned so that a change to the generator, which would change every synthetic file, is noticed.
    expect(draws(new Random('iecmh'), 3)).toEqual([1831984106, 2089056666, 3872720630]);
  });

  it('forks independent streams that are themselves repeatable', () => {
    const root = new Random('root');
    const a = draws(root.fork('a'), 20);
    expect(draws(new Random('root').fork('a'), 20)).toEqual(a);
    expect(draws(root.fork('b'), 20)).not.toEqual(a);
  });

  it('draws floats in [0, 1) spread evenly', () => {
    const rng = new Random('floats');
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      const b = Math.floor(x * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(count).toBeGreaterThan(9_500);
  });

  it('draws integers within both bounds, reaching each end', () => {
    const rng = new Random('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(-2, 3);
      expect(Number.isInteger(n) && n >= -2 && n <= 3).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('hits a chance about as often as asked', () => {
    const rng = new Random('chance');
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits / 100_000).toBeCloseTo(0.3, 2);
  });

  it('draws normal-ish values with the mean and spread asked for', () => {
    const rng = new Random('normal');
    const xs = Array.from({ length: 50_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });

  it('draws heavy-tailed Pareto values of at least 1', () => {
    const rng = new Random('pareto');
    const xs = Array.from({ length: 50_000 }, () => rng.pareto2());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    // With tail index 2, P(X > 10) = 1/100.
    const over10 = xs.filter((x) => x > 10).length / xs.length;
    expect(over10).toBeGreaterThan(0.007);
    expect(over10).toBeLessThan(0.013);
  });

  it('picks every element of an array and refuses an empty one', () => {
    const rng = new Random('pick');
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) seen.add(rng.pick(['a', 'b', 'c']));
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('shuffles into a permutation of the same elements', () => {
    const shuffled = new Random('shuffle').shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(shuffled).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('AliasTable', () => {
  it('draws each index in proportion to its weight and never a zero weight', () => {
    const weights = [1, 2, 3, 0, 4];
    const table = new AliasTable(weights);
    const rng = new Random('alias');
    const counts = new Array<number>(weights.length).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const k = table.sample(rng);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[3]).toBe(0);
    weights.forEach((w, i) => {
      expect(Math.abs((counts[i] ?? 0) / n - w / 10)).toBeLessThan(0.005);
    });
  });

  it('handles very uneven weights over many items', () => {
    const weights = Array.from({ length: 1000 }, (_, i) => (i === 7 ? 1000 : 1));
    const table = new AliasTable(weights);
    const rng = new Random('uneven');
    let sevens = 0;
    for (let i = 0; i < 100_000; i++) if (table.sample(rng) === 7) sevens++;
    expect(sevens / 100_000).toBeCloseTo(1000 / 1999, 2);
  });

  it('refuses no weights, negative weights and an all-zero total', () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('WeightedChoice', () => {
  it('picks items by weight from pairs', () => {
    const choice = WeightedChoice.of([
      ['rare', 1],
      ['common', 9],
      ['never', 0],
    ] as const);
    const rng = new Random('choice');
    const counts: Record<string, number> = { rare: 0, common: 0, never: 0 };
    for (let i = 0; i < 20_000; i++) {
      const item = choice.pick(rng);
      counts[item] = (counts[item] ?? 0) + 1;
    }
    expect(counts.never).toBe(0);
    expect((counts.common ?? 0) / 20_000).toBeCloseTo(0.9, 1);
  });

  it('refuses items and weights of different lengths', () => {
    expect(() => new WeightedChoice(['a', 'b'], [1])).toThrow(RangeError);
  });
});
