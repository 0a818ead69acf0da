/** S3 event notifications and SQS messages shaped as AWS delivers them, for invoking handlers locally. */
import { createHash, randomUUID } from 'node:crypto';
import type { S3Event, SQSRecord } from 'aws-lambda';

/** URL-encodes a key as S3 does in events: `+` for a space, `/` kept. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export interface UploadedObject {
  bucket: string;
  key: string;
  size: number;
  etag?: string;
  versionId?: string;
}

/** The S3 "ObjectCreated:Put" notification for one object. */
export function s3CreatedEvent(o: UploadedObject, when = new Date()): S3Event {
  return s3Event('ObjectCreated:Put', o, when);
}

/** The S3 "ObjectRemoved:Delete" notification for one object (no size or ETag, as S3 sends it). */
export function s3RemovedEvent(o: { bucket: string; key: string }, when = new Date()): S3Event {
  return s3Event('ObjectRemoved:Delete', { ...o, size: 0 }, when);
}

function s3Event(eventName: string, o: UploadedObject, when: Date): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: when.toISOString(),
        eventName,
        userIdentity: { principalId: 'LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'uploads',
          bucket: { name: o.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${o.bucket}` },
          object: {
            key: encodeS3Key(o.key),
            size: o.size,
            eTag: (o.etag ?? '').replace(/"/g, ''),
            versionId: o.versionId,
            sequencer: Date.now().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}

/** An SQS record carrying a message body, as the SQS event source delivers it. */
export function sqsRecord(body: string, receiveCount: number, queueArn: string): SQSRecord {
  const now = Date.now().toString();
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'LOCAL',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}
