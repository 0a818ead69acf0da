/**
 * The bounds beyond which an accepted value is implausible (config/ingest/plausibility.json): the
 * row is stored as the file gives it and the receipt warns (docs/input-files.md, "Warnings").
 * Values that cannot be true at all (a training row of more than 200 hours, a session longer than
 * a day) are rejected by the row schemas instead (schemas.ts).
 */
import { z } from 'zod';
import plausibilityFile from '#config/ingest/plausibility.json' with { type: 'json' };
import { parseOrThrow } from '../validate.js';

export const PlausibilitySchema = z.strictObject({
  $comment: z.string().optional(),
  /** Hours a roster gives one training on its one date. */
  maxTrainingHoursPerDay: z.number().positive(),
  /** Hours of one RSC session. */
  maxRscSessionHours: z.number().positive(),
  /** Training hours one file credits one attendee on one date, or RSC hours one person receives on one date. */
  maxHoursPerPersonPerDay: z.number().positive(),
  /** People, emails and trainings one upload's cross-file check looks up at most (each by key). */
  maxLookups: z.number().int().nonnegative(),
});

export type Plausibility = z.infer<typeof PlausibilitySchema>;

let shipped: Plausibility | undefined;

/** The shipped bounds (config/ingest/plausibility.json), validated once. */
export function defaultPlausibility(): Plausibility {
  shipped ??= parseOrThrow(PlausibilitySchema, plausibilityFile, 'config/ingest/plausibility.json is invalid');
  return shipped;
}
