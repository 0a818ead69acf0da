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
  /** A group is flagged when its rate is below this share of the highest published rate. */
  fourFifths: z.number().gt(0).max(1),
  /** How the disparity reference group is chosen; only "most_applicants" is defined so far. */
  referenceGroup: z.enum(['most_applicants']),
  /**
   * How many earlier dated releases the report's trend compares with (0: no trend). The trend repeats
   * their published totals only (docs/domain.md, "Releases and differencing").
   */
  trendReleases: z.number().int().min(0).max(60),
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
