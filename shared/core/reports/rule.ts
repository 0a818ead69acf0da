/** The publishing rule: small-cell threshold and disparity parameters, as validated data. */
import { z } from 'zod';
import defaultRuleFile from '#config/publishing/default.json' with { type: 'json' };
import { parseOrThrow } from '../validate.js';

export const PublishingRuleSchema = z.strictObject({
  $comment: z.string().optional(),
  id: z.string().min(1),
  version: z.string().min(1),
  /** The smallest count that may be published (besides zero); 11 under the CMS policy. */
  minPublishedCount: z.number().int().min(1),
  /** Normal quantile of the Wilson interval; 1.96 for 95%. */
  z: z.number().positive().finite(),
  /** A group is flagged only when its rate is below this share of the reference's rate (and the difference is significant). */
  fourFifths: z.number().gt(0).max(1),
  /** What a group is compared with: "rest", every other applicant whose value in the breakdown is reported. */
  referenceGroup: z.enum(['rest']),
  /** A Benjamini–Hochberg adjusted p-value below this is statistically significant (0.05). */
  significance: z.number().gt(0).lt(1),
  /** The NCHS standard for proportions: a rate that fails it is shown as unreliable and neither tested nor flagged. */
  reliability: z.strictObject({
    /** Confidence of the (Clopper–Pearson) interval whose widths are judged. */
    confidence: z.number().gt(0).lt(1),
    minEffectiveSampleSize: z.number().int().min(1),
    /** An interval at most this wide passes whatever its relative width. */
    narrowWidth: z.number().gt(0).lt(1),
    /** An interval at least this wide fails. */
    maxWidth: z.number().gt(0).max(1),
    /** Otherwise an interval wider than this multiple of the rate fails. */
    maxRelativeWidth: z.number().positive(),
  }),
  /**
   * How many earlier dated releases the report's trend compares with (0: no trend). The trend repeats
   * their published totals only (docs/domain.md, "Releases and differencing").
   */
  trendReleases: z.number().int().min(0).max(60),
  /**
   * The largest perturbation of a published count (docs/domain.md, "Releases and differencing"):
   * each count gets uniform noise from -maxNoise to maxNoise, redrawn whenever the data change; 0
   * publishes exact counts.
   */
  maxNoise: z.number().int().min(0).max(10),
});

export type PublishingRule = z.infer<typeof PublishingRuleSchema>;

export class InvalidPublishingRuleError extends Error {
  override name = 'InvalidPublishingRuleError';
}

/** Validates a parsed publishing-rule file; the error names the file and each bad field. */
export function parsePublishingRule(data: unknown, source: string): PublishingRule {
  return parseOrThrow(PublishingRuleSchema, data, `publishing rule ${source} is invalid`, InvalidPublishingRuleError);
}

let shipped: PublishingRule | undefined;

/** The shipped default publishing rule (config/publishing/default.json), validated once. */
export function defaultPublishingRule(): PublishingRule {
  shipped ??= parsePublishingRule(defaultRuleFile, 'config/publishing/default.json');
  return shipped;
}
