/**
 * A small seeded pseudo-random generator for the synthetic data.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state) seeded by cyrb128 of
 * the seed's text. Everything here uses only integer operations, IEEE arithmetic and Math.sqrt /
 * Math.floor, which are exactly specified, so a seed gives the same numbers on every platform and
 * Node version. Transcendental functions (Math.log, Math.exp, Math.cos) are avoided on purpose:
 * their last bits are not specified, which would make "same seed, same bytes" fragile.
 */

/** Hashes text to four 32-bit words (cyrb128), used to seed the generator. */
export function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const TWO_POW_32 = 4294967296;

/** A deterministic random stream; the same seed always yields the same sequence. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  readonly seed: string;

  constructor(seed: string | number) {
    this.seed = String(seed);
    [this.a, this.b, this.c, this.d] = hashSeed(this.seed);
    // The first outputs of sfc32 still echo the seed words; discard them.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** An independent stream named by a label, so adding draws to one part of the data leaves others unchanged. */
  fork(label: string): Random {
    return new Random(`${this.seed}/${label}`);
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /**
   * An approximately normal value (Irwin–Hall: the sum of six uniforms, rescaled), bounded to
   * mean ± 4.24 sd. Good enough for synthetic spreads and free of transcendental functions.
   */
  normal(mean = 0, sd = 1): number {
    let s = 0;
    for (let i = 0; i < 6; i++) s += this.next();
    // Six uniforms have mean 3 and variance 1/2.
    return mean + (s - 3) * Math.SQRT2 * sd;
  }

  /** A Pareto value with minimum 1 and tail index 2 (heavy-tailed, finite mean 2). */
  pareto2(): number {
    return 1 / Math.sqrt(1 - this.next());
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * Weighted sampling in O(1) per draw (Vose's alias method), for the hot loops that draw tens of
 * millions of times: building the table is O(n) once.
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is not a finite number >= 0: ${w}`);
      total += w;
    }
    if (total <= 0) throw new RangeError('alias table needs a positive total weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small = new Uint32Array(n);
    const large = new Uint32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const s = ((weights[i] as number) * n) / total;
      scaled[i] = s;
      if (s < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns] as number;
      const l = large[nl - 1] as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      const rest = (scaled[l] as number) + (scaled[s] as number) - 1;
      scaled[l] = rest;
      if (rest < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // What is left is 1 up to rounding error.
    while (nl > 0) this.prob[large[--nl] as number] = 1;
    while (ns > 0) this.prob[small[--ns] as number] = 1;
  }

  /** Draws an index with probability proportional to its weight. */
  sample(rng: Random): number {
    const i = Math.floor(rng.next() * this.size);
    return rng.next() < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}

/** A weighted choice among labelled items, backed by an alias table. */
export class WeightedChoice<T> {
  private readonly table: AliasTable;

  constructor(
    private readonly items: readonly T[],
    weights: ArrayLike<number>,
  ) {
    if (items.length !== weights.length) throw new RangeError('items and weights differ in length');
    this.table = new AliasTable(weights);
  }

  /** Builds a choice from [item, weight] pairs. */
  static of<T>(pairs: readonly (readonly [T, number])[]): WeightedChoice<T> {
    return new WeightedChoice(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  /** Draws one item with probability proportional to its weight. */
  pick(rng: Random): T {
    return this.items[this.table.sample(rng)] as T;
  }
}
