/** The Lambda environment, validated once at cold start with a message naming the bad variable. */
import { z } from 'zod';
import { awsClients } from '#adapters/clients.js';
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

/** A bucket or table name as the stack passes it. */
export const RESOURCE_NAME = z.string().min(3);

/** What every function that judges people reads (infra/stack.ts sets both): the table and the association. */
export const JUDGING_ENV = {
  TABLE_NAME: RESOURCE_NAME,
  ASSOCIATION: z.string().min(1).default('default'),
};

/** The AWS clients with the table and association of JUDGING_ENV, as the services take them. */
export function judgingDeps(env: { TABLE_NAME: string; ASSOCIATION: string }) {
  return { ...awsClients(), tableName: env.TABLE_NAME, association: env.ASSOCIATION };
}
