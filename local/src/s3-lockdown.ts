/**
 * The embedded S3 (s3rver) locked to this run: only requests signed with the run's credentials reach
 * it (emulator-guard.mjs), and no request can name a file outside its folder. s3rver stores an
 * object at `<folder>/<bucket>/<key>` and decodes the key from the URL, so `../` in a key, raw or
 * percent-encoded, would read and write anywhere; so would a hostile `uploadId` or `partNumber` of
 * a multipart upload, which it joins into paths as given. Two layers: requests naming such a path
 * are refused before s3rver sees them, and its file store itself refuses any path outside the bucket.
 */
import type { IncomingMessage } from 'node:http';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type S3rver from 's3rver';
import accounts from 's3rver/lib/models/account.js';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
import { type LocalCredentials, signedOnly } from './emulator-guard.mjs';

/** s3rver's own upload ids (32 hex digits) and S3's part numbers (1 to 10,000). */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_NUMBER = /^[1-9]\d{0,4}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class UnsafeS3PathError extends Error {
  override name = 'UnsafeS3PathError';
}

/** True when a decoded key or prefix could step out of its folder: a `.` or `..` segment, a backslash, a NUL, a leading `/`. */
export function isUnsafeKey(key: string): boolean {
  if (key.includes('\\') || key.includes('\0') || key.startsWith('/')) return true;
  const segments = key.split('/');
  if (segments.some((s, i) => s === '..' || s === '.' || (s === '' && i < segments.length - 1))) return true;
  // A key decoded twice somewhere (a copy source, a proxy) must be as harmless as decoded once.
  if (/%[0-9a-f]{2}/i.test(key)) {
    try {
      const again = decodeURIComponent(key);
      if (again !== key) return isUnsafeKey(again);
    } catch {
      // Not valid percent-encoding: taken as the characters it is.
    }
  }
  return false;
}

/** `/bucket/key` decoded; undefined when it does not decode. */
function decodedPath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Why a signed request must still not reach s3rver, as an HTTP status (400); undefined when it may. */
export function s3RequestProblem(req: IncomingMessage): number | undefined {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = decodedPath(q < 0 ? url : url.slice(0, q));
  if (path === undefined || !path.startsWith('/')) return 400;
  const [bucket = '', ...key] = path.slice(1).split('/');
  if (bucket !== '' && !BUCKET.test(bucket)) return 400;
  if (key.length > 0 && isUnsafeKey(key.join('/'))) return 400;
  const copySource = req.headers['x-amz-copy-source'];
  if (copySource !== undefined) {
    const source = decodedPath(String(copySource).replace(/^\//, ''));
    const [sourceBucket = '', ...sourceKey] = source?.split('/') ?? [];
    if (!BUCKET.test(sourceBucket) || sourceKey.length === 0 || isUnsafeKey(sourceKey.join('/'))) return 400;
  }
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const uploadId = query.get('uploadId');
  if (uploadId !== null && !UPLOAD_ID.test(uploadId)) return 400;
  const partNumber = query.get('partNumber');
  if (partNumber !== null && !PART_NUMBER.test(partNumber)) return 400;
  for (const name of ['prefix', 'start-after', 'marker']) {
    const value = query.get(name);
    if (value && isUnsafeKey(value)) return 400;
  }
  return undefined;
}

/** s3rver's file store, refusing every path that is not inside the bucket it is for. */
export class ConfinedStore extends FilesystemStore {
  private inside(folder: string, path: string): string {
    const rel = relative(resolve(folder), resolve(path));
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new UnsafeS3PathError(`the embedded S3 refused a path outside its folder: ${path}`);
    }
    return path;
  }

  override getBucketPath(bucket: string): string {
    if (!BUCKET.test(bucket)) throw new UnsafeS3PathError(`the embedded S3 refused the bucket name "${bucket}"`);
    return this.inside(this.rootDirectory, super.getBucketPath(bucket));
  }

  override getResourcePath(bucket: string, key?: string, resource?: string): string {
    if (key && isUnsafeKey(key)) throw new UnsafeS3PathError(`the embedded S3 refused the key "${key}"`);
    return this.inside(this.getBucketPath(bucket), super.getResourcePath(bucket, key, resource));
  }

  override async initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<void> {
    checkUpload(uploadId);
    return super.initiateUpload(bucket, key, uploadId, metadata);
  }

  override async putPart(bucket: string, uploadId: string, partNumber: unknown, content: unknown): Promise<unknown> {
    checkUpload(uploadId, partNumber);
    return super.putPart(bucket, uploadId, partNumber, content);
  }

  override async putObjectMultipart(bucket: string, uploadId: string, parts: unknown): Promise<unknown> {
    checkUpload(uploadId);
    return super.putObjectMultipart(bucket, uploadId, parts);
  }
}

function checkUpload(uploadId: string, partNumber?: unknown): void {
  if (!UPLOAD_ID.test(String(uploadId)) || (partNumber !== undefined && !PART_NUMBER.test(String(partNumber)))) {
    throw new UnsafeS3PathError('the embedded S3 refused a multipart upload id or part number');
  }
}

/**
 * Puts the confined store and the signature check in place; call before `run()` (s3rver builds its
 * listener there). s3rver must know the key id too, or it answers InvalidAccessKeyId; it does not
 * check V4 signatures itself (node_modules/s3rver/lib/middleware/authentication.js), the guard does.
 * Returns what undoes the key's registration, for `close()`.
 */
export function lockDownS3(server: S3rver, directory: string, credentials: LocalCredentials): () => void {
  const store = new ConfinedStore(directory);
  server.store = store;
  server.context.store = store;
  const listener = server.callback.bind(server);
  server.callback = () => signedOnly(listener(), { credentials, service: 's3', check: s3RequestProblem });
  // s3rver's built-in S3RVER key would be refused by the guard anyway; it goes so that nothing depends on it.
  accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  accounts.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  return () => accounts.DUMMY_ACCOUNT.revokeAccessKey(credentials.accessKeyId);
}
