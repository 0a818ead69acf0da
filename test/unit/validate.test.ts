import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrThrow } from '#core/validate.js';

class InvalidThingError extends Error {
  override name = 'InvalidThingError';
}

const Thing = z.strictObject({ id: z.string().min(1), hours: z.number() });

describe('parseOrThrow', () => {
  it('returns what the schema makes of valid data', () => {
    expect(parseOrThrow(Thing, { id: 'a', hours: 2 }, 'thing')).toEqual({ id: 'a', hours: 2 });
  });

  it('throws the given error naming what was read and each bad field, with the ZodError as its cause', () => {
    // Act
    let thrown: unknown;
    try {
      parseOrThrow(Thing, { id: '', hours: 'two' }, 'thing t.json is invalid', InvalidThingError);
    } catch (err) {
      thrown = err;
    }

    // Assess
    expect(thrown).toBeInstanceOf(InvalidThingError);
    const error = thrown as InvalidThingError;
    expect(error.message).toMatch(/^thing t\.json is invalid:\n/);
    expect(error.message).toContain('at id');
    expect(error.message).toContain('at hours');
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });
});
