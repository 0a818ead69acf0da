/** Lambda entry point of the erasure function. */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { z } from 'zod';
import { awsClients } from '../../shared/adapters/clients.js';
import { readEnv } from '../commons/env.js';
import { makeEraseHandler } from './erase-handler.js';

const env = readEnv({
  TABLE_NAME: z.string().min(3),
  UPLOADS_BUCKET: z.string().min(3),
  AUDIT_KEY_ID: z.string().min(1),
  ASSOCIATION: z.string().min(1).default('default'),
});
const kms = new KMSClient({});

export const handler = makeEraseHandler({
  ...awsClients(),
  tableName: env.TABLE_NAME,
  uploadsBucket: env.UPLOADS_BUCKET,
  adminBucket: env.UPLOADS_BUCKET,
  association: env.ASSOCIATION,
  // The audit record's hash: an HMAC by a KMS key the function can use but never read.
  keyedHash: async (personId) => {
    const out = await kms.send(
      new GenerateMacCommand({
        KeyId: env.AUDIT_KEY_ID,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(personId.normalize('NFC')),
      }),
    );
    return Buffer.from(out.Mac ?? new Uint8Array()).toString('hex');
  },
});
