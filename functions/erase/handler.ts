/** Lambda entry point of the erasure function. */
import { z } from 'zod';
import { JUDGING_ENV, judgingDeps, RESOURCE_NAME, readEnv } from '../commons/env.js';
import { kmsKeyedHash } from '../commons/keyed-hash.js';
import { makeEraseHandler } from './erase-handler.js';

const env = readEnv({ ...JUDGING_ENV, UPLOADS_BUCKET: RESOURCE_NAME, AUDIT_KEY_ID: z.string().min(1) });

export const handler = makeEraseHandler({
  ...judgingDeps(env),
  uploadsBucket: env.UPLOADS_BUCKET,
  adminBucket: env.UPLOADS_BUCKET,
  // The audit record's hash: an HMAC by a KMS key the function can use but never read.
  keyedHash: kmsKeyedHash(env.AUDIT_KEY_ID),
});
