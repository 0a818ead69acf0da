/** Every category of the default ruleset, worked by hand from docs/domain.md: an eligible profile, and each requirement just missed. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '#core/catalog/catalog.js';
import { evaluateApplicant } from '#core/eligibility/evaluate.js';
import type { Applicant, RscSession, TrainingRecord } from '#core/model.js';
import type { CategoryCode } from '#core/reference/reference.js';
import { rulesetFor } from '#core/rules/registry.js';
import type { EducationLevel } from '#core/rules/ruleset.js';
import { AS_OF, applicant, MENTOR_CODES, MHS_CODES, rscFor, SPECIALIST_CODES, trainingsFor } from './builders.js';

interface Row {
  categories: CategoryCode[];
  education: EducationLevel;
  /** The education level just below the minimum, or undefined when the minimum is "none". */
  below: EducationLevel | undefined;
  work: number;
  training: number;
  dei: number;
  rscTopic: number;
  rsc: number;
  exam: boolean;
  codes: readonly string[];
}

// The table of "Initial endorsement" in docs/domain.md.
const TABLE: Row[] = [
  // Associates: cda or higher, or 24 months of work (checked separately below); no coverage requirement.
  {
    categories: ['IFA', 'ECFA'],
    education: 'cda',
    below: 'hs',
    work: 0,
    training: 30,
    dei: 0,
    rscTopic: 0,
    rsc: 0,
    exam: false,
    codes: [],
  },
  {
    categories: ['IFS', 'ECFS'],
    education: 'bachelor',
    below: 'associate',
    work: 24,
    training: 30,
    dei: 0,
    rscTopic: 0,
    rsc: 24,
    exam: false,
    codes: SPECIALIST_CODES,
  },
  {
    categories: ['IFRS', 'ECFRS'],
    education: 'none',
    below: undefined,
    work: 24,
    training: 48,
    dei: 3,
    rscTopic: 15,
    rsc: 24,
    exam: false,
    codes: SPECIALIST_CODES,
  },
  {
    categories: ['IMHS', 'ECMHS'],
    education: 'master',
    below: 'bachelor',
    work: 24,
    training: 30,
    dei: 0,
    rscTopic: 0,
    rsc: 50,
    exam: true,
    codes: MHS_CODES,
  },
  {
    categories: ['IMHM-C', 'ECMHM-C'],
    education: 'master',
    below: 'bachelor',
    work: 36,
    training: 48,
    dei: 3,
    rscTopic: 15,
    rsc: 50,
    exam: true,
    codes: MENTOR_CODES,
  },
  {
    categories: ['IMHM-P', 'IMHM-RF', 'ECMHM-P', 'ECMHM-RF'],
    education: 'master',
    below: 'bachelor',
    work: 36,
    training: 33,
    dei: 3,
    rscTopic: 0,
    rsc: 0,
    exam: true,
    codes: MENTOR_CODES,
  },
];

const ruleset = rulesetFor(AS_OF);
const catalog = loadCatalog();

interface Profile {
  applicant: Applicant;
  trainings: TrainingRecord[];
  rscSessions: RscSession[];
}

/** Someone who meets the row exactly: every number at its minimum, and no exam when none is needed. */
function exactProfile(row: Row, category: CategoryCode): Profile {
  return {
    applicant: applicant({
      category,
      education: row.education,
      workExperienceMonths: row.work,
      examPassed: row.exam,
    }),
    trainings: trainingsFor({ total: row.training, dei: row.dei, rscTopic: row.rscTopic, codes: row.codes }),
    rscSessions: rscFor(row.rsc),
  };
}

function gapIds(profile: Profile): string[] {
  return evaluateApplicant({ ...profile, asOf: AS_OF, ruleset, catalog }).gaps.map((g) => g.id);
}

/** The profile with the general training's hours changed by `delta`. */
function withGeneralHours(profile: Profile, delta: number): Profile {
  return {
    ...profile,
    trainings: profile.trainings.map((t) => (t.trainingId === 'GEN' ? { ...t, hours: t.hours + delta } : t)),
  };
}

/** The profile with half an hour moved from a flagged training to the general one, keeping the total. */
function movingHalfHourFrom(profile: Profile, trainingId: string): Profile {
  return {
    ...profile,
    trainings: profile.trainings.map((t) =>
      t.trainingId === trainingId
        ? { ...t, hours: t.hours - 0.5 }
        : t.trainingId === 'GEN'
          ? { ...t, hours: t.hours + 0.5 }
          : t,
    ),
  };
}

const cases = TABLE.flatMap((row) => row.categories.map((category) => ({ category, row })));

describe('the default ruleset, category by category', () => {
  it('covers all 14 categories', () => {
    expect(new Set(cases.map((c) => c.category)).size).toBe(14);
  });

  it.each(cases)('finds $category eligible at exactly its minimums', ({ category, row }) => {
    const profile = exactProfile(row, category);

    const evaluation = evaluateApplicant({ ...profile, asOf: AS_OF, ruleset, catalog });

    expect(evaluation.gaps).toEqual([]);
    expect(evaluation.eligible).toBe(true);
    expect(evaluation.trainingHours).toBe(row.training);
    expect(evaluation.rscHours).toBe(row.rsc);
    expect(evaluation.competenciesRequired).toBe(row.codes.length);
  });

  it.each(cases)('names only training_hours when $category is half an hour short', ({ category, row }) => {
    expect(gapIds(withGeneralHours(exactProfile(row, category), -0.5))).toEqual(['training_hours']);
  });

  it.each(cases.filter((c) => c.row.below !== undefined))(
    'names only education when $category has one level less',
    ({ category, row }) => {
      const profile = exactProfile(row, category);
      // An associate with 24 months of work would meet the alternative, so keep the work below it.
      const a = { ...profile.applicant, education: row.below as EducationLevel, workExperienceMonths: row.work };

      expect(gapIds({ ...profile, applicant: a })).toEqual(['education']);
    },
  );

  it.each(cases.filter((c) => c.row.work > 0))(
    'names only work_experience when $category has one month less',
    ({ category, row }) => {
      const profile = exactProfile(row, category);
      const a = { ...profile.applicant, workExperienceMonths: row.work - 1 };

      expect(gapIds({ ...profile, applicant: a })).toEqual(['work_experience']);
    },
  );

  it.each(cases.filter((c) => c.row.dei > 0))(
    'names only dei_hours when $category has half a DEI hour less',
    ({ category, row }) => {
      expect(gapIds(movingHalfHourFrom(exactProfile(row, category), 'DEI'))).toEqual(['dei_hours']);
    },
  );

  it.each(cases.filter((c) => c.row.rscTopic > 0))(
    'names only rsc_topic_hours when $category has half an hour less on providing RSC',
    ({ category, row }) => {
      expect(gapIds(movingHalfHourFrom(exactProfile(row, category), 'RSCT'))).toEqual(['rsc_topic_hours']);
    },
  );

  it.each(cases.filter((c) => c.row.rsc > 0))(
    'names only rsc_hours when $category received half an hour less RSC',
    ({ category, row }) => {
      const profile = exactProfile(row, category);

      expect(gapIds({ ...profile, rscSessions: rscFor(row.rsc - 0.5) })).toEqual(['rsc_hours']);
    },
  );

  it.each(cases.filter((c) => c.row.exam))('names only exam when $category has not passed it', ({ category, row }) => {
    const profile = exactProfile(row, category);

    expect(gapIds({ ...profile, applicant: { ...profile.applicant, examPassed: false } })).toEqual(['exam']);
  });

  it.each(cases)('names references, membership and code_of_ethics for $category', ({ category, row }) => {
    const profile = exactProfile(row, category);
    const a = { ...profile.applicant, references: 2, membershipExpiresOn: undefined, codeOfEthicsSigned: false };

    expect(gapIds({ ...profile, applicant: a })).toEqual(['code_of_ethics', 'membership', 'references']);
  });

  it.each(cases.filter((c) => c.row.codes.length > 0))(
    'names the competency when $category lacks a training covering 1F.3',
    ({ category, row }) => {
      const profile = exactProfile({ ...row, codes: row.codes.filter((c) => c !== '1F.3') }, category);

      expect(gapIds(profile)).toEqual(['competency:1F.3']);
    },
  );
});
