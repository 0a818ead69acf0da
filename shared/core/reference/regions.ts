/**
 * The regions counties roll up into before a report withholds small cells (docs/domain.md,
 * "Publishing to policymakers safely"): versioned reference data, Wisconsin DHS's five public
 * health regions by default (config/reference/regions.json).
 */
import { z } from 'zod';
import regionsFile from '#config/reference/regions.json' with { type: 'json' };
import { parseOrThrow } from '../validate.js';
import { COUNTIES } from './reference.js';

export const RegionsSchema = z.strictObject({
  $comment: z.string().optional(),
  id: z.string().min(1),
  version: z.string().min(1),
  state: z.string().length(2),
  /** Where the assignment comes from, so it can be checked when the source changes. */
  source: z.string().url(),
  regions: z
    .array(z.strictObject({ name: z.string().min(1), counties: z.array(z.string().regex(/^\d{5}$/)).min(1) }))
    .min(1),
});

export type Regions = z.infer<typeof RegionsSchema>;

export class InvalidRegionsError extends Error {
  override name = 'InvalidRegionsError';
}

/**
 * Validates a parsed regions file: the shape, and that every county of the reference list lies in
 * exactly one region (a county in none would vanish from the region rows, one in two would count twice).
 */
export function parseRegions(data: unknown, source: string, counties: readonly string[]): Regions {
  const regions = parseOrThrow(RegionsSchema, data, `regions ${source} are invalid`, InvalidRegionsError);
  const known = new Set(counties);
  const regionOf = new Map<string, string>();
  const problems: string[] = [];
  const names = new Set<string>();
  for (const r of regions.regions) {
    if (names.has(r.name)) problems.push(`region "${r.name}" appears twice`);
    names.add(r.name);
    for (const fips of r.counties) {
      if (!known.has(fips)) problems.push(`county ${fips} of region "${r.name}" is not a known county`);
      const earlier = regionOf.get(fips);
      if (earlier !== undefined) problems.push(`county ${fips} is in both "${earlier}" and "${r.name}"`);
      regionOf.set(fips, r.name);
    }
  }
  for (const fips of counties) if (!regionOf.has(fips)) problems.push(`county ${fips} is in no region`);
  if (problems.length > 0) throw new InvalidRegionsError(`regions ${source} are invalid: ${problems.join('; ')}`);
  return regions;
}

let shipped: Regions | undefined;

/** The shipped regions (config/reference/regions.json), validated once. */
export function defaultRegions(): Regions {
  shipped ??= parseRegions(
    regionsFile,
    'config/reference/regions.json',
    COUNTIES.map((c) => c.fips),
  );
  return shipped;
}

/** County FIPS code → region name. */
export function regionByCounty(regions: Regions = defaultRegions()): ReadonlyMap<string, string> {
  return new Map(regions.regions.flatMap((r) => r.counties.map((fips) => [fips, r.name] as const)));
}
