/**
 * The statistics of the disparity report (docs/domain.md, "Disparity measures"): intervals for a
 * proportion, the NCHS reliability standard for proportions, the two-proportion z-test and the
 * Benjamini–Hochberg adjustment. Pure functions of counts: they never see a person.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export interface Interval {
  low: number;
  high: number;
}

function checkCounts(successes: number, n: number): void {
  if (!(n > 0) || successes < 0 || successes > n || !Number.isInteger(successes) || !Number.isInteger(n)) {
    throw new RangeError(`a proportion needs whole numbers 0 <= successes <= n and n > 0, got ${successes}/${n}`);
  }
}

/** Wilson score interval for successes out of n at normal quantile z; both ends within [0, 1]. */
export function wilsonInterval(successes: number, n: number, z: number): Interval {
  checkCounts(successes, n);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Clopper–Pearson ("exact") interval at the given confidence, from quantiles of the beta
 * distribution; 0 and 1 at the ends that cannot move (no successes, or all).
 */
export function clopperPearsonInterval(successes: number, n: number, confidence: number): Interval {
  checkCounts(successes, n);
  const alpha = 1 - confidence;
  return {
    low: successes === 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1),
    high: successes === n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes),
  };
}

/** The thresholds of the NCHS data presentation standard for proportions, as the publishing rule holds them. */
export interface ReliabilityStandard {
  /** Confidence of the interval whose widths are judged (0.95). */
  confidence: number;
  /** A proportion from fewer than this many (effective) observations is unreliable (30). */
  minEffectiveSampleSize: number;
  /** An interval at most this wide is reliable whatever its relative width (0.05). */
  narrowWidth: number;
  /** An interval at least this wide is unreliable (0.30). */
  maxWidth: number;
  /** Otherwise, an interval wider than this share of the proportion is unreliable (1.30). */
  maxRelativeWidth: number;
}

export type ReliabilityVerdict =
  | { reliable: true; reason: 'narrow' | 'within_limits' }
  | { reliable: false; reason: 'sample_size' | 'width' | 'relative_width' };

/**
 * The NCHS standard for proportions (Parker et al. 2017, Vital Health Stat 2(175)) for a
 * proportion counted over everyone concerned, not sampled: the effective sample size is then the
 * count itself (no design effect), and the Korn–Graubard interval the standard prescribes is the
 * Clopper–Pearson interval (its degrees-of-freedom adjustment vanishes). In order: fewer than 30
 * fails; an interval of width 0.05 or less passes; width 0.30 or more fails; a relative width
 * (width / proportion) above 130% fails. A proportion of 0 has no relative width and is not
 * failed by it; the standard sends 0% and 100% to a statistician's review, which a pipeline
 * cannot do (docs/domain.md says how the report treats them).
 */
export function nchsReliability(successes: number, n: number, standard: ReliabilityStandard): ReliabilityVerdict {
  if (n < standard.minEffectiveSampleSize) return { reliable: false, reason: 'sample_size' };
  const { low, high } = clopperPearsonInterval(successes, n, standard.confidence);
  const width = high - low;
  if (width <= standard.narrowWidth) return { reliable: true, reason: 'narrow' };
  if (width >= standard.maxWidth) return { reliable: false, reason: 'width' };
  if (successes > 0 && width / (successes / n) > standard.maxRelativeWidth) {
    return { reliable: false, reason: 'relative_width' };
  }
  return { reliable: true, reason: 'within_limits' };
}

export interface ZTest {
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Two-sided two-proportion z-test with the pooled variance: z = (p1 − p2) / √(p̂(1 − p̂)(1/n1 + 1/n2)),
 * p̂ = (x1 + x2) / (n1 + n2). When everyone or no one succeeds in both groups the rates are equal
 * and there is nothing to test: z = 0, p = 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
  checkCounts(x1, n1);
  checkCounts(x2, n2);
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(variance);
  // Φ(−|z|) rather than 1 − Φ(|z|): the far tail keeps its digits instead of cancelling to 0.
  return { z, p: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)) };
}

/**
 * Benjamini–Hochberg adjusted p-values (the step-up procedure of 1995, as adjusted p-values):
 * the i-th smallest of m becomes min over j >= i of p(j)·m/j, capped at 1, and a hypothesis is
 * rejected at level q when its adjusted p-value is at most q. Returned in the order given.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values lie in [0, 1], got ${p}`);
  }
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let smallest = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1] as { p: number; i: number };
    smallest = Math.min(smallest, (p * m) / rank);
    adjusted[i] = smallest;
  }
  return adjusted;
}
