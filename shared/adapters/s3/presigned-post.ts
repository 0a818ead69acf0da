/**
 * Presigned POSTs for uploads from the browser (docs/web-api.md, "Uploads"): the form can write one
 * key, of one content type, within a size range, until it expires. In AWS the browser posts straight
 * to the bucket; `iecmh serve` signs and checks its own forms (local/src/upload-form.ts), as a form
 * aimed at the embedded S3 would let anyone holding it past serve's session.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

export interface PresignedUpload {
  url: string;
  /** The form's fields, to be sent before the file, in this order. */
  fields: Record<string, string>;
  expiresAt: string;
}

export interface UploadForm {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
}

/** Signs upload forms: S3's presigned POST in AWS, serve's own form locally. */
export type UploadSigner = (form: UploadForm) => Promise<PresignedUpload>;

/** The S3 signer: the policy pins the key, the content type and the length range. */
export function s3UploadSigner(s3: S3Client, bucket: string, now: () => Date = () => new Date()): UploadSigner {
  return async (form) => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: form.key,
      Conditions: [
        ['content-length-range', 0, form.maxBytes],
        ['eq', '$Content-Type', form.contentType],
      ],
      Fields: { 'Content-Type': form.contentType },
      Expires: form.expiresInSeconds,
    });
    return { url, fields, expiresAt: new Date(now().getTime() + form.expiresInSeconds * 1000).toISOString() };
  };
}
