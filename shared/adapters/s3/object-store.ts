/**
 * What the services need from a bucket, bound to it: the S3 implementation is built from
 * objects.ts, so the services never build an S3 command themselves.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  copyObject,
  deleteObject,
  deleteVersion,
  listKeys,
  listOlderVersions,
  type ObjectVersion,
  type OpenedObject,
  openCurrent,
  type PutOptions,
  putJson,
  putStream,
  putText,
  readBytes,
  readText,
} from './objects.js';

export type { ObjectVersion, OpenedObject, PutOptions } from './objects.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface ObjectStore {
  readonly bucket: string;
  /** The object as it is now, streamed; undefined when it no longer exists. */
  openCurrent(key: string): Promise<OpenedObject | undefined>;
  /** An object's bytes (a version of it, or the current one); undefined when it does not exist. */
  readBytes(key: string, versionId?: string): Promise<Uint8Array | undefined>;
  /** A small object's text (UTF-8); undefined when it does not exist. */
  readText(key: string): Promise<string | undefined>;
  putText(key: string, body: string | Uint8Array, contentType: string, options?: PutOptions): Promise<void>;
  /** A CSV export (`text/csv; charset=utf-8`), written as given. */
  putCsv(key: string, csv: string): Promise<void>;
  /** A large CSV export streamed from its records as they are produced (`csvRecords`), never held whole. */
  putCsvStream(key: string, records: Iterable<string> | AsyncIterable<string>): Promise<void>;
  /** A value as indented JSON with a final newline (receipts). */
  putJson(key: string, value: unknown): Promise<void>;
  /** Every key under `prefix`. */
  listKeys(prefix: string): Promise<string[]>;
  /** The noncurrent versions under `prefix`, as they are consumed; none where the bucket keeps no versions. */
  olderVersions(prefix: string): AsyncIterable<ObjectVersion>;
  /** Copies an object of this bucket to another key on the S3 side (nothing read into memory). */
  copyObject(from: string, to: string): Promise<void>;
  /** Deletes the object as an S3 delete does (a versioned bucket keeps its earlier versions). */
  deleteObject(key: string): Promise<void>;
  /** Deletes one version for good. */
  deleteVersion(version: ObjectVersion): Promise<void>;
}

export function s3ObjectStore(s3: S3Client, bucket: string): ObjectStore {
  return {
    bucket,
    openCurrent: (key) => openCurrent(s3, bucket, key),
    readBytes: (key, versionId) => readBytes(s3, bucket, key, versionId),
    readText: (key) => readText(s3, bucket, key),
    deleteObject: (key) => deleteObject(s3, bucket, key),
    copyObject: (from, to) => copyObject(s3, bucket, from, to),
    putText: (key, body, contentType, options) => putText(s3, bucket, key, body, contentType, options),
    putCsv: (key, csv) => putText(s3, bucket, key, csv, CSV_CONTENT_TYPE),
    putCsvStream: (key, records) => putStream(s3, bucket, key, records, CSV_CONTENT_TYPE),
    putJson: (key, value) => putJson(s3, bucket, key, value),
    listKeys: (prefix) => listKeys(s3, bucket, prefix),
    olderVersions: (prefix) => listOlderVersions(s3, bucket, prefix),
    deleteVersion: (version) => deleteVersion(s3, bucket, version),
  };
}
