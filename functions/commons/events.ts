/** The payloads the job functions take, and the middy middleware that parses an event before the handler sees it. */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { parseOrThrow } from '#core/validate.js';

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/**
 * `{}` or `{ "asOf": "YYYY-MM-DD" }`: what a schedule or an operator passes to evaluate, renewals,
 * reports and erase. An unknown key is refused: `{"asof": …}` would otherwise run as of today unnoticed.
 */
export const AsOfEvent = z.strictObject({ asOf: z.iso.date().optional() });
export type AsOfEvent = z.infer<typeof AsOfEvent>;

/** True for an event an AWS service delivers (S3, SQS), as against a payload someone wrote. */
export function hasRecords(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'Records' in event;
}

/**
 * Replaces the event with its parse by `schema` (no payload reads as `{}`); an event the schema
 * refuses fails the invocation with `what` and each problem. `schema` may be chosen per event.
 */
export function parseEvent<T>(
  what: string,
  schema: z.ZodType<T> | ((event: unknown) => z.ZodType<T>),
): MiddlewareObj<T, unknown, Error, Context> {
  return {
    before: (request) => {
      const event: unknown = request.event ?? {};
      request.event = parseOrThrow(
        typeof schema === 'function' ? schema(event) : schema,
        event,
        what,
        InvalidEventError,
      );
    },
  };
}
