/**
 * What each endorsement category asks for, read from the default ruleset so that the generated
 * people move with it: education, work experience, exam, RSC at application and at renewal.
 */
import ruleset from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { CATEGORIES, type CategoryCode, type Tier } from '#core/reference/reference.js';
import type { EducationLevel } from '#core/rules/ruleset.js';
import { WeightedChoice } from './random.js';

const EDUCATION_LEVELS = ruleset.educationLevels as EducationLevel[];

// Education by the category's minimum: mostly meeting it, some short of it.
const EDUCATION_BY_MIN: Partial<Record<EducationLevel, readonly (readonly [EducationLevel, number])[]>> = {
  // Reflective supervisors have no minimum but are in practice degreed.
  none: [
    ['associate', 5],
    ['bachelor', 45],
    ['master', 45],
    ['doctorate', 5],
  ],
  cda: [
    ['none', 1],
    ['hs', 19],
    ['cda', 30],
    ['associate', 24],
    ['bachelor', 21],
    ['master', 5],
  ],
  bachelor: [
    ['hs', 2],
    ['cda', 3],
    ['associate', 8],
    ['bachelor', 60],
    ['master', 25],
    ['doctorate', 2],
  ],
  master: [
    ['associate', 2],
    ['bachelor', 10],
    ['master', 78],
    ['doctorate', 10],
  ],
};

function educationFor(min: EducationLevel): WeightedChoice<EducationLevel> {
  const table = EDUCATION_BY_MIN[min];
  if (table) return WeightedChoice.of(table);
  // A minimum the tables above do not know (a changed ruleset): the minimum and the levels round it.
  const m = EDUCATION_LEVELS.indexOf(min);
  const pairs: [EducationLevel, number][] = EDUCATION_LEVELS.map((level, i) => {
    const d = i - m;
    return [level, d < 0 ? (d === -1 ? 12 : 2) : d === 0 ? 50 : d === 1 ? 30 : 6];
  });
  return WeightedChoice.of(pairs);
}

export interface CategoryProfile {
  code: CategoryCode;
  name: string;
  tier: Tier;
  education: WeightedChoice<EducationLevel>;
  /** Months of work the category asks for (or, for associates, that replace the education). */
  workMonths: number;
  workReplacesEducation: boolean;
  exam: boolean;
  needsRsc: boolean;
  /** Hours of RSC received a renewal year asks (0: none); the lowest, for long-standing Clinical Mentors. */
  renewalRsc: number;
  renewalRscLowest: number;
  /** Hours on providing RSC a renewal year asks (0: none). */
  renewalRscTopic: number;
}

export const PROFILES: readonly CategoryProfile[] = CATEGORIES.map((c) => {
  const req = ruleset.initial.requirements.find((r) => (r.categories as string[]).includes(c.code));
  if (!req) throw new Error(`the default ruleset has no requirement for ${c.code}`);
  const orWork = 'orWorkMonths' in req.education ? (req.education.orWorkMonths as number) : undefined;
  const renewal = ruleset.renewal;
  const renewalRsc = renewal.rscHours.find((r) => (r.categories as string[]).includes(c.code))?.hours ?? 0;
  const longStanding = (renewal.longStandingRsc.categories as string[]).includes(c.code);
  return {
    code: c.code,
    name: c.name,
    tier: c.tier,
    education: educationFor(req.education.min as EducationLevel),
    workMonths: orWork ?? req.workMonths,
    workReplacesEducation: orWork !== undefined,
    exam: req.exam,
    needsRsc: req.rscHours > 0 || renewalRsc > 0,
    renewalRsc,
    renewalRscLowest: longStanding ? Math.min(renewalRsc, renewal.longStandingRsc.hours) : renewalRsc,
    renewalRscTopic: (renewal.rscTopicHours.categories as string[]).includes(c.code) ? renewal.rscTopicHours.hours : 0,
  };
});
