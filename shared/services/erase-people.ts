/**
 * Erasure: everything stored about a person is removed (contract.md, "Sources, corrections and
 * erasure"). Their rows leave the current version of every uploaded file (rewritten without them,
 * then synced like any new version, so their facts go the way corrections go), their remaining
 * items and email-only roster rows are deleted, receipts stop quoting them, earlier versions of
 * what held them are deleted where the bucket keeps versions, and an audit record without
 * personal data says that it happened. The caller regenerates the administrators' exports.
 */
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { BatchWriter } from '../adapters/dynamo/batch-writer.js';
import { emailKey, personKey } from '../adapters/dynamo/codecs.js';
import { partition } from '../adapters/dynamo/person-file.js';
import { SourceTable } from '../adapters/dynamo/sources.js';
import { readBytes, readText } from '../adapters/s3/objects.js';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '../adapters/table-design.js';
import { foldForErasure, removePersonRows } from '../core/ingest/erase-rows.js';
import type { Receipt } from '../core/ingest/ingest.js';
import { type IngestDeps, ingestObject } from './ingest-object.js';

export interface EraseDeps extends IngestDeps {
  uploadsBucket: string;
  /** A keyed hash of a person id for the audit record (HMAC with a secret key: not reversible by guessing ids). */
  keyedHash: (personId: string) => Promise<string>;
}

export interface PersonErasure {
  /** The keyed hash, never the id: this is what the audit record and logs hold. */
  hash: string;
  /** Table items deleted (facts, email-only roster rows, results). */
  items: number;
  /** Uploaded files rewritten without the person. */
  sources: number;
  /** Rows removed from those files. */
  rows: number;
  /** Earlier object versions deleted (buckets that keep versions). */
  versions: number;
  /**
   * Other people's rows that still mention them inside a longer cell (a note such as "covers for
   * P0000003"): kept, since the row is someone else's; the administrator edits those cells by hand.
   */
  mentions: { file: string; lines: number[] }[];
}

export interface ErasureResult {
  erased: PersonErasure[];
  /** Ids of which nothing was stored (nothing erased for them). */
  unknown: string[];
}

export const AUDIT_PK = 'AUDIT#erasure';

/** Erases each person in turn; `regenerate` runs before older versions of the exports are deleted. */
export async function erasePeople(
  deps: EraseDeps,
  personIds: string[],
  regenerate: () => Promise<void>,
): Promise<ErasureResult> {
  const result: ErasureResult = { erased: [], unknown: [] };
  const needlesAll: string[] = [];
  for (const personId of personIds) {
    const erased = await erasePerson(deps, personId.normalize('NFC').trim());
    if (erased) {
      result.erased.push(erased.record);
      needlesAll.push(...erased.needles);
    } else result.unknown.push(personId);
  }
  if (result.erased.length === 0) return result;
  await regenerate();
  // The exports were just written again without them; their earlier versions still hold them.
  const purged = await deleteOlderVersions(deps.s3, deps.uploadsBucket, [ADMIN_PREFIX, RECEIPTS_PREFIX], () => true);
  if (result.erased[0]) result.erased[0].versions += purged;
  const at = new Date().toISOString();
  for (const e of result.erased) {
    await deps.ddb.send(
      new PutCommand({
        TableName: deps.tableName,
        // Counts only: the mentions' file names stay out (a file name can carry a person's name).
        Item: {
          pk: AUDIT_PK,
          sk: `${at}#${e.hash}`,
          type: 'audit',
          at,
          hash: e.hash,
          items: e.items,
          sources: e.sources,
          rows: e.rows,
          versions: e.versions,
          mentions: e.mentions.reduce((n, m) => n + m.lines.length, 0),
        },
      }),
    );
  }
  return result;
}

async function erasePerson(
  deps: EraseDeps,
  personId: string,
): Promise<{ record: PersonErasure; needles: string[] } | undefined> {
  const own = await partition(deps.ddb, deps.tableName, personKey(personId));
  const emails = new Set<string>();
  for (const item of own) if (typeof item.email === 'string' && item.email !== '') emails.add(item.email);
  const stored = async () => [
    ...(await partition(deps.ddb, deps.tableName, personKey(personId))),
    ...(await Promise.all([...emails].map((e) => partition(deps.ddb, deps.tableName, emailKey(e))))).flat(),
  ];
  const itemKeys = new Set((await stored()).map((i) => `${i.pk}\u0000${i.sk}`));
  const needles = [personId, ...emails];
  const record: PersonErasure = {
    hash: await deps.keyedHash(personId),
    items: 0,
    sources: 0,
    rows: 0,
    versions: 0,
    mentions: [],
  };

  // 1. Their rows leave every current upload; syncing the new version forgets the facts they supplied.
  const sources = new SourceTable(deps.ddb, deps.tableName);
  for (const source of await sources.list()) {
    if (source.status !== 'current') continue;
    const bytes = await readBytes(deps.s3, deps.uploadsBucket, source.key);
    if (!bytes) continue;
    const rewritten = removePersonRows({ kind: source.kind, bytes, personIds: [personId], emails: [...emails] });
    if (rewritten.mentions?.length) record.mentions.push({ file: source.key, lines: rewritten.mentions });
    if (rewritten.removed.length === 0) continue;
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.uploadsBucket,
        Key: source.key,
        Body: `\uFEFF${rewritten.text}`,
        ContentType: 'text/csv; charset=utf-8',
      }),
    );
    await ingestObject(deps, { bucket: deps.uploadsBucket, key: source.key });
    record.sources++;
    record.rows += rewritten.removed.length;
  }
  // 2. What is left: results, facts from uploads no longer current, email-only roster rows.
  const writer = new BatchWriter(deps.ddb, deps.tableName);
  for (const item of await stored()) {
    itemKeys.add(`${item.pk}\u0000${item.sk}`);
    await writer.delete(item);
  }
  await writer.flush();
  record.items = itemKeys.size;
  // 3. Receipts quote rejected values; and earlier versions of the uploads that held the person go.
  await scrubReceipts(deps, needles);
  record.versions += await deleteOlderVersions(deps.s3, deps.uploadsBucket, UPLOAD_PREFIXES, (text) =>
    holdsAny(text, needles),
  );
  if (itemKeys.size === 0 && record.sources === 0) return undefined;
  return { record, needles };
}

const holdsAny = (text: string, needles: string[]) => {
  const folded = foldForErasure(text);
  return needles.some((n) => folded.includes(foldForErasure(n)));
};

/** Removes the errors and warnings that quote the person from every receipt, withdrawn uploads' included. */
async function scrubReceipts(deps: EraseDeps, needles: string[]): Promise<void> {
  for (const key of await listKeys(deps.s3, deps.uploadsBucket, RECEIPTS_PREFIX)) {
    const text = await readText(deps.s3, deps.uploadsBucket, key);
    if (!text || !holdsAny(text, needles)) continue;
    const receipt = JSON.parse(text) as Receipt;
    const quotes = (m: string) => holdsAny(m, needles);
    const errors = receipt.errors.filter((e) => !quotes(e.message) && !quotes(e.column));
    const dropped = receipt.errors.length - errors.length;
    const scrubbed: Receipt = {
      ...receipt,
      errors,
      warnings: (receipt.warnings ?? []).filter((w) => !quotes(w)),
      ...(dropped > 0 ? { errorsErased: dropped } : {}),
    };
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.uploadsBucket,
        Key: key,
        Body: `${JSON.stringify(scrubbed, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  }
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = out.NextContinuationToken;
  } while (token);
  return keys;
}

/**
 * Deletes the noncurrent versions under `prefixes` whose text `matches` (a versioned bucket keeps
 * every earlier upload and export). A bucket without versions (the embedded S3) has none: 0.
 */
async function deleteOlderVersions(
  s3: S3Client,
  bucket: string,
  prefixes: readonly string[],
  matches: (text: string) => boolean,
): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      let out: ListObjectVersionsCommandOutput;
      try {
        out = await s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
      } catch (err) {
        if (err instanceof Error && /NotImplemented|MethodNotAllowed/.test(err.name)) return deleted;
        throw err;
      }
      for (const v of out.Versions ?? []) {
        if (v.IsLatest || !v.Key || !v.VersionId || v.VersionId === 'null') continue;
        const bytes = await readBytes(s3, bucket, v.Key, v.VersionId);
        if (bytes && !matches(Buffer.from(bytes).toString('utf8')) && !matches(Buffer.from(bytes).toString('latin1')))
          continue;
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
        deleted++;
      }
      keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }
  return deleted;
}
