/**
 * What incremental evaluation reads and keeps besides people's partitions (docs/architecture.md,
 * "Incremental evaluation"): who an email is given to, which uploads describe a training, the
 * suggestion table of the last full pass, and the lease on the eligibility export.
 *
 *   EMAIL#<email>       OWNER#<src>     read: the people uploads give the email to
 *   TRAINING#<id>       TRAINING#<src>  read: the rosters describing the training
 *   JOB#evaluation      SUGGESTIONS     the full pass's suggestions per competency, its date and ruleset
 *   JOB#evaluation      EXPORT          a lease: one evaluation at a time rewrites admin/eligibility.csv
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TrainingSummary } from '#core/model.js';
import { getItemsByKey } from './batch-get.js';
import { emailKey, type Item, trainingKey } from './codecs.js';
import type { ProfileSources } from './profile-sources.js';

export const EVALUATION_JOB_PK = 'JOB#evaluation';
const SUGGESTIONS_SK = 'SUGGESTIONS';
const EXPORT_SK = 'EXPORT';

/** The suggestion table one full pass worked out: for each competency, the trainings it suggests. */
export interface StoredSuggestions {
  asOf: string;
  rulesetId: string;
  byCompetency: Record<string, TrainingSummary[]>;
}

/** Items a read returned, as DynamoDB counts them (ScannedCount): what incremental work costs. */
export interface ReadCount {
  items: number;
}

/** A partition's items under a sort-key prefix ('' for all), `projection` only if given; `count` adds ScannedCount. */
export async function queryItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  skPrefix: string,
  projection: string[] | undefined,
  count?: ReadCount,
): Promise<Item[]> {
  const items: Item[] = [];
  const names = projection && Object.fromEntries(projection.map((p, i) => [`#p${i}`, p]));
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: skPrefix === '' ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: skPrefix === '' ? { ':pk': pk } : { ':pk': pk, ':prefix': skPrefix },
      ProjectionExpression: names && Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    },
  );
  for await (const page of pages) {
    items.push(...(page.Items ?? []));
    if (count) count.items += page.ScannedCount ?? page.Items?.length ?? 0;
  }
  return items;
}

/**
 * The person ids current uploads give each of `emails` to, read by key: an owner item
 * (`EMAIL#<email> OWNER#<src>`) is written only by the uploads that hold profiles, so their ids
 * (profile-sources.ts) name every key there can be. Emails no upload gives are absent.
 */
export async function emailOwnersByKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  emails: readonly string[],
  profiles: ProfileSources,
  count?: ReadCount,
): Promise<Map<string, string[]>> {
  const sources = [...profiles.applicants, ...profiles.endorsements];
  const emailOf = new Map(emails.map((e) => [emailKey(e), e]));
  const keys = emails.flatMap((e) => sources.map((src) => ({ pk: emailKey(e), sk: `OWNER#${src}` })));
  const items = await getItemsByKey(client, tableName, keys, ['personId']);
  if (count) count.items += items.length;
  const owners = new Map<string, string[]>();
  for (const item of items) {
    const email = emailOf.get(String(item.pk));
    if (email === undefined || typeof item.personId !== 'string') continue;
    owners.set(email, [...(owners.get(email) ?? []), item.personId]);
  }
  return owners;
}

/** The upload keys of the rosters describing a training (one Query of its roster descriptions). */
export async function rosterSourcesOf(
  client: DynamoDBDocumentClient,
  tableName: string,
  trainingId: string,
  count?: ReadCount,
): Promise<string[]> {
  const items = await queryItems(client, tableName, trainingKey(trainingId), 'TRAINING#', ['source'], count);
  return items.map((i) => String(i.source));
}

export async function readSuggestions(
  client: DynamoDBDocumentClient,
  tableName: string,
  count?: ReadCount,
): Promise<StoredSuggestions | undefined> {
  const out = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: EVALUATION_JOB_PK, sk: SUGGESTIONS_SK }, ConsistentRead: true }),
  );
  if (count) count.items += 1;
  if (!out.Item) return undefined;
  return {
    asOf: String(out.Item.asOf),
    rulesetId: String(out.Item.rulesetId),
    byCompetency: out.Item.byCompetency as Record<string, TrainingSummary[]>,
  };
}

export async function writeSuggestions(
  client: DynamoDBDocumentClient,
  tableName: string,
  s: StoredSuggestions,
): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk: EVALUATION_JOB_PK, sk: SUGGESTIONS_SK, type: 'suggestions', ...s },
    }),
  );
}

/** Another evaluation is rewriting admin/eligibility.csv. */
export class ExportBusyError extends Error {
  override name = 'ExportBusyError';
}

/** Takes the export's lease for `ms` milliseconds, or throws ExportBusyError. */
export async function leaseExport(
  client: DynamoDBDocumentClient,
  tableName: string,
  owner: string,
  ms: number,
): Promise<void> {
  const now = Date.now();
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: EVALUATION_JOB_PK, sk: EXPORT_SK },
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner, ':until': now + ms, ':now': now },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ExportBusyError('admin/eligibility.csv is busy');
    throw err;
  }
}

export async function releaseExport(client: DynamoDBDocumentClient, tableName: string, owner: string): Promise<void> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: EVALUATION_JOB_PK, sk: EXPORT_SK },
        UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'leaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}
