/** S3 event notifications as delivered inside SQS messages. */
import type { S3Event, SQSRecord } from 'aws-lambda';
import type { ObjectRef } from '../../shared/adapters/s3/objects.js';

/** S3 URL-encodes keys in events, with `+` for a space: decode exactly once. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The objects an SQS message announces (none for S3's test event). Created and removed alike:
 * either means "bring the table in line with this key as it is now".
 */
export function objectsInMessage(record: SQSRecord): ObjectRef[] {
  const body = JSON.parse(record.body) as Partial<S3Event> & { Event?: string };
  if (body.Event === 's3:TestEvent' || !Array.isArray(body.Records)) return [];
  return body.Records.filter((r) => /^Object(Created|Removed)/.test(r.eventName ?? '')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    versionId: r.s3.object.versionId,
  }));
}
