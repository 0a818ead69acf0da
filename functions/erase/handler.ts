/** Lambda entry point of the erasure function. */
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { kmsKeyedHash } from '../commons/keyed-hash.js';
import { makeEraseHandler } from './erase-handler.js';

const env = readEnv({
  TABLE_NAME: z.string().min(3),
  UPLOADS_BUCKET: z.string().min(3),
  AUDIT_KEY_ID: z.string().min(1),
  ASSOCIATION: z.string().min(1).default('default'),
});

export const handler = makeEraseHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  uploadsBucket: env.UPLOADS_BUCKET,
  adminBucket: env.UPLOADS_BUCKET,
  association: env.ASSOCIATION,
  // The audit record's hash: an HMAC by a KMS key the function can use but never read.
  keyedHash: kmsKeyedHash(env.AUDIT_KEY_ID),
});
