/** The shape of the competency catalog (config/catalog/competencies.json), kept apart from the file so the builder can validate before the file exists. */
import { z } from 'zod';

/** The competency tiers an entry can apply from: specialist entries apply to every tier that needs coverage. */
export const COMPETENCY_TIERS = ['specialist', 'mhs', 'mentor'] as const;
export type CompetencyTier = (typeof COMPETENCY_TIERS)[number];

export const CatalogEntrySchema = z.strictObject({
  code: z.string().regex(/^\d[A-Z]\.\d+$/, 'must be a competency code such as 1F.3'),
  text: z.string().min(1),
  importance: z.enum(['Essential', 'Important']),
  domain: z.string().min(1),
  knowledgeArea: z.string().min(1),
  appliesFrom: z.enum(COMPETENCY_TIERS),
  demonstratedBy: z.string(),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogSchema = z.strictObject({
  source: z.string().min(1),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256'),
  entries: z.array(CatalogEntrySchema).min(1),
});
export type Catalog = z.infer<typeof CatalogSchema>;
