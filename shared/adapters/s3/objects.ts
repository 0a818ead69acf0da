/** Reading and writing objects: streamed reads and writes, small JSON and text writes, listings of keys and versions. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

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

export interface PutOptions {
  /** The Cache-Control header (the reports say `no-cache`: they change with every run). */
  cacheControl?: string;
}

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType: string,
  options: PutOptions = {},
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      CacheControl: options.cacheControl,
    }),
  );
}

/**
 * Writes an object from text produced as it is read (an export's records), in parts of `partBytes`
 * (S3's 5 MiB minimum). A body smaller than one part goes up in one PutObject; a failed multipart
 * upload is aborted (the bucket's lifecycle rule removes any parts an abort could not).
 *
 * The parts are filled into one buffer, uploaded one after another and the buffer then reused, so
 * the memory is one part whatever the object's size. lib-storage's Upload, used before, concatenated
 * each part out of its chunks and kept two in flight: a 20 MB export raised the peak RSS by some 40 MB
 * (2 MB: 7 MB), which made the jobs' memory grow with the population (docs/benchmarks.md).
 */
export async function putStream(
  s3: S3Client,
  bucket: string,
  key: string,
  chunks: Iterable<string> | AsyncIterable<string>,
  contentType: string,
  options: PutOptions & { partBytes?: number } = {},
): Promise<void> {
  const partBytes = options.partBytes ?? 5 * 1024 * 1024;
  const part = Buffer.allocUnsafe(partBytes);
  let filled = 0;
  const object = { Bucket: bucket, Key: key };
  let uploadId: string | undefined;
  const parts: { ETag?: string; PartNumber: number }[] = [];
  const sendPart = async () => {
    uploadId ??= (
      await s3.send(
        new CreateMultipartUploadCommand({ ...object, ContentType: contentType, CacheControl: options.cacheControl }),
      )
    ).UploadId;
    const PartNumber = parts.length + 1;
    const out = await s3.send(
      new UploadPartCommand({ ...object, UploadId: uploadId, PartNumber, Body: part.subarray(0, filled) }),
    );
    parts.push({ ETag: out.ETag, PartNumber });
    filled = 0;
  };
  try {
    for await (const chunk of chunks) {
      // A chunk that fits whatever its characters (at most 3 bytes per UTF-16 unit) is encoded straight into the part.
      if (chunk.length * 3 <= partBytes - filled) {
        filled += part.write(chunk, filled, 'utf8');
        continue;
      }
      let bytes = Buffer.from(chunk, 'utf8');
      while (filled + bytes.length > partBytes) {
        const room = partBytes - filled;
        bytes.copy(part, filled, 0, room);
        filled = partBytes;
        await sendPart();
        bytes = bytes.subarray(room);
      }
      filled += bytes.copy(part, filled);
    }
    if (uploadId === undefined) {
      // One part's worth or less: one PutObject (a multipart upload needs at least one full part but the last).
      await putText(s3, bucket, key, part.subarray(0, filled), contentType, options);
      return;
    }
    if (filled > 0) await sendPart();
    await s3.send(
      new CompleteMultipartUploadCommand({ ...object, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (err) {
    if (uploadId !== undefined) {
      // Best effort: the lifecycle rule removes what an abort cannot (the local S3 has no abort).
      await s3.send(new AbortMultipartUploadCommand({ ...object, UploadId: uploadId })).catch(() => undefined);
    }
    throw err;
  }
}

/**
 * Copies an object within its bucket on the S3 side (CopyObject, one request up to 5 GB): nothing
 * passes through this process. The copy keeps the object's content type.
 */
export async function copyObject(s3: S3Client, bucket: string, from: string, to: string): Promise<void> {
  const source = `${bucket}/${encodeURIComponent(from).replace(/%2F/g, '/')}`;
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: source }));
}

export async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await putText(s3, bucket, key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

/** Every key under `prefix`, in the listing's order. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
  }
  return keys;
}

/** One stored version of an object. */
export interface ObjectVersion {
  key: string;
  versionId: string;
}

/** A bucket that cannot list versions (the embedded S3) says so with one of these errors. */
const NO_VERSION_LISTING = /NotImplemented|MethodNotAllowed/;

/**
 * Every entry of ListObjectVersions under `prefix`, page by page as they are consumed; nothing when
 * the bucket cannot list versions. A loop of our own: the SDK has no paginator for
 * ListObjectVersions, whose pages follow two markers.
 */
async function* versionEntries(s3: S3Client, bucket: string, prefix: string) {
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
      if (err instanceof Error && NO_VERSION_LISTING.test(err.name)) return;
      throw err;
    }
    yield* out.Versions ?? [];
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
    versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

/**
 * The noncurrent versions under `prefix` (a versioned bucket keeps every earlier upload and
 * export), as they are consumed, so the caller may delete each one it is given. A bucket that
 * keeps no versions (the embedded S3 cannot list them) has none: nothing is yielded.
 */
export async function* listOlderVersions(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<ObjectVersion> {
  for await (const v of versionEntries(s3, bucket, prefix)) {
    if (v.IsLatest || !v.Key || !v.VersionId || v.VersionId === 'null') continue;
    yield { key: v.Key, versionId: v.VersionId };
  }
}

/** Deletes one version of an object for good (not a delete marker). */
/** Deletes the object (in a versioned bucket its versions stay until deleted one by one). */
export async function deleteObject(s3: S3Client, bucket: string, key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export async function deleteVersion(s3: S3Client, bucket: string, version: ObjectVersion): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: version.key, VersionId: version.versionId }));
}

/** One stored version of an upload, as the history shows it. */
export interface StoredVersion {
  key: string;
  versionId: string;
  lastModified: string | null;
  size: number;
  current: boolean;
}

/**
 * Every version under `prefix`, current ones included, with delete markers left out (a withdrawn
 * upload shows its earlier versions and no current one). Where versions cannot be listed (the
 * embedded S3) the current objects are listed instead, each as its only version.
 */
export async function listStoredVersions(s3: S3Client, bucket: string, prefix: string): Promise<StoredVersion[]> {
  const versions: StoredVersion[] = [];
  try {
    await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
  } catch (err) {
    if (err instanceof Error && NO_VERSION_LISTING.test(err.name)) return currentObjects(s3, bucket, prefix);
    throw err;
  }
  for await (const v of versionEntries(s3, bucket, prefix)) {
    if (!v.Key) continue;
    versions.push({
      key: v.Key,
      versionId: v.VersionId ?? 'null',
      lastModified: v.LastModified?.toISOString() ?? null,
      size: v.Size ?? 0,
      current: v.IsLatest === true,
    });
  }
  return versions;
}

async function currentObjects(s3: S3Client, bucket: string, prefix: string): Promise<StoredVersion[]> {
  const versions: StoredVersion[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      versions.push({
        key: o.Key,
        versionId: 'null',
        lastModified: o.LastModified?.toISOString() ?? null,
        size: o.Size ?? 0,
        current: true,
      });
    }
  }
  return versions;
}
