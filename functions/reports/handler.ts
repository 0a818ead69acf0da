/** Lambda entry point of the reports function. */
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { JUDGING_ENV, judgingDeps, RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeReportsHandler } from './reports-handler.js';

const env = readEnv({ ...JUDGING_ENV, REPORTS_BUCKET: RESOURCE_NAME });

export const handler = makeReportsHandler({
  ...judgingDeps(env),
  reportsBucket: env.REPORTS_BUCKET,
  // report.pdf, printed by the Chromium bundled with the function; Lambda runs it as one process.
  pdf: chromiumPdfRenderer({ singleProcess: true }),
});
