/** Lambda entry point of the ingest function. */
import { z } from 'zod';
import { awsClients } from '../../shared/adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { makeIngestHandler } from './ingest-handler.js';

const env = readEnv({ TABLE_NAME: z.string().min(3) });

export const handler = makeIngestHandler({ ...awsClients(), tableName: env.TABLE_NAME });
