/** Pointing people to trainings that close a competency gap, and saying the outcome in plain language. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '#core/catalog/catalog.js';
import { evaluateApplicant } from '#core/eligibility/evaluate.js';
import { explainEvaluation } from '#core/eligibility/explain.js';
import { suggestTrainings } from '#core/eligibility/suggest.js';
import { rulesetFor } from '#core/rules/registry.js';
import { AS_OF, applicant, rscFor, SPECIALIST_CODES, summary, trainingsFor } from './builders.js';

describe('suggestTrainings', () => {
  it('lists the trainings covering each missing code, most attended first, then newest, then by id', () => {
    const seen = [
      summary({ trainingId: 'few', competencies: ['1F.3'], attendees: 2 }),
      summary({ trainingId: 'many', competencies: ['1F.3', '1A.1'], attendees: 40 }),
      summary({ trainingId: 'b-new', competencies: ['1F.3'], attendees: 5, date: '2026-06-01' }),
      summary({ trainingId: 'a-old', competencies: ['1F.3'], attendees: 5, date: '2025-06-01' }),
      summary({ trainingId: 'c-new', competencies: ['1F.3'], attendees: 5, date: '2026-06-01' }),
      summary({ trainingId: 'other', competencies: ['1G.1'], attendees: 99 }),
    ];

    const suggestions = suggestTrainings(['1F.3'], seen, 10);

    expect(suggestions['1F.3']?.map((t) => t.trainingId)).toEqual(['many', 'b-new', 'c-new', 'a-old', 'few']);
  });

  it('gives at most three by default and an empty list for a code nothing covers', () => {
    const seen = ['a', 'b', 'c', 'd'].map((id) => summary({ trainingId: id, competencies: ['1A.1'] }));

    const suggestions = suggestTrainings(['1A.1', '1H.1'], seen);

    expect(suggestions['1A.1']).toHaveLength(3);
    expect(suggestions['1H.1']).toEqual([]);
  });

  it('reads the trainings once from any iterable', () => {
    function* once() {
      yield summary({ trainingId: 'x', competencies: ['1A.1', '1F.3'] });
    }

    const suggestions = suggestTrainings(['1A.1', '1F.3'], once());

    expect(suggestions['1F.3']?.map((t) => t.trainingId)).toEqual(['x']);
  });
});

describe('explainEvaluation', () => {
  const ruleset = rulesetFor(AS_OF);
  const catalog = loadCatalog();
  const person = applicant({ personId: 'P7', firstName: 'Grace', lastName: 'Hopper', category: 'IFS' });

  it('says when someone is eligible', () => {
    const evaluation = evaluateApplicant({
      applicant: person,
      trainings: trainingsFor({ total: 30, codes: SPECIALIST_CODES }),
      rscSessions: rscFor(24),
      asOf: AS_OF,
      ruleset,
      catalog,
    });

    const lines = explainEvaluation(evaluation, person);

    expect(lines[0]).toBe('Grace Hopper (P7), Infant Family Specialist (IFS)');
    expect(lines[1]).toBe('Eligible for IFS on 2026-11-25');
  });

  it('gives one line per gap with the suggested trainings under a competency gap', () => {
    const evaluation = evaluateApplicant({
      applicant: person,
      trainings: trainingsFor({ total: 29.5, codes: SPECIALIST_CODES.filter((c) => c !== '1F.3') }),
      rscSessions: rscFor(24),
      asOf: AS_OF,
      ruleset,
      catalog,
    });
    const suggestions = {
      '1F.3': [
        summary({ trainingId: 'MR1', title: 'Mandated reporting', hours: 2, attendees: 12, date: '2026-04-02' }),
      ],
    };

    const lines = explainEvaluation(evaluation, person, suggestions);

    expect(lines.slice(1, 5)).toEqual([
      'Not yet eligible for IFS on 2026-11-25: 2 requirements not met',
      '- no completed training covers competency 1F.3',
      '  - a training that covers it: Mandated reporting (MR1), 2026-04-02 (past), 2 hours, completed by 12 people',
      '- has 29.5 of 30 training hours',
    ]);
  });
});
