/**
 * An applicant's or endorsee's fact cache (docs/architecture.md, "Incremental evaluation"):
 *
 *   PERSON#<id>   FACTS   the items of their own partition an evaluation reads (profiles as applicant
 *                         and as endorsee, roster rows, RSC sessions) as the last evaluation read them, with the description each
 *                         roster row's training was credited as, as canonical JSON compressed
 *                         (raw deflate: the rows repeat their attribute names); `rev` counts its writes
 *
 * An evaluation of the few people a change reached starts from it and reads again only what the
 * change can have altered (person-facts.ts), so its cost follows the change instead of the
 * history behind each person. The full pass compares what it read with it and rewrites it where it
 * differs. Every write is conditional on the `rev` its writer read: two evaluations of one person
 * at once cannot leave a cache that lacks either one's change (the loser reads again). It lives in
 * the person's partition, so an erasure removes it with the rest.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import stringify from 'safe-stable-stringify';
import { inParallel } from '#core/in-parallel.js';
import type { TrainingSummary } from '#core/model.js';
import { BatchWriter } from './batch-writer.js';
import { type Item, personKey } from './codecs.js';
import type { Credit } from './population.js';
import { factsState } from './summaries.js';

export const FACTS_SK = 'FACTS';
export const FACTS_TYPE = 'facts';

export type { Credit };

/** A person's own fact items, as stored, in sort-key order within each list. */
export interface FactItems {
  /** Their rows of applicants files. */
  profile: Item[];
  /** Their rows of endorsee lists. */
  endorsement: Item[];
  attendance: Item[];
  rsc: Item[];
  /** For each training of `attendance`, the roster description it is credited as (null: none). */
  credits: Record<string, Credit | null>;
}

export interface CachedFacts {
  rev: number;
  /**
   * The cache epoch it was written in (STATE#facts `cacheEpoch`): a change that reached everyone
   * starts a new one, and a cache of an earlier epoch is not trusted (its credits may be stale).
   */
  epoch: number;
  items: FactItems;
  /** The items as stored (canonical JSON): equal text, equal facts. */
  text: string;
}

/** Above this, compressed, the cache is not kept (a DynamoDB item holds 400 KB): such a person is read whole. */
const MAX_BYTES = 300_000;

export const creditOf = (t: TrainingSummary): Credit => ({
  date: t.date,
  hours: t.hours,
  competencies: t.competencies,
  dei: t.dei,
  rscTopic: t.rscTopic,
});

/** The index key (`sv`) stays out: the cache is no source's item. Sets (none expected) keep their members. */
function canonical(items: FactItems): string {
  const strip = (list: Item[]) => list.map(({ sv: _sv, ...rest }) => rest);
  const text = stringify(
    {
      profile: strip(items.profile),
      endorsement: strip(items.endorsement),
      attendance: strip(items.attendance),
      rsc: strip(items.rsc),
      credits: items.credits,
    },
    (_key, value) => (value instanceof Set ? { $set: [...value] } : value),
  );
  if (text === undefined) throw new Error('a fact cache could not be written as JSON');
  return text;
}

function parse(text: string): FactItems {
  return JSON.parse(text, (_key, value) =>
    value && typeof value === 'object' && Array.isArray(value.$set) ? new Set(value.$set) : value,
  ) as FactItems;
}

/** The text a person's items would be cached as (the full pass compares it with the stored one). */
export const factText = canonical;

export async function readFactCache(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  count?: { items: number },
): Promise<CachedFacts | undefined> {
  const out = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: personKey(personId), sk: FACTS_SK }, ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  if (count) count.items += 1;
  return cachedOf(out.Item);
}

/** A cache item's text (its facts as canonical JSON). */
export const storedText = (item: Item): string => inflatedText(item.facts as Uint8Array);

/** Text compressed by compressedFacts. */
export const inflatedText = (bytes: Uint8Array): string => inflateRawSync(bytes).toString('utf8');

/** A cache item as read (by a Query of the partition, or by key). */
export function cachedOf(item: Item): CachedFacts {
  const text = storedText(item);
  return { rev: Number(item.rev), epoch: Number(item.epoch ?? 0), items: parse(text), text };
}

/**
 * A cache's text as stored: compressed (raw deflate), copied out of the 16 KB buffer zlib writes
 * into, so that one held until it is written costs its own size.
 */
export const compressedFacts = (text: string): Uint8Array => new Uint8Array(deflateRawSync(text));

/**
 * Writes a person's cache if nobody wrote it since `seen` (the cache read, or none): true when
 * written. Too large a cache is deleted instead (the person is then read whole). `text` may come
 * compressed already (compressedFacts).
 */
export async function writeFactCache(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  text: string | Uint8Array,
  seen: { rev: number } | undefined,
  epoch = 0,
): Promise<boolean> {
  const key = { pk: personKey(personId), sk: FACTS_SK };
  const facts = typeof text === 'string' ? compressedFacts(text) : text;
  try {
    if (facts.length > MAX_BYTES) {
      if (seen) await deleteFactCache(client, tableName, personId);
      return true;
    }
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, type: FACTS_TYPE, rev: (seen?.rev ?? 0) + 1, epoch, facts },
        ConditionExpression: seen ? 'rev = :seen' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: seen ? { ':seen': seen.rev } : undefined,
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

export const factCacheKey = (personId: string) => ({ pk: personKey(personId), sk: FACTS_SK });

/** Deletes a person's cache (by BatchWriteItem, which the roles that evaluate already hold). */
export async function deleteFactCache(client: DynamoDBDocumentClient, tableName: string, personId: string) {
  const writer = new BatchWriter(client, tableName);
  await writer.delete(factCacheKey(personId));
  await writer.flush();
}

/**
 * Writes the caches the full pass found differing from what it read, 16 at a time, each on
 * condition that nobody wrote it since the pass read it: one that lost was written by an evaluation
 * of a change since, which holds that change (the pass's read may not). Returns how many were written.
 */
export async function keepFactCaches(
  client: DynamoDBDocumentClient,
  tableName: string,
  updates: readonly { personId: string; facts: Uint8Array; seen?: { rev: number } }[],
): Promise<number> {
  let written = 0;
  if (updates.length === 0) return 0;
  const { cacheEpoch } = await factsState(client, tableName);
  await inParallel(updates, 16, async (u) => {
    if (await writeFactCache(client, tableName, u.personId, u.facts, u.seen, cacheEpoch)) written++;
  });
  return written;
}
