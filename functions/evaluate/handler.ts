/** Lambda entry point of the evaluate function. */
import { JUDGING_ENV, judgingDeps, RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeEvaluateHandler } from './evaluate-handler.js';

const env = readEnv({ ...JUDGING_ENV, ADMIN_BUCKET: RESOURCE_NAME });

export const handler = makeEvaluateHandler({ ...judgingDeps(env), adminBucket: env.ADMIN_BUCKET });
