/** middy's early timeout: armed in Lambda, never outside it, where nothing ends an invocation. */
import { describe, expect, it } from 'vitest';
import { pipelineMiddy } from '#functions/commons/middy.js';
import { localContext } from '#local/queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler whose work outlasts the 50 ms its context says are left. */
const slowHandler = (env: NodeJS.ProcessEnv) =>
  pipelineMiddy<Record<string, never>, string>(env).handler(async () => {
    await sleep(150);
    return 'done';
  });

describe('pipelineMiddy', () => {
  it('outside Lambda lets an invocation outlast the time its context reports', async () => {
    await expect(slowHandler({})({}, localContext('iecmh-test', 50))).resolves.toBe('done');
  });

  it('in Lambda fails the invocation just before the deadline', async () => {
    const inLambda = { AWS_LAMBDA_FUNCTION_NAME: 'iecmh-test' };
    await expect(slowHandler(inLambda)({}, localContext('iecmh-test', 50))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});
