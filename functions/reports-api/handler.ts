/** Lambda entry point of the reports API. */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { readEnv } from '../commons/env.js';
import { MAX_LINK_EXPIRY_SECONDS, makeReportsApiHandler } from './api-handler.js';

const env = readEnv({
  REPORTS_BUCKET: z.string().min(3),
  LINK_EXPIRY_SECONDS: z.coerce.number().int().min(1).max(MAX_LINK_EXPIRY_SECONDS).default(300),
});

export const handler = makeReportsApiHandler({
  s3: new S3Client({}),
  reportsBucket: env.REPORTS_BUCKET,
  linkExpirySeconds: env.LINK_EXPIRY_SECONDS,
});
