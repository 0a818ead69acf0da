/** One structured logger for every function: JSON lines carrying ids and counts, never names or emails. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'iecmh-pipeline' });

/** The log function the services take: a message and structured data. */
export const logTo =
  (l: Logger) =>
  (message: string, data?: Record<string, unknown>): void =>
    l.info(message, data ?? {});
