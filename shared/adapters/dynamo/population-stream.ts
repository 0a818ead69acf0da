/**
 * The full pass's read of everyone, in two steps so that no job holds the population
 * (docs/architecture.md, "How the full pass reads everyone"):
 *
 * 1. `readPopulationIndex`: one parallel Scan keeps what is shared by everyone, and ids only of the
 *    people: the trainings (the description that counts, the calendar, how many people completed
 *    each), the current uploads' receipts, the sorted ids of the applicants and the endorsees, and
 *    who owns each email that email-only roster rows name.
 * 2. `readPeople`: a batch of those ids, each person read from their own partition by Query (and
 *    the email partition whose rows are theirs), as a Population of those people alone, which the
 *    core judges as it judges everyone.
 *
 * The facts are the ones loadPopulation (population.ts) gives: the same source chosen, each fact
 * once, the same roster rows joined by email, every row credited as its training's description.
 */
import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { describedTraining } from '#core/calendar.js';
import { IdSubset } from '#core/id-subset.js';
import { inParallel } from '#core/in-parallel.js';
import type { Attendance, CalendarTraining, RscSession, TrainingSummary } from '#core/model.js';
import {
  applicantCodec,
  attendanceCodec,
  calendarCodec,
  emailKey,
  endorseeCodec,
  type Item,
  personIdOf,
  personKey,
  sourceOfItem,
  trainingCodec,
} from './codecs.js';
import { APPLICANT_EMAIL, EmailLedger, ENDORSEE_EMAIL } from './email-ledger.js';
import { compressedFacts, creditOf, FACTS_TYPE, type FactItems, factText, storedText } from './fact-cache.js';
import { creditsOf } from './person-facts.js';
import { distinctFacts, lastSource } from './person-file.js';
import {
  creditAsDescribed,
  emptyPopulation,
  type FactCacheUpdate,
  type IngestedFile,
  ingestedFile,
  POPULATION_SCAN_SEGMENTS,
  type Population,
  type ScanStats,
  scanCursor,
  scanTypes,
} from './population.js';
import { sourceRecordCodec } from './sources.js';

export interface PopulationIndex {
  /** Every applicant's id (whenever they applied), sorted as the exports list them. */
  applicantIds: string[];
  /** Every endorsee's id, sorted. */
  endorseeIds: string[];
  /** Every training the rosters or the calendar describe, with the description that counts and its attendees. */
  trainings: Map<string, TrainingSummary>;
  /** The roster description that counts of each training (what every attendee's row is credited as). */
  rosterDescriptions: Map<string, TrainingSummary>;
  /**
   * The people whose applicant's (or endorsee's) email is named alone by roster rows that are theirs:
   * of the people given that email, the id that sorts first (attendanceOf). Rows naming an email
   * nobody is given are no one's. Flags over applicantIds and endorseeIds (IdSubset), a byte a person.
   */
  emailReaders: Record<'applicant' | 'endorsee', IdSubset>;
  /** The ingested files, from their receipts. */
  files: IngestedFile[];
  /** People with a fact cache who are neither applicant nor endorsee (any longer): their caches go (fact-cache.ts). */
  staleFactCaches: string[];
}

/** The item types the index is built from: every fact but RSC sessions (read per person), and whose fact caches there are. */
const INDEX_TYPES = ['applicant', 'endorsee', 'attendance', 'receipt', 'training', 'calendar', FACTS_TYPE] as const;

/**
 * Reads the index with `segments` parallel Scan workers. Per person it keeps only their id; while
 * the Scan runs, per email, its owner and what the owner and the email completed (EmailLedger), to
 * count each training's attendees once however many rosters name them by id and by email.
 */
export async function readPopulationIndex(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { segments?: number } = {},
): Promise<{ index: PopulationIndex; stats: ScanStats }> {
  const started = performance.now();
  const applicantIds: string[] = [];
  const endorseeIds: string[] = [];
  const files: IngestedFile[] = [];
  const staleFactCaches: string[] = [];
  const rosterDescriptions = new Map<string, TrainingSummary>();
  const calendar = new Map<string, CalendarTraining>();
  const chosenSource = { training: new Map<string, string>(), calendar: new Map<string, string>() };
  const ledger = new EmailLedger();
  // People whose two profiles give two emails: the only ones who may own two emails' rows.
  const twoEmails = new Set<string>();
  // Trainings by position; attendees named by id, per position.
  const position = new Map<string, number>();
  const positionOf = (trainingId: string) => {
    let n = position.get(trainingId);
    if (n === undefined) {
      n = position.size;
      position.set(trainingId, n);
    }
    return n;
  };
  const attendeesById: number[] = [];
  let items = 0;
  let requests = 0;

  const prefer = <T>(map: Map<string, T>, chosen: Map<string, string>, id: string, item: Item, value: () => T) => {
    const source = sourceOfItem(item);
    const current = chosen.get(id);
    if (current !== undefined && current >= source) return;
    chosen.set(id, source);
    map.set(id, value());
  };

  /** One segment's reader: a partition's items come together and in sort-key order, so each is settled as the next begins. */
  const reader = () => {
    const cursor = scanCursor();
    let applicant: Item | undefined;
    let endorsee: Item | undefined;
    // The email of rows naming only an email (their partition's), or undefined in a person's partition.
    let rowsEmail: string | undefined;
    let completed: number[] = [];
    let cached = false;
    const settle = () => {
      if (cursor.partition.startsWith('PERSON#')) {
        const id = personIdOf(cursor.partition);
        // The evaluation keeps the caches of applicants and endorsees alike (it judges both).
        if (cached && !applicant && !endorsee) staleFactCaches.push(id);
        // Each email the person's profiles give, with which of them give it.
        const emails = new Map<string, number>();
        const give = (email: string | undefined, profile: number) => {
          if (email !== undefined) emails.set(email, (emails.get(email) ?? 0) | profile);
        };
        if (applicant) {
          applicantIds.push(id);
          give(applicantCodec.decode(applicant).email, APPLICANT_EMAIL);
        }
        if (endorsee) {
          endorseeIds.push(id);
          give(endorseeCodec.decode(endorsee).email, ENDORSEE_EMAIL);
        }
        if (emails.size > 1) twoEmails.add(id);
        for (const [email, profiles] of emails) ledger.offer(email, id, profiles, completed);
        for (const n of completed) attendeesById[n] = (attendeesById[n] ?? 0) + 1;
      } else if (rowsEmail !== undefined) {
        ledger.rows(rowsEmail, completed);
      }
      applicant = undefined;
      endorsee = undefined;
      rowsEmail = undefined;
      completed = [];
      cached = false;
    };
    const take = (item: Item) => {
      items++;
      const pk = item.pk as string;
      if (pk !== cursor.partition) settle();
      const repeated = cursor.step(pk, item.sk as string);
      switch (item.type) {
        case 'applicant':
          if (!applicant || sourceOfItem(item) > sourceOfItem(applicant)) applicant = item;
          break;
        case 'endorsee':
          if (!endorsee || sourceOfItem(item) > sourceOfItem(endorsee)) endorsee = item;
          break;
        case 'attendance': {
          if (repeated) break;
          const row = attendanceCodec.decode(item);
          // As attendanceCodec.attendee tells them apart: rows without a person id name an email.
          if (!item.personId) rowsEmail = row.email ?? '';
          if (row.completed) completed.push(positionOf(row.trainingId));
          break;
        }
        case 'receipt': {
          const r = sourceRecordCodec.decode(item);
          if (r.status !== 'current') break;
          files.push(ingestedFile(r));
          break;
        }
        case 'training': {
          const t = trainingCodec.decode(item);
          prefer(rosterDescriptions, chosenSource.training, t.trainingId, item, () => t);
          break;
        }
        case 'calendar': {
          const t = calendarCodec.decode(item);
          prefer(calendar, chosenSource.calendar, t.trainingId, item, () => t);
          break;
        }
        case FACTS_TYPE:
          cached = true;
          break;
      }
    };
    return { take, settle };
  };

  const segments = options.segments ?? POPULATION_SCAN_SEGMENTS;
  try {
    requests += await scanTypes(client, tableName, INDEX_TYPES, segments, () => {
      const { take, settle } = reader();
      return { take, done: settle };
    });
  } catch (error) {
    // The ledger's files go with a Scan that failed (withRows removes them otherwise).
    ledger.close();
    throw error;
  }

  // Each training's attendees: the people who completed it, counted once whether rosters named them
  // by id, by email or both (an email counts as its owner; an email nobody owns, as itself).
  const attendees = [...attendeesById];
  const count = (n: number) => {
    attendees[n] = (attendees[n] ?? 0) + 1;
  };
  applicantIds.sort();
  endorseeIds.sort();
  const emailReaders = { applicant: new IdSubset(applicantIds), endorsee: new IdSubset(endorseeIds) };
  const extraOfOwner = new Map<string, Set<number>>();
  for (const { owner, ownerProfiles, ownerCompleted, completed } of ledger.withRows()) {
    if (owner === undefined) {
      for (const n of completed) count(n);
      continue;
    }
    if (ownerProfiles & APPLICANT_EMAIL) emailReaders.applicant.add(owner);
    if (ownerProfiles & ENDORSEE_EMAIL) emailReaders.endorsee.add(owner);
    const byId = new Set(ownerCompleted);
    // The completions of an owner of two emails' rows are gathered first; anyone else's count now.
    const extra = twoEmails.has(owner) ? (extraOfOwner.get(owner) ?? new Set<number>()) : new Set<number>();
    for (const n of completed) if (!byId.has(n)) extra.add(n);
    if (twoEmails.has(owner)) extraOfOwner.set(owner, extra);
    else for (const n of extra) count(n);
  }
  for (const extra of extraOfOwner.values()) for (const n of extra) count(n);

  const trainings = new Map(rosterDescriptions);
  for (const [id, listed] of calendar) {
    trainings.set(id, describedTraining(rosterDescriptions.get(id), listed) as TrainingSummary);
  }
  for (const [id, n] of position) {
    const t = trainings.get(id);
    if (t && attendees[n] !== undefined) t.attendees = attendees[n];
  }
  const index: PopulationIndex = {
    applicantIds,
    endorseeIds,
    trainings,
    rosterDescriptions,
    emailReaders,
    files,
    staleFactCaches,
  };
  return { index, stats: { items, requests, seconds: (performance.now() - started) / 1000 } };
}

/** Items of a partition of the given types, in sort-key order. */
async function partitionOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  types: readonly string[],
  stats: ScanStats,
): Promise<Item[]> {
  const values = Object.fromEntries(types.map((t) => [`:${t.replace(/\W/g, '')}`, t]));
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      // The jobs' results (the largest items) stay on the server.
      FilterExpression: `#type IN (${Object.keys(values).join(', ')})`,
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':pk': pk, ...values },
    },
  );
  const items: Item[] = [];
  for await (const page of pages) {
    stats.requests++;
    stats.items += page.Items?.length ?? 0;
    items.push(...(page.Items ?? []));
  }
  return items;
}

/** Queries in flight at once while a batch is read. */
const CONCURRENCY = 16;

/** A roster row as the population keeps it: without whom it names, credited as its training's description. */
function attendanceRow(item: Item, index: PopulationIndex): Attendance {
  const { personId: _p, email: _e, ...row } = attendanceCodec.decode(item);
  const described = index.rosterDescriptions.get(row.trainingId);
  if (described) creditAsDescribed(row, described);
  return row;
}

/**
 * What an applicant's fact cache holds (fact-cache.ts), from the items of their partition: their
 * profile, roster rows and RSC sessions, each training credited as the index's roster description.
 */
export function factItemsOf(items: readonly Item[], index: Pick<PopulationIndex, 'rosterDescriptions'>): FactItems {
  const attendance = items.filter((i) => i.type === 'attendance');
  return {
    profile: items.filter((i) => i.type === 'applicant'),
    endorsement: items.filter((i) => i.type === 'endorsee'),
    attendance,
    rsc: items.filter((i) => i.type === 'rsc'),
    credits: creditsOf(attendance, (t) => {
      const described = index.rosterDescriptions.get(t);
      return described && creditOf(described);
    }),
  };
}

/** The write an applicant's fact cache needs after a full read of them, if it holds anything else. */
function factCacheUpdate(id: string, items: Item[], index: PopulationIndex): FactCacheUpdate | undefined {
  const text = factText(factItemsOf(items, index));
  const stored = items.find((i) => i.type === FACTS_TYPE);
  if (stored && storedText(stored) === text) return undefined;
  return { personId: id, facts: compressedFacts(text), seen: stored && { rev: Number(stored.rev) } };
}

export interface PeopleReadOptions {
  /** Compare each person's fact cache with what was read (the full passes write the differing ones). */
  factCaches?: boolean;
}

/**
 * The people of `ids` as a Population of their own (applicants, or endorsees, as `role` says),
 * read by Query: each person's partition, then the email partition whose rows are theirs.
 * `stats` adds the items and requests.
 */
export async function readPeople(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: PopulationIndex,
  ids: readonly string[],
  role: 'applicant' | 'endorsee',
  stats: ScanStats,
  options: PeopleReadOptions = {},
): Promise<Population> {
  const keepCaches = options.factCaches === true;
  const p = emptyPopulation();
  p.trainings = index.trainings;
  // The emails this batch reads, each by its owner (attendanceOf): rows of no one else's.
  p.emailOwners = new Map();
  p.files = index.files;
  const caches: FactCacheUpdate[] = [];
  const readOne = async (id: string) => {
    // The fact cache comes along, to be compared with what is read (fact-cache.ts): it holds both profiles.
    const types = keepCaches ? ['applicant', 'endorsee', 'attendance', 'rsc', FACTS_TYPE] : [role, 'attendance', 'rsc'];
    const items = await partitionOf(client, tableName, personKey(id), types, stats);
    const profile = lastSource(items.filter((i) => i.type === role));
    if (!profile) return;
    if (keepCaches) {
      const update = factCacheUpdate(id, items, index);
      if (update) caches.push(update);
    }
    const person = role === 'applicant' ? applicantCodec.decode(profile) : endorseeCodec.decode(profile);
    if (role === 'applicant') p.applicants.set(id, person as ReturnType<typeof applicantCodec.decode>);
    else p.endorsees.set(id, person as ReturnType<typeof endorseeCodec.decode>);
    const rows = distinctFacts(items.filter((i) => i.type === 'attendance')).map((i) => attendanceRow(i, index));
    if (rows.length > 0) p.attendance.set(`P:${id}`, rows);
    const sessions: RscSession[] = distinctFacts(items.filter((i) => i.type === 'rsc')).map((i) => ({
      personId: id,
      sessionDate: i.sessionDate as string,
      hours: i.hours as number,
    }));
    if (sessions.length > 0) p.rsc.set(id, sessions);
    const email = person.email;
    if (email === undefined || !index.emailReaders[role].has(id)) return;
    p.emailOwners?.set(email, id);
    const shared = await partitionOf(client, tableName, emailKey(email), ['attendance'], stats);
    p.attendance.set(
      `E:${email}`,
      distinctFacts(shared).map((i) => attendanceRow(i, index)),
    );
  };
  // A slow partition holds up no one else.
  await inParallel(ids, CONCURRENCY, readOne);
  p.items = stats.items;
  if (keepCaches) p.factCaches = caches;
  return p;
}

/**
 * The people of `ids`, `batchSize` at a time, as Populations of their own (readPeople), in the
 * order of `ids`; the next batch is read while the caller works on this one.
 */
export async function* peopleBatches(
  client: DynamoDBDocumentClient,
  tableName: string,
  index: PopulationIndex,
  ids: readonly string[],
  role: 'applicant' | 'endorsee',
  stats: ScanStats,
  batchSize: number,
  options: PeopleReadOptions = {},
): AsyncGenerator<Population> {
  const read = (from: number) =>
    from < ids.length
      ? readPeople(client, tableName, index, ids.slice(from, from + batchSize), role, stats, options)
      : undefined;
  let next = read(0);
  try {
    for (let from = 0; next; from += batchSize) {
      const current = await next;
      next = read(from + batchSize);
      yield current;
    }
  } finally {
    // A caller that stops early (a failed write) leaves the read ahead unawaited: its failure is not news.
    next?.catch(() => undefined);
  }
}
