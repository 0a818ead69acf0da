/**
 * Some of a sorted list of ids, as one flag per id of the list. The full pass keeps which
 * applicants and endorsees read an email's rows (population-stream.ts) for as long as it runs:
 * as a Set of their ids that was 5.5 MB at 200,000 people (the strings and the table), as flags
 * over the id lists the pass keeps anyway it is a byte a person.
 */
export class IdSubset implements Iterable<string> {
  private readonly flags: Uint8Array;

  /** `sorted`: the ids the subset is taken from, in the order `<` gives, each once. */
  constructor(private readonly sorted: readonly string[]) {
    this.flags = new Uint8Array(sorted.length);
  }

  /** Adds `id`, which must be one of the list's. */
  add(id: string): void {
    const at = this.positionOf(id);
    if (at < 0) throw new Error(`${id} is not among the ids this subset is taken from`);
    this.flags[at] = 1;
  }

  has(id: string): boolean {
    const at = this.positionOf(id);
    return at >= 0 && this.flags[at] === 1;
  }

  get size(): number {
    let n = 0;
    for (const flag of this.flags) n += flag;
    return n;
  }

  /** The subset's ids, in the list's order. */
  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.flags.length; i++) if (this.flags[i] === 1) yield this.sorted[i] as string;
  }

  /** Where `id` is in the list, by binary search; -1 if it is not there. */
  private positionOf(id: string): number {
    let low = 0;
    let high = this.sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.sorted[middle] as string;
      if (at === id) return middle;
      if (at < id) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
