/**
 * "Did you mean": the one known name a near-miss header or value most likely meant
 * (docs/input-files.md, "When a header or value is almost right"). A suggestion is only ever shown
 * in a message; it is never used in place of what the file says.
 */
import { distance } from 'fastest-levenshtein';

/** A known name in folded form, what to suggest for it, and what it stands for (two labels of one thing never compete). */
export interface Candidate {
  folded: string;
  label: string;
  key: string;
}

/**
 * How many edits (a letter added, dropped or changed, or two neighbouring letters swapped) still
 * make a near miss of a known name this long: two from 6 letters, one from 4, none below, where
 * every other short name is one letter away.
 */
export function editsAllowed(length: number): number {
  return length >= 6 ? 2 : length >= 4 ? 1 : 0;
}

/** True when `a` is `b` with two neighbouring letters swapped (Asain, Asian): a typo Levenshtein counts as two edits. */
function oneSwapApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Edits between two folded texts: Levenshtein, with one swap of neighbours counted as one edit. */
export function edits(a: string, b: string): number {
  return oneSwapApart(a, b) ? 1 : distance(a, b);
}

/**
 * The label of the candidate clearly closest to any of `forms` (folded spellings of one text):
 * within editsAllowed of the candidate's length, and no other candidate as close. Undefined when
 * none is near or two are equally near (a guess between two would mislead).
 */
export function nearMiss(forms: readonly string[], candidates: readonly Candidate[]): string | undefined {
  let best: Candidate | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const c of candidates) {
    for (const f of forms) {
      if (f === '') continue;
      const allowed = editsAllowed(c.folded.length);
      // Lengths apart by more than the allowance cannot be within it: skip the distance.
      if (Math.abs(f.length - c.folded.length) > allowed) continue;
      const d = edits(f, c.folded);
      if (d > allowed || d > bestDistance) continue;
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
        tied = false;
      } else if (best && best.key !== c.key) tied = true;
    }
  }
  return best && !tied ? best.label : undefined;
}

/**
 * nearMiss behind a bounded memo keyed by the text: a file may repeat one misspelt value on a
 * million rows, and failures are reported on each (fields.ts caches only clean values).
 */
export function memoNearMiss(
  formsOf: (text: string) => readonly string[],
  candidates: readonly Candidate[],
  limit = 5_000,
): (text: string) => string | undefined {
  const seen = new Map<string, string | null>();
  return (text) => {
    const hit = seen.get(text);
    if (hit !== undefined) return hit ?? undefined;
    const label = nearMiss(formsOf(text), candidates);
    if (seen.size >= limit) seen.clear();
    seen.set(` ${text}`.slice(1), label ?? null);
    return label;
  };
}

/** The words a suggestion adds to a message. */
export const didYouMean = (label: string) => `did you mean "${label}"?`;
