/** Reading and writing objects: streamed reads, small JSON and text writes. */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The object's body as a stream of byte chunks (never read whole into memory). */
export interface OpenedObject {
  body: AsyncIterable<Uint8Array>;
  size?: number;
  etag?: string;
  /** The version read (absent where the bucket keeps no versions). */
  versionId?: string;
}

export async function openObject(s3: S3Client, ref: ObjectRef): Promise<OpenedObject> {
  const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
  if (!out.Body) throw new Error(`s3://${ref.bucket}/${ref.key} has no body`);
  return {
    body: out.Body as AsyncIterable<Uint8Array>,
    size: out.ContentLength,
    etag: out.ETag,
    versionId: out.VersionId === 'null' ? undefined : out.VersionId,
  };
}

/** The object as it is now (its current version), or undefined when it no longer exists. */
export async function openCurrent(s3: S3Client, bucket: string, key: string): Promise<OpenedObject | undefined> {
  try {
    return await openObject(s3, { bucket, key });
  } catch (err) {
    if (err instanceof NoSuchKey || (err instanceof Error && err.name === 'NoSuchKey')) return undefined;
    // A role that may list only some prefixes gets AccessDenied for a missing key: ask the listing.
    if (err instanceof Error && err.name === 'AccessDenied' && !(await exists(s3, bucket, key))) return undefined;
    throw err;
  }
}

/** Whether the key exists, from a listing of its own prefix. */
async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return (out.Contents ?? []).some((o) => o.Key === key);
}

/** An object's bytes (a version of it, or the current one), or undefined when it does not exist. */
export async function readBytes(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<Uint8Array | undefined> {
  const opened = versionId ? await openObject(s3, { bucket, key, versionId }) : await openCurrent(s3, bucket, key);
  if (!opened) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of opened.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A small object's text, or undefined when it does not exist. */
export async function readText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const bytes = await readBytes(s3, bucket, key);
  return bytes && Buffer.from(bytes).toString('utf8');
}

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await putText(s3, bucket, key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}
