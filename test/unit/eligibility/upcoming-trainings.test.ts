/**
 * The association's calendar beside the rosters: which description of a training counts, and
 * trainings still ahead suggested first, with where to register, past ones marked as past.
 */
import { describe, expect, it } from 'vitest';
import { describedTraining, isUpcoming, trainingWhen } from '#core/calendar.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { evaluateApplicant } from '#core/eligibility/evaluate.js';
import { explainEvaluation } from '#core/eligibility/explain.js';
import { suggestTrainings } from '#core/eligibility/suggest.js';
import type { CalendarTraining } from '#core/model.js';
import { rulesetFor } from '#core/rules/registry.js';
import { AS_OF, applicant, rscFor, SPECIALIST_CODES, summary, trainingsFor } from './builders.js';

const listed = (overrides: Partial<CalendarTraining> = {}): CalendarTraining => ({
  trainingId: 'S1',
  title: 'Feeding and Regulation',
  date: '2027-01-12',
  hours: 3,
  competencies: ['1F.3'],
  dei: false,
  rscTopic: false,
  ...overrides,
});

describe('which description of a training counts', () => {
  it("is the calendar's when it lists the training, with the rosters' attendance", () => {
    const roster = summary({ title: 'Feeding', hours: 6, competencies: ['1A.1'], attendees: 14, provider: 'Collab' });

    expect(describedTraining(roster, listed({ registrationUrl: 'https://example.org/s1' }))).toEqual({
      trainingId: 'S1',
      title: 'Feeding and Regulation',
      date: '2027-01-12',
      hours: 3,
      competencies: ['1F.3'],
      dei: false,
      rscTopic: false,
      provider: 'Collab',
      attendees: 14,
      listed: true,
      registrationUrl: 'https://example.org/s1',
    });
  });

  it("is the roster's when the calendar does not list it, and a calendar-only training has no attendees", () => {
    const roster = summary({ attendees: 5 });
    expect(describedTraining(roster, undefined)).toBe(roster);
    expect(describedTraining(undefined, listed())).toMatchObject({ attendees: 0, listed: true });
  });
});

describe('a training still ahead', () => {
  it('is one dated after the as-of date; one on that date has begun', () => {
    expect(isUpcoming({ date: '2026-11-26' }, AS_OF)).toBe(true);
    expect(isUpcoming({ date: AS_OF }, AS_OF)).toBe(false);
  });

  it('reads with its date and registration link in the exports, a past one as past without its link', () => {
    const link = 'https://example.org/r';
    expect(trainingWhen({ date: '2027-01-12', registrationUrl: link }, AS_OF)).toBe(
      'upcoming, 2027-01-12, register at https://example.org/r',
    );
    expect(trainingWhen({ date: '2027-01-12' }, AS_OF)).toBe('upcoming, 2027-01-12');
    expect(trainingWhen({ date: '2026-03-01', registrationUrl: link }, AS_OF)).toBe('past, 2026-03-01');
  });
});

describe('suggestions for a missing competency', () => {
  it('put trainings still ahead first, soonest first, then past ones most attended first', () => {
    const seen = [
      summary({ trainingId: 'past-popular', competencies: ['1F.3'], attendees: 90, date: '2026-05-01' }),
      summary({ trainingId: 'past-few', competencies: ['1F.3'], attendees: 3, date: '2026-06-01' }),
      summary({ trainingId: 'march', competencies: ['1F.3'], attendees: 0, date: '2027-03-01' }),
      summary({ trainingId: 'january', competencies: ['1F.3'], attendees: 0, date: '2027-01-12' }),
    ];

    const suggestions = suggestTrainings(['1F.3'], seen, 10, AS_OF);

    expect(suggestions['1F.3']?.map((t) => t.trainingId)).toEqual(['january', 'march', 'past-popular', 'past-few']);
  });

  it('leave past trainings out when enough are still ahead', () => {
    const seen = [
      summary({ trainingId: 'past', competencies: ['1F.3'], attendees: 90, date: '2026-05-01' }),
      ...['a', 'b', 'c'].map((id) => summary({ trainingId: id, competencies: ['1F.3'], date: '2027-02-01' })),
    ];

    expect(suggestTrainings(['1F.3'], seen, 3, AS_OF)['1F.3']?.map((t) => t.trainingId)).toEqual(['a', 'b', 'c']);
  });
});

describe('the explanation of a competency gap', () => {
  const person = applicant({ personId: 'P7', firstName: 'Grace', lastName: 'Hopper', category: 'IFS' });
  const evaluation = evaluateApplicant({
    applicant: person,
    trainings: trainingsFor({ total: 30, codes: SPECIALIST_CODES.filter((c) => c !== '1F.3') }),
    rscSessions: rscFor(24),
    asOf: AS_OF,
    ruleset: rulesetFor(AS_OF),
    catalog: loadCatalog(),
  });

  it('offers an upcoming training with where to register, and marks a past one as past without its link', () => {
    const suggestions = {
      '1F.3': [
        summary({
          trainingId: 'FR-27',
          title: 'Feeding and Regulation',
          date: '2027-01-12',
          registrationUrl: 'https://example.org/fr',
        }),
        summary({
          trainingId: 'MR1',
          title: 'Mandated reporting',
          date: '2026-04-02',
          hours: 2,
          attendees: 12,
          registrationUrl: 'https://example.org/mr',
        }),
      ],
    };

    const lines = explainEvaluation(evaluation, person, suggestions);

    expect(lines.slice(2, 5)).toEqual([
      '- no completed training covers competency 1F.3',
      '  - a training that covers it: Feeding and Regulation (FR-27), 2027-01-12 (upcoming), 3 hours, register at https://example.org/fr',
      '  - a training that covers it: Mandated reporting (MR1), 2026-04-02 (past), 2 hours, completed by 12 people',
    ]);
  });
});
