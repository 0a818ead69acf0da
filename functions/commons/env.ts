/** The Lambda environment, validated once at cold start with a message naming the bad variable. */
import { z } from 'zod';
import { parseOrThrow } from '#core/validate.js';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Parses `process.env` with a schema; throws naming each missing or bad variable. */
export function readEnv<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
  return parseOrThrow(z.object(shape), env, 'invalid environment', ConfigurationError);
}
