/** Lambda entry point of the reports function. */
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { makeReportsHandler } from './reports-handler.js';

const env = readEnv({
  TABLE_NAME: z.string().min(3),
  REPORTS_BUCKET: z.string().min(3),
  ASSOCIATION: z.string().min(1).default('default'),
});

export const handler = makeReportsHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  reportsBucket: env.REPORTS_BUCKET,
  association: env.ASSOCIATION,
});
