/** Lambda entry point of the daily renewal job. */
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { makeRenewalsHandler } from './renewals-handler.js';

const env = readEnv({
  TABLE_NAME: z.string().min(3),
  ADMIN_BUCKET: z.string().min(3),
  ASSOCIATION: z.string().min(1).default('default'),
});

export const handler = makeRenewalsHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  adminBucket: env.ADMIN_BUCKET,
  association: env.ASSOCIATION,
});
