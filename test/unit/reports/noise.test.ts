/** The release noise: bounded, uniform, fixed for a key and a cell, redrawn with the key; small counts withheld. */
import { describe, expect, it } from 'vitest';
import { cellNoise, perturbCount, releaseInputsDigest } from '#core/reports/noise.js';

const key = (text: string) => new TextEncoder().encode(text);
const rule = { maxNoise: 3, minPublishedCount: 11 };

describe('cellNoise', () => {
  it('draws every value from -3 to 3 about equally often over 7,000 cells, and nothing outside', () => {
    const noise = cellNoise(key('release A'), 3);
    const seen = new Map<number, number>();
    for (let i = 0; i < 7_000; i++) {
      const n = noise.of(`county|550${i}`);
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    // 1,000 expected each; a fair draw stays within ±15% (about 5 standard deviations).
    for (const count of seen.values()) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });

  it('gives the same cell the same noise under the same key, and a fresh draw under another key', () => {
    const a = cellNoise(key('release A'), 3);
    const b = cellNoise(key('release B'), 3);
    const cells = Array.from({ length: 200 }, (_, i) => `race_ethnicity|group ${i}|applicants`);
    expect(cells.map((c) => a.of(c))).toEqual(cells.map((c) => cellNoise(key('release A'), 3).of(c)));
    const same = cells.filter((c) => a.of(c) === b.of(c)).length;
    // Independent draws agree about 1 time in 7 (29 of 200); never nearly always.
    expect(same).toBeLessThan(60);
  });

  it('is always 0 when the rule sets no noise', () => {
    expect(cellNoise(key('k'), 0).of('total|All|endorsed')).toBe(0);
  });
});

describe('perturbCount', () => {
  it('publishes exact + noise for counts of 11 or more when the result is 11 or more', () => {
    expect(perturbCount(40, -3, rule)).toEqual({ published: 37, small: false });
    expect(perturbCount(11, 2, rule)).toEqual({ published: 13, small: false });
  });

  it('withholds an exact count from 1 to 10 whatever the noise, so noise never publishes a small group', () => {
    for (const exact of [1, 5, 10]) {
      for (const noise of [-3, 0, 3]) expect(perturbCount(exact, noise, rule).published).toBeNull();
    }
  });

  it('withholds a perturbed value from 1 to 10, so no published number looks like a small count', () => {
    expect(perturbCount(12, -3, rule)).toEqual({ published: null, small: true });
    expect(perturbCount(11, -1, rule)).toEqual({ published: null, small: true });
  });

  it('shows zero as 0, except on its largest draw, when it is withheld like a small count', () => {
    for (const noise of [-3, -1, 0, 2]) expect(perturbCount(0, noise, rule)).toEqual({ published: 0, small: false });
    expect(perturbCount(0, 3, rule)).toEqual({ published: null, small: true });
  });
});

describe('releaseInputsDigest', () => {
  const people = [
    { county: '55025', eligible: true },
    { county: '55079', eligible: false },
  ];

  it('is the same for the same records in any order', () => {
    expect(releaseInputsDigest(people)).toBe(releaseInputsDigest([...people].reverse()));
  });

  it('changes when one person is added or changes', () => {
    const base = releaseInputsDigest(people);
    expect(releaseInputsDigest([...people, { county: '55001', eligible: true }])).not.toBe(base);
    expect(releaseInputsDigest([{ county: '55025', eligible: false }, people[1]])).not.toBe(base);
  });
});
