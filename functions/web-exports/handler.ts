/** Lambda entry point of the web API's exports route (administrators only). */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { MAX_LINK_EXPIRY_SECONDS } from '#adapters/table-design.js';
import { RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeWebExportsHandler } from './exports-routes.js';

const env = readEnv({
  UPLOADS_BUCKET: RESOURCE_NAME,
  LINK_EXPIRY_SECONDS: z.coerce.number().int().min(1).max(MAX_LINK_EXPIRY_SECONDS).default(300),
});

export const handler = makeWebExportsHandler({
  s3: new S3Client({}),
  uploadsBucket: env.UPLOADS_BUCKET,
  linkExpirySeconds: env.LINK_EXPIRY_SECONDS,
});
