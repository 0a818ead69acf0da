/**
 * What other current uploads hold for the people, emails and trainings one file names, read for the
 * receipt's cross-file warnings (shared/core/ingest/cross-file.ts). Every read is a Query by key,
 * one per key the file names and at most `maxLookups` per upload: never a Scan of the table.
 *
 * An email's owners are found through email-owner items, written beside each applicant and
 * endorsement row that gives an email:
 *
 *   EMAIL#<email>   OWNER#<src>     the person_id that source's latest row gives the email to
 *
 * Like every fact they carry the source version (`sv`), so replacing or withdrawing the upload
 * forgets them, and erasure removes them with the rest of the email's partition.
 */
import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { StoredFacts } from '#core/ingest/cross-file.js';
import { emptyStoredFacts } from '#core/ingest/cross-file.js';
import type { FileFacts, TrainingDescription } from '#core/ingest/row-checks.js';
import { getItemsByKey } from './batch-get.js';
import {
  emailKey,
  type FactOrigin,
  type Item,
  personIdOf,
  personKey,
  sourceVersionKey,
  trainingKey,
} from './codecs.js';
import type { ProfileSources } from './profile-sources.js';

export const EMAIL_OWNER_TYPE = 'email-owner';

export const emailOwnerCodec = {
  encode: (email: string, personId: string, o: FactOrigin): Item => ({
    pk: emailKey(email),
    sk: `OWNER#${o.tag.id}`,
    type: EMAIL_OWNER_TYPE,
    sv: o.sv ?? sourceVersionKey(o.tag.id, o.tag.version, o.shard),
    source: o.key,
    personId,
  }),
};

/** True for the key of an email-owner item (its sort key names the source, `OWNER#<src>`). */
export const isEmailOwnerKey = (key: { pk: string; sk: string }) => key.sk.startsWith('OWNER#');

/** Queries in flight at once. */
const CONCURRENCY = 16;

async function query(
  client: DynamoDBDocumentClient,
  tableName: string,
  input: {
    pk: string;
    sk?: { from: string; to: string } | { prefix: string };
    /** Only items of these types come back. */
    types?: string[];
    projection: string[];
  },
): Promise<Item[]> {
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = { ':pk': input.pk };
  let condition = '#pk = :pk';
  if (input.sk) {
    names['#sk'] = 'sk';
    if ('prefix' in input.sk) {
      condition += ' AND begins_with(#sk, :prefix)';
      values[':prefix'] = input.sk.prefix;
    } else {
      condition += ' AND #sk BETWEEN :from AND :to';
      values[':from'] = input.sk.from;
      values[':to'] = input.sk.to;
    }
  }
  input.projection.forEach((p, i) => {
    names[`#p${i}`] = p;
  });
  let filter: string | undefined;
  if (input.types) {
    names['#type'] = 'type';
    input.types.forEach((t, i) => {
      values[`:t${i}`] = t;
    });
    filter = `#type IN (${input.types.map((_, i) => `:t${i}`).join(', ')})`;
  }
  const items: Item[] = [];
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: condition,
      FilterExpression: filter,
      ProjectionExpression: input.projection.map((_, i) => `#p${i}`).join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A training description from a roster's or the calendar's item; undefined when the item is no description. */
function descriptionOf(item: Item): TrainingDescription | undefined {
  if (typeof item.date !== 'string' || typeof item.hours !== 'number') return undefined;
  return {
    title: text(item.title),
    date: item.date,
    hours: item.hours,
    competencies: Array.isArray(item.competencies) ? item.competencies.map(String) : [],
    dei: Boolean(item.dei),
    rscTopic: Boolean(item.rscTopic),
  };
}

/**
 * The other uploads' facts for what `facts` names; items of `exceptKey` (the file itself, whose
 * rows are already stored) are left out.
 */
export async function readStoredFacts(
  client: DynamoDBDocumentClient,
  tableName: string,
  facts: FileFacts,
  exceptKey: string,
  maxLookups: number,
  /** The uploads that hold profiles (profile-sources.ts): with them, people are read by key. */
  profiles?: ProfileSources,
): Promise<StoredFacts> {
  const stored = emptyStoredFacts();
  const lookups: (() => Promise<void>)[] = [];
  const people = [...facts.people.keys()];
  // The first maxLookups keys are looked up, people first (as one lookup each, however read).
  const byKey = profiles ? people.slice(0, maxLookups) : [];
  if (profiles) {
    stored.notLookedUp += people.length - byKey.length;
    maxLookups -= byKey.length;
  }
  for (const personId of profiles ? [] : people) {
    lookups.push(async () => {
      // Applicant and endorsement items sort together at the partition's start (APPLICANT#, ATT#, ENDORSEE#).
      const items = await query(client, tableName, {
        pk: personKey(personId),
        sk: { from: 'APPLICANT#', to: 'ENDORSEE$' },
        types: ['applicant', 'endorsee'],
        projection: ['type', 'firstName', 'lastName', 'source'],
      });
      const found = items
        .filter((i) => (i.type === 'applicant' || i.type === 'endorsee') && i.source !== exceptKey)
        .map((i) => ({
          name: { firstName: text(i.firstName), lastName: text(i.lastName) },
          kind: i.type as 'applicant' | 'endorsee',
          source: String(i.source),
        }));
      if (found.length > 0) stored.people.set(personId, found);
    });
  }
  for (const email of facts.emails.keys()) {
    lookups.push(async () => {
      const items = await query(client, tableName, {
        pk: emailKey(email),
        sk: { prefix: 'OWNER#' },
        projection: ['personId', 'source'],
      });
      const found = items
        .filter((i) => i.source !== exceptKey && typeof i.personId === 'string')
        .map((i) => ({ personId: String(i.personId), source: String(i.source) }));
      if (found.length > 0) stored.emails.set(email, found);
    });
  }
  for (const trainingId of facts.trainings.keys()) {
    lookups.push(async () => {
      const items = await query(client, tableName, {
        pk: trainingKey(trainingId),
        projection: ['type', 'title', 'date', 'hours', 'competencies', 'dei', 'rscTopic', 'source'],
      });
      const found: StoredFacts['trainings'] extends Map<string, infer V> ? V : never = [];
      for (const i of items) {
        if (i.source === exceptKey || (i.type !== 'training' && i.type !== 'calendar')) continue;
        const description = descriptionOf(i);
        if (description) {
          found.push({ description, from: i.type === 'calendar' ? 'calendar' : 'roster', source: String(i.source) });
        }
      }
      if (found.length > 0) stored.trainings.set(trainingId, found);
      stored.trainingsLookedUp.add(trainingId);
    });
  }
  if (profiles) await readProfilesByKey(client, tableName, byKey, profiles, exceptKey, stored);
  stored.notLookedUp += Math.max(0, lookups.length - maxLookups);
  const queue = lookups.slice(0, maxLookups);
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next();
    }),
  );
  return stored;
}

/**
 * The profile items (applicant, endorsee) of `personIds` held by the profile uploads, read by key:
 * a person costs the profiles they have, not their rows.
 */
async function readProfilesByKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  personIds: readonly string[],
  profiles: ProfileSources,
  exceptKey: string,
  stored: StoredFacts,
): Promise<void> {
  const keys = personIds.flatMap((id) => [
    ...profiles.applicants.map((src) => ({ pk: personKey(id), sk: `APPLICANT#${src}` })),
    ...profiles.endorsements.map((src) => ({ pk: personKey(id), sk: `ENDORSEE#${src}` })),
  ]);
  const found = await getItemsByKey(client, tableName, keys, ['type', 'firstName', 'lastName', 'source']);
  // Sorted as a Query returns a partition (by sort key), so the result does not depend on arrival order.
  found.sort((a, b) => (a.pk === b.pk ? (String(a.sk) < String(b.sk) ? -1 : 1) : String(a.pk) < String(b.pk) ? -1 : 1));
  for (const i of found) {
    if ((i.type !== 'applicant' && i.type !== 'endorsee') || i.source === exceptKey) continue;
    const personId = personIdOf(String(i.pk));
    const list = stored.people.get(personId) ?? [];
    list.push({
      name: { firstName: text(i.firstName), lastName: text(i.lastName) },
      kind: i.type,
      source: String(i.source),
    });
    stored.people.set(personId, list);
  }
}
