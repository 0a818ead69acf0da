/**
 * Releases that cannot be differenced (docs/domain.md, "Releases and differencing"): every published
 * count carries bounded noise, drawn afresh whenever the data behind the release change.
 *
 * Why this method. Reports are rebuilt after every upload, so two consecutive releases can differ by
 * one person. Exact counts then move by exactly one in exactly that person's groups, and the eligible
 * counts tell whether they were eligible. Suppression alone cannot stop this (the moved cells are
 * large). Official statistics add noise: the ABS cell key method perturbs each cell by a small
 * bounded amount, the Census Bureau's 2020 disclosure avoidance uses differential privacy. Here:
 *
 * - each published count gets an integer in [-maxNoise, maxNoise], uniform, from HMAC-SHA256 of the
 *   cell's name under a release key;
 * - the release key is a keyed digest (a secret key the readers never see: KMS in AWS, a file in the
 *   local state folder) of everything the reports are built from. Any change to the data, even one
 *   person, redraws the noise of every cell, so the cells of the person's groups move no more than
 *   any other cell; rebuilding from the same data gives the same release, so rebuilding cannot be
 *   used to average the noise away;
 * - the small-cell rule still applies to the exact counts (a count from 1 to threshold − 1 is never
 *   published, however it is perturbed), and a perturbed value from 1 to threshold − 1 is withheld
 *   too, so no published number looks like a small count. A zero reads 0, or (one draw in 2·maxNoise + 1)
 *   withheld, so that a group going from 0 to 1 person is not the only zero that turns withheld.
 * - rates, intervals and tests are computed from the perturbed counts, so they reveal nothing the
 *   published counts do not.
 *
 * What it costs: a published count is within maxNoise of the exact one (the report and the manifest
 * say so); exact counts stay with the administrators (admin/ exports). What remains: a reader who
 * sees many releases of unchanged data over a long time can average the noise; releases are rebuilt
 * on upload and nightly, not on demand, and each redraw needs a change in the data.
 */
import { createHash, createHmac, createSecretKey } from 'node:crypto';

export interface NoiseRule {
  /** The largest perturbation of a published count; 0 publishes exact counts. */
  maxNoise: number;
  /** The smallest count that may be published besides zero. */
  minPublishedCount: number;
}

/** The key a release's noise is drawn with: a keyed digest of the release's inputs (see releaseInputsDigest). */
export type ReleaseKey = Uint8Array;

/** A draw for each cell name: the same key and name always give the same noise. */
export interface CellNoise {
  readonly maxNoise: number;
  /** The perturbation of the named cell, an integer in [-maxNoise, maxNoise]. */
  of(cell: string): number;
}

/**
 * Uniform integers in [-maxNoise, maxNoise] from HMAC-SHA256(key, cell). The first 32 bits of the MAC
 * are used with rejection of the top, incomplete range, so every value is exactly equally likely.
 */
export function cellNoise(key: ReleaseKey, maxNoise: number): CellNoise {
  if (!Number.isInteger(maxNoise) || maxNoise < 0) throw new RangeError(`maxNoise must be a whole number >= 0`);
  const span = 2 * maxNoise + 1;
  const limit = 2 ** 32 - (2 ** 32 % span);
  // One key object for every cell's HMAC: given raw bytes, each createHmac would import the key again.
  const secret = createSecretKey(key);
  return {
    maxNoise,
    of(cell) {
      if (maxNoise === 0) return 0;
      for (let round = 0; ; round++) {
        const mac = createHmac('sha256', secret).update(`${round}\u0000${cell}`).digest();
        for (let i = 0; i + 4 <= mac.length; i += 4) {
          const draw = mac.readUInt32BE(i);
          if (draw < limit) return (draw % span) - maxNoise;
        }
      }
    },
  };
}

/** What a perturbed count publishes: the value, or null when it is withheld. */
export interface PerturbedCount {
  published: number | null;
  /** True when the exact count or its perturbed value is from 1 to threshold − 1. */
  small: boolean;
}

/**
 * A count as published: exact + noise, floored at 0. Withheld (small) when the exact count is from 1
 * to threshold − 1 (the small-cell rule is about people, not about the noise), or when the perturbed
 * value is, so that no published number looks like a small count.
 */
export function perturbCount(exact: number, noise: number, rule: NoiseRule): PerturbedCount {
  const isSmall = (n: number) => n >= 1 && n < rule.minPublishedCount;
  // A zero is shown as 0, except on its largest draw (one time in 2·maxNoise + 1), when it is withheld
  // like a small count: then a group going from 0 to 1 person (withheld) is one of several zeros that
  // turned withheld, not the only one, while most zeros still read as 0.
  if (exact === 0 && rule.maxNoise > 0) {
    return noise === rule.maxNoise ? { published: null, small: true } : { published: 0, small: false };
  }
  const value = Math.max(0, exact + noise);
  if (isSmall(exact) || isSmall(value)) return { published: null, small: true };
  return { published: value, small: false };
}

/**
 * A digest of what a release is built from, independent of order: the sorted canonical lines of its
 * records. Any change to one record changes it; the same records in any order give the same digest.
 */
export function releaseInputsDigest(records: Iterable<unknown>): string {
  const lines: string[] = [];
  for (const r of records) lines.push(JSON.stringify(r));
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

/**
 * releaseInputsDigest of records given as their JSON texts, each with how many records it stands
 * for: the same digest, without one text per record in memory.
 */
export function releaseInputsDigestOfLines(lines: ReadonlyMap<string, number>): string {
  const hash = createHash('sha256');
  // The same bytes as one update per line, gathered into larger updates (each call has a fixed cost).
  let chunk = '';
  for (const line of [...lines.keys()].sort()) {
    for (let n = lines.get(line) ?? 0; n > 0; n--) chunk += `${line}\n`;
    if (chunk.length >= 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return hash.update(chunk).digest('hex');
}

/**
 * What every report emits for a count it does not withhold: `value(cell, exact)` is the published
 * number, or null when the perturbed value is withheld (see perturbCount). One publisher serves a
 * whole release, so a count that appears in two files (applicants by county, in the workforce and
 * the disparity report) is perturbed the same way in both.
 */
export interface CountPublisher {
  readonly maxNoise: number;
  value(cell: string, exact: number): number | null;
}

/** Exact counts (maxNoise 0): what the suppression left published is published as counted. */
export const EXACT_COUNTS: CountPublisher = { maxNoise: 0, value: (_cell, exact) => exact };

/** The publisher of a release drawn with `key`. */
export function noisyCounts(key: ReleaseKey, rule: NoiseRule): CountPublisher {
  if (rule.maxNoise === 0) return EXACT_COUNTS;
  const noise = cellNoise(key, rule.maxNoise);
  return { maxNoise: rule.maxNoise, value: (cell, exact) => perturbCount(exact, noise.of(cell), rule).published };
}
