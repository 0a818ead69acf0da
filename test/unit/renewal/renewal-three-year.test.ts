import { describe, expect, it } from 'vitest';
import { parseRuleset } from '#core/rules/ruleset.js';
import threeYearFile from '#test-fixtures/rulesets/three-year-cycle.json' with { type: 'json' };
import { endorsee, evaluate, rsc, training } from './builders.js';

/** 45 CE hours (3 DEI) and 12 RSC received per 3-year cycle; cycles start the year after endorsement. */
const threeYear = parseRuleset(threeYearFile, 'test/fixtures/rulesets/three-year-cycle.json');

/** A Specialist endorsed in May 2024: 2024 is exempt, then 2025–2027, 2028–2030, … */
const specialist = endorsee({ category: 'IFS', endorsedOn: '2024-05-01' });

/** 15 CE hours (1 DEI) and 4 RSC hours in each given year: a full cycle over three years. */
function fifteenAYear(...years: number[]) {
  return {
    trainings: years.flatMap((y) => [training(`${y}-03-01`, 14), training(`${y}-04-01`, 1, { dei: true })]),
    rscSessions: years.map((y) => rsc(`${y}-05-01`, 4)),
  };
}

describe('three-year renewal cycles', () => {
  it('is exempt in the endorsement year, a one-year first cycle', () => {
    // Act
    const result = evaluate({ endorsee: specialist, asOf: '2024-11-15', ruleset: threeYear });

    // Assess
    expect(result).toMatchObject({ status: 'exempt', cycleStart: '2024-01-01', dueDate: '2024-12-31' });
  });

  it('runs the first full cycle over the three years after the endorsement year', () => {
    // Act
    const result = evaluate({ endorsee: specialist, asOf: '2025-03-01', ruleset: threeYear });

    // Assess
    expect(result).toMatchObject({
      status: 'in_progress',
      cycleStart: '2025-01-01',
      cycleEnd: '2027-12-31',
      dueDate: '2027-12-31',
      previousCycleMet: null,
      rulesetId: 'example-3yr-2024',
    });
    expect(result.needed).toEqual({
      ceHours: 45,
      deiHours: 3,
      rscTopicHours: 0,
      rscHours: 12,
      membershipThrough: '2027-12-31',
    });
  });

  it('adds up hours across the years of the cycle', () => {
    // Prepare
    const history = fifteenAYear(2025, 2026, 2027);

    // Act
    const result = evaluate({ endorsee: specialist, ...history, asOf: '2027-06-30', ruleset: threeYear });

    // Assess
    expect(result).toMatchObject({ status: 'compliant', ceHours: 45, deiHours: 3, rscHours: 12 });
  });

  it('is at risk only within 60 days of the end of the cycle', () => {
    // Prepare
    const history = fifteenAYear(2025, 2026);

    // Act
    const endOfFirstYear = evaluate({ endorsee: specialist, ...history, asOf: '2025-12-01', ruleset: threeYear });
    const endOfCycle = evaluate({ endorsee: specialist, ...history, asOf: '2027-11-01', ruleset: threeYear });

    // Assess
    expect(endOfFirstYear.status).toBe('in_progress');
    expect(endOfCycle.status).toBe('at_risk');
    expect(endOfCycle.shortfall).toMatchObject({ ceHours: 15, deiHours: 1, rscHours: 4 });
  });

  it('lapses after a full cycle that was not met', () => {
    // Prepare: two of the three years done
    const history = fifteenAYear(2025, 2026);

    // Act
    const result = evaluate({ endorsee: specialist, ...history, asOf: '2028-01-10', ruleset: threeYear });

    // Assess
    expect(result).toMatchObject({
      status: 'lapsed',
      previousCycleMet: false,
      previousDueDate: '2027-12-31',
      cycleStart: '2028-01-01',
      dueDate: '2030-12-31',
      ceHours: 0,
    });
  });

  it('carries on into the next cycle after a full cycle that was met', () => {
    // Prepare
    const history = fifteenAYear(2025, 2026, 2027);

    // Act
    const result = evaluate({ endorsee: specialist, ...history, asOf: '2029-01-10', ruleset: threeYear });

    // Assess
    expect(result).toMatchObject({ status: 'in_progress', previousCycleMet: true, cycleStart: '2028-01-01' });
  });

  it("anchors cycles on each person's endorsement year", () => {
    // Act
    const result = evaluate({
      endorsee: endorsee({ endorsedOn: '2023-09-09' }),
      asOf: '2025-03-01',
      ruleset: threeYear,
    });

    // Assess
    expect(result).toMatchObject({ cycleStart: '2024-01-01', dueDate: '2026-12-31' });
  });

  it('needs membership through the end of the cycle, not the end of the year', () => {
    // Prepare
    const person = endorsee({ category: 'IFS', endorsedOn: '2024-05-01', membershipExpiresOn: '2025-12-31' });

    // Act
    const result = evaluate({
      endorsee: person,
      ...fifteenAYear(2025, 2026, 2027),
      asOf: '2027-06-30',
      ruleset: threeYear,
    });

    // Assess
    expect(result.status).toBe('in_progress');
    expect(result.shortfall).toMatchObject({ ceHours: 0, membership: true });
  });

  it('applies the long-standing mentor rule per cycle', () => {
    // Prepare: endorsed 2024; the 2028–2030 cycle starts more than 3 years after, the 2025–2027 one does not
    const mentor = endorsee({ category: 'IMHM-C', endorsedOn: '2024-05-01' });

    // Act
    const first = evaluate({ endorsee: mentor, asOf: '2025-03-01', ruleset: threeYear });
    const second = evaluate({ endorsee: mentor, asOf: '2028-03-01', ruleset: threeYear });

    // Assess
    expect(first.needed.rscHours).toBe(12);
    expect(second.needed.rscHours).toBe(10);
  });
});
