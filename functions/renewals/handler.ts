/** Lambda entry point of the daily renewal job. */
import { JUDGING_ENV, judgingDeps, RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeRenewalsHandler } from './renewals-handler.js';

const env = readEnv({ ...JUDGING_ENV, ADMIN_BUCKET: RESOURCE_NAME });

export const handler = makeRenewalsHandler({ ...judgingDeps(env), adminBucket: env.ADMIN_BUCKET });
