/** The ruleset: every number that decides eligibility and renewal, as validated data. */
import { z } from 'zod';
import { CATEGORY_CODES, type CategoryCode } from '../reference/reference.js';
import { parseOrThrow } from '../validate.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const category = z.enum(CATEGORY_CODES);
const hours = z.number().min(0);

export const EducationLevel = z.enum(['none', 'hs', 'cda', 'associate', 'bachelor', 'master', 'doctorate']);
export type EducationLevel = z.infer<typeof EducationLevel>;

const TierRule = z.strictObject({
  /** The competency tiers (from the catalog) whose Essential entries this tier must cover. */
  competencyTiers: z.array(z.enum(['specialist', 'mhs', 'mentor'])),
  coverageRequired: z.boolean(),
});

const InitialRequirement = z.strictObject({
  categories: z.array(category).min(1),
  education: z.strictObject({ min: EducationLevel, orWorkMonths: z.number().int().min(0).optional() }),
  workMonths: z.number().int().min(0),
  trainingHours: hours,
  deiHours: hours,
  rscTopicHours: hours,
  rscHours: hours,
  exam: z.boolean(),
});
export type InitialRequirement = z.infer<typeof InitialRequirement>;

export const RulesetSchema = z
  .strictObject({
    $comment: z.string().optional(),
    id: z.string().min(1),
    association: z.string().min(1),
    version: z.string().min(1),
    effectiveFrom: isoDate,
    educationLevels: z.array(EducationLevel).length(7),
    tiers: z.strictObject({ associate: TierRule, specialist: TierRule, mhs: TierRule, mentor: TierRule }),
    initial: z.strictObject({
      common: z.strictObject({
        references: z.number().int().min(0),
        codeOfEthics: z.boolean(),
        membershipCurrent: z.boolean(),
        rscWindowMonths: z.number().int().min(1),
      }),
      requirements: z.array(InitialRequirement).min(1),
    }),
    renewal: z.strictObject({
      cycleYears: z.number().int().min(1),
      dueMonthDay: z.string().regex(/^\d{2}-\d{2}$/),
      trainingHours: hours,
      deiHours: hours,
      rscTopicHours: z.strictObject({ categories: z.array(category), hours }),
      rscHours: z.array(z.strictObject({ categories: z.array(category).min(1), hours })),
      longStandingRsc: z.strictObject({ categories: z.array(category), yearsEndorsed: z.number().int().min(1), hours }),
      membershipCurrentThroughDue: z.boolean(),
      firstCycleExempt: z.boolean(),
      atRiskDays: z.number().int().min(0),
    }),
  })
  .superRefine((r, ctx) => {
    const seen = new Map<string, number>();
    r.initial.requirements.forEach((req, i) => {
      for (const c of req.categories) {
        if (seen.has(c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['initial', 'requirements', i, 'categories'],
            message: `category ${c} already has requirements at initial.requirements[${seen.get(c)}]`,
          });
        }
        seen.set(c, i);
      }
    });
    for (const c of CATEGORY_CODES) {
      if (!seen.has(c)) {
        ctx.addIssue({
          code: 'custom',
          path: ['initial', 'requirements'],
          message: `category ${c} has no requirements`,
        });
      }
    }
    const rscSeen = new Set<string>();
    r.renewal.rscHours.forEach((rule, i) => {
      for (const c of rule.categories) {
        if (rscSeen.has(c)) {
          ctx.addIssue({
            code: 'custom',
            path: ['renewal', 'rscHours', i, 'categories'],
            message: `category ${c} listed twice`,
          });
        }
        rscSeen.add(c);
      }
    });
  });

export type Ruleset = z.infer<typeof RulesetSchema>;

export class InvalidRulesetError extends Error {
  override name = 'InvalidRulesetError';
}

/** Validates a parsed ruleset file; the error names the file and each bad field. */
export function parseRuleset(data: unknown, source: string): Ruleset {
  return parseOrThrow(RulesetSchema, data, `ruleset ${source} is invalid`, InvalidRulesetError);
}

/** The initial-endorsement requirements of one category. */
export function initialRequirementFor(ruleset: Ruleset, code: CategoryCode): InitialRequirement {
  const req = ruleset.initial.requirements.find((r) => r.categories.includes(code));
  if (!req) throw new InvalidRulesetError(`ruleset ${ruleset.id} has no requirements for ${code}`);
  return req;
}

/** The ruleset of an association in force on a date: the latest whose effectiveFrom is on or before it. */
export function selectRuleset(rulesets: readonly Ruleset[], association: string, asOf: string): Ruleset {
  const candidates = rulesets
    .filter((r) => r.association === association && r.effectiveFrom <= asOf)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const chosen = candidates[0];
  if (!chosen) {
    throw new InvalidRulesetError(`no ruleset for association "${association}" in force on ${asOf}`);
  }
  return chosen;
}
