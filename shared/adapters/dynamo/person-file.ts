/** Everything the table holds on one person: Queries by id, by email (email-only roster rows) and per training attended. */
import { type DynamoDBDocumentClient, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { describedTraining } from '#core/calendar.js';
import { foldCase, normaliseIdentifier } from '#core/ingest/fields.js';
import type { Applicant, Attendance, Endorsee, RscSession, TrainingSummary } from '#core/model.js';
import {
  applicantCodec,
  attendanceCodec,
  calendarCodec,
  EVALUATION_SK,
  emailKey,
  endorseeCodec,
  factIdentity,
  type Item,
  personIdOf,
  personKey,
  RENEWAL_SK,
  resultCodec,
  rscCodec,
  sourceOfItem,
  trainingCodec,
  trainingKey,
} from './codecs.js';
import { creditAsDescribed } from './population.js';
import { EMAIL_OWNER_TYPE } from './stored-facts.js';

export interface PersonFile {
  personId: string;
  applicant?: Applicant;
  endorsee?: Endorsee;
  attendance: Attendance[];
  rsc: RscSession[];
  /** The latest stored evaluation and renewal status, as the jobs left them. */
  evaluation?: Record<string, unknown>;
  renewal?: Record<string, unknown>;
  trainings: Map<string, TrainingSummary>;
}

/** A partition's items in sort-key order. */
export async function partition(client: DynamoDBDocumentClient, tableName: string, pk: string): Promise<Item[]> {
  const items: Item[] = [];
  const pages = paginateQuery(
    { client },
    { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

/** Each fact once, however many current sources supply it (a partition's items come in sort-key order). */
export function distinctFacts(items: Item[]): Item[] {
  let last = '';
  return items.filter((item) => {
    const identity = factIdentity(String(item.sk));
    const repeated = identity === last;
    last = identity;
    return !repeated;
  });
}

/** Of several sources' items, the one whose upload key sorts last (as the population read chooses). */
export function lastSource(items: Item[]): Item | undefined {
  return items.reduce<Item | undefined>(
    (best, i) => (!best || sourceOfItem(i) > sourceOfItem(best) ? i : best),
    undefined,
  );
}

/** Reads one person's file; undefined when the table holds nothing on them. */
export async function readPersonFile(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
): Promise<PersonFile | undefined> {
  const items = await partition(client, tableName, personKey(personId));
  if (items.length === 0) return undefined;
  const file: PersonFile = { personId, attendance: [], rsc: [], trainings: new Map() };
  const ofType = (type: string) => items.filter((i) => i.type === type);
  const applicant = lastSource(ofType('applicant'));
  const endorsee = lastSource(ofType('endorsee'));
  if (applicant) file.applicant = applicantCodec.decode(applicant);
  if (endorsee) file.endorsee = endorseeCodec.decode(endorsee);
  file.attendance = distinctFacts(ofType('attendance')).map(attendanceCodec.decode);
  file.rsc = distinctFacts(ofType('rsc')).map(rscCodec.decode);
  const evaluation = items.find((i) => i.sk === EVALUATION_SK);
  const renewal = items.find((i) => i.sk === RENEWAL_SK);
  if (evaluation) file.evaluation = resultCodec.decode(evaluation);
  if (renewal) file.renewal = resultCodec.decode(renewal);

  const email = file.applicant?.email ?? file.endorsee?.email;
  if (email) {
    // The email's partition also holds who each upload gives the email to (stored-facts.ts): roster
    // rows naming only the email are this person's unless an upload gives it to an id that sorts first.
    const shared = await partition(client, tableName, emailKey(email));
    const owners = shared.filter((i) => i.type === EMAIL_OWNER_TYPE).map((i) => String(i.personId));
    if (!owners.some((id) => id < personId)) {
      for (const item of distinctFacts(shared.filter((i) => i.type === 'attendance'))) {
        file.attendance.push(attendanceCodec.decode(item));
      }
    }
  }
  const rosterDescriptions = new Map<string, TrainingSummary>();
  for (const id of new Set(file.attendance.map((a) => a.trainingId))) {
    const items = await partition(client, tableName, trainingKey(id));
    const roster = lastSource(items.filter((i) => i.type === 'training'));
    if (roster) rosterDescriptions.set(id, trainingCodec.decode(roster));
    const listed = lastSource(items.filter((i) => i.type === 'calendar'));
    const described = describedTraining(roster && trainingCodec.decode(roster), listed && calendarCodec.decode(listed));
    if (described) file.trainings.set(id, described);
  }
  // Each attendance credited as its training's description that counts (population.ts).
  for (const row of file.attendance) {
    const described = rosterDescriptions.get(row.trainingId);
    if (described) creditAsDescribed(row, described);
  }
  return file;
}

/**
 * The stored person ids equal to `personId` when letter case is ignored (after NFC normalisation),
 * sorted. A Scan of the whole table with only the partition key projected: meant for a person
 * typing an id at a terminal, not for a request path that runs often.
 */
export async function personIdsIgnoringCase(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
): Promise<string[]> {
  const wanted = foldCase(personId);
  const prefix = personKey('');
  const found = new Set<string>();
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      ProjectionExpression: '#pk',
      FilterExpression: 'begins_with(#pk, :person)',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':person': prefix },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const id = personIdOf(String(item.pk));
      if (foldCase(id) === wanted) found.add(id);
    }
  }
  return [...found].sort();
}

/**
 * A person's file by id as a person types it: the exact id first, then its NFC form, then the
 * stored ids equal to it ignoring letter case. `matches` lists those ids; with more than one, no
 * file is read (the caller asks which was meant).
 */
export async function findPersonFile(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
): Promise<{ file?: PersonFile; matches: string[] }> {
  for (const id of new Set([personId, normaliseIdentifier(personId)])) {
    const file = await readPersonFile(client, tableName, id);
    if (file) return { file, matches: [id] };
  }
  const matches = await personIdsIgnoringCase(client, tableName, personId);
  if (matches.length !== 1 || matches[0] === undefined) return { matches };
  const file = await readPersonFile(client, tableName, matches[0]);
  // Erased between the Scan and the read: nobody with that id any more.
  return file ? { file, matches } : { matches: [] };
}
