/**
 * What the index Scan (population-stream.ts) keeps per email while it runs, so that a person a
 * roster names by id and another by email counts once among a training's attendees: the email's
 * owner (of the people whose profile gives it, the id that sorts first) with the trainings that
 * owner completed in rows naming their id, and the trainings completed in rows naming the email
 * alone. Nothing is kept per person apart from this: a person without an email cannot own rows
 * naming one, so their completions are only counted.
 *
 * Each email's entry is one flat string, not an object of lists: at 200,000 people the Scan's
 * memory is these entries (docs/benchmarks.md), and a string of units up to 255 costs a byte a unit
 * where a Map, a Set or an array of numbers costs tens of bytes an entry. A position (a training's
 * index among those the Scan has seen) is 2 units, or 3 in an entry that holds one above 65,535:
 *
 *   [owner length] [owner's id] [owner's profiles giving it: 1 applicant, 2 endorsee, 3 both]
 *   [1: the email's rows seen, else 0] [units a position] [count of the owner's positions: 3 units]
 *   [the owner's positions] [the email's positions]
 */

/** Positions as units of 8 bits, `width` each. */
function pushPositions(units: number[], positions: readonly number[], width: number): void {
  for (const n of positions) {
    if (width === 3) units.push(n >>> 16);
    units.push((n >>> 8) & 0xff, n & 0xff);
  }
}

function positionsOf(entry: string, from: number, to: number, width: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += width) {
    let n = 0;
    for (let j = i; j < i + width; j++) n = n * 0x100 + entry.charCodeAt(j);
    out.push(n);
  }
  return out;
}

/** Units to a string, in slices (a spread of too many arguments overflows the stack). */
function stringOf(units: readonly number[]): string {
  const SLICE = 8192;
  if (units.length <= SLICE) return String.fromCharCode(...units);
  let s = '';
  for (let i = 0; i < units.length; i += SLICE) s += String.fromCharCode(...units.slice(i, i + SLICE));
  return s;
}

/** Which of the owner's profiles give the email: `APPLICANT_EMAIL`, `ENDORSEE_EMAIL` or both. */
export const APPLICANT_EMAIL = 1;
export const ENDORSEE_EMAIL = 2;

interface Entry {
  owner: string | undefined;
  ownerProfiles: number;
  ownerCompleted: number[];
  /** Whether the email's own partition holds rows (undefined: none seen). */
  completed: number[] | undefined;
}

function decode(entry: string): Entry {
  const length = entry.charCodeAt(0);
  const owner = length > 0 ? entry.slice(1, 1 + length) : undefined;
  const ownerProfiles = entry.charCodeAt(1 + length);
  let at = 2 + length;
  const rowsSeen = entry.charCodeAt(at) === 1;
  const width = entry.charCodeAt(at + 1);
  const [count = 0] = positionsOf(entry, at + 2, at + 5, 3);
  at += 5;
  const ownerCompleted = positionsOf(entry, at, at + width * count, width);
  at += width * count;
  return {
    owner,
    ownerProfiles,
    ownerCompleted,
    completed: rowsSeen ? positionsOf(entry, at, entry.length, width) : undefined,
  };
}

/** Three units a position hold up to 16,777,215 trainings. */
const MAX_POSITION = 0xffffff;

function encode(e: Entry): string {
  const owner = e.owner ?? '';
  if (owner.length > 0xffff) throw new Error('a person id longer than 65,535 characters');
  let largest = 0;
  for (const n of e.ownerCompleted) largest = Math.max(largest, n);
  for (const n of e.completed ?? []) largest = Math.max(largest, n);
  if (largest > MAX_POSITION) throw new Error('more trainings than an email ledger entry holds');
  const width = largest > 0xffff ? 3 : 2;
  const units: number[] = [owner.length];
  for (let i = 0; i < owner.length; i++) units.push(owner.charCodeAt(i));
  units.push(e.ownerProfiles, e.completed ? 1 : 0, width);
  pushPositions(units, [e.ownerCompleted.length], 3);
  pushPositions(units, e.ownerCompleted, width);
  if (e.completed) pushPositions(units, e.completed, width);
  return stringOf(units);
}

const NOBODY: Entry = { owner: undefined, ownerProfiles: 0, ownerCompleted: [], completed: undefined };

export class EmailLedger {
  private readonly entries = new Map<string, string>();

  /**
   * A person whose profiles give `email` (`profiles`: APPLICANT_EMAIL, ENDORSEE_EMAIL or both), with
   * the positions of the trainings they completed by id.
   */
  offer(email: string, id: string, profiles: number, completed: readonly number[]): void {
    const current = this.entries.get(email);
    const e = current === undefined ? NOBODY : decode(current);
    // The id that sorts first owns the email, whichever order the Scan met them in.
    if (e.owner !== undefined && e.owner <= id) return;
    this.entries.set(
      email,
      encode({ owner: id, ownerProfiles: profiles, ownerCompleted: [...completed], completed: e.completed }),
    );
  }

  /** The email's own partition: the positions of the trainings its rows completed (none: rows all the same). */
  rows(email: string, completed: readonly number[]): void {
    const current = this.entries.get(email);
    const e = current === undefined ? NOBODY : decode(current);
    this.entries.set(email, encode({ ...e, completed: [...completed] }));
  }

  /** Each email whose partition holds rows, with its owner (undefined: nobody's profile gives it); forgets the rest. */
  *withRows(): Generator<{ email: string } & Entry & { completed: number[] }> {
    for (const [email, entry] of this.entries) {
      this.entries.delete(email);
      const e = decode(entry);
      if (e.completed) yield { email, ...e, completed: e.completed };
    }
  }
}
