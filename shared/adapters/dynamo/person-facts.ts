/**
 * One person's facts for an evaluation of the few people a change reached (evaluate-people.ts;
 * docs/architecture.md, "Incremental evaluation"), as the population read would give them
 * (population.ts): their profiles as applicant and as endorsee, roster rows and RSC sessions, the
 * rows their email carries, each roster row credited as its training's description.
 *
 * Their own items come from their fact cache (fact-cache.ts) where there is one and the uploads
 * that changed are known: only what those uploads can have altered is read again (an applicants
 * file or an endorsee list: that profile; an RSC log: the sessions; a roster: the person's rows of
 * the trainings its current version names and of those their cached rows from it name). Otherwise
 * the person is read whole. Either way the cache is then brought up to date.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Applicant, Attendance, Endorsee, RscSession, TrainingSummary } from '#core/model.js';
import {
  applicantCodec,
  attendanceCodec,
  emailKey,
  endorseeCodec,
  type Item,
  personKey,
  rscCodec,
  trainingCodec,
  trainingKey,
} from './codecs.js';
import {
  type CachedFacts,
  type Credit,
  creditOf,
  deleteFactCache,
  type FactItems,
  factText,
  readFactCache,
  writeFactCache,
} from './fact-cache.js';
import { queryItems as queryProjected, type ReadCount } from './incremental.js';
import { distinctFacts, lastSource } from './person-file.js';
import { creditAsDescribed } from './population.js';
import type { SourceRecord } from './sources.js';
import { EMAIL_OWNER_TYPE } from './stored-facts.js';

/** What judging one person needs from the table: as applicant, as endorsee, or both. */
export interface PersonFacts {
  applicant?: Applicant;
  endorsee?: Endorsee;
  /** Their own roster rows, credited as their training's description. */
  attendance: Attendance[];
  rsc: RscSession[];
  /** The rows naming only `email`, when the person owns it (credited likewise); empty otherwise. */
  emailAttendance(email: string | undefined): Promise<Attendance[]>;
}

/**
 * What a set of changed uploads can have altered in a person's own partition. Undefined where it
 * cannot be told (a calendar, an upload without a source record, no upload named): read everything.
 */
export interface ChangedFacts {
  profile: boolean;
  endorsement: boolean;
  rsc: boolean;
  /** The changed rosters: their source id and, where known, the trainings their current version names. */
  rosters: { sourceId: string; trainings?: readonly string[] }[];
}

export function changedFacts(records: readonly (SourceRecord | undefined)[]): ChangedFacts | undefined {
  if (records.length === 0) return undefined;
  const changed: ChangedFacts = { profile: false, endorsement: false, rsc: false, rosters: [] };
  for (const r of records) {
    if (!r?.sourceId) return undefined;
    switch (r.kind) {
      case 'applicants':
        changed.profile = true;
        break;
      case 'rsc':
        changed.rsc = true;
        break;
      case 'rosters':
        changed.rosters.push({ sourceId: r.sourceId, trainings: r.trainings });
        break;
      case 'endorsements':
        // Who holds an email is read every time.
        changed.endorsement = true;
        break;
      default:
        return undefined;
    }
  }
  return changed;
}

/** Trainings whose rows are read one Query each; more than this, and all the person's rows are read in one. */
const MAX_TRAINING_QUERIES = 8;

/** The training of a roster row's sort key, `ATT#<training>#<C|N>#<src>`. */
function trainingOfSk(sk: string): string {
  return sk.slice('ATT#'.length, sk.lastIndexOf('#', sk.lastIndexOf('#') - 1));
}
const sourceOfSk = (sk: string) => sk.slice(sk.lastIndexOf('#') + 1);
const bySk = (a: Item, b: Item) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0);

const queryItems = (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  skPrefix: string,
  count?: ReadCount,
) => queryProjected(client, tableName, pk, skPrefix, undefined, count);

/** Roster descriptions read once per evaluation, shared by its people. */
export type Descriptions = Map<string, Promise<TrainingSummary | undefined>>;

function describe(
  client: DynamoDBDocumentClient,
  tableName: string,
  trainingId: string,
  descriptions: Descriptions,
  count?: ReadCount,
): Promise<TrainingSummary | undefined> {
  let described = descriptions.get(trainingId);
  if (!described) {
    described = queryItems(client, tableName, trainingKey(trainingId), 'TRAINING#', count).then((items) => {
      const roster = lastSource(items);
      return roster && trainingCodec.decode(roster);
    });
    descriptions.set(trainingId, described);
  }
  return described;
}

/** True when the items hold a profile as applicant or as endorsee. */
const hasProfile = (own: FactItems) =>
  lastSource(own.profile) !== undefined || lastSource(own.endorsement) !== undefined;

/**
 * The person's own items: from `cached`, with what `changed` can have altered read again, or (no
 * cache, or the change not known) read whole. The profiles first: someone who is neither applicant
 * nor endorsee costs two Queries when read whole.
 */
async function ownItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  cached: CachedFacts | undefined,
  changed: ChangedFacts | undefined,
  epoch: number,
  count?: ReadCount,
): Promise<FactItems | undefined> {
  const pk = personKey(personId);
  const query = (prefix: string) => queryItems(client, tableName, pk, prefix, count);
  // A cache of an earlier epoch, or written before it held endorsements, is of no use but its `rev`.
  if (!cached || !changed || cached.epoch !== epoch || !Array.isArray(cached.items.endorsement)) {
    const [profile, endorsement] = await Promise.all([query('APPLICANT#'), query('ENDORSEE#')]);
    const whole: FactItems = { profile, endorsement, attendance: [], rsc: [], credits: {} };
    if (!hasProfile(whole)) return undefined;
    [whole.attendance, whole.rsc] = await Promise.all([query('ATT#'), query('RSC#')]);
    return whole;
  }
  const own: FactItems = { ...cached.items, credits: { ...cached.items.credits } };
  if (changed.profile) own.profile = await query('APPLICANT#');
  if (changed.endorsement) own.endorsement = await query('ENDORSEE#');
  if (!hasProfile(own)) return undefined;
  if (changed.rsc) own.rsc = await query('RSC#');
  if (changed.rosters.length === 0) return own;
  // The trainings whose rows a changed roster holds now (its record) or held (this person's cached rows from it).
  const again = new Set<string>();
  let whole = false;
  for (const roster of changed.rosters) {
    if (roster.trainings === undefined) whole = true;
    else for (const t of roster.trainings) again.add(t);
    for (const row of own.attendance) {
      if (sourceOfSk(String(row.sk)) === roster.sourceId) again.add(trainingOfSk(String(row.sk)));
    }
  }
  if (whole || again.size > MAX_TRAINING_QUERIES) {
    own.attendance = await query('ATT#');
    own.credits = {};
    return own;
  }
  const kept = own.attendance.filter((row) => !again.has(trainingOfSk(String(row.sk))));
  const read = await Promise.all(
    [...again].map(async (t) => (await query(`ATT#${t}#`)).filter((row) => trainingOfSk(String(row.sk)) === t)),
  );
  for (const t of again) delete own.credits[t];
  own.attendance = [...kept, ...read.flat()].sort(bySk);
  return own;
}

/** Writes tried before the cache is given up (deleted) for a person others keep changing. */
const CACHE_ATTEMPTS = 3;

/**
 * One person's facts (undefined when they are neither applicant nor endorsee), read as the
 * module's comment says, their cache brought up to date. `changed` is what the uploads behind the
 * evaluation can have altered (changedFacts); `descriptions` is shared by the people of one evaluation.
 */
export async function readPersonFacts(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  descriptions: Descriptions,
  count?: ReadCount,
  changed?: ChangedFacts,
  /** The current cache epoch (STATE#facts): a cache of another is read whole again. */
  epoch = 0,
): Promise<PersonFacts | undefined> {
  for (let attempt = 1; ; attempt++) {
    const cached = await readFactCache(client, tableName, personId, count);
    const own = await ownItems(client, tableName, personId, cached, changed, epoch, count);
    if (!own) {
      if (cached) await deleteFactCache(client, tableName, personId);
      return undefined;
    }
    const facts = await factsOf(client, tableName, personId, own, descriptions, count);
    const text = factText(own);
    if (text === cached?.text && cached.epoch === epoch) return facts;
    if (await writeFactCache(client, tableName, personId, text, cached, epoch)) return facts;
    // Another evaluation wrote the cache since it was read: read again from theirs, which may hold a change this one lacks.
    if (attempt >= CACHE_ATTEMPTS) {
      await deleteFactCache(client, tableName, personId);
      return readPersonFacts(client, tableName, personId, descriptions, count, undefined, epoch);
    }
  }
}

/** The credit of each training of `attendance` (what `creditOf` gives, null where none), keyed in sort order. */
export function creditsOf(attendance: readonly Item[], creditOf: (trainingId: string) => Credit | null | undefined) {
  const credits: Record<string, Credit | null> = {};
  for (const t of [...new Set(attendance.map((row) => trainingOfSk(String(row.sk))))].sort()) {
    credits[t] = creditOf(t) ?? null;
  }
  return credits;
}

/** The facts of a person's own items (their credits filled in where missing) and of their email's rows. */
async function factsOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  own: FactItems,
  descriptions: Descriptions,
  count?: ReadCount,
): Promise<PersonFacts> {
  const profile = lastSource(own.profile);
  const endorsement = lastSource(own.endorsement);
  const attendance = distinctFacts(own.attendance).map(attendanceCodec.decode);
  for (const row of attendance) {
    let credit: Credit | null | undefined = own.credits[row.trainingId];
    if (credit === undefined) {
      const described = await describe(client, tableName, row.trainingId, descriptions, count);
      credit = described ? creditOf(described) : null;
      own.credits[row.trainingId] = credit;
    }
    if (credit) creditAsDescribed(row, credit);
  }
  // Credits of trainings the person no longer has rows of go, so the cache is what a full read makes.
  const credits = own.credits;
  own.credits = creditsOf(own.attendance, (t) => credits[t]);
  const rsc = distinctFacts(own.rsc).map(rscCodec.decode);
  const byEmail = new Map<string, Promise<Attendance[]>>();
  /** Rows naming only the email are the person's unless an upload gives the email to an id sorting first. */
  const emailRows = async (email: string): Promise<Attendance[]> => {
    const shared = await queryItems(client, tableName, emailKey(email), '', count);
    const owners = shared.filter((i) => i.type === EMAIL_OWNER_TYPE).map((i) => String(i.personId));
    if (owners.some((id) => id < personId)) return [];
    const rows: Attendance[] = [];
    for (const item of distinctFacts(shared.filter((i) => i.type === 'attendance'))) {
      const row = attendanceCodec.decode(item);
      const described = await describe(client, tableName, row.trainingId, descriptions, count);
      if (described) creditAsDescribed(row, described);
      rows.push(row);
    }
    return rows;
  };
  return {
    applicant: profile && applicantCodec.decode(profile),
    endorsee: endorsement && endorseeCodec.decode(endorsement),
    attendance,
    rsc,
    emailAttendance(email) {
      if (email === undefined) return Promise.resolve([]);
      let rows = byEmail.get(email);
      if (!rows) {
        rows = emailRows(email);
        byEmail.set(email, rows);
      }
      return rows;
    },
  };
}
