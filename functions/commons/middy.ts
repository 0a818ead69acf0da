/** The middy instance every handler starts from, with the one option that differs between Lambda and the local runner. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * In Lambda, middy fails an invocation a few milliseconds before Lambda's deadline, so the failure is
 * logged with its request id instead of the invocation just vanishing. Outside Lambda (the local runner,
 * the tests) nothing ends an invocation, so middy arms no timer (`timeoutEarlyInMillis: 0`): a large file
 * ingested locally takes as long as it takes. Lambda's runtime always sets AWS_LAMBDA_FUNCTION_NAME.
 */
export function pipelineMiddy<TEvent, TResult>(env: NodeJS.ProcessEnv = process.env) {
  const insideLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  return middy<TEvent, TResult, Error, Context>(insideLambda ? {} : { timeoutEarlyInMillis: 0 });
}
