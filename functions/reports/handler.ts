/** Lambda entry point of the reports function. */
import { z } from 'zod';
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { JUDGING_ENV, judgingDeps, RESOURCE_NAME, readEnv } from '../commons/env.js';
import { kmsKeyedHash } from '../commons/keyed-hash.js';
import { makeReportsHandler } from './reports-handler.js';

const env = readEnv({ ...JUDGING_ENV, REPORTS_BUCKET: RESOURCE_NAME, RELEASE_NOISE_KEY_ID: z.string().min(1) });

export const handler = makeReportsHandler({
  ...judgingDeps(env),
  reportsBucket: env.REPORTS_BUCKET,
  // report.pdf, printed by the Chromium bundled with the function; Lambda runs it as one process.
  pdf: chromiumPdfRenderer({ singleProcess: true }),
  // The release noise is drawn under a KMS HMAC key the function can use but never read (docs/domain.md).
  releaseKeyedHash: kmsKeyedHash(env.RELEASE_NOISE_KEY_ID),
});
