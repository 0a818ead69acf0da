/** Data from outside the code (files, events, the environment, stored items) read with a zod schema, or refused in words. */
import { z } from 'zod';

/** An error class whose constructor takes a message and `{ cause }`, as `Error` and its subclasses do. */
export type ErrorClass = new (message: string, options?: ErrorOptions) => Error;

/**
 * The schema's parse of `data`. Otherwise throws `errorClass` with the message "`what`:" followed by each
 * problem zod found on a line of its own (naming the field), and zod's error as the cause.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
  errorClass: ErrorClass = Error,
): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new errorClass(`${what}:\n${z.prettifyError(result.error)}`, { cause: result.error });
  return result.data;
}
