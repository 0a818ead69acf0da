/** The counting rules of docs/domain.md, each at its boundary. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '#core/catalog/catalog.js';
import { type EvaluateInput, evaluateApplicant } from '#core/eligibility/evaluate.js';
import { mergeTrainings } from '#core/eligibility/merge.js';
import { rulesetFor } from '#core/rules/registry.js';
import type { Ruleset } from '#core/rules/ruleset.js';
import {
  AS_OF,
  applicant,
  attendance,
  MENTOR_CODES,
  MHS_CODES,
  rsc,
  rscFor,
  SPECIALIST_CODES,
  training,
  trainingsFor,
} from './builders.js';

const ruleset = rulesetFor(AS_OF);
const catalog = loadCatalog();

/** An IFS applicant with every requirement met (30 hours covering the specialist codes, 24 RSC hours). */
function ifs(overrides: Partial<EvaluateInput> = {}): EvaluateInput {
  return {
    applicant: applicant({ category: 'IFS' }),
    trainings: trainingsFor({ total: 30, codes: SPECIALIST_CODES }),
    rscSessions: rscFor(24),
    asOf: AS_OF,
    ruleset,
    catalog,
    ...overrides,
  };
}

const ids = (input: EvaluateInput) => evaluateApplicant(input).gaps.map((g) => g.id);

describe('training hours', () => {
  it('is eligible with exactly 30 hours and not with 29.5', () => {
    const thirty = [training({ trainingId: 'A', hours: 20, competencies: SPECIALIST_CODES }), training({ hours: 10 })];
    const short = [training({ trainingId: 'A', hours: 20, competencies: SPECIALIST_CODES }), training({ hours: 9.5 })];

    const met = evaluateApplicant(ifs({ trainings: thirty }));
    const unmet = evaluateApplicant(ifs({ trainings: short }));

    expect(met.eligible).toBe(true);
    expect(unmet.eligible).toBe(false);
    expect(unmet.gaps).toEqual([
      { id: 'training_hours', have: 29.5, need: 30, message: 'has 29.5 of 30 training hours' },
    ]);
  });

  it('adds decimal hours exactly, so 10.1 + 10.2 + 9.7 makes 30', () => {
    const trainings = [
      training({ trainingId: 'A', hours: 10.1, competencies: SPECIALIST_CODES }),
      training({ trainingId: 'B', hours: 10.2 }),
      training({ trainingId: 'C', hours: 9.7 }),
    ];

    const evaluation = evaluateApplicant(ifs({ trainings }));

    expect(evaluation.trainingHours).toBe(30);
    expect(evaluation.eligible).toBe(true);
  });

  it('adds hours with three decimals without rounding each, so 79 trainings of 0.375 hours fall short of 30', () => {
    const trainings = [
      training({ trainingId: 'CODES', hours: 0.375, competencies: SPECIALIST_CODES }),
      ...Array.from({ length: 78 }, (_, i) => training({ trainingId: `Q${i}`, hours: 0.375 })),
    ];

    const evaluation = evaluateApplicant(ifs({ trainings }));

    expect(evaluation.trainingHours).toBe(29.625);
    expect(evaluation.gaps.map((g) => [g.id, g.have])).toEqual([['training_hours', 29.625]]);
  });

  it('does not count a training dated after the as-of date, but counts one dated on it', () => {
    const trainings = [
      training({ trainingId: 'A', hours: 29, competencies: SPECIALIST_CODES }),
      training({ trainingId: 'ON', hours: 1, date: AS_OF }),
      training({ trainingId: 'AFTER', hours: 5, date: '2026-11-26' }),
    ];

    const evaluation = evaluateApplicant(ifs({ trainings }));

    expect(evaluation.trainingHours).toBe(30);
  });

  it('does not count a training that was not completed', () => {
    const trainings = [
      training({ trainingId: 'A', hours: 29, competencies: SPECIALIST_CODES }),
      training({ trainingId: 'B', hours: 5, completed: false }),
    ];

    expect(ids(ifs({ trainings }))).toEqual(['training_hours']);
  });

  it('counts a training listed twice only once', () => {
    const t = training({ trainingId: 'A', hours: 20, competencies: SPECIALIST_CODES });

    const evaluation = evaluateApplicant(ifs({ trainings: [t, t] }));

    expect(evaluation.trainingHours).toBe(20);
  });

  it('counts a training once when two re-uploaded rosters repeat it', () => {
    const roster = [
      attendance({ trainingId: 'A', hours: 20, competencies: SPECIALIST_CODES }),
      attendance({ trainingId: 'B', hours: 10 }),
    ];
    const reupload = roster.map((row) => ({ ...row }));

    const evaluation = evaluateApplicant(ifs({ trainings: mergeTrainings([...roster, ...reupload]) }));

    expect(evaluation.trainingHours).toBe(30);
    expect(evaluation.eligible).toBe(true);
  });
});

describe('DEI and RSC-topic hours', () => {
  it('counts all hours of a flagged training, and a training may carry both flags', () => {
    const trainings = [training({ trainingId: 'A', hours: 4.5, dei: true, rscTopic: true }), training({ hours: 2 })];

    const evaluation = evaluateApplicant(ifs({ trainings }));

    expect(evaluation.deiHours).toBe(4.5);
    expect(evaluation.rscTopicHours).toBe(4.5);
    expect(evaluation.trainingHours).toBe(6.5);
  });
});

describe('RSC received', () => {
  it('counts a session on the first day of the 24-month window and not one the day before', () => {
    const inside = [rsc('2024-11-25', 4), rsc('2026-01-10', 20)];
    const outside = [rsc('2024-11-24', 4), rsc('2026-01-10', 20)];

    const met = evaluateApplicant(ifs({ rscSessions: inside }));
    const unmet = evaluateApplicant(ifs({ rscSessions: outside }));

    expect(met.rscWindowFrom).toBe('2024-11-25');
    expect(met.rscHours).toBe(24);
    expect(unmet.rscHours).toBe(20);
    expect(unmet.gaps.map((g) => g.id)).toEqual(['rsc_hours']);
  });

  it('counts a session on the as-of date and not one after it', () => {
    const sessions = [rsc(AS_OF, 4), rsc('2026-11-26', 30), rsc('2026-01-10', 20)];

    expect(evaluateApplicant(ifs({ rscSessions: sessions })).rscHours).toBe(24);
  });

  it('clamps the window start to the end of a shorter month', () => {
    const oneMonth: Ruleset = {
      ...ruleset,
      id: 'one-month-window',
      initial: { ...ruleset.initial, common: { ...ruleset.initial.common, rscWindowMonths: 1 } },
    };
    const sessions = [rsc('2026-02-27', 1), rsc('2026-02-28', 2), rsc('2026-03-31', 4)];

    const evaluation = evaluateApplicant(ifs({ ruleset: oneMonth, asOf: '2026-03-31', rscSessions: sessions }));

    expect(evaluation.rscWindowFrom).toBe('2026-02-28');
    expect(evaluation.rscHours).toBe(6);
  });
});

describe('membership, references, exam and code of ethics', () => {
  it('treats membership expiring on the as-of date as current and the day before as not', () => {
    const onTheDay = evaluateApplicant(ifs({ applicant: applicant({ membershipExpiresOn: AS_OF }) }));
    const dayBefore = evaluateApplicant(ifs({ applicant: applicant({ membershipExpiresOn: '2026-11-24' }) }));

    expect(onTheDay.eligible).toBe(true);
    expect(dayBefore.gaps).toEqual([
      {
        id: 'membership',
        have: '2026-11-24',
        need: AS_OF,
        message: 'membership expired on 2026-11-24; it must be current on 2026-11-25',
      },
    ]);
  });

  it('treats a blank membership date as not current', () => {
    const evaluation = evaluateApplicant(ifs({ applicant: applicant({ membershipExpiresOn: undefined }) }));

    expect(evaluation.gaps).toMatchObject([{ id: 'membership', have: null }]);
  });

  it('needs 3 reference ratings: 3 is enough and 2 is not', () => {
    expect(ids(ifs({ applicant: applicant({ references: 3 }) }))).toEqual([]);
    expect(evaluateApplicant(ifs({ applicant: applicant({ references: 2 }) })).gaps).toEqual([
      { id: 'references', have: 2, need: 3, message: 'has 2 of 3 reference ratings' },
    ]);
  });

  it('needs the exam for IMHS but not for IFS', () => {
    const noExam = applicant({ examPassed: false });
    const imhs = {
      applicant: { ...noExam, category: 'IMHS' as const },
      trainings: trainingsFor({ total: 30, codes: MHS_CODES }),
      rscSessions: rscFor(50),
    };

    expect(ids(ifs({ applicant: noExam }))).toEqual([]);
    expect(ids(ifs(imhs))).toEqual(['exam']);
  });

  it('needs a signed code of ethics', () => {
    expect(ids(ifs({ applicant: applicant({ codeOfEthicsSigned: false }) }))).toEqual(['code_of_ethics']);
  });
});

describe('the associate alternative: education or paid work', () => {
  const associate = (education: 'hs' | 'cda', workExperienceMonths: number) =>
    ids(
      ifs({
        applicant: applicant({ category: 'IFA', education, workExperienceMonths }),
        trainings: trainingsFor({ total: 30 }),
        rscSessions: [],
      }),
    );

  it('accepts a CDA with no work', () => {
    expect(associate('cda', 0)).toEqual([]);
  });

  it('accepts 24 months of work without a CDA', () => {
    expect(associate('hs', 24)).toEqual([]);
  });

  it('names education, and not work experience, when neither holds', () => {
    expect(associate('hs', 23)).toEqual(['education']);
  });

  it('reports the catalog codes covered without requiring any', () => {
    const evaluation = evaluateApplicant(
      ifs({
        applicant: applicant({ category: 'ECFA' }),
        trainings: [training({ hours: 30, competencies: ['1F.3', '1A.1', '9Z.9'] })],
      }),
    );

    expect(evaluation.competenciesRequired).toBe(0);
    expect(evaluation.competenciesCovered).toBe(2);
    expect(evaluation.coveredCodes).toEqual(['1A.1', '1F.3']);
    expect(evaluation.missingCodes).toEqual([]);
  });
});

describe('competency coverage', () => {
  it('needs every specialist code for IFS, and not the MHS or mentor codes', () => {
    const evaluation = evaluateApplicant(ifs());

    expect(evaluation.competenciesRequired).toBe(19);
    expect(evaluation.competenciesCovered).toBe(19);
    expect(evaluation.eligible).toBe(true);
  });

  it('names each missing code and counts only the required ones covered', () => {
    const codes = SPECIALIST_CODES.filter((c) => c !== '1F.3' && c !== '1A.2');

    const evaluation = evaluateApplicant(ifs({ trainings: trainingsFor({ total: 30, codes: [...codes, '1H.1'] }) }));

    expect(evaluation.gaps.map((g) => g.id)).toEqual(['competency:1A.2', 'competency:1F.3']);
    expect(evaluation.missingCodes).toEqual(['1A.2', '1F.3']);
    expect(evaluation.competenciesCovered).toBe(17);
    expect(evaluation.gaps[1]?.message).toBe('no completed training covers competency 1F.3');
  });

  it('needs 1B.1 and 1D.3 for IMHS', () => {
    const evaluation = evaluateApplicant(
      ifs({
        applicant: applicant({ category: 'ECMHS' }),
        trainings: trainingsFor({ total: 30, codes: SPECIALIST_CODES }),
        rscSessions: rscFor(50),
      }),
    );

    expect(evaluation.competenciesRequired).toBe(21);
    expect(evaluation.gaps.map((g) => g.id)).toEqual(['competency:1B.1', 'competency:1D.3']);
  });

  it('names competency:1H.1 only for mentors', () => {
    const mhsCodes = trainingsFor({ total: 48, dei: 3, rscTopic: 15, codes: MHS_CODES });
    const asMhs = ifs({ applicant: applicant({ category: 'IMHS' }), trainings: mhsCodes, rscSessions: rscFor(50) });
    const asMentor = { ...asMhs, applicant: applicant({ category: 'IMHM-C' }) };

    expect(ids(asMhs)).toEqual([]);
    expect(ids(asMentor)).toEqual(['competency:1H.1']);
    expect(
      evaluateApplicant({
        ...asMentor,
        trainings: trainingsFor({ total: 48, dei: 3, rscTopic: 15, codes: MENTOR_CODES }),
      }).eligible,
    ).toBe(true);
  });

  it('does not cover a code with a training not completed or dated after the as-of date', () => {
    const trainings = [
      ...trainingsFor({ total: 30, codes: SPECIALIST_CODES.filter((c) => c !== '1F.3' && c !== '1G.1') }),
      training({ trainingId: 'X', hours: 0, competencies: ['1F.3'], completed: false }),
      training({ trainingId: 'Y', hours: 0, competencies: ['1G.1'], date: '2026-12-01' }),
    ];

    expect(ids(ifs({ trainings }))).toEqual(['competency:1F.3', 'competency:1G.1']);
  });
});

describe('the evaluation', () => {
  it('lists every unmet requirement sorted by id', () => {
    const evaluation = evaluateApplicant(
      ifs({
        applicant: applicant({ education: 'hs', workExperienceMonths: 0, references: 0, codeOfEthicsSigned: false }),
        trainings: [],
        rscSessions: [],
      }),
    );

    expect(evaluation.gaps.map((g) => g.id)).toEqual([
      'code_of_ethics',
      ...SPECIALIST_CODES.map((c) => `competency:${c}`),
      'education',
      'references',
      'rsc_hours',
      'training_hours',
      'work_experience',
    ]);
  });

  it('names the person, category, date and ruleset it judged', () => {
    const evaluation = evaluateApplicant(ifs({ applicant: applicant({ personId: 'P9', category: 'ECFS' }) }));

    expect(evaluation).toMatchObject({ personId: 'P9', category: 'ECFS', asOf: AS_OF, rulesetId: 'default-2024' });
  });

  it('refuses an as-of date that is not a date', () => {
    expect(() => evaluateApplicant(ifs({ asOf: '2026-02-30' }))).toThrow(/as-of date "2026-02-30"/);
  });
});
