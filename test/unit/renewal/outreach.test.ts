import { describe, expect, it } from 'vitest';
import { outreach } from '#core/renewal/outreach.js';
import { endorsee, evaluate, fullYear, LONG_AGO, rsc, summary, training } from './builders.js';

const asOf = '2025-11-15';

describe('what is missing, in words', () => {
  it('names CE, DEI and RSC received shortfalls', () => {
    // Prepare
    const result = evaluate({
      endorsee: endorsee({ category: 'IFS' }),
      trainings: [training('2025-02-01', 10.5)],
      rscSessions: [rsc('2025-03-01', 9)],
      asOf,
    });

    // Act
    const { missing } = outreach(result, []);

    // Assess
    expect(result.status).toBe('at_risk');
    expect(missing).toBe('needs 4.5 more CE hours, 1 of them DEI; 3 more hours of RSC received');
  });

  it('asks for enough CE hours to hold both the DEI and the RSC-topic hours', () => {
    // Prepare: 12 plain hours; 3 more would meet the 15 but not the 1 DEI + 3 on providing RSC
    const result = evaluate({
      endorsee: endorsee({ category: 'IFRS' }),
      trainings: [training('2025-02-01', 12)],
      rscSessions: [rsc('2025-03-01', 12)],
      asOf,
    });

    // Act
    const { missing } = outreach(result, []);

    // Assess
    expect(missing).toBe('needs 4 more CE hours, 1 of them DEI and 3 on providing RSC');
  });

  it('asks for the DEI hour when the 15 hours are there without it', () => {
    // Prepare
    const result = evaluate({ trainings: [training('2025-02-01', 15)], asOf });

    // Act
    const { missing } = outreach(result, []);

    // Assess
    expect(missing).toBe('needs 1 more CE hour, 1 of them DEI');
  });

  it('uses the singular for one hour of RSC received', () => {
    // Prepare
    const year = fullYear(2025);
    const result = evaluate({
      endorsee: endorsee({ category: 'IFS' }),
      trainings: year.trainings,
      rscSessions: [rsc('2025-02-01', 11)],
      asOf,
    });

    // Act
    const { missing } = outreach(result, []);

    // Assess
    expect(missing).toBe('needs 1 more hour of RSC received');
  });

  it('names the membership date when only membership is missing', () => {
    // Prepare
    const result = evaluate({ endorsee: endorsee({ membershipExpiresOn: '2025-06-30' }), ...fullYear(2025), asOf });

    // Act
    const { missing, suggestions } = outreach(result, [summary('T-any')]);

    // Assess
    expect(missing).toBe('needs membership current through 2025-12-31');
    expect(suggestions).toEqual([]);
  });

  it('says nothing is missing for a compliant endorsee and suggests nothing', () => {
    // Prepare
    const result = evaluate({ ...fullYear(2025), asOf });

    // Act
    const { missing, suggestions } = outreach(result, [summary('T-any', { dei: true })]);

    // Assess
    expect(missing).toBe('nothing missing');
    expect(suggestions).toEqual([]);
  });

  it('says which cycle lapsed, then what this cycle needs', () => {
    // Prepare
    const result = evaluate({ endorsee: endorsee({ endorsedOn: LONG_AGO }), asOf: '2025-01-10' });

    // Act
    const { missing } = outreach(result, []);

    // Assess
    expect(missing).toBe(
      'lapsed: the requirements of the cycle due 2024-12-31 were not met; this cycle needs 15 more CE hours, 1 of them DEI',
    );
  });
});

describe('suggested trainings', () => {
  /** At risk in 2025 with 10.5 plain CE hours: 4.5 CE hours short, 1 of them DEI. */
  const shortOfDei = () => evaluate({ trainings: [training('2025-02-01', 10.5)], asOf });

  it('puts a training that closes the DEI gap first, then the most CE hours, then the most attended', () => {
    // Prepare
    const roster = [
      summary('popular-short', { hours: 3, attendees: 100 }),
      summary('long-few', { hours: 10, attendees: 20 }),
      summary('dei-small', { hours: 1, dei: true, attendees: 2 }),
      summary('enough-many', { hours: 5, attendees: 30 }),
    ];

    // Act
    const { suggestions } = outreach(shortOfDei(), roster);

    // Assess: 10 and 5 hours both close the 4.5-hour gap, so attendance decides between them
    expect(suggestions.map((t) => t.trainingId)).toEqual(['dei-small', 'enough-many', 'long-few']);
  });

  it('suggests only trainings dated in the current cycle and not already taken', () => {
    // Prepare
    const roster = [
      summary('last-year', { date: '2024-12-31', dei: true }),
      summary('next-year', { date: '2026-01-01', dei: true }),
      summary('already-taken', { dei: true }),
      summary('this-year', { date: '2025-01-01' }),
    ];

    // Act
    const { suggestions } = outreach(shortOfDei(), roster, 3, ['already-taken']);

    // Assess
    expect(suggestions.map((t) => t.trainingId)).toEqual(['this-year']);
  });

  it('prefers a training that closes both the DEI and the RSC-topic gap for an RSC provider', () => {
    // Prepare
    const result = evaluate({
      endorsee: endorsee({ category: 'ECFRS' }),
      trainings: [training('2025-02-01', 12)],
      rscSessions: [rsc('2025-03-01', 12)],
      asOf,
    });
    const roster = [
      summary('dei-only', { hours: 3, dei: true, attendees: 50 }),
      summary('both', { hours: 3, dei: true, rscTopic: true, attendees: 5 }),
      summary('topic-only', { hours: 3, rscTopic: true, attendees: 40 }),
      summary('plain', { hours: 6, attendees: 90 }),
    ];

    // Act
    const { suggestions } = outreach(result, roster, 2);

    // Assess
    expect(suggestions.map((t) => t.trainingId)).toEqual(['both', 'dei-only']);
  });

  it('suggests only DEI trainings when the CE hours are met but the DEI hour is not', () => {
    // Prepare
    const result = evaluate({ trainings: [training('2025-02-01', 15)], asOf });
    const roster = [summary('plain', { attendees: 90 }), summary('dei', { dei: true, attendees: 1 })];

    // Act
    const { suggestions } = outreach(result, roster);

    // Assess
    expect(suggestions.map((t) => t.trainingId)).toEqual(['dei']);
  });
});
