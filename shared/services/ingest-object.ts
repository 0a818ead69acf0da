import { createHash, type Hash } from 'node:crypto';
/** Ingests one uploaded object: stream it from S3, validate, store, and leave a receipt. */

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../adapters/clients.js';
import { tableSink } from '../adapters/dynamo/ingest-sink.js';
import { receiptItem } from '../adapters/dynamo/items.js';
import { type ObjectRef, openObject, putJson } from '../adapters/s3/objects.js';
import { RECEIPTS_PREFIX } from '../adapters/table-design.js';
import { type IngestProgress, ingestFile, type Receipt } from '../core/ingest/ingest.js';
import { INPUT_KINDS, type InputKind } from '../core/model.js';

export interface IngestDeps extends Clients {
  tableName: string;
  log?: (message: string, data?: Record<string, unknown>) => void;
  onProgress?: (file: string, progress: IngestProgress) => void;
}

export interface IngestOutcome {
  kind: InputKind;
  receipt: Receipt;
  receiptKey: string;
  writes: { items: number; requests: number; retries: number };
}

/** The kind of an upload from its key prefix (`rosters/...`), undefined when it is not an input. */
export function kindOfKey(key: string): InputKind | undefined {
  const prefix = key.split('/')[0];
  return INPUT_KINDS.find((k) => k === prefix);
}

/** Where a file's receipt goes in the uploads bucket. */
export function receiptKeyOf(key: string): string {
  return `${RECEIPTS_PREFIX}${key}.json`;
}

/** Passes the bytes through, feeding a hash on the way (the manifest names each input by checksum). */
async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Ingests one object of the uploads bucket; bad rows end in the receipt, only storage failures throw. */
export async function ingestObject(deps: IngestDeps, ref: ObjectRef): Promise<IngestOutcome | undefined> {
  const kind = kindOfKey(ref.key);
  if (!kind) {
    deps.log?.('ignored an object outside the input prefixes', { key: ref.key });
    return undefined;
  }
  const file = ref.key.slice(kind.length + 1);
  const object = await openObject(deps.s3, ref);
  const sink = tableSink(deps.ddb, deps.tableName);
  const sha256 = createHash('sha256');
  const receipt = await ingestFile({
    kind,
    file,
    source: hashing(object.body, sha256),
    sink: sink.write,
    onProgress: deps.onProgress ? (p) => deps.onProgress?.(file, p) : undefined,
  });
  const writes = await sink.close();
  const receiptKey = receiptKeyOf(ref.key);
  await putJson(deps.s3, ref.bucket, receiptKey, receipt);
  await deps.ddb.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: receiptItem(ref.key, receipt, {
        bucket: ref.bucket,
        key: ref.key,
        versionId: ref.versionId,
        etag: object.etag,
        sha256: sha256.digest('hex'),
        ingestedAt: new Date().toISOString(),
      }),
    }),
  );
  deps.log?.('ingested', {
    key: ref.key,
    rows: receipt.rows,
    accepted: receipt.accepted,
    rejected: receipt.rejected,
    items: writes.items,
    requests: writes.requests,
  });
  return { kind, receipt, receiptKey, writes };
}
