/**
 * How domain records become items of the single table, and back: one codec per item type, so
 * a change to the table design is made here and nowhere else.
 *
 * Every fact is stored once per source that supplies it (the source id ends its sort key), so
 * replacing or withdrawing one upload touches only that upload's items, and a fact two current
 * uploads both hold survives either one's withdrawal. Readers count such a fact once.
 *
 *   PERSON#<id>     APPLICANT#<src>                 the applicant profile, as one source gives it
 *   PERSON#<id>     ENDORSEE#<src>                  the endorsement
 *   PERSON#<id>     ATT#<training>#<C|N>#<src>      a training attended, completed (C) or not (N)
 *   EMAIL#<email>   ATT#<training>#<C|N>#<src>      the same, for an attendee known only by email
 *   EMAIL#<email>   OWNER#<src>                     who that source gives the email to (stored-facts.ts)
 *   PERSON#<id>     RSC#<date>#<digest>#<src>       an RSC session received
 *   TRAINING#<id>   TRAINING#<src>                  what a training is (title, date, hours, competencies)
 *   TRAINING#<id>   CALENDAR#<src>                  the training as the association's calendar lists it
 *   PERSON#<id>     EVALUATION / RENEWAL            the jobs' latest results (not facts: no source)
 *   PERSON#<id>     FACTS                           an applicant's fact cache (fact-cache.ts)
 *   SUMMARY#<nn>    <digest>#A / <digest>#E         what the reports count of a judged person (summaries.ts)
 *   FILE#<key>      RECEIPT                         the source: its current version, counts, lease
 *   JOB#evaluation  SUGGESTIONS / EXPORT            the full pass's suggestion table; the export's lease (incremental.ts)
 *   AUDIT#erasure   <time>#<hash>                   an erasure, without personal data
 *
 * Fact items carry `sv` = `<src>#<version tag>#<shard>`, the partition key of the sparse
 * `bySource` index: the items one version of one source supplied, found in proportion to its
 * rows. The shard spreads a large file's index writes over several partitions.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Applicant, Attendance, CalendarTraining, Endorsee, RscSession, TrainingSummary } from '#core/model.js';
import { CATEGORY_CODES } from '#core/reference/reference.js';
import { EducationLevel } from '#core/rules/ruleset.js';
import { parseOrThrow } from '#core/validate.js';

export type Item = Record<string, unknown>;

export const personKey = (personId: string) => `PERSON#${personId}`;
export const emailKey = (email: string) => `EMAIL#${email}`;
export const trainingKey = (trainingId: string) => `TRAINING#${trainingId}`;
export const sourceKey = (key: string) => `FILE#${key}`;
export const personIdOf = (pk: string) => pk.slice('PERSON#'.length);

/** The sparse index of fact items by source version. */
export const SOURCE_INDEX = { name: 'bySource', partitionKey: 'sv' } as const;
/** Index partitions per source version (a 2-million-row file writes ~250,000 index entries to each). */
export const SOURCE_SHARDS = 8;

/** The table-side identity of one version of one source. */
export interface SourceTag {
  /** Short, stable id of the upload key (ends every fact's sort key). */
  id: string;
  /** Short tag of the version (S3 version id, or ETag where the bucket keeps no versions). */
  version: string;
}

const shortDigest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('base64url').slice(0, length);

export function sourceTag(key: string, version: string): SourceTag {
  return { id: shortDigest(key, 12), version: shortDigest(version, 10) };
}

/** The `bySource` partition of a shard of a source version. */
export const sourceVersionKey = (sourceId: string, version: string, shard: number) => `${sourceId}#${version}#${shard}`;

/** Everything of a fact's sort key before its source: items with the same identity are one fact. */
export function factIdentity(sk: string): string {
  return sk.slice(0, sk.lastIndexOf('#'));
}

// --- reading attributes without casts: a wrong type is a corrupt item, and says which ------------------
function fail(item: Item, name: string, want: string): never {
  throw new Error(`item ${String(item.pk)} ${String(item.sk)}: ${name} is not ${want}`);
}
function str(item: Item, name: string): string {
  const v = item[name];
  return typeof v === 'string' ? v : fail(item, name, 'a string');
}
function optStr(item: Item, name: string): string | undefined {
  const v = item[name];
  return v === undefined || v === null ? undefined : typeof v === 'string' ? v : fail(item, name, 'a string');
}
function num(item: Item, name: string): number {
  const v = item[name];
  return typeof v === 'number' ? v : fail(item, name, 'a number');
}
function bool(item: Item, name: string): boolean {
  return Boolean(item[name]);
}
function strList(item: Item, name: string): string[] {
  const v = item[name];
  if (v === undefined) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : fail(item, name, 'a list of strings');
}

/** Drops undefined fields (the document client is told to as well; this keeps the items' shape honest). */
function defined<T extends Item>(item: T): T {
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item;
}

// --- facts ------------------------------------------------------------------------------------------
// Roster rows, sessions and trainings are read and written millions of times: their codecs leave an
// absent field `undefined` (the document client drops it on write) rather than deleting keys, which
// would turn every object into a slow dictionary.

/** Where a fact came from, as written on each of its items. */
export interface FactOrigin {
  tag: SourceTag;
  /** The upload key: applicants, endorsees and trainings keep it, to choose between two sources by name. */
  key: string;
  shard: number;
  /** The `sv` value for this tag and shard, when the caller has built it once (the ingest sink, per row). */
  sv?: string;
}

const sv = (o: FactOrigin) => o.sv ?? sourceVersionKey(o.tag.id, o.tag.version, o.shard);

const demographics = {
  raceEthnicity: z.array(z.string()).default([]),
  primaryLanguage: z.string().optional(),
  gender: z.string().optional(),
  county: z.string().optional(),
  sector: z.string().optional(),
};
const StoredApplicant = z.object({
  ...demographics,
  personId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  category: z.enum(CATEGORY_CODES),
  status: z.string().optional(),
  applicationDate: z.string().optional(),
  education: EducationLevel,
  workExperienceMonths: z.number(),
  examPassed: z.boolean(),
  references: z.number(),
  codeOfEthicsSigned: z.boolean(),
  membershipExpiresOn: z.string().optional(),
  county: z.string(),
  employer: z.string().optional(),
});
const StoredEndorsee = z.object({
  ...demographics,
  personId: z.string(),
  category: z.enum(CATEGORY_CODES),
  endorsedOn: z.string(),
  membershipExpiresOn: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
});

function parseStored<T>(schema: z.ZodType<T>, item: Item): T {
  return parseOrThrow(schema, item, `item ${String(item.pk)} ${String(item.sk)}`);
}

export const applicantCodec = {
  encode: (a: Applicant, o: FactOrigin): Item =>
    defined({
      pk: personKey(a.personId),
      sk: `APPLICANT#${o.tag.id}`,
      type: 'applicant',
      sv: sv(o),
      source: o.key,
      ...a,
    }),
  decode: (item: Item): Applicant => parseStored(StoredApplicant, item),
};

export const endorseeCodec = {
  encode: (e: Endorsee, o: FactOrigin): Item =>
    defined({
      pk: personKey(e.personId),
      sk: `ENDORSEE#${o.tag.id}`,
      type: 'endorsee',
      sv: sv(o),
      source: o.key,
      ...e,
    }),
  decode: (item: Item): Endorsee => parseStored(StoredEndorsee, item),
};

/**
 * The sort keys of the last training's attendances from one source, completed and not: a roster
 * lists a training's attendees one after another, and building the key anew made five strings per row.
 */
let attendanceKeys = { trainingId: '', sourceId: '', completed: '', notCompleted: '' };

function attendanceSortKey(trainingId: string, completed: boolean, sourceId: string): string {
  let k = attendanceKeys;
  if (k.trainingId !== trainingId || k.sourceId !== sourceId) {
    k = {
      trainingId,
      sourceId,
      completed: `ATT#${trainingId}#C#${sourceId}`,
      notCompleted: `ATT#${trainingId}#N#${sourceId}`,
    };
    attendanceKeys = k;
  }
  return completed ? k.completed : k.notCompleted;
}

/** The attendee's partition: the person when the row names one, else the email (linked at evaluation). */
export const attendanceCodec = {
  encode: (a: Attendance, o: FactOrigin): Item => ({
    pk: a.personId !== undefined ? personKey(a.personId) : emailKey(a.email ?? ''),
    sk: attendanceSortKey(a.trainingId, a.completed, o.tag.id),
    type: 'attendance',
    sv: sv(o),
    trainingId: a.trainingId,
    date: a.trainingDate,
    hours: a.hours,
    competencies: a.competencies,
    dei: a.dei,
    rscTopic: a.rscTopic,
    completed: a.completed,
    personId: a.personId,
    email: a.email,
  }),
  decode: (item: Item): Attendance => ({
    trainingId: str(item, 'trainingId'),
    trainingDate: str(item, 'date'),
    hours: num(item, 'hours'),
    competencies: strList(item, 'competencies'),
    dei: bool(item, 'dei'),
    rscTopic: bool(item, 'rscTopic'),
    completed: bool(item, 'completed'),
    personId: optStr(item, 'personId'),
    email: optStr(item, 'email'),
  }),
  /** The attendee key the population groups rows by: `P:<id>` or `E:<email>`. */
  attendee: (item: Item): string => (item.personId ? `P:${str(item, 'personId')}` : `E:${str(item, 'email')}`),
};

export const rscCodec = {
  encode: (s: RscSession, o: FactOrigin): Item => ({
    pk: personKey(s.personId),
    sk: `RSC#${s.sessionDate}#${shortDigest([s.hours, s.providerName, s.providerCategory, s.format].map((p) => p ?? '').join('\u0001'), 12)}#${o.tag.id}`,
    type: 'rsc',
    sv: sv(o),
    ...s,
  }),
  decode: (item: Item): RscSession => ({
    personId: str(item, 'personId'),
    sessionDate: str(item, 'sessionDate'),
    hours: num(item, 'hours'),
    providerName: optStr(item, 'providerName'),
    providerCategory: optStr(item, 'providerCategory'),
    format: optStr(item, 'format'),
  }),
};

/** What a training is, as one roster describes it (one item per training per source). */
export const trainingCodec = {
  encode: (a: Attendance, o: FactOrigin): Item => ({
    pk: trainingKey(a.trainingId),
    sk: `TRAINING#${o.tag.id}`,
    type: 'training',
    sv: sv(o),
    source: o.key,
    trainingId: a.trainingId,
    title: a.trainingTitle,
    date: a.trainingDate,
    hours: a.hours,
    competencies: a.competencies,
    dei: a.dei,
    rscTopic: a.rscTopic,
    provider: a.provider,
  }),
  decode: (item: Item): TrainingSummary => ({
    trainingId: str(item, 'trainingId'),
    title: optStr(item, 'title'),
    date: str(item, 'date'),
    hours: num(item, 'hours'),
    competencies: strList(item, 'competencies'),
    dei: bool(item, 'dei'),
    rscTopic: bool(item, 'rscTopic'),
    provider: optStr(item, 'provider'),
    attendees: 0,
  }),
};

/**
 * A training as one calendar upload lists it (one item per training per source), in the training's
 * partition beside the rosters' descriptions, so replacing or withdrawing the calendar touches only
 * its own items, as for any source.
 */
export const calendarCodec = {
  encode: (t: CalendarTraining, o: FactOrigin): Item => ({
    pk: trainingKey(t.trainingId),
    sk: `CALENDAR#${o.tag.id}`,
    type: 'calendar',
    sv: sv(o),
    source: o.key,
    trainingId: t.trainingId,
    title: t.title,
    date: t.date,
    hours: t.hours,
    competencies: t.competencies,
    dei: t.dei,
    rscTopic: t.rscTopic,
    provider: t.provider,
    registrationUrl: t.registrationUrl,
  }),
  decode: (item: Item): CalendarTraining => ({
    trainingId: str(item, 'trainingId'),
    title: str(item, 'title'),
    date: str(item, 'date'),
    hours: num(item, 'hours'),
    competencies: strList(item, 'competencies'),
    dei: bool(item, 'dei'),
    rscTopic: bool(item, 'rscTopic'),
    provider: optStr(item, 'provider'),
    registrationUrl: optStr(item, 'registrationUrl'),
  }),
};

/** The upload key an applicant, endorsee, training or calendar item came from (which wins when two disagree). */
export const sourceOfItem = (item: Item): string => str(item, 'source');

// --- results the jobs keep per person ----------------------------------------------------------------

export const EVALUATION_SK = 'EVALUATION';
export const RENEWAL_SK = 'RENEWAL';

export type ResultKind = 'evaluation' | 'renewal';

export const resultCodec = {
  encode: (kind: ResultKind, personId: string, result: Item): Item => ({
    ...result,
    pk: personKey(personId),
    sk: kind === 'evaluation' ? EVALUATION_SK : RENEWAL_SK,
    type: kind,
  }),
  decode: (item: Item): Item => {
    const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
    return rest;
  },
  key: (kind: 'evaluation' | 'renewal', personId: string) => ({
    pk: personKey(personId),
    sk: kind === 'evaluation' ? EVALUATION_SK : RENEWAL_SK,
  }),
};

/** A job's result for one person, stored whole (a person's file shows it as the job left it). */
export type StoredResult = Item & { readonly personId: string };

// --- the erasure audit ---------------------------------------------------------------------------------

export const AUDIT_PK = 'AUDIT#erasure';

/** That an erasure happened: the keyed hash of the id and counts, never personal data or file names. */
export interface ErasureAudit {
  at: string;
  hash: string;
  items: number;
  sources: number;
  rows: number;
  versions: number;
  /** Lines of other people's rows that still mention the person (the files are not named). */
  mentions: number;
}

export const auditCodec = {
  encode: (a: ErasureAudit): Item => ({
    pk: AUDIT_PK,
    sk: `${a.at}#${a.hash}`,
    type: 'audit',
    at: a.at,
    hash: a.hash,
    items: a.items,
    sources: a.sources,
    rows: a.rows,
    versions: a.versions,
    mentions: a.mentions,
  }),
  decode: (item: Item): ErasureAudit => ({
    at: str(item, 'at'),
    hash: str(item, 'hash'),
    items: num(item, 'items'),
    sources: num(item, 'sources'),
    rows: num(item, 'rows'),
    versions: num(item, 'versions'),
    mentions: num(item, 'mentions'),
  }),
};

/** The job result a fact's removal makes stale (the person may no longer be an applicant or endorsee). */
export function resultKeyAfterRemoving(key: { pk: string; sk: string }): { pk: string; sk: string } | undefined {
  if (key.sk.startsWith('APPLICANT#')) return { pk: key.pk, sk: EVALUATION_SK };
  if (key.sk.startsWith('ENDORSEE#')) return { pk: key.pk, sk: RENEWAL_SK };
  return undefined;
}
