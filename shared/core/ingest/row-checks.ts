/**
 * Warnings about accepted rows (docs/input-files.md, "Warnings"): values that conflict within the
 * file (one person_id with two names, one email for two person_ids, one training described two
 * ways), implausible values (a date after today, too many hours in a day) and counties outside the
 * association's state. Every row stays accepted; the receipt says which value counts and why.
 * What the file names (people, emails, trainings) is kept for the check against other files
 * (cross-file.ts). Memory is bounded: beyond MAX_TRACKED keys of a kind, new ones are not followed.
 */
import type { Attendance, InputKind, IsoDate } from '../model.js';
import { countyLabel, isInAssociationState, OUTSIDE_STATE, usCountyByFips } from '../reference/us-counties.js';
import { detach, detachValue, foldCase } from './fields.js';
import type { Plausibility } from './plausibility.js';
import type { InputRecord } from './schemas.js';

/** What one training is, as a roster row (or a calendar) describes it. */
export interface TrainingDescription {
  title?: string;
  date: IsoDate;
  hours: number;
  competencies: readonly string[];
  dei: boolean;
  rscTopic: boolean;
}

export interface PersonName {
  firstName?: string;
  lastName?: string;
}

/** What a file names, as its latest row for each gives it: the keys the cross-file check looks up. */
export interface FileFacts {
  people: Map<string, PersonName>;
  /** Email → the person_id of the latest row giving it (applicants, endorsements). */
  emails: Map<string, string>;
  trainings: Map<string, TrainingDescription>;
}

/** Keys of each kind followed per file (person ids, emails, trainings, attendees, counties). */
export const MAX_TRACKED = 100_000;
/** Instances a warning lists before "and N more". */
const LISTED = 5;

/** The training a record describes, if it describes one: a roster row, or a row of the association's calendar. */
export function trainingDescriptionOf(
  input: InputRecord,
): { id: string; description: TrainingDescription } | undefined {
  if (input.kind === 'trainings') {
    const { trainingId, title, date, hours, competencies, dei, rscTopic } = input.record;
    return { id: trainingId, description: { title, date, hours, competencies, dei, rscTopic } };
  }
  if (input.kind !== 'rosters') return undefined;
  return { id: input.record.trainingId, description: rosterDescription(input.record) };
}

/** The training as one roster row describes it. */
function rosterDescription(a: Attendance): TrainingDescription {
  return {
    title: a.trainingTitle,
    date: a.trainingDate,
    hours: a.hours,
    competencies: a.competencies,
    dei: a.dei,
    rscTopic: a.rscTopic,
  };
}

/** The names a record gives a person_id, when it gives both an id and a name. */
function personNameOf(input: InputRecord): { personId: string; name: PersonName } | undefined {
  if (input.kind !== 'applicants' && input.kind !== 'endorsements' && input.kind !== 'rosters') return undefined;
  const { personId, firstName, lastName } = input.record;
  if (personId === undefined || (firstName === undefined && lastName === undefined)) return undefined;
  return { personId, name: { firstName, lastName } };
}

const foldName = (s: string | undefined) => (s === undefined ? undefined : foldCase(s).replace(/\s+/g, ' '));

/** True when two names differ in a part both give (letter case and spacing ignored). */
export function namesDiffer(a: PersonName, b: PersonName): boolean {
  const differ = (x?: string, y?: string) => x !== undefined && y !== undefined && foldName(x) !== foldName(y);
  return differ(a.firstName, b.firstName) || differ(a.lastName, b.lastName);
}

export const nameText = (n: PersonName) => `"${[n.firstName, n.lastName].filter((p) => p !== undefined).join(' ')}"`;

/** The parts in which two training descriptions differ, in words. */
export function descriptionDifferences(a: TrainingDescription, b: TrainingDescription): string[] {
  const out: string[] = [];
  if (a.date !== b.date) out.push('date');
  if (a.hours !== b.hours) out.push('hours');
  if ((a.title ?? '') !== (b.title ?? '')) out.push('title');
  if (a.competencies.join(';') !== b.competencies.join(';')) out.push('competencies');
  if (a.dei !== b.dei) out.push('dei');
  if (a.rscTopic !== b.rscTopic) out.push('rsc_topic');
  return out;
}

/** True when two descriptions agree in every part descriptionDifferences compares (without building its list). */
function sameDescription(a: TrainingDescription, b: TrainingDescription): boolean {
  if (a.date !== b.date || a.hours !== b.hours || (a.title ?? '') !== (b.title ?? '')) return false;
  if (a.dei !== b.dei || a.rscTopic !== b.rscTopic || a.competencies.length !== b.competencies.length) return false;
  return a.competencies.every((c, i) => c === b.competencies[i]);
}

/** True when a roster row describes its training exactly as `d` does (sameDescription, without building the row's description). */
function describesAs(d: TrainingDescription, a: Attendance): boolean {
  if (d.date !== a.trainingDate || d.hours !== a.hours || (d.title ?? '') !== (a.trainingTitle ?? '')) return false;
  if (d.dei !== a.dei || d.rscTopic !== a.rscTopic) return false;
  // Rows of one training share its competency list (readers.ts reads the training once): usually the same array.
  return d.competencies === a.competencies || sameList(d.competencies, a.competencies);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** A description in words, naming only the parts given in `parts` (all the main ones by default). */
export function describeTraining(d: TrainingDescription, parts: readonly string[]): string {
  const words: string[] = [];
  if (parts.includes('hours')) words.push(`${d.hours} hours`);
  if (parts.includes('date')) words.push(`on ${d.date}`);
  if (parts.includes('title')) words.push(d.title === undefined ? 'no title' : `"${d.title}"`);
  if (parts.includes('competencies')) words.push(`competencies ${d.competencies.join(';') || 'none'}`);
  if (parts.includes('dei')) words.push(`dei ${d.dei ? 'yes' : 'no'}`);
  if (parts.includes('rsc_topic')) words.push(`rsc_topic ${d.rscTopic ? 'yes' : 'no'}`);
  return words.join(', ');
}

/** "a, b and 3 more": the first LISTED items and a count of the rest. */
export function listed(items: readonly string[], total = items.length): string {
  const shown = items.slice(0, LISTED);
  const more = total - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more.toLocaleString('en-US')} more` : shown.join('; ');
}

const DATE_COLUMNS: Partial<
  Record<InputKind, { column: string; of: (r: InputRecord['record']) => IsoDate | undefined }>
> = {
  applicants: { column: 'application_date', of: (r) => ('applicationDate' in r ? r.applicationDate : undefined) },
  endorsements: { column: 'endorsed_on', of: (r) => ('endorsedOn' in r ? r.endorsedOn : undefined) },
  rosters: { column: 'training_date', of: (r) => ('trainingDate' in r ? r.trainingDate : undefined) },
  rsc: { column: 'session_date', of: (r) => ('sessionDate' in r ? r.sessionDate : undefined) },
};

interface Seen<T> {
  value: T;
  line: number;
}

/**
 * What one file says of one person (or of one email-only roster attendee): the names its rows give
 * and the completed trainings it credits. One record per person, so a roster row costs one lookup.
 */
interface PersonSeen {
  /**
   * The latest name given (when `named`), held in the record itself: every roster row compares it,
   * and one object fewer to reach is one cache miss fewer in a table of a hundred thousand people.
   */
  named: boolean;
  firstName: string | undefined;
  lastName: string | undefined;
  /** The line of the first name given (when `named`). */
  line: number;
  /**
   * Up to three names that differ, with the line of each; made only when a second name comes (the
   * first is then `firstName`, `lastName` and `line`): most people give one name, and a list and
   * two objects more per person of a large roster were only memory to carry to the file's end.
   */
  variants: Seen<PersonName>[] | undefined;
  /**
   * The completed trainings credited, as the file's trainings keep them (a person attends a
   * handful: a list is cheaper than a set, and finding one is a pointer comparison). One training
   * is held alone, not in a list: most people complete one training of a roster.
   */
  trainings: TrainingSeen | TrainingSeen[] | undefined;
}

/** What one file says of one training: its id as kept (shared by every attendee's list), and its descriptions. */
interface TrainingSeen {
  id: string;
  variants: Seen<TrainingDescription>[];
  latest: Seen<TrainingDescription>;
  differ: Set<string>;
}

export interface RowChecksOptions {
  kind: InputKind;
  limits: Plausibility;
  /** Today in the association's time zone; without it, dates are not checked against it. */
  today?: IsoDate;
}

/**
 * An attendee's training hours by date, from each training's counted (latest) description, added
 * to `found` where a date has more than `max`. Every attendee of a large roster passes here: their
 * few trainings are grouped by date in place (first date first, as listed), not in a Map per attendee.
 */
function dayTotals(attendee: string, trainings: TrainingSeen[], max: number, found: string[]): void {
  for (let i = 0; i < trainings.length; i++) {
    const date = (trainings[i] as TrainingSeen).latest.value.date;
    let earlier = false;
    for (let k = 0; k < i && !earlier; k++) earlier = (trainings[k] as TrainingSeen).latest.value.date === date;
    if (earlier) continue; // that date was summed already
    let hours = 0;
    let count = 0;
    for (let k = i; k < trainings.length; k++) {
      const d = (trainings[k] as TrainingSeen).latest.value;
      if (d.date !== date) continue;
      hours += d.hours;
      count++;
    }
    if (count > 1 && hours > max) {
      // A loop, not filter(): a closure over `date` would make each iteration allocate its scope.
      const onDate: string[] = [];
      for (const t of trainings) if (t.latest.value.date === date) onDate.push(t.id);
      found.push(`${attendee.replace('\u0000', '')} on ${date} (${hours} hours: ${onDate.join(', ')})`);
    }
  }
}

/** Follows one file's accepted rows and words what they warn of. */
export class RowChecks {
  /** person_id (or NUL + the email of a roster row without one) → what the file says of them. */
  private readonly people = new Map<string, PersonSeen>();
  private readonly owners = new Map<string, { ids: Seen<string>[]; latest: string }>();
  private readonly trainings = new Map<string, TrainingSeen>();
  private lastTraining: TrainingSeen | undefined;
  private readonly future: { count: number; examples: string[] } = { count: 0, examples: [] };
  private readonly longSessions: string[] = [];
  private longSessionCount = 0;
  /** person_id + date → hours of distinct RSC sessions. */
  private readonly sessions = new Map<string, { hours: number; seen: Set<string>; lines: number[] }>();
  private readonly counties = new Map<string, { count: number; lines: number[] }>();
  private truncated = false;

  constructor(private readonly o: RowChecksOptions) {}

  /** Whether a key not yet followed in `map` can be (every row passes here: one lookup per key, not two). */
  private roomFor(map: Map<unknown, unknown>): boolean {
    if (map.size < MAX_TRACKED) return true;
    this.truncated = true;
    return false;
  }

  private room<K, V>(map: Map<K, V>, key: K): boolean {
    return map.has(key) || this.roomFor(map);
  }

  /** Notes one accepted row. */
  observe(input: InputRecord, line: number): void {
    if (input.kind === 'rosters') {
      this.observeAttendance(input.record, line);
      this.noteDate('training_date', input.record.trainingDate, line);
      return;
    }
    const named = personNameOf(input);
    if (named) {
      const seen = this.personSeen(named.personId);
      if (seen) this.noteName(seen, named.name.firstName, named.name.lastName, line);
    }
    if ((input.kind === 'applicants' || input.kind === 'endorsements') && input.record.email !== undefined) {
      this.noteOwner(input.record.email, input.record.personId, line);
    }
    const training = trainingDescriptionOf(input);
    if (training) this.noteTraining(training.id, training.description, line);
    this.checkDate(input, line);
    if (input.kind === 'rsc') this.noteSession(input.record.personId, input.record, line);
    if ((input.kind === 'applicants' || input.kind === 'endorsements') && input.record.county !== undefined) {
      const fips = input.record.county;
      if (!isInAssociationState(fips) && this.room(this.counties, fips)) {
        const c = this.counties.get(fips) ?? { count: 0, lines: [] };
        c.count++;
        if (c.lines.length < 3) c.lines.push(line);
        this.counties.set(fips, c);
      }
    }
  }

  /**
   * A roster row, read straight from its record: a large roster has a million of them, and the
   * objects `personNameOf` and `trainingDescriptionOf` build for each would cost more than the
   * checks (the description is built only when the row describes its training differently).
   */
  private observeAttendance(a: Attendance, line: number): void {
    // An export lists a training's attendees together: most rows are of the previous row's training.
    let training = this.lastTraining?.id === a.trainingId ? this.lastTraining : this.trainings.get(a.trainingId);
    // A roster repeats its training on every attendee's row: the same description costs a comparison.
    if (training !== undefined && describesAs(training.latest.value, a)) training.latest.line = line;
    else training = this.noteTraining(a.trainingId, rosterDescription(a), line);
    const named = a.personId !== undefined && (a.firstName !== undefined || a.lastName !== undefined);
    if (named || a.completed) {
      // An email-only roster row's key cannot be a person_id.
      const seen = this.personSeen(a.personId ?? `\u0000${a.email}`);
      if (seen && named) this.noteName(seen, a.firstName, a.lastName, line);
      // A training not followed (beyond MAX_TRACKED) has no counted description to total by date.
      if (seen && a.completed && training !== undefined) this.noteAttendance(seen, training);
    }
    this.lastTraining = training;
  }

  private personSeen(key: string): PersonSeen | undefined {
    let seen = this.people.get(key);
    if (seen === undefined && this.roomFor(this.people)) {
      // Every field from the start: one shape for all (a property added later would change it).
      seen = {
        named: false,
        firstName: undefined,
        lastName: undefined,
        line: 0,
        variants: undefined,
        trainings: undefined,
      };
      this.people.set(detach(key), seen);
    }
    return seen;
  }

  private noteName(seen: PersonSeen, firstName: string | undefined, lastName: string | undefined, line: number) {
    // Most rows repeat the name the person's previous row gave: nothing to compare or keep.
    if (seen.named && seen.firstName === firstName && seen.lastName === lastName) return;
    // Kept names are copied out of the file's text: a slice would pin the whole chunk it came from.
    const kept = { firstName: detachValue(firstName), lastName: detachValue(lastName) };
    if (!seen.named) {
      seen.named = true;
      seen.firstName = kept.firstName;
      seen.lastName = kept.lastName;
      seen.line = line;
      return;
    }
    // Until now the person had one name (the first): it opens the list of names that differ.
    seen.variants ??= [{ value: { firstName: seen.firstName, lastName: seen.lastName }, line: seen.line }];
    seen.firstName = kept.firstName;
    seen.lastName = kept.lastName;
    if (seen.variants.length < 3 && seen.variants.every((v) => namesDiffer(v.value, kept))) {
      seen.variants.push({ value: kept, line });
    }
  }

  private noteOwner(email: string, personId: string, line: number) {
    const known = this.owners.get(email);
    if (!known) {
      if (this.roomFor(this.owners)) this.owners.set(email, { ids: [{ value: personId, line }], latest: personId });
      return;
    }
    known.latest = personId;
    if (known.ids.length < 3 && !known.ids.some((i) => i.value === personId)) known.ids.push({ value: personId, line });
  }

  /** Notes a training's description; returns what is kept of the training (undefined when not followed). */
  private noteTraining(id: string, description: TrainingDescription, line: number): TrainingSeen | undefined {
    const known = this.trainings.get(id);
    if (!known) {
      if (!this.roomFor(this.trainings)) return undefined;
      const kept = detach(id);
      const seen = {
        id: kept,
        variants: [{ value: description, line }],
        latest: { value: description, line },
        differ: new Set<string>(),
      };
      this.trainings.set(kept, seen);
      return seen;
    }
    // A roster repeats its training on every attendee's row: the same description costs no words.
    if (sameDescription(known.latest.value, description)) {
      known.latest.line = line;
      return known;
    }
    const changed = descriptionDifferences(known.latest.value, description);
    known.latest = { value: description, line };
    if (changed.length === 0) return known;
    for (const c of changed) known.differ.add(c);
    const isNew = known.variants.every((v) => descriptionDifferences(v.value, description).length > 0);
    if (isNew && known.variants.length < 3) known.variants.push({ value: description, line });
    return known;
  }

  private checkDate(input: InputRecord, line: number) {
    const column = DATE_COLUMNS[input.kind];
    if (column !== undefined) this.noteDate(column.column, column.of(input.record), line);
  }

  private noteDate(column: string, date: IsoDate | undefined, line: number) {
    const today = this.o.today;
    if (today === undefined || date === undefined || date <= today) return;
    this.future.count++;
    if (this.future.examples.length < LISTED) this.future.examples.push(`line ${line} (${column} ${date})`);
  }

  /** The training as the file keeps it: shared by every attendee's list, never copied. */
  private noteAttendance(seen: PersonSeen, training: TrainingSeen) {
    const held = seen.trainings;
    if (held === undefined) seen.trainings = training;
    else if (!Array.isArray(held)) {
      // A second one makes a list of two (a push onto a list of one would make room for 17).
      if (held !== training) seen.trainings = [held, training];
    } else if (!held.includes(training)) held.push(training);
  }

  private noteSession(
    personId: string,
    s: { sessionDate: IsoDate; hours: number; providerName?: string; format?: string },
    line: number,
  ) {
    if (s.hours > this.o.limits.maxRscSessionHours) {
      this.longSessionCount++;
      if (this.longSessions.length < LISTED)
        this.longSessions.push(`line ${line} (${personId}, ${s.hours} hours on ${s.sessionDate})`);
    }
    const key = `${personId}\u0000${s.sessionDate}`;
    if (!this.room(this.sessions, key)) return;
    const day = this.sessions.get(key) ?? { hours: 0, seen: new Set<string>(), lines: [] };
    // The same session twice is stored once (codecs.ts): it counts once here too.
    const signature = `${s.hours}\u0000${s.providerName ?? ''}\u0000${s.format ?? ''}`;
    if (!day.seen.has(signature)) {
      day.seen.add(signature);
      day.hours += s.hours;
      if (day.lines.length < 3) day.lines.push(line);
    }
    this.sessions.set(key, day);
  }

  /** What the file names, as its latest rows give it. */
  facts(): FileFacts {
    const people = new Map<string, PersonName>();
    for (const [id, seen] of this.people) {
      if (seen.named) people.set(id, { firstName: seen.firstName, lastName: seen.lastName });
    }
    const emails = new Map<string, string>();
    for (const [email, o] of this.owners) emails.set(email, o.latest);
    const trainings = new Map<string, TrainingDescription>();
    for (const [id, t] of this.trainings) trainings.set(id, t.latest.value);
    return { people, emails, trainings };
  }

  /** The warnings, one per kind of finding. */
  warnings(): string[] {
    const people = this.peopleFindings();
    return [
      this.nameWarning(people.names),
      this.ownerWarning(),
      this.trainingWarning(),
      this.futureWarning(),
      this.longTrainingWarning(),
      this.longSessionWarning(),
      this.dayTotalWarning(people.days),
      this.countyWarning(),
      this.truncated
        ? `conflicts and daily totals were looked for among the first ${MAX_TRACKED.toLocaleString('en-US')} person_ids, emails, trainings and attendees of this file only`
        : undefined,
    ].filter((w): w is string => w !== undefined);
  }

  /**
   * What the people of the file warn of, in one walk over them (each person of a large roster is
   * read from memory once, not once per warning): the person_ids given different names, and the
   * attendees credited too many hours on a date (see dayTotalWarning).
   */
  private peopleFindings(): { names: string[]; days: string[] } {
    const names: string[] = [];
    const days: string[] = [];
    const max = this.o.limits.maxHoursPerPersonPerDay;
    // forEach, not for-of: a [key, value] pair per person of a large roster is garbage to collect.
    this.people.forEach(({ variants, trainings }, id) => {
      if (variants !== undefined && variants.length >= 2) {
        names.push(`${id}: ${variants.map((v) => `${nameText(v.value)} on line ${v.line}`).join(', ')}`);
      }
      if (Array.isArray(trainings)) dayTotals(id, trainings, max, days);
    });
    return { names, days };
  }

  private nameWarning(found: string[]): string | undefined {
    if (found.length === 0) return undefined;
    const which =
      this.o.kind === 'rosters'
        ? "A roster's names are not stored: the name that counts is the one the applicants or endorsements file gives."
        : 'The latest row for a person_id counts (as a correction added at the end of the file would), and is stored.';
    return `${found.length === 1 ? 'a person_id is' : `${found.length} person_ids are`} given different names in this file: ${listed(found)}. ${which} If these are different people, give each their own person_id.`;
  }

  private ownerWarning(): string | undefined {
    const found: string[] = [];
    for (const [email, o] of this.owners) {
      if (o.ids.length < 2) continue;
      found.push(`${email}: ${o.ids.map((i) => `${i.value} on line ${i.line}`).join(', ')}`);
    }
    if (found.length === 0) return undefined;
    return `${found.length === 1 ? 'an email is' : `${found.length} emails are`} given to more than one person_id: ${listed(found)}. Each person is stored with the email as given; roster rows that name only such an email (no person_id) are credited to the person_id that sorts first. Give each person their own email, or one person_id if they are one person.`;
  }

  private trainingWarning(): string | undefined {
    const found: string[] = [];
    for (const [id, t] of this.trainings) {
      if (t.differ.size === 0) continue;
      const parts = [...t.differ];
      const variants = t.variants.map((v) => `line ${v.line}: ${describeTraining(v.value, parts)}`);
      found.push(
        `${id} (${variants.join('; ')}; counted: line ${t.latest.line}, ${describeTraining(t.latest.value, parts)})`,
      );
    }
    if (found.length === 0) return undefined;
    return `${found.length === 1 ? 'a training_id is' : `${found.length} training_ids are`} described differently on its rows: ${listed(found)}. One training has one date, hours and title: the latest row describing it counts for every attendee of it, so all are credited the same. Correct the other rows if the latest is wrong.`;
  }

  private futureWarning(): string | undefined {
    const { count, examples } = this.future;
    if (count === 0) return undefined;
    return `${count === 1 ? 'a row gives a date' : `${count.toLocaleString('en-US')} rows give dates`} after today (${this.o.today}): ${listed(examples, count)}. ${count === 1 ? 'It is' : 'They are'} stored as given, and a run sees each only from its date; check the year.`;
  }

  private longTrainingWarning(): string | undefined {
    const max = this.o.limits.maxTrainingHoursPerDay;
    const found: string[] = [];
    for (const [id, t] of this.trainings) {
      const d = t.latest.value;
      if (d.hours > max) found.push(`${id} (${d.hours} hours on ${d.date}, line ${t.latest.line})`);
    }
    if (found.length === 0) return undefined;
    return `${found.length === 1 ? 'a training gives' : `${found.length} trainings give`} more than ${max} hours on its one date: ${listed(found)}. Stored as given: if a training ran over several days that is fine; otherwise correct the hours.`;
  }

  private longSessionWarning(): string | undefined {
    if (this.longSessionCount === 0) return undefined;
    const max = this.o.limits.maxRscSessionHours;
    return `${this.longSessionCount === 1 ? 'an RSC session is' : `${this.longSessionCount.toLocaleString('en-US')} RSC sessions are`} longer than ${max} hours: ${listed(this.longSessions, this.longSessionCount)}. Stored as given; check the hours.`;
  }

  /** `attendees`: the attendees' findings of peopleFindings; then the RSC sessions' totals. */
  private dayTotalWarning(attendees: string[]): string | undefined {
    const max = this.o.limits.maxHoursPerPersonPerDay;
    const found = attendees;
    for (const [key, day] of this.sessions) {
      if (day.hours <= max) continue;
      const [personId, date] = key.split('\u0000');
      found.push(`${personId} on ${date} (${day.hours} hours of RSC: lines ${day.lines.join(', ')})`);
    }
    if (found.length === 0) return undefined;
    return `${found.length === 1 ? 'one person is' : `on ${found.length} occasions a person is`} credited more than ${max} hours on one date: ${listed(found)}. Stored as given; check the dates and hours.`;
  }

  private countyWarning(): string | undefined {
    if (this.counties.size === 0) return undefined;
    let rows = 0;
    const found: string[] = [];
    for (const [fips, c] of this.counties) {
      rows += c.count;
      const county = usCountyByFips(fips);
      found.push(
        `${county ? countyLabel(county) : 'county'} (${fips}) on line${c.lines.length > 1 ? 's' : ''} ${c.lines.join(', ')}${c.count > c.lines.length ? ' and others' : ''}`,
      );
    }
    return `${rows === 1 ? 'a row names a county' : `${rows.toLocaleString('en-US')} rows name counties`} outside the association's state: ${listed(found)}. ${rows === 1 ? 'It is' : 'They are'} accepted, stored with the county's FIPS code and counted in reports as "${OUTSIDE_STATE}"; if the person lives in the state, correct the county.`;
  }
}
