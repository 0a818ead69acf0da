/** Lambda entry point of the ingest function. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { defaultNotificationSettings } from '#core/notify/settings.js';
import { refreshRequests } from '#services/reach.js';
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
const clients = awsClients();
const table = dynamoTableStore(clients.ddb, env.TABLE_NAME);

export const handler = makeIngestHandler({
  ...clients,
  tableName: env.TABLE_NAME,
  // Receipts warn when an upload names someone erased (the erasure audit's keyed hash).
  keyedHash: env.AUDIT_KEY_ID ? kmsKeyedHash(env.AUDIT_KEY_ID) : undefined,
  // A receipt with rejected rows (or a file not read) is emailed to the administrators through SES.
  notifier: {
    ...sesMailDeps(env),
    maxRowsListed: defaultNotificationSettings().rejectedRows.maxRowsListed,
    whereToRead: (upload) => receiptWhereabouts(env, upload),
  },
  // A file that changed data (rows stored, or an earlier version's rows forgotten) asks for the
  // evaluation of the people it reached, 500 to a message (or of everyone: a calendar, a shared training).
  // Each message is noted pending until evaluated, then the change's own note goes (summaries.ts).
  onIngested: async ({ receipt, kind, forgotten, reach, pending }) => {
    if (!env.REFRESH_QUEUE_URL) return;
    const requests = await refreshRequests(table, {
      reach,
      sourceKey: `${kind}/${receipt.file}`,
      pending,
      altered: receipt.accepted > 0 || forgotten > 0,
    });
    const bodies = requests.map((r) => JSON.stringify(r));
    for (let i = 0; i < bodies.length; i += 10) {
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: env.REFRESH_QUEUE_URL,
          Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
      // The ingest message is delivered again (and the file synced again) rather than a request lost.
      if (out.Failed?.length) throw new Error(`${out.Failed.length} evaluation requests were not sent`);
    }
    await table.clearPending(pending);
  },
});
