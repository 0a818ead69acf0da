/** The shipped competency catalog and the codes each tier must cover. */
import shippedCatalog from '#config/catalog/competencies.json' with { type: 'json' };
import { parseOrThrow } from '../validate.js';
import { type Catalog, CatalogSchema, type CompetencyTier } from './schema.js';

export type { Catalog, CatalogEntry, CompetencyTier } from './schema.js';
export { CatalogSchema, COMPETENCY_TIERS } from './schema.js';

export class InvalidCatalogError extends Error {
  override name = 'InvalidCatalogError';
}

/** Validates parsed catalog data; the error names each bad field. */
export function parseCatalog(data: unknown, source: string): Catalog {
  return parseOrThrow(CatalogSchema, data, `catalog ${source} is invalid`, InvalidCatalogError);
}

let loaded: Catalog | undefined;

/** The shipped catalog (config/catalog/competencies.json), validated on first use. */
export function loadCatalog(): Catalog {
  loaded ??= parseCatalog(shippedCatalog, 'config/catalog/competencies.json');
  return loaded;
}

/** Sorted codes with at least one Essential entry applicable from one of the given competency tiers. */
export function requiredCompetencies(catalog: Catalog, competencyTiers: readonly CompetencyTier[]): string[] {
  const tiers = new Set(competencyTiers);
  const codes = new Set<string>();
  for (const e of catalog.entries) {
    if (e.importance === 'Essential' && tiers.has(e.appliesFrom)) codes.add(e.code);
  }
  return [...codes].sort(compareCodes);
}

/** Every distinct code of the catalog, sorted. */
export function catalogCodes(catalog: Catalog): string[] {
  return [...new Set(catalog.entries.map((e) => e.code))].sort(compareCodes);
}

// Codes sort by their parts so 1A.10 would follow 1A.9 rather than 1A.1.
function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
