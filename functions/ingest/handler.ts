/** Lambda entry point of the ingest function. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { awsClients } from '../../shared/adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { makeIngestHandler } from './ingest-handler.js';

const env = readEnv({ TABLE_NAME: z.string().min(3), REFRESH_QUEUE_URL: z.url().optional() });
const sqs = new SQSClient({});

export const handler = makeIngestHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  // A file that changed data asks for a fresh evaluation (the queue's batching window coalesces uploads).
  onIngested: async ({ receipt, kind }) => {
    if (!env.REFRESH_QUEUE_URL || receipt.accepted === 0) return;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: env.REFRESH_QUEUE_URL,
        MessageBody: JSON.stringify({ reason: 'ingested', kind, file: receipt.file }),
      }),
    );
  },
});
