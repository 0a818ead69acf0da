/**
 * Small-cell suppression with complementary suppression, for any breakdown of a total that is
 * public (docs/domain.md, "Publishing to policymakers safely").
 *
 * A breakdown's total is treated as public: it is the sum of any fully published breakdown of
 * the same population. So the suppressed cells of one breakdown together hold a known number,
 * total − sum(published). That number must itself be safe: the suppressed set is empty, or it has
 * at least two cells and its sum is 0 or at least the threshold (stricter here; see Zeros).
 *
 * Each cell, not only the sum. A reader who knows this rule knows that a suppressed cell holds at
 * least 1 (zeros are published), so k suppressed cells summing to exactly k are each exactly 1:
 * eleven rural counties of one endorsee each, beside a published Milwaukee, would be read off
 * one by one. So the sum must also exceed the number of suppressed cells; then every cell could
 * hold 2 or more and none is pinned to a value. (Complements are open cells, 0 or at least the
 * threshold, so one more always repairs this.)
 *
 * Zeros. A zero is never suppressed for being small (zero may be shown), and is not chosen as a
 * complement while a non-zero cell is open: adding a zero leaves the suppressed sum unchanged, so it cannot repair a sum from
 * 1 to threshold − 1, and any set with a small (primary) cell whose sum reaches the threshold
 * already holds two non-zero cells. Complements are therefore the smallest non-zero cells.
 * A suppressed set whose sum is 0 would tell the reader that every suppressed cell is 0, so this
 * module is stricter than "0 or at least the threshold": a non-empty suppressed set must reach
 * the threshold, unless the total itself is 0 (then every cell is publicly 0 anyway). In a
 * one-count breakdown this changes nothing (primary cells are non-zero); it matters for tables
 * with several counts per group, where a group forced out for one count may hold 0 of another
 * (e.g. 5 applicants, 0 eligible: a suppressed eligible sum of 0 would reveal a 0% rate).
 * The one place zeros are suppressed is a breakdown whose total is itself from 1 to
 * threshold − 1: no choice of published cells can then hide the total, so every cell is
 * suppressed, zeros included; publishing the zeros would show that everyone in the population
 * sits in the few suppressed groups.
 */

export interface SuppressionRule {
  /** The smallest count that may be published besides zero. */
  minPublishedCount: number;
}

export class SuppressionInputError extends Error {
  override name = 'SuppressionInputError';
}

export interface Cell {
  group: string;
  count: number;
}

export interface SuppressedCell {
  group: string;
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

/** A group carrying several counts that are suppressed together (e.g. eligible and not eligible). */
export interface JointCell {
  group: string;
  counts: readonly number[];
}

/** True when a count may not be published: from 1 to minPublishedCount − 1. */
export function isSmallCount(count: number, rule: SuppressionRule): boolean {
  return count >= 1 && count < rule.minPublishedCount;
}

/**
 * True when the known sum of a non-empty suppressed set of `size` cells gives nothing away: at
 * least the threshold and more than `size` (so no cell is pinned to 1), or 0 when the total is 0.
 */
export function isSafeSum(sum: number, size: number, total: number, rule: SuppressionRule): boolean {
  return (sum >= rule.minPublishedCount && sum > size) || total === 0;
}

function validate(cells: readonly JointCell[], forced: ReadonlySet<string>): number {
  const width = cells[0]?.counts.length ?? 1;
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c.group)) throw new SuppressionInputError(`group "${c.group}" appears twice in one breakdown`);
    seen.add(c.group);
    if (c.counts.length !== width || width === 0) {
      throw new SuppressionInputError(`group "${c.group}" has ${c.counts.length} counts, expected ${width}`);
    }
    for (const n of c.counts) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new SuppressionInputError(`group "${c.group}" has count ${n}; counts are whole numbers from 0`);
      }
    }
  }
  for (const g of forced) {
    if (!seen.has(g)) throw new SuppressionInputError(`forced group "${g}" is not in the breakdown`);
  }
  return width;
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The groups to suppress in a breakdown whose cells carry one or more counts, each count having
 * a public total. Primary: every group with a count from 1 to threshold − 1, plus `forced`
 * groups. Complementary: while the set has one member, or some count's suppressed sum is not safe
 * (`isSafeSum`), add the group with the smallest non-zero value of the first failing count
 * (ties by label). When a count's total is itself from 1 to threshold − 1, every group is
 * suppressed.
 */
export function suppressJointly(
  cells: readonly JointCell[],
  rule: SuppressionRule,
  forced: Iterable<string> = [],
): Set<string> {
  const forcedSet = new Set(forced);
  const width = validate(cells, forcedSet);
  const all = new Set(cells.map((c) => c.group));

  const totals = Array.from({ length: width }, (_, k) => cells.reduce((s, c) => s + (c.counts[k] ?? 0), 0));
  if (totals.some((t) => isSmallCount(t, rule))) return all;

  const chosen = new Set(forcedSet);
  for (const c of cells) if (c.counts.some((n) => isSmallCount(n, rule))) chosen.add(c.group);

  for (;;) {
    if (chosen.size === 0) return chosen;
    const sums = Array.from({ length: width }, () => 0);
    for (const c of cells) {
      if (!chosen.has(c.group)) continue;
      c.counts.forEach((n, k) => {
        sums[k] = (sums[k] ?? 0) + n;
      });
    }
    const failing = sums.findIndex((s, k) => !isSafeSum(s, chosen.size, totals[k] ?? 0, rule));
    if (failing < 0 && chosen.size >= 2) return chosen;

    const open = cells.filter((c) => !chosen.has(c.group));
    // A lone suppressed group whose sums are already safe (only possible for a forced group) needs
    // a companion; any count of it will do, so the first count orders the candidates.
    const key = Math.max(failing, 0);
    const candidates = open
      .filter((c) => failing < 0 || (c.counts[key] ?? 0) > 0)
      .sort(
        (a, b) =>
          Number((a.counts[key] ?? 0) === 0) - Number((b.counts[key] ?? 0) === 0) ||
          (a.counts[key] ?? 0) - (b.counts[key] ?? 0) ||
          compareLabels(a.group, b.group),
      );
    const next = candidates[0];
    // Unreachable when the totals are safe (all non-zero cells together reach the total), kept so
    // the loop can only end hiding everything.
    if (!next) return all;
    chosen.add(next.group);
  }
}

/** Suppresses one breakdown of a public total: small counts, then complements until nothing is derivable. */
export function suppressBreakdown(cells: readonly Cell[], rule: SuppressionRule): SuppressedCell[] {
  const suppressed = suppressJointly(
    cells.map((c) => ({ group: c.group, counts: [c.count] })),
    rule,
  );
  return cells.map((c) =>
    suppressed.has(c.group)
      ? { group: c.group, count: null, suppressed: true }
      : { group: c.group, count: c.count, suppressed: false },
  );
}

/**
 * A published identity between cells: the count of `whole` is the sum of the counts of `parts`
 * (a population's total and one breakdown of it, a region and its counties, a group's endorsed
 * count and its renewal statuses).
 */
export interface LinkedSum {
  whole: string;
  parts: readonly string[];
}

/** Exact counts per cell id and the sums that tie them; what suppression starts from. */
export interface CountTable {
  counts: ReadonlyMap<string, number>;
  sums: readonly LinkedSum[];
}

export interface LinkedOptions {
  /**
   * Cells decided by an earlier table (the workforce counts a compliance table refers to):
   * true when withheld there. Their exact counts are in the table like any other's; they are never
   * chosen as complements here, but their sums count.
   */
  fixed?: ReadonlyMap<string, boolean>;
  /**
   * Wholes that are a population's total: when one is from 1 to threshold − 1, every cell under it
   * is withheld, zeros included (see Zeros above).
   */
  roots?: Iterable<string>;
}

/** A prime below 2^26: products of two residues stay exact in a double. */
const PRIME = 67108859;

function inverse(a: number): number {
  let [r0, r1, s0, s1] = [PRIME, ((a % PRIME) + PRIME) % PRIME, 0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % PRIME) + PRIME) % PRIME;
}

/**
 * The withheld cells whose value a reader can work out exactly by combining the published sums
 * (linear algebra over the withheld cells: a cell is determined when the unit vector on it lies in
 * the span of the sums' rows). Row reduction runs modulo a large prime, one connected group of
 * withheld cells at a time; a rank that only drops modulo the prime makes the answer stricter, never looser.
 */
export function determinedCells(table: CountTable, withheld: ReadonlySet<string>): Set<string> {
  const rows: number[][] = [];
  const index = new Map<string, number>();
  const ids: string[] = [];
  for (const id of withheld) {
    index.set(id, ids.length);
    ids.push(id);
  }
  // Union-find over withheld cells that share a sum: each group is reduced alone.
  const parent = ids.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const equations: { cells: Map<number, number> }[] = [];
  for (const s of table.sums) {
    const cells = new Map<number, number>();
    const add = (id: string, c: number) => {
      const k = index.get(id);
      if (k !== undefined) cells.set(k, (cells.get(k) ?? 0) + c);
    };
    add(s.whole, 1);
    for (const p of s.parts) add(p, -1);
    for (const [k, c] of cells) if (c === 0) cells.delete(k);
    if (cells.size === 0) continue;
    const members = [...cells.keys()];
    for (const m of members.slice(1)) parent[find(m)] = find(members[0] as number);
    equations.push({ cells });
  }
  const groups = new Map<number, { cells: Map<number, number> }[]>();
  for (const e of equations) {
    const root = find(e.cells.keys().next().value as number);
    const list = groups.get(root) ?? [];
    list.push(e);
    groups.set(root, list);
  }
  const determined = new Set<string>();
  for (const eqs of groups.values()) {
    const vars = [...new Set(eqs.flatMap((e) => [...e.cells.keys()]))];
    const col = new Map(vars.map((v, i) => [v, i]));
    rows.length = 0;
    for (const e of eqs) {
      const row = Array.from({ length: vars.length }, () => 0);
      for (const [k, c] of e.cells) row[col.get(k) as number] = ((c % PRIME) + PRIME) % PRIME;
      rows.push(row);
    }
    let r = 0;
    const pivots: number[] = [];
    for (let c = 0; c < vars.length && r < rows.length; c++) {
      const p = rows.findIndex((row, i) => i >= r && row[c] !== 0);
      if (p < 0) continue;
      [rows[r], rows[p]] = [rows[p] as number[], rows[r] as number[]];
      const pivotRow = rows[r] as number[];
      const inv = inverse(pivotRow[c] as number);
      for (let j = 0; j < vars.length; j++) pivotRow[j] = ((pivotRow[j] as number) * inv) % PRIME;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as number[];
        const f = row[c] as number;
        if (i === r || f === 0) continue;
        for (let j = 0; j < vars.length; j++) {
          row[j] = ((((row[j] as number) - f * (pivotRow[j] as number)) % PRIME) + PRIME) % PRIME;
        }
      }
      pivots.push(c);
      r++;
    }
    // A pivot row with no other non-zero entry pins its cell.
    pivots.forEach((c, i) => {
      const row = rows[i] as number[];
      if (row.every((v, j) => j === c || v === 0)) determined.add(ids[vars[c] as number] as string);
    });
  }
  return determined;
}

/**
 * Cell suppression over a table of linked sums (docs/domain.md, "Publishing to policymakers
 * safely"): withhold single cells, not whole rows, and complement in every direction a sum is
 * published. Primary: every count from 1 to threshold − 1. Then, until nothing changes:
 * - each sum with a published whole must have no withheld part, or at least two whose total is
 *   safe (`isSafeSum`); otherwise the smallest open non-zero part is withheld too;
 * - each sum with a withheld whole must have a withheld part (else the parts add up to it);
 * - a withheld small count that the published sums pin down together (`determinedCells`) gets a
 *   complement: the smallest open non-zero cell sharing a sum with it. (A withheld complement of
 *   11 or more may be pinned: that discloses no small count, and withholding more would not help.)
 * Cells are only ever added, so this ends; ties go to the label that sorts first.
 */
export function suppressLinked(table: CountTable, rule: SuppressionRule, options: LinkedOptions = {}): Set<string> {
  const { counts, sums } = table;
  const fixed = options.fixed ?? new Map<string, boolean>();
  const count = (id: string): number => {
    const n = counts.get(id);
    if (n === undefined) throw new SuppressionInputError(`cell "${id}" has no count`);
    return n;
  };
  for (const s of sums) for (const id of [s.whole, ...s.parts]) count(id);
  for (const [id, n] of counts) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new SuppressionInputError(`cell "${id}" has count ${n}; counts are whole numbers from 0`);
    }
  }
  const withheld = new Set<string>();
  for (const [id, out] of fixed) if (out) withheld.add(id);
  for (const [id, n] of counts) if (!fixed.has(id) && isSmallCount(n, rule)) withheld.add(id);
  const open = (id: string): boolean => !withheld.has(id) && !fixed.has(id);
  const roots = new Set(options.roots ?? []);
  // Cells withheld because their population's total is small (zeros included).
  const underSmallRoot = new Set<string>();
  for (const s of sums) {
    if (roots.has(s.whole) && isSmallCount(count(s.whole), rule)) {
      for (const p of s.parts) {
        if (fixed.has(p)) continue;
        withheld.add(p);
        underSmallRoot.add(p);
      }
    }
  }
  // The statewide totals are always published where the rule allows (docs/domain.md): a total is a
  // complement only when no other cell can be.
  const smallestOpen = (ids: Iterable<string>): string | undefined => {
    let best: string | undefined;
    let bestRoot: string | undefined;
    for (const id of ids) {
      if (!open(id) || count(id) === 0) continue;
      const smaller = (than: string | undefined) =>
        than === undefined || count(id) < count(than) || (count(id) === count(than) && id < than);
      if (roots.has(id)) {
        if (smaller(bestRoot)) bestRoot = id;
      } else if (smaller(best)) best = id;
    }
    return best ?? bestRoot;
  };

  const localPass = (): boolean => {
    let changed = false;
    for (const s of sums) {
      const hidden = s.parts.filter((p) => withheld.has(p));
      if (!withheld.has(s.whole)) {
        if (hidden.length === 0) continue;
        const sum = hidden.reduce((t, p) => t + count(p), 0);
        // Pinned to 1 only if the sum is no more than the withheld cells that hold someone: withheld
        // zeros (groups withheld in the table these counts depend on) pin nothing.
        const holding = hidden.filter((p) => count(p) > 0).length;
        if (hidden.length >= 2 && isSafeSum(sum, holding, count(s.whole), rule)) continue;
        // Withheld zeros of a column whose total is small (withheld whole) that this sum shows to be
        // zeros reveal no count; chasing them would withhold every sum they touch. Other withheld
        // zeros do reveal something: a group whose applicants are withheld shown to hold 0 eligible
        // says that each of its few people is not eligible, so those sums are repaired like any other.
        if (sum === 0 && hidden.every((p) => underSmallRoot.has(p))) continue;
        // No open part left to repair the sum: the whole goes instead (when this table decides it).
        const next = smallestOpen(s.parts) ?? (open(s.whole) ? s.whole : undefined);
        if (next !== undefined) {
          withheld.add(next);
          changed = true;
        }
      } else if (hidden.length === 0) {
        const next = smallestOpen(s.parts);
        if (next !== undefined) {
          withheld.add(next);
          changed = true;
        }
      }
    }
    return changed;
  };

  for (;;) {
    while (localPass()) {}
    // Only a small count must not be worked out; a complement pinned at 11 or more gives nothing away.
    const pinned = [...determinedCells(table, withheld)].filter((id) => isSmallCount(count(id), rule));
    let added = false;
    for (const id of pinned.sort()) {
      const near = sums.filter((s) => s.whole === id || s.parts.includes(id)).flatMap((s) => [s.whole, ...s.parts]);
      // When every cell beside it is withheld or zero, the pin comes from further away: widen to
      // any sum that holds a withheld cell.
      const wider = () =>
        sums.filter((s) => [s.whole, ...s.parts].some((c) => withheld.has(c))).flatMap((s) => [s.whole, ...s.parts]);
      const next = smallestOpen(near) ?? smallestOpen(wider());
      if (next !== undefined) {
        withheld.add(next);
        added = true;
        // One complement a round: it may free others, and the local rules run again first.
        break;
      }
    }
    if (!added) return withheld;
  }
}
