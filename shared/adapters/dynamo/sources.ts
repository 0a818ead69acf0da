/**
 * Sources in the table: one record per upload key (its current version, counts and a lease),
 * and the removal of what a version supplied, found through the `bySource` index.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Receipt } from '#core/ingest/ingest.js';
import type { InputKind } from '#core/model.js';
import { BatchWriter } from './batch-writer.js';
import {
  type Item,
  resultKeyAfterRemoving,
  SOURCE_INDEX,
  SOURCE_SHARDS,
  sourceKey,
  sourceVersionKey,
} from './codecs.js';
import { noteProfileSource } from './profile-sources.js';
import { isEmailOwnerKey } from './stored-facts.js';
import { bumpFactsGeneration } from './summaries.js';

export const RECEIPT_SK = 'RECEIPT';

/** What the table knows of one upload key. */
export interface SourceRecord {
  key: string;
  kind: InputKind;
  /** The short id that ends its facts' sort keys. */
  sourceId: string;
  status: 'current' | 'withdrawn';
  /** The S3 version id (or ETag) of the version whose rows count; absent once withdrawn. */
  version?: string;
  versionTag?: string;
  /** Version tags that may still have items in the table (more than one only while a change is under way). */
  versionsInTable: string[];
  file: string;
  rows: number;
  accepted: number;
  rejected: number;
  unusable: boolean;
  errorCount: number;
  etag?: string;
  sha256?: string;
  ingestedAt?: string;
  withdrawnAt?: string;
  /** Items the last change forgot (the earlier version's rows the new one no longer holds, or all on withdrawal). */
  forgotten?: number;
  /**
   * A roster's trainings, as its current version names them (none once withdrawn), when there are at
   * most MAX_TRAININGS_LISTED: an evaluation of the people a change reached reads only their rows of
   * these trainings (person-facts.ts). Absent: not known, and every row is read.
   */
  trainings?: string[];
}

/** Trainings a roster's source record lists at most (an annual roster of hundreds lists none). */
export const MAX_TRAININGS_LISTED = 32;

export function sourceRecordItem(r: SourceRecord): Item {
  // A string set, as `noteVersion` adds to it (DynamoDB stores no empty set: none is no attribute).
  const versionsInTable = r.versionsInTable.length > 0 ? new Set(r.versionsInTable) : undefined;
  const item: Item = { pk: sourceKey(r.key), sk: RECEIPT_SK, type: 'receipt', ...r, versionsInTable };
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item;
}

function toSourceRecord(item: Item): SourceRecord {
  const versions = item.versionsInTable;
  return {
    key: String(item.key),
    kind: item.kind as InputKind,
    sourceId: typeof item.sourceId === 'string' ? item.sourceId : '',
    status: item.status === 'withdrawn' ? 'withdrawn' : 'current',
    version: item.version as string | undefined,
    versionTag: item.versionTag as string | undefined,
    versionsInTable: versions instanceof Set ? [...versions] : Array.isArray(versions) ? versions.map(String) : [],
    file: String(item.file ?? ''),
    rows: Number(item.rows ?? 0),
    accepted: Number(item.accepted ?? 0),
    rejected: Number(item.rejected ?? 0),
    unusable: Boolean(item.unusable),
    errorCount: Number(item.errorCount ?? 0),
    etag: item.etag as string | undefined,
    sha256: item.sha256 as string | undefined,
    ingestedAt: item.ingestedAt as string | undefined,
    withdrawnAt: item.withdrawnAt as string | undefined,
    forgotten: item.forgotten === undefined ? undefined : Number(item.forgotten),
    trainings: Array.isArray(item.trainings) ? item.trainings.map(String) : undefined,
  };
}
export const sourceRecordCodec = { encode: sourceRecordItem, decode: toSourceRecord };

/** The counts of a receipt, as its source record keeps them (the error list stays in the S3 receipt). */
export function receiptCounts(receipt: Receipt) {
  return {
    file: receipt.file,
    rows: receipt.rows,
    accepted: receipt.accepted,
    rejected: receipt.rejected,
    unusable: receipt.unusable,
    errorCount: receipt.errors.length + (receipt.errorsOmitted ?? 0),
  };
}

/** Another invocation is changing this source; the message is delivered again later. */
export class SourceBusyError extends Error {
  override name = 'SourceBusyError';
}

export class SourceTable {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(key: string): Promise<SourceRecord | undefined> {
    const out = await this.ddb.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: sourceKey(key), sk: RECEIPT_SK }, ConsistentRead: true }),
    );
    return out.Item ? toSourceRecord(out.Item) : undefined;
  }

  /** Every source record, current and withdrawn. */
  async list(): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    const pages = paginateScan(
      { client: this.ddb },
      {
        TableName: this.tableName,
        // A record that holds only a lease (its first ingest failed) is no source yet.
        FilterExpression: '#type = :receipt AND attribute_exists(sourceId)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':receipt': 'receipt' },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) records.push(toSourceRecord(item));
    return records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Takes the source's lease for `ms` milliseconds. Two invocations changing one source at once
   * (a quick re-upload, a duplicated event) would each delete what the other wrote; the second
   * waits for its message to be delivered again instead.
   */
  async lease(key: string, owner: string, ms: number): Promise<void> {
    const now = Date.now();
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: sourceKey(key), sk: RECEIPT_SK },
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ms, ':now': now },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new SourceBusyError(`${key} is being changed by another invocation; it will be tried again`);
      }
      throw err;
    }
  }

  /** Gives the lease back after a failure, so the message's next delivery need not wait for it to run out. */
  async release(key: string, owner: string): Promise<void> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: sourceKey(key), sk: RECEIPT_SK },
          UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** Records, before any item of it is written, that a version may have items in the table. */
  async noteVersion(key: string, versionTag: string): Promise<void> {
    await this.ddb.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: sourceKey(key), sk: RECEIPT_SK },
        UpdateExpression: 'ADD versionsInTable :tag',
        ExpressionAttributeValues: { ':tag': new Set([versionTag]) },
      }),
    );
    // The facts are about to change: summaries judged from them stop being read (summaries.ts).
    await bumpFactsGeneration(this.ddb, this.tableName);
  }

  /** Writes the record whole, which also releases the lease. */
  async put(record: SourceRecord): Promise<void> {
    await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: sourceRecordItem(record) }));
    // Which uploads hold profiles, for the cross-file check's reads by key (profile-sources.ts).
    await noteProfileSource(this.ddb, this.tableName, record);
    // Bumped again once the facts are written, so a job that read them half written is not trusted.
    await bumpFactsGeneration(this.ddb, this.tableName);
  }

  /**
   * Deletes every item a version of a source supplied and no later version rewrote. The index is
   * eventually consistent, so each key it names is read back (strongly) and deleted only if it
   * still belongs to that version. Returns how many fact items were deleted; `onForget` is told
   * each key deleted (ingest learns from them whom the removal reaches).
   */
  async forgetVersion(
    sourceId: string,
    versionTag: string,
    onForget?: (key: { pk: string; sk: string }) => void,
  ): Promise<number> {
    const writer = new BatchWriter(this.ddb, this.tableName);
    let forgotten = 0;
    for (let shard = 0; shard < SOURCE_SHARDS; shard++) {
      const sv = sourceVersionKey(sourceId, versionTag, shard);
      const pages = paginateQuery(
        { client: this.ddb },
        {
          TableName: this.tableName,
          IndexName: SOURCE_INDEX.name,
          KeyConditionExpression: `${SOURCE_INDEX.partitionKey} = :sv`,
          ExpressionAttributeValues: { ':sv': sv },
        },
      );
      let keys: { pk: string; sk: string }[] = [];
      const sweep = async () => {
        for (const key of await this.stillIn(keys, sv)) {
          await writer.delete(key);
          onForget?.(key);
          const stale = resultKeyAfterRemoving(key);
          if (stale) await writer.delete(stale);
          // Who the source gave an email to is a lookup beside its rows, not a fact of its own.
          if (!isEmailOwnerKey(key)) forgotten++;
        }
        keys = [];
      };
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          keys.push({ pk: String(item.pk), sk: String(item.sk) });
          if (keys.length === 100) await sweep();
        }
      }
      await sweep();
    }
    await writer.flush();
    return forgotten;
  }

  /** The keys whose item (read strongly) still carries `sv`. */
  private async stillIn(keys: { pk: string; sk: string }[], sv: string): Promise<{ pk: string; sk: string }[]> {
    const found: { pk: string; sk: string }[] = [];
    let wanted: Item[] = keys;
    while (wanted.length > 0) {
      const out = await this.ddb.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: { Keys: wanted, ConsistentRead: true, ProjectionExpression: 'pk, sk, sv' },
          },
        }),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) {
        if (item.sv === sv) found.push({ pk: String(item.pk), sk: String(item.sk) });
      }
      wanted = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }
}
