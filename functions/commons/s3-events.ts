/** S3 event notifications, delivered to a function directly or inside SQS messages, parsed with a schema. */
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { ObjectRef } from '#adapters/s3/objects.js';
import { parseOrThrow } from '#core/validate.js';

/** What the functions read of an S3 event notification; S3 sends more, which is let through unread. */
export const S3Notification = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({ key: z.string().min(1), versionId: z.string().optional() }),
      }),
    }),
  ),
});
export type S3Notification = z.infer<typeof S3Notification>;

/** The message S3 sends once when a notification is configured, to show it can deliver. */
const S3TestEvent = z.object({ Event: z.literal('s3:TestEvent') });

/** An SQS message that is not an S3 event notification: it fails alone, and SQS delivers it again or dead-letters it. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/** S3 URL-encodes keys in events, with `+` for a space: decode exactly once. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The objects an SQS message announces (none for S3's test event). Created and removed alike:
 * either means "bring the table in line with this key as it is now".
 */
export function objectsInMessage(record: SQSRecord): ObjectRef[] {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (err) {
    // The parser's message quotes the body, and a key can hold a person's name: say less.
    throw new MalformedMessageError(`message ${record.messageId}: the body is not JSON`, { cause: err });
  }
  if (S3TestEvent.safeParse(body).success) return [];
  const notification = parseOrThrow(
    S3Notification,
    body,
    `message ${record.messageId} is not an S3 event notification`,
    MalformedMessageError,
  );
  return notification.Records.filter((r) => /^Object(Created|Removed)/.test(r.eventName)).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeS3Key(r.s3.object.key),
    versionId: r.s3.object.versionId,
  }));
}
