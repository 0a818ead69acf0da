/**
 * Everything the rules need about everyone, read with one parallel Scan of the table and kept
 * compact: roster rows that describe the same training the same way share one object.
 */
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { describedTraining } from '#core/calendar.js';
import type { Applicant, Attendance, CalendarTraining, Endorsee, RscSession, TrainingSummary } from '#core/model.js';
import {
  applicantCodec,
  attendanceCodec,
  calendarCodec,
  endorseeCodec,
  factIdentity,
  type Item,
  personIdOf,
  sourceOfItem,
  trainingCodec,
} from './codecs.js';
import { type SourceRecord, sourceRecordCodec } from './sources.js';

export interface Population {
  applicants: Map<string, Applicant>;
  endorsees: Map<string, Endorsee>;
  /** Roster rows per attendee key: `P:<person id>` or `E:<email>`. */
  attendance: Map<string, Attendance[]>;
  rsc: Map<string, RscSession[]>;
  /** Every training the rosters or the calendar describe, with the description that counts (core/calendar.ts). */
  trainings: Map<string, TrainingSummary>;
  /** Email → the person_id it links email-only roster rows to: of the people given it, the id that sorts first. */
  emailOwners?: Map<string, string>;
  /** The ingested files, from their receipts: which inputs the results come from. */
  files: IngestedFile[];
  items: number;
  /**
   * Read by the full pass (population-stream.ts): the applicants whose fact cache (fact-cache.ts)
   * differs from what was read, with what it should hold and the cache seen (to write on condition).
   */
  factCaches?: FactCacheUpdate[];
}

export interface FactCacheUpdate {
  personId: string;
  /** What it should hold, compressed (fact-cache.ts): a batch holds 500 of these, not their text. */
  facts: Uint8Array;
  seen?: { rev: number };
}

export interface IngestedFile {
  key: string;
  kind: string;
  versionId?: string;
  etag?: string;
  sha256?: string;
  ingestedAt?: string;
  rows: number;
  accepted: number;
  rejected: number;
}

/** A source record as the manifest names it. */
export function ingestedFile(r: SourceRecord): IngestedFile {
  return {
    key: r.key,
    kind: r.kind,
    versionId: r.version,
    etag: r.etag,
    sha256: r.sha256,
    ingestedAt: r.ingestedAt,
    rows: r.rows,
    accepted: r.accepted,
    rejected: r.rejected,
  };
}

export interface ScanStats {
  items: number;
  requests: number;
  seconds: number;
}

/**
 * Parallel Scan segments of a population read: eight, so the table always has requests waiting
 * while this thread sorts the items already read (with four, the reports read ~1.4 x as long as
 * a bare four-segment Scan). The benchmark's bare Scan uses as many.
 */
export const POPULATION_SCAN_SEGMENTS = 8;

/** The item types the population is built from (`take` below reads each). */
const POPULATION_TYPES = ['applicant', 'endorsee', 'attendance', 'rsc', 'receipt', 'training', 'calendar'] as const;

/**
 * Roster rows of a person: by person id, and by email for rows that named only the email (when
 * several people share the email, those rows are the email's owner's alone: `emailOwners`).
 */
export function attendanceOf(p: Population, personId: string, email: string | undefined): Attendance[] {
  const byId = p.attendance.get(`P:${personId}`) ?? [];
  const owner = email === undefined ? undefined : p.emailOwners?.get(email);
  const byEmail = email && (owner === undefined || owner === personId) ? (p.attendance.get(`E:${email}`) ?? []) : [];
  return byEmail.length === 0 ? byId : [...byId, ...byEmail];
}

/**
 * Of two current sources describing one person or training, the one whose upload key sorts last
 * counts: a rule of the sources alone, so the result never depends on the order they arrived in.
 */
function preferSource<T>(map: Map<string, T>, chosen: Map<string, string>, id: string, source: string, value: () => T) {
  const current = chosen.get(id);
  if (current !== undefined && current >= source) return;
  chosen.set(id, source);
  map.set(id, value());
}

/**
 * A roster row credited as its training's description that counts (of the rosters describing it,
 * the upload whose key sorts last; within one upload, its latest row): one training has one date,
 * hours, competencies and flags for every attendee (docs/input-files.md, "Warnings"). In place.
 */
/** What of a training's description a roster row is credited as. */
export type Credit = Pick<TrainingSummary, 'date' | 'hours' | 'competencies' | 'dei' | 'rscTopic'>;

export function creditAsDescribed(row: Attendance, described: Credit): void {
  row.trainingDate = described.date;
  row.hours = described.hours;
  row.competencies = described.competencies;
  row.dei = described.dei;
  row.rscTopic = described.rscTopic;
}

export interface PopulationReadOptions {
  /** Parallel Scan segments (default POPULATION_SCAN_SEGMENTS). */
  segments?: number;
  /** Called with the items read so far, after each page. */
  onProgress?: (items: number) => void;
}

/** A population with nobody in it, to be filled (by a Scan here, by tests from files). */
export function emptyPopulation(): Population {
  return {
    applicants: new Map(),
    endorsees: new Map(),
    attendance: new Map(),
    rsc: new Map(),
    trainings: new Map(),
    files: [],
    items: 0,
  };
}

/** Reads the whole table with `segments` parallel Scan workers. */
export async function loadPopulation(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: PopulationReadOptions = {},
): Promise<{ population: Population; stats: ScanStats }> {
  const started = performance.now();
  const p = emptyPopulation();
  // Rows describing a training the same way share one object: a million rows hold a few thousand.
  const variants = new Map<string, Attendance[]>();
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  const sharedAttendance = (item: Record<string, unknown>): Attendance => {
    const row = attendanceCodec.decode(item);
    let list = variants.get(row.trainingId);
    if (!list) {
      list = [];
      variants.set(row.trainingId, list);
    }
    for (const v of list) {
      if (
        v.completed === row.completed &&
        v.trainingDate === row.trainingDate &&
        v.hours === row.hours &&
        v.dei === row.dei &&
        v.rscTopic === row.rscTopic &&
        sameList(v.competencies, row.competencies)
      ) {
        return v;
      }
    }
    const { personId: _p, email: _e, ...shared } = row;
    list.push(shared);
    return shared;
  };
  const completedBy = new Map<string, Set<string>>();
  const chosenSource = {
    applicant: new Map<string, string>(),
    endorsee: new Map<string, string>(),
    training: new Map<string, string>(),
    calendar: new Map<string, string>(),
  };
  /** The calendar's trainings, merged with the rosters' descriptions once everything is read. */
  const calendar = new Map<string, CalendarTraining>();
  let requests = 0;

  /**
   * One segment's reader. A fact two current sources supply is two items with the same identity
   * and adjacent sort keys (a partition's items come in sort-key order), so it is counted once by
   * comparing each fact with the one before it; an out-of-order item stops the read rather than
   * risk counting a fact twice.
   */
  const reader = () => {
    const cursor = scanCursor();
    return (item: Record<string, unknown>) => {
      p.items++;
      const pk = item.pk as string;
      const repeated = cursor.step(pk, item.sk as string);
      switch (item.type) {
        case 'applicant':
          preferSource(p.applicants, chosenSource.applicant, personIdOf(pk), sourceOfItem(item), () =>
            applicantCodec.decode(item),
          );
          break;
        case 'endorsee':
          preferSource(p.endorsees, chosenSource.endorsee, personIdOf(pk), sourceOfItem(item), () =>
            endorseeCodec.decode(item),
          );
          break;
        case 'attendance': {
          if (repeated) break;
          const a = sharedAttendance(item);
          const attendee = attendanceCodec.attendee(item);
          const list = p.attendance.get(attendee);
          if (list) list.push(a);
          else p.attendance.set(attendee, [a]);
          if (a.completed) {
            let who = completedBy.get(a.trainingId);
            if (!who) {
              who = new Set();
              completedBy.set(a.trainingId, who);
            }
            who.add(attendee);
          }
          break;
        }
        case 'rsc': {
          if (repeated) break;
          const personId = personIdOf(pk);
          const s: RscSession = { personId, sessionDate: item.sessionDate as string, hours: item.hours as number };
          const list = p.rsc.get(personId);
          if (list) list.push(s);
          else p.rsc.set(personId, [s]);
          break;
        }
        case 'receipt': {
          const r = sourceRecordCodec.decode(item);
          if (r.status !== 'current') break;
          p.files.push(ingestedFile(r));
          break;
        }
        case 'training': {
          const t = trainingCodec.decode(item);
          preferSource(p.trainings, chosenSource.training, t.trainingId, sourceOfItem(item), () => t);
          break;
        }
        case 'calendar': {
          const t = calendarCodec.decode(item);
          preferSource(calendar, chosenSource.calendar, t.trainingId, sourceOfItem(item), () => t);
          break;
        }
      }
    };
  };

  const segments = options.segments ?? POPULATION_SCAN_SEGMENTS;
  // Only the item types read above come back: the evaluation and renewal results the jobs write
  // (one per person, the largest items) are left on the server, not sent and unmarshalled for nothing.
  requests += await scanTypes(client, tableName, POPULATION_TYPES, segments, () => {
    const take = reader();
    return { take, page: () => options.onProgress?.(p.items) };
  });
  // One training has one description: every attendee is credited as the roster description that counts gives it.
  for (const [id, rows] of variants) {
    const described = p.trainings.get(id);
    if (described) for (const row of rows) creditAsDescribed(row, described);
  }
  for (const [id, listed] of calendar) {
    p.trainings.set(id, describedTraining(p.trainings.get(id), listed) as TrainingSummary);
  }
  // An attendee named by email in one roster and by id in another is one person; an email given to
  // several people is theirs that sorts first (docs/input-files.md, "Warnings").
  const idOfEmail = new Map<string, string>();
  const own = (email: string, id: string) => {
    const current = idOfEmail.get(`E:${email}`);
    if (current === undefined || `P:${id}` < current) idOfEmail.set(`E:${email}`, `P:${id}`);
  };
  for (const [id, a] of p.applicants) own(a.email, id);
  for (const [id, e] of p.endorsees) if (e.email) own(e.email, id);
  p.emailOwners = new Map([...idOfEmail].map(([email, id]) => [email.slice(2), id.slice(2)]));
  for (const [id, who] of completedBy) {
    const t = p.trainings.get(id);
    if (!t) continue;
    const people = new Set<string>();
    for (const w of who) people.add(idOfEmail.get(w) ?? w);
    t.attendees = people.size;
  }
  return { population: p, stats: { items: p.items, requests, seconds: (performance.now() - started) / 1000 } };
}

/**
 * Follows one Scan segment's items, which come a partition at a time in sort-key order: `step`
 * says whether an item repeats the fact before it (the same partition and fact identity: two
 * current sources supplying one fact) and stops the read on an item out of order rather than risk
 * counting a fact twice; `partition` is the partition of the item before.
 */
export function scanCursor() {
  let lastPk = '';
  let lastSk = '';
  let lastIdentity = '';
  return {
    get partition() {
      return lastPk;
    },
    step(pk: string, sk: string): boolean {
      // DynamoDB orders sort keys by their UTF-8 bytes; JavaScript's `<` compares UTF-16 units, so confirm in bytes.
      if (pk === lastPk && sk < lastSk && Buffer.compare(Buffer.from(sk), Buffer.from(lastSk)) < 0) {
        throw new Error(`the table scan returned ${pk} out of sort-key order`);
      }
      const identity = factIdentity(sk);
      const repeated = pk === lastPk && identity === lastIdentity;
      lastPk = pk;
      lastSk = sk;
      lastIdentity = identity;
      return repeated;
    },
  };
}

/**
 * A parallel Scan of the items of `types` only (the rest stay on the server): each of `segments`
 * segments, side by side, hands its items to its own reader (`take`), then says it is done and
 * after each page `page`. Returns the requests made.
 */
export async function scanTypes(
  client: DynamoDBDocumentClient,
  tableName: string,
  types: readonly string[],
  segments: number,
  readerOf: () => { take: (item: Item) => void; page?: () => void; done?: () => void },
): Promise<number> {
  const values = Object.fromEntries(types.map((t) => [`:${t}`, t]));
  let requests = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const reader = readerOf();
      // The SDK's paginator follows one segment's pages.
      const pages = paginateScan(
        { client },
        {
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: `#type IN (${Object.keys(values).join(', ')})`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: values,
        },
      );
      for await (const page of pages) {
        requests++;
        for (const item of page.Items ?? []) reader.take(item);
        reader.page?.();
      }
      reader.done?.();
    }),
  );
  return requests;
}
