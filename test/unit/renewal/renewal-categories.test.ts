import { describe, expect, it } from 'vitest';
import type { CategoryCode } from '#core/reference/reference.js';
import { endorsee, evaluate, fullYear, LONG_AGO, rsc, training } from './builders.js';

/** 15 CE hours in 2025 with the DEI hour but nothing on providing RSC. */
const plainCe = () => [training('2025-03-01', 14), training('2025-03-02', 1, { dei: true })];

describe('what each category needs in a year', () => {
  it.each<[CategoryCode, number, number]>([
    ['IFA', 0, 0],
    ['ECFA', 0, 0],
    ['IFS', 12, 0],
    ['ECFS', 12, 0],
    ['IMHS', 12, 0],
    ['ECMHS', 12, 0],
    ['IFRS', 12, 3],
    ['ECFRS', 12, 3],
    ['IMHM-C', 12, 3],
    ['ECMHM-C', 12, 3],
    ['IMHM-P', 0, 0],
    ['IMHM-RF', 0, 0],
    ['ECMHM-P', 0, 0],
    ['ECMHM-RF', 0, 0],
  ])('%s needs %d hours of RSC received and %d on providing RSC', (category, rscHours, rscTopicHours) => {
    // Act: endorsed mid-2024, so 2025 is judged without the long-standing reduction
    const result = evaluate({ endorsee: endorsee({ category }), asOf: '2025-06-01' });

    // Assess
    expect(result.needed).toEqual({
      ceHours: 15,
      deiHours: 1,
      rscTopicHours,
      rscHours,
      membershipThrough: '2025-12-31',
    });
  });
});

describe('RSC received', () => {
  it.each<CategoryCode>(['IFA', 'ECFA', 'IMHM-P', 'IMHM-RF', 'ECMHM-P', 'ECMHM-RF'])(
    '%s is compliant with training hours alone',
    (category) => {
      // Act
      const result = evaluate({ endorsee: endorsee({ category }), trainings: plainCe(), asOf: '2025-12-01' });

      // Assess
      expect(result.status).toBe('compliant');
    },
  );

  it.each<CategoryCode>(['IFS', 'ECFS', 'IMHS', 'ECMHS'])('%s needs 12 hours of RSC received', (category) => {
    // Act
    const short = evaluate({
      endorsee: endorsee({ category }),
      trainings: plainCe(),
      rscSessions: [rsc('2025-02-01', 6), rsc('2025-05-01', 5.5)],
      asOf: '2025-12-01',
    });
    const met = evaluate({
      endorsee: endorsee({ category }),
      trainings: plainCe(),
      rscSessions: [rsc('2025-02-01', 6), rsc('2025-05-01', 6)],
      asOf: '2025-12-01',
    });

    // Assess
    expect(short.status).toBe('at_risk');
    expect(short.shortfall.rscHours).toBe(0.5);
    expect(met.status).toBe('compliant');
  });
});

describe('RSC providers', () => {
  it.each<CategoryCode>(['IFRS', 'ECFRS'])(
    '%s needs 3 of the CE hours on providing RSC as well as 12 received',
    (category) => {
      // Prepare
      const rscSessions = [rsc('2025-02-01', 12)];

      // Act
      const withoutTopic = evaluate({
        endorsee: endorsee({ category }),
        trainings: plainCe(),
        rscSessions,
        asOf: '2025-12-01',
      });
      const withTopic = evaluate({
        endorsee: endorsee({ category }),
        trainings: [
          training('2025-03-01', 11),
          training('2025-03-02', 1, { dei: true }),
          training('2025-04-01', 3, { rscTopic: true }),
        ],
        rscSessions,
        asOf: '2025-12-01',
      });

      // Assess
      expect(withoutTopic.status).toBe('at_risk');
      expect(withoutTopic.shortfall).toMatchObject({ ceHours: 0, rscTopicHours: 3, rscHours: 0 });
      expect(withTopic.status).toBe('compliant');
      expect(withTopic.rscTopicHours).toBe(3);
    },
  );

  it('counts a training flagged both DEI and RSC-topic towards both', () => {
    // Prepare
    const trainings = [training('2025-03-01', 12), training('2025-03-02', 3, { dei: true, rscTopic: true })];

    // Act
    const result = evaluate({
      endorsee: endorsee({ category: 'IFRS' }),
      trainings,
      rscSessions: [rsc('2025-02-01', 12)],
      asOf: '2025-12-01',
    });

    // Assess
    expect(result).toMatchObject({ ceHours: 15, deiHours: 3, rscTopicHours: 3, status: 'compliant' });
  });
});

describe('long-standing Clinical Mentors', () => {
  /** 2024 fully met, then a 2025 with 10 hours of RSC received and everything else met. */
  const tenHoursOfRsc = () => {
    const year2024 = fullYear(2024);
    return {
      trainings: [...year2024.trainings, ...fullYear(2025).trainings],
      rscSessions: [...year2024.rscSessions, rsc('2025-04-01', 10)],
    };
  };

  it.each<CategoryCode>(['IMHM-C', 'ECMHM-C'])(
    '%s endorsed on 1 January three years back needs only 10 hours',
    (category) => {
      // Act
      const result = evaluate({
        endorsee: endorsee({ category, endorsedOn: '2022-01-01' }),
        ...tenHoursOfRsc(),
        asOf: '2025-12-01',
      });

      // Assess
      expect(result.needed.rscHours).toBe(10);
      expect(result.status).toBe('compliant');
    },
  );

  it.each<CategoryCode>(['IMHM-C', 'ECMHM-C'])(
    '%s endorsed on 2 January three years back still needs 12',
    (category) => {
      // Act
      const result = evaluate({
        endorsee: endorsee({ category, endorsedOn: '2022-01-02' }),
        ...tenHoursOfRsc(),
        asOf: '2025-12-01',
      });

      // Assess
      expect(result.needed.rscHours).toBe(12);
      expect(result.shortfall.rscHours).toBe(2);
      expect(result.status).toBe('at_risk');
    },
  );

  it('does not give the 10-hour rule to other RSC providers', () => {
    // Act
    const result = evaluate({ endorsee: endorsee({ category: 'IFRS', endorsedOn: LONG_AGO }), asOf: '2025-06-01' });

    // Assess
    expect(result.needed.rscHours).toBe(12);
  });

  it("judges last year's lapse with last year's own threshold", () => {
    // Prepare: endorsed mid-2021, so 2024 needed 12 hours and 2025 needs 10; 2024 had only 10
    const person = endorsee({ category: 'IMHM-C', endorsedOn: '2021-06-01' });
    const year2024 = fullYear(2024);

    // Act
    const result = evaluate({
      endorsee: person,
      trainings: year2024.trainings,
      rscSessions: [rsc('2024-04-01', 10)],
      asOf: '2025-02-01',
    });

    // Assess
    expect(result.status).toBe('lapsed');
    expect(result.previousShortfall?.rscHours).toBe(2);
    expect(result.needed.rscHours).toBe(10);
  });

  it('does not lapse a mentor whose 10 hours last year were enough then', () => {
    // Prepare: endorsed mid-2020, so 10 hours already sufficed in 2024
    const person = endorsee({ category: 'IMHM-C', endorsedOn: '2020-06-01' });

    // Act
    const result = evaluate({
      endorsee: person,
      trainings: fullYear(2024).trainings,
      rscSessions: [rsc('2024-04-01', 10)],
      asOf: '2025-02-01',
    });

    // Assess
    expect(result.previousCycleMet).toBe(true);
    expect(result.status).toBe('in_progress');
  });
});
