/** Reading and writing objects: streamed reads, small JSON and text writes. */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/** The object's body as a stream of byte chunks (never read whole into memory). */
export async function openObject(
  s3: S3Client,
  ref: ObjectRef,
): Promise<{ body: AsyncIterable<Uint8Array>; size?: number; etag?: string }> {
  const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
  if (!out.Body) throw new Error(`s3://${ref.bucket}/${ref.key} has no body`);
  return { body: out.Body as unknown as AsyncIterable<Uint8Array>, size: out.ContentLength, etag: out.ETag };
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
