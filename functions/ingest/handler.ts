/** Lambda entry point of the ingest function. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { defaultNotificationSettings } from '#core/notify/settings.js';
import { readEnv } from '../commons/env.js';
import { kmsKeyedHash } from '../commons/keyed-hash.js';
import { MAIL_ENV, receiptWhereabouts, sesMailDeps } from '../commons/mail.js';
import { makeIngestHandler } from './ingest-handler.js';

const env = readEnv({
  TABLE_NAME: z.string().min(3),
  REFRESH_QUEUE_URL: z.url().optional(),
  AUDIT_KEY_ID: z.string().min(1).optional(),
  ...MAIL_ENV,
});
const sqs = new SQSClient({});

export const handler = makeIngestHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  // Receipts warn when an upload names someone erased (the erasure audit's keyed hash).
  keyedHash: env.AUDIT_KEY_ID ? kmsKeyedHash(env.AUDIT_KEY_ID) : undefined,
  // A receipt with rejected rows (or a file not read) is emailed to the administrators through SES.
  notifier: {
    ...sesMailDeps(env),
    maxRowsListed: defaultNotificationSettings().rejectedRows.maxRowsListed,
    whereToRead: (upload) => receiptWhereabouts(env, upload),
  },
  // A file that changed data (rows stored, or an earlier version's rows forgotten) asks for a fresh
  // evaluation; the queue's batching window coalesces uploads.
  onIngested: async ({ receipt, kind, forgotten }) => {
    if (!env.REFRESH_QUEUE_URL || (receipt.accepted === 0 && forgotten === 0)) return;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: env.REFRESH_QUEUE_URL,
        MessageBody: JSON.stringify({ reason: receipt.withdrawn ? 'withdrawn' : 'ingested', kind, file: receipt.file }),
      }),
    );
  },
});
