/** Outreach suggests trainings still ahead in the cycle first; past ones follow, for the exports to mark. */
import { describe, expect, it } from 'vitest';
import { outreach } from '#core/renewal/outreach.js';
import { evaluate, summary, training } from './builders.js';

const asOf = '2025-11-15';
/** At risk in 2025 with 10.5 plain CE hours: 4.5 CE hours short, 1 of them DEI. */
const shortOfDei = () => evaluate({ trainings: [training('2025-02-01', 10.5)], asOf });

describe('suggested trainings with a calendar', () => {
  it('puts trainings still ahead before the due date first, even less attended ones', () => {
    const seen = [
      summary('past-dei', { date: '2025-06-01', hours: 5, dei: true, attendees: 80 }),
      summary('december', { date: '2025-12-10', hours: 3, attendees: 0 }),
      summary('next-week-dei', { date: '2025-11-20', hours: 1, dei: true, attendees: 0 }),
    ];

    const { suggestions } = outreach(shortOfDei(), seen);

    expect(suggestions.map((t) => t.trainingId)).toEqual(['next-week-dei', 'december', 'past-dei']);
  });

  it('orders trainings ahead that help as much by date, the soonest first', () => {
    const seen = [
      summary('late', { date: '2025-12-20', hours: 5 }),
      summary('soon', { date: '2025-11-18', hours: 5 }),
      summary('on-the-day', { date: asOf, hours: 5, attendees: 99 }),
    ];

    const { suggestions } = outreach(shortOfDei(), seen);

    expect(suggestions.map((t) => t.trainingId)).toEqual(['soon', 'late', 'on-the-day']);
  });

  it('leaves out a training announced after the due date: it would not count this cycle', () => {
    const seen = [summary('next-year', { date: '2026-01-08', dei: true }), summary('past', { date: '2025-03-01' })];

    const { suggestions } = outreach(shortOfDei(), seen);

    expect(suggestions.map((t) => t.trainingId)).toEqual(['past']);
  });
});
