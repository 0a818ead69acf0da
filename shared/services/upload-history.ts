/**
 * The administrators' view of their uploads (docs/web-api.md): every source the pipeline knows, with
 * its counts and status, and the versions the bucket keeps of it; an object the pipeline has not
 * read yet shows as pending. Receipts are read as the ingest wrote them.
 */
import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { INPUT_KINDS, type InputKind } from '#core/model.js';
import { SourceTable } from '../adapters/dynamo/sources.js';
import { listStoredVersions, type StoredVersion } from '../adapters/s3/objects.js';
import { kindOfKey, receiptKeyOf } from './ingest-object.js';

export interface UploadHistoryDeps {
  s3: S3Client;
  ddb: DynamoDBDocumentClient;
  tableName: string;
  uploadsBucket: string;
}

export interface UploadEntry {
  key: string;
  kind: InputKind;
  file: string;
  status: 'current' | 'withdrawn' | 'pending';
  rows: number | null;
  accepted: number | null;
  rejected: number | null;
  ingestedAt: string | null;
  withdrawnAt: string | null;
  versions: Omit<StoredVersion, 'key'>[];
}

const fileOf = (key: string) => key.slice(key.indexOf('/') + 1);

/** Every upload, newest change first. */
export async function uploadHistory(deps: UploadHistoryDeps): Promise<UploadEntry[]> {
  const [records, ...versionLists] = await Promise.all([
    new SourceTable(deps.ddb, deps.tableName).list(),
    ...INPUT_KINDS.map((kind) => listStoredVersions(deps.s3, deps.uploadsBucket, `${kind}/`)),
  ]);
  const versionsOf = new Map<string, Omit<StoredVersion, 'key'>[]>();
  for (const { key, ...v } of versionLists.flat()) {
    const list = versionsOf.get(key) ?? [];
    list.push(v);
    versionsOf.set(key, list);
  }
  const entries: UploadEntry[] = records.map((r) => ({
    key: r.key,
    kind: r.kind,
    file: fileOf(r.key),
    status: r.status,
    rows: r.rows,
    accepted: r.accepted,
    rejected: r.rejected,
    ingestedAt: r.ingestedAt ?? null,
    withdrawnAt: r.withdrawnAt ?? null,
    versions: versionsOf.get(r.key) ?? [],
  }));
  const known = new Set(records.map((r) => r.key));
  for (const [key, versions] of versionsOf) {
    const kind = kindOfKey(key);
    if (known.has(key) || !kind || !versions.some((v) => v.current)) continue;
    entries.push({
      key,
      kind,
      file: fileOf(key),
      status: 'pending',
      rows: null,
      accepted: null,
      rejected: null,
      ingestedAt: null,
      withdrawnAt: null,
      versions,
    });
  }
  const changed = (e: UploadEntry) => e.withdrawnAt ?? e.ingestedAt ?? e.versions[0]?.lastModified ?? '';
  for (const e of entries) e.versions.sort((a, b) => ((b.lastModified ?? '') < (a.lastModified ?? '') ? -1 : 1));
  return entries.sort((a, b) => (changed(b) < changed(a) ? -1 : changed(b) > changed(a) ? 1 : 0));
}

/**
 * The receipt of one upload as the ingest wrote it, and when; undefined before it is written, or
 * when the one there was written before `since` (an earlier version's, while the new one is read).
 */
export async function receiptOf(
  deps: Pick<UploadHistoryDeps, 's3' | 'uploadsBucket'>,
  key: string,
  since?: Date,
): Promise<{ receipt: unknown; writtenAt: string } | undefined> {
  let out: GetObjectCommandOutput;
  try {
    out = await deps.s3.send(new GetObjectCommand({ Bucket: deps.uploadsBucket, Key: receiptKeyOf(key) }));
  } catch (err) {
    if (err instanceof NoSuchKey) return undefined;
    throw err;
  }
  const writtenAt = out.LastModified ?? new Date(0);
  // S3 keeps whole seconds: a receipt written in the second the upload began counts as after it.
  if (since && writtenAt.getTime() < Math.floor(since.getTime() / 1000) * 1000) {
    await out.Body?.transformToString();
    return undefined;
  }
  const text = (await out.Body?.transformToString('utf-8')) ?? '';
  try {
    return { receipt: JSON.parse(text), writtenAt: writtenAt.toISOString() };
  } catch {
    // Read while it was being written: S3 never shows half an object, but the embedded S3 writes
    // files in place and can. Not written yet, as far as the reader can tell; asked again, it is.
    return undefined;
  }
}

/** True when `key` names an upload of a known kind (the web app may read and withdraw only those). */
export function isUploadKey(key: string): boolean {
  return kindOfKey(key) !== undefined && fileOf(key) !== '' && !key.includes('\0');
}
