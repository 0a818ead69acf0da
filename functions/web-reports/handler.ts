/** Lambda entry point of the web API's reading routes (/api/me, /api/reports). */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { readEnv } from '../commons/env.js';
import { MAX_LINK_EXPIRY_SECONDS, makeWebReportsHandler } from './reports-routes.js';

const env = readEnv({
  REPORTS_BUCKET: z.string().min(3),
  LINK_EXPIRY_SECONDS: z.coerce.number().int().min(1).max(MAX_LINK_EXPIRY_SECONDS).default(300),
  SIGN_OUT_URL: z.string().url().optional(),
});

export const handler = makeWebReportsHandler({
  s3: new S3Client({}),
  reportsBucket: env.REPORTS_BUCKET,
  linkExpirySeconds: env.LINK_EXPIRY_SECONDS,
  signOutUrl: env.SIGN_OUT_URL,
});
