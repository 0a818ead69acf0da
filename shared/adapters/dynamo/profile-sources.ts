/**
 * Which uploads hold profiles (applicants and endorsements files): the registry the receipt's
 * cross-file check reads to fetch each named person's profile items by key (BatchGetItem, 100 keys
 * a request) instead of a Query of their partition, which also reads their roster rows.
 *
 *   STATE#profile-sources   SOURCES   applicants: string set of source ids,
 *                                     endorsements: string set, complete: true
 *
 * A source id joins its set when its upload is recorded as current with accepted rows and leaves it
 * when withdrawn or replaced by a version without any,
 * each by an atomic ADD or DELETE, so two ingests at once never lose an id. An id left over (a
 * withdrawal racing the first reading, below) only costs keys that are not found; a missing one
 * would hide a profile, so a table from before the registry gets it once from every source record
 * (`complete` marks that it was).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InputKind } from '#core/model.js';
import type { SourceRecord } from './sources.js';

export const PROFILE_SOURCES_KEY = { pk: 'STATE#profile-sources', sk: 'SOURCES' } as const;

export interface ProfileSources {
  applicants: string[];
  endorsements: string[];
}

type ProfileKind = 'applicants' | 'endorsements';
const isProfileKind = (kind: InputKind): kind is ProfileKind => kind === 'applicants' || kind === 'endorsements';

/**
 * Notes whether a source holds profiles: a current upload of applicants or endorsements with
 * accepted rows joins its set; anything else leaves it (other kinds are not noted). Leaving never
 * makes the registry item: a table with no profiles yet has none to note.
 */
export async function noteProfileSource(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  record: Pick<SourceRecord, 'kind' | 'sourceId' | 'status' | 'accepted'>,
): Promise<void> {
  if (!isProfileKind(record.kind) || !record.sourceId) return;
  const holds = record.status === 'current' && record.accepted > 0;
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: PROFILE_SOURCES_KEY,
        UpdateExpression: `${holds ? 'ADD' : 'DELETE'} #kind :id`,
        ConditionExpression: holds ? undefined : 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#kind': record.kind },
        ExpressionAttributeValues: { ':id': new Set([record.sourceId]) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

const ids = (value: unknown): string[] => (value instanceof Set ? [...value].map(String).sort() : []);

/**
 * The profile sources. On a table whose registry was never completed, it is filled once from
 * `list` (every source record: a Scan) and marked complete.
 */
export async function readProfileSources(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  list: () => Promise<SourceRecord[]>,
): Promise<ProfileSources> {
  const { Item } = await ddb.send(
    new GetCommand({ TableName: tableName, Key: PROFILE_SOURCES_KEY, ConsistentRead: true }),
  );
  if (Item?.complete !== true) {
    const current = (await list()).filter(
      (r) => r.status === 'current' && r.accepted > 0 && isProfileKind(r.kind) && r.sourceId,
    );
    const byKind = (kind: ProfileKind) => new Set(current.filter((r) => r.kind === kind).map((r) => r.sourceId));
    const names: Record<string, string> = { '#complete': 'complete' };
    const values: Record<string, unknown> = { ':true': true };
    const adds: string[] = [];
    for (const kind of ['applicants', 'endorsements'] as const) {
      const set = byKind(kind);
      if (set.size === 0) continue;
      names[`#${kind}`] = kind;
      values[`:${kind}`] = set;
      adds.push(`#${kind} :${kind}`);
    }
    // Added to whatever ingests noted meanwhile: the sets only grow here.
    await ddb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: PROFILE_SOURCES_KEY,
        UpdateExpression: `SET #complete = :true${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return readProfileSources(ddb, tableName, list);
  }
  return { applicants: ids(Item.applicants), endorsements: ids(Item.endorsements) };
}
