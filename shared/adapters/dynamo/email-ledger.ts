/**
 * What the index Scan (population-stream.ts) learns per email while it runs, so that a person a
 * roster names by id and another by email counts once among a training's attendees: the email's
 * owner (of the people whose profile gives it, the id that sorts first) with the trainings that
 * owner completed in rows naming their id, and the trainings completed in rows naming the email
 * alone. Nothing is kept per person apart from this: a person without an email cannot own rows
 * naming one, so their completions are only counted.
 *
 * The Scan meets a person's partition and an email's partition in any order, so every email a
 * profile gives must be remembered until the Scan ends: at 200,000 people that was 27 MB of a
 * 192 MB heap, growing with the population (docs/benchmarks.md). So the ledger holds none of it:
 * each offer and each email partition's completions go, as one line, to one of BUCKETS files in a
 * directory of its own under the system's temporary directory (a Lambda's /tmp), chosen by a hash
 * of the email so that all of an email's lines meet in one file. At the end the files are read one
 * at a time, so memory holds one bucket's emails (a 64th of them), and the directory is removed.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Which of the owner's profiles give the email: `APPLICANT_EMAIL`, `ENDORSEE_EMAIL` or both. */
export const APPLICANT_EMAIL = 1;
export const ENDORSEE_EMAIL = 2;

/** Files the lines are spread over: what the end holds at once is a bucket's share of the emails. */
const BUCKETS = 64;
/** Characters a bucket gathers before they are written (BUCKETS of them: about 2 MB at most). */
const WRITE_AT = 16 * 1024;

interface Entry {
  owner: string | undefined;
  ownerProfiles: number;
  ownerCompleted: number[];
  /** The positions the email's own partition's rows completed (undefined: no rows seen). */
  completed: number[] | undefined;
}

/** A line: an offer `[email, id, profiles, completed]`, or an email partition's rows `[email, completed]`. */
type Line = [string, string, number, number[]] | [string, number[]];

/** FNV-1a over the email's UTF-16 units: the same email always lands in the same bucket. */
function bucketOf(email: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < email.length; i++) h = Math.imul(h ^ email.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** One bucket's lines, in the order written, as each email's entry. */
function entriesOf(text: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const json of text.split('\n')) {
    if (json === '') continue;
    const line = JSON.parse(json) as Line;
    const email = line[0];
    let e = entries.get(email);
    if (e === undefined) {
      e = { owner: undefined, ownerProfiles: 0, ownerCompleted: [], completed: undefined };
      entries.set(email, e);
    }
    if (line.length === 2) e.completed = line[1];
    // The id that sorts first owns the email, whichever order the Scan met them in.
    else if (e.owner === undefined || line[1] < e.owner) {
      e.owner = line[1];
      e.ownerProfiles = line[2];
      e.ownerCompleted = line[3];
    }
  }
  return entries;
}

export class EmailLedger {
  private directory: string | undefined;
  private readonly waiting: string[] = new Array<string>(BUCKETS).fill('');
  private readonly files: (number | undefined)[] = new Array(BUCKETS).fill(undefined);

  /** `parent`: where the ledger makes its directory (the system's temporary directory unless told). */
  constructor(private readonly parent: string = tmpdir()) {}

  /**
   * A person whose profiles give `email` (`profiles`: APPLICANT_EMAIL, ENDORSEE_EMAIL or both), with
   * the positions of the trainings they completed by id.
   */
  offer(email: string, id: string, profiles: number, completed: readonly number[]): void {
    this.note(email, [email, id, profiles, completed]);
  }

  /** The email's own partition: the positions of the trainings its rows completed (none: rows all the same). */
  rows(email: string, completed: readonly number[]): void {
    this.note(email, [email, completed]);
  }

  /**
   * Each email whose partition holds rows, with its owner (undefined: nobody's profile gives it),
   * a bucket at a time; then the ledger's files are gone (as they are if the caller stops early).
   */
  *withRows(): Generator<{ email: string } & Entry & { completed: number[] }> {
    try {
      for (let b = 0; b < BUCKETS; b++) {
        this.write(b);
        const fd = this.files[b];
        if (fd === undefined || this.directory === undefined) continue;
        closeSync(fd);
        this.files[b] = undefined;
        const path = join(this.directory, String(b));
        const entries = entriesOf(readFileSync(path, 'utf8'));
        rmSync(path);
        for (const [email, e] of entries) if (e.completed) yield { email, ...e, completed: e.completed };
      }
    } finally {
      this.close();
    }
  }

  /** Removes the ledger's files: after withRows, or when the Scan fails before it. */
  close(): void {
    for (const [b, fd] of this.files.entries()) {
      if (fd !== undefined) closeSync(fd);
      this.files[b] = undefined;
      this.waiting[b] = '';
    }
    if (this.directory !== undefined) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }

  /** `line`: a Line as written (its completions may be the caller's: they are serialised at once). */
  private note(email: string, line: readonly unknown[]): void {
    const b = bucketOf(email);
    // JSON keeps any character of an email or an id on one line.
    this.waiting[b] += `${JSON.stringify(line)}\n`;
    if ((this.waiting[b] as string).length >= WRITE_AT) this.write(b);
  }

  private write(b: number): void {
    const text = this.waiting[b] as string;
    if (text === '') return;
    this.directory ??= mkdtempSync(join(this.parent, 'email-ledger-'));
    let fd = this.files[b];
    if (fd === undefined) {
      fd = openSync(join(this.directory, String(b)), 'a');
      this.files[b] = fd;
    }
    writeSync(fd, text);
    this.waiting[b] = '';
  }
}
