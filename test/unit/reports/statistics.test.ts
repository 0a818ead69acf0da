import { describe, expect, it } from 'vitest';
import { defaultPublishingRule } from '#core/reports/rule.js';
import {
  benjaminiHochberg,
  clopperPearsonInterval,
  nchsReliability,
  twoProportionZTest,
  wilsonInterval,
} from '#core/reports/statistics.js';

describe('wilsonInterval', () => {
  it('gives 0.4618 to 0.7239 for 30 of 50 at z = 1.96', () => {
    // Act
    const { low, high } = wilsonInterval(30, 50, 1.96);

    // Assess: centre (0.6 + 0.038416) / 1.076832 = 0.592866; half 1.96 · √0.00518416 / 1.076832 = 0.131053.
    expect(low).toBeCloseTo(0.4618, 4);
    expect(high).toBeCloseTo(0.7239, 4);
  });

  it('stays within 0 and 1 at the extremes', () => {
    // Act
    const none = wilsonInterval(0, 20, 1.96);
    const all = wilsonInterval(20, 20, 1.96);

    // Assess
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.1611, 4);
    expect(all.high).toBe(1);
  });
});

describe('clopperPearsonInterval', () => {
  it("matches R's binom.test on Mendel's peas: 682 of 925 gives 0.7076683 to 0.7654066", () => {
    // Act: the example of R's documentation of binom.test (stats package), binom.test(c(682, 243), p = 3/4).
    const { low, high } = clopperPearsonInterval(682, 925, 0.95);

    // Assess
    expect(low).toBeCloseTo(0.7076683, 7);
    expect(high).toBeCloseTo(0.7654066, 7);
  });

  it('has the closed form 1 − (α/2)^(1/n) above no successes: 0 of 30 reaches 0.1157', () => {
    // Act
    const { low, high } = clopperPearsonInterval(0, 30, 0.95);

    // Assess
    expect(low).toBe(0);
    expect(high).toBeCloseTo(1 - 0.025 ** (1 / 30), 12);
    expect(clopperPearsonInterval(30, 30, 0.95).high).toBe(1);
  });

  it('refuses counts that are not a proportion', () => {
    // Act / Assess
    expect(() => clopperPearsonInterval(5, 4, 0.95)).toThrow(RangeError);
    expect(() => clopperPearsonInterval(1.5, 4, 0.95)).toThrow(RangeError);
  });
});

describe('twoProportionZTest (two-sided, pooled variance)', () => {
  it('gives z = −1.4078 and p = 0.1592 for 5 of 83 against 12 of 99 (statsmodels proportions_ztest docs)', () => {
    // Act: the two-sample example of statsmodels' proportions_ztest, whose test suite pins
    // z = −1.4078304151258787 and p = 0.15918129181156992 (statsmodels issue 2969).
    const { z, p } = twoProportionZTest(5, 83, 12, 99);

    // Assess
    expect(z).toBeCloseTo(-1.4078304151258787, 10);
    expect(p).toBeCloseTo(0.15918129181156992, 10);
  });

  it('gives z = 8.99 for 351 of 605 non-smokers against 41 of 195 smokers (Penn State STAT 415, lesson 9.4)', () => {
    // Act: pooled p̂ = 392 / 800 = 0.49; z = (0.5802 − 0.2103) / √(0.49 · 0.51 · (1/605 + 1/195)).
    const { z, p } = twoProportionZTest(351, 605, 41, 195);

    // Assess
    expect(z).toBeCloseTo(8.99, 2);
    expect(p).toBeLessThan(0.0001);
  });

  it('is symmetric: swapping the groups changes the sign of z only', () => {
    // Act
    const ab = twoProportionZTest(30, 50, 20, 60);
    const ba = twoProportionZTest(20, 60, 30, 50);

    // Assess
    expect(ba.z).toBeCloseTo(-ab.z, 12);
    expect(ba.p).toBeCloseTo(ab.p, 12);
  });

  it('finds nothing to test when both groups are all eligible or all not', () => {
    // Act / Assess
    expect(twoProportionZTest(0, 40, 0, 60)).toEqual({ z: 0, p: 1 });
    expect(twoProportionZTest(40, 40, 60, 60)).toEqual({ z: 0, p: 1 });
  });
});

describe('benjaminiHochberg', () => {
  // Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57(1), section 4: the 15 p-values of a
  // thrombolysis trial; at q = 0.05 the procedure rejects the four smallest (Bonferroni three).
  const paper = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
  ];

  it('rejects the four smallest of the 1995 paper’s 15 p-values at q = 0.05', () => {
    // Act
    const adjusted = benjaminiHochberg(paper);

    // Assess
    expect(adjusted.map((p) => p <= 0.05)).toEqual(paper.map((_, i) => i < 4));
  });

  it('gives the adjusted values scipy.stats.false_discovery_control documents for that example', () => {
    // Act
    const adjusted = benjaminiHochberg(paper);

    // Assess: e.g. the fourth is 0.0095 · 15/4 = 0.035625; the sixth and seventh share 0.0298 · 15/7.
    const scipy = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765, 0.486, 0.58118182, 0.714875,
      0.75323077, 0.81321429, 1,
    ];
    adjusted.forEach((p, i) => {
      expect(p).toBeCloseTo(scipy[i] as number, 7);
    });
  });

  it('returns the adjusted values in the order given', () => {
    // Act
    const shuffled = [0.5, 0.01, 0.04];
    const adjusted = benjaminiHochberg(shuffled);

    // Assess: sorted 0.01, 0.04, 0.5 → 0.03, 0.06, 0.5.
    expect(adjusted[0]).toBeCloseTo(0.5, 12);
    expect(adjusted[1]).toBeCloseTo(0.03, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it('leaves a single p-value as it is and refuses one outside [0, 1]', () => {
    // Act / Assess
    expect(benjaminiHochberg([0.2])).toEqual([0.2]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});

describe('nchsReliability (NCHS standard for proportions, Parker et al. 2017)', () => {
  const standard = defaultPublishingRule().reliability;
  const verdict = (x: number, n: number) => nchsReliability(x, n, standard);

  it('fails fewer than 30 applicants and passes 30, whatever the rate', () => {
    // Act / Assess: 0 of 30 has a Clopper–Pearson width of 0.1157, well inside every width limit.
    expect(verdict(0, 29)).toEqual({ reliable: false, reason: 'sample_size' });
    expect(verdict(0, 30)).toEqual({ reliable: true, reason: 'within_limits' });
  });

  it('fails an interval 0.30 wide or more: 23 of 46 (0.3019) fails, 24 of 47 (0.2986) passes', () => {
    // Act / Assess
    expect(verdict(23, 46)).toEqual({ reliable: false, reason: 'width' });
    expect(verdict(24, 47)).toEqual({ reliable: true, reason: 'within_limits' });
  });

  it('fails a relative width above 130%: 10 of 150 (130.1%) fails, 11 of 150 (123.1%) and 9 of 60 (129.9%) pass', () => {
    // Act / Assess
    expect(verdict(10, 150)).toEqual({ reliable: false, reason: 'relative_width' });
    expect(verdict(11, 150)).toEqual({ reliable: true, reason: 'within_limits' });
    expect(verdict(9, 60)).toEqual({ reliable: true, reason: 'within_limits' });
  });

  it('passes an interval at most 0.05 wide even when its relative width is large: 1 of 1,000 (553%)', () => {
    // Act / Assess
    expect(verdict(1, 1000)).toEqual({ reliable: true, reason: 'narrow' });
  });
});
