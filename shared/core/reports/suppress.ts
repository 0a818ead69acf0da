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
