import { describe, expect, it } from 'vitest';
import { InvalidDateError } from '#core/dates.js';
import { defaultRuleset, endorsee, evaluate, fullYear, LONG_AGO, rsc, training } from './builders.js';

describe('renewal year boundaries', () => {
  it('judges 31 December against that year, due the same day', () => {
    // Prepare
    const { trainings, rscSessions } = fullYear(2025);

    // Act
    const result = evaluate({ trainings, rscSessions, asOf: '2025-12-31' });

    // Assess
    expect(result).toMatchObject({
      cycleStart: '2025-01-01',
      cycleEnd: '2025-12-31',
      dueDate: '2025-12-31',
      status: 'compliant',
      ceHours: 15,
    });
  });

  it('starts a new year with no hours on 1 January', () => {
    // Prepare
    const year2025 = fullYear(2025);

    // Act
    const result = evaluate({ ...year2025, asOf: '2026-01-01' });

    // Assess
    expect(result).toMatchObject({
      cycleStart: '2026-01-01',
      dueDate: '2026-12-31',
      status: 'in_progress',
      ceHours: 0,
      rscHours: 0,
      previousCycleMet: true,
    });
  });

  it('counts a training dated 31 December for that year and not the next', () => {
    // Prepare: 2025 is one hour short until the 31 December training
    const trainings = [
      training('2025-06-01', 11),
      training('2025-06-02', 1, { dei: true }),
      training('2025-06-03', 2),
      training('2025-12-31', 1),
    ];

    // Act
    const onTheDay = evaluate({ trainings, asOf: '2025-12-31' });
    const nextYear = evaluate({ trainings, asOf: '2026-01-02' });

    // Assess
    expect(onTheDay.ceHours).toBe(15);
    expect(onTheDay.status).toBe('compliant');
    expect(nextYear.ceHours).toBe(0);
    expect(nextYear.previousCycleMet).toBe(true);
  });

  it('does not count a training dated 1 January towards the year before', () => {
    // Prepare: 2024 is one hour short; the missing hour came a day late
    const trainings = [training('2024-06-01', 13), training('2024-06-02', 1, { dei: true }), training('2025-01-01', 1)];

    // Act
    const result = evaluate({ endorsee: endorsee({ endorsedOn: LONG_AGO }), trainings, asOf: '2025-01-15' });

    // Assess
    expect(result.status).toBe('lapsed');
    expect(result.previousShortfall?.ceHours).toBe(1);
    expect(result.ceHours).toBe(1);
  });

  it('handles 29 February 2028 as the as-of date, counting that day and nothing after', () => {
    // Prepare
    const trainings = [training('2028-02-29', 4), training('2028-03-01', 11)];

    // Act
    const result = evaluate({ endorsee: endorsee({ endorsedOn: '2027-03-01' }), trainings, asOf: '2028-02-29' });

    // Assess
    expect(result).toMatchObject({
      cycleStart: '2028-01-01',
      dueDate: '2028-12-31',
      ceHours: 4,
      status: 'in_progress',
    });
  });

  it('refuses an as-of date that is not a calendar day', () => {
    // Act / Assess
    expect(() => evaluate({ asOf: '2027-02-29' })).toThrow(InvalidDateError);
    expect(() => evaluate({ asOf: '12/31/2025' })).toThrow(/as-of date/);
  });
});

describe('at risk', () => {
  it('is at risk exactly 60 days before 31 December (1 November)', () => {
    // Act
    const result = evaluate({ trainings: [training('2025-03-01', 10)], asOf: '2025-11-01' });

    // Assess
    expect(result.status).toBe('at_risk');
  });

  it('is still in progress 61 days before 31 December (31 October)', () => {
    // Act
    const result = evaluate({ trainings: [training('2025-03-01', 10)], asOf: '2025-10-31' });

    // Assess
    expect(result.status).toBe('in_progress');
  });

  it('is compliant rather than at risk when the year is already met', () => {
    // Act
    const result = evaluate({ ...fullYear(2025), asOf: '2025-12-15' });

    // Assess
    expect(result.status).toBe('compliant');
  });
});

describe('lapse of the previous year', () => {
  it('lapses in January when last year was not met, even with this year already met', () => {
    // Prepare: nothing in 2024; everything for 2025 done in the first weeks of January
    const trainings = [
      training('2025-01-03', 11),
      training('2025-01-04', 1, { dei: true }),
      training('2025-01-05', 3, { rscTopic: true }),
    ];

    // Act
    const result = evaluate({ endorsee: endorsee({ endorsedOn: LONG_AGO }), trainings, asOf: '2025-01-20' });

    // Assess
    expect(result.status).toBe('lapsed');
    expect(result.previousCycleMet).toBe(false);
    expect(result.previousDueDate).toBe('2024-12-31');
    expect(result.shortfall.ceHours).toBe(0);
    expect(result.ceHours).toBe(15);
  });

  it('is compliant in January when last year and this year are both met', () => {
    // Prepare
    const lastYear = fullYear(2024);
    const thisYear = [training('2025-01-03', 14), training('2025-01-04', 1, { dei: true })];

    // Act
    const result = evaluate({
      endorsee: endorsee({ endorsedOn: LONG_AGO }),
      trainings: [...lastYear.trainings, ...thisYear],
      asOf: '2025-01-20',
    });

    // Assess
    expect(result.status).toBe('compliant');
    expect(result.previousCycleMet).toBe(true);
  });

  it('judges last year with membership on or after its 31 December', () => {
    // Prepare: 2024 hours met; membership lapsed on 30 December 2024
    const lastYear = fullYear(2024);
    const person = endorsee({ endorsedOn: LONG_AGO, membershipExpiresOn: '2024-12-30' });

    // Act
    const result = evaluate({ endorsee: person, ...lastYear, asOf: '2025-03-01' });

    // Assess
    expect(result.status).toBe('lapsed');
    expect(result.previousShortfall).toMatchObject({ ceHours: 0, membership: true });
  });

  it('checks the year before when endorsed on 31 December two years back', () => {
    // Act
    const result = evaluate({ endorsee: endorsee({ endorsedOn: '2023-12-31' }), asOf: '2025-03-01' });

    // Assess
    expect(result.status).toBe('lapsed');
  });

  it.each(['2024-01-01', '2024-07-15'])(
    'does not check last year for someone endorsed on %s (their exempt first year)',
    (endorsedOn) => {
      // Act
      const result = evaluate({ endorsee: endorsee({ endorsedOn }), asOf: '2025-03-01' });

      // Assess
      expect(result.status).toBe('in_progress');
      expect(result.previousCycleMet).toBeNull();
    },
  );
});

describe('first year exemption', () => {
  it.each(['2025-01-01', '2025-06-01'])('is exempt when endorsed during the year (on %s)', (endorsedOn) => {
    // Act
    const result = evaluate({
      endorsee: endorsee({ endorsedOn, membershipExpiresOn: undefined }),
      trainings: [training('2025-07-01', 2)],
      asOf: '2025-12-01',
    });

    // Assess: nothing needed, but the hours are still reported
    expect(result.status).toBe('exempt');
    expect(result.ceHours).toBe(2);
    expect(result.needed).toEqual({ ceHours: 0, deiHours: 0, rscTopicHours: 0, rscHours: 0, membershipThrough: null });
    expect(result.shortfall.membership).toBe(false);
    expect(result.previousCycleMet).toBeNull();
  });

  it('judges the endorsement year when the ruleset grants no first-year exemption', () => {
    // Prepare
    const strict = { ...defaultRuleset, renewal: { ...defaultRuleset.renewal, firstCycleExempt: false } };

    // Act
    const result = evaluate({ endorsee: endorsee({ endorsedOn: '2025-06-01' }), asOf: '2025-12-01', ruleset: strict });

    // Assess
    expect(result.status).toBe('at_risk');
    expect(result.needed.ceHours).toBe(15);
  });
});

describe('counting', () => {
  it('does not count trainings that were not completed', () => {
    // Prepare
    const trainings = [training('2025-03-01', 14), training('2025-03-02', 1, { dei: true, completed: false })];

    // Act
    const result = evaluate({ trainings, asOf: '2025-12-01' });

    // Assess
    expect(result.ceHours).toBe(14);
    expect(result.deiHours).toBe(0);
    expect(result.status).toBe('at_risk');
  });

  it('needs at least 1 DEI hour among the 15 CE hours', () => {
    // Act
    const noDei = evaluate({ trainings: [training('2025-03-01', 15)], asOf: '2025-12-01' });
    const withDei = evaluate({
      trainings: [training('2025-03-01', 14), training('2025-03-02', 1, { dei: true })],
      asOf: '2025-12-01',
    });

    // Assess: DEI hours are part of the 15, not added to them
    expect(noDei.status).toBe('at_risk');
    expect(noDei.shortfall).toMatchObject({ ceHours: 0, deiHours: 1 });
    expect(withDei.status).toBe('compliant');
    expect(withDei.ceHours).toBe(15);
  });

  it('sums fractional hours exactly (150 trainings of 0.1 hour make 15)', () => {
    // Prepare
    const trainings = Array.from({ length: 150 }, (_, i) =>
      training(`2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`, 0.1, { dei: i < 10 }),
    );

    // Act
    const result = evaluate({ trainings, asOf: '2025-12-01' });

    // Assess
    expect(result.ceHours).toBe(15);
    expect(result.deiHours).toBe(1);
    expect(result.status).toBe('compliant');
  });

  it.each([
    ['2025-12-31', 'compliant'],
    ['2025-12-30', 'at_risk'],
    [undefined, 'at_risk'],
  ])('needs membership current through 31 December (expires %s: %s)', (membershipExpiresOn, status) => {
    // Act
    const result = evaluate({ endorsee: endorsee({ membershipExpiresOn }), ...fullYear(2025), asOf: '2025-12-01' });

    // Assess
    expect(result.status).toBe(status);
    expect(result.needed.membershipThrough).toBe('2025-12-31');
  });

  it('counts RSC sessions dated in the year up to the as-of date only', () => {
    // Prepare
    const rscSessions = [rsc('2024-12-31', 5), rsc('2025-01-01', 2), rsc('2025-06-30', 3), rsc('2025-07-01', 7)];

    // Act
    const result = evaluate({ endorsee: endorsee({ category: 'IFS' }), rscSessions, asOf: '2025-06-30' });

    // Assess
    expect(result.rscHours).toBe(5);
    expect(result.shortfall.rscHours).toBe(7);
  });

  it('reports the as-of date, ruleset and person', () => {
    // Act
    const result = evaluate({ endorsee: endorsee({ personId: 'P-42', category: 'ECFS' }), asOf: '2025-05-05' });

    // Assess
    expect(result).toMatchObject({ personId: 'P-42', category: 'ECFS', asOf: '2025-05-05', rulesetId: 'default-2024' });
  });
});
