/** One structured logger for every function: JSON lines carrying ids and counts, never names or emails. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'iecmh-pipeline' });

/**
 * The log function the services take: a message and structured data, with `keys` on every line.
 * Keys per record go here rather than on the logger: the batch processor handles a batch's records
 * at once, so keys appended to the shared logger would land on other records' lines, and a child
 * logger per record would report a cold start on each.
 */
export const logTo =
  (l: Logger, keys: Record<string, unknown> = {}) =>
  (message: string, data?: Record<string, unknown>): void =>
    l.info(message, { ...keys, ...data });
