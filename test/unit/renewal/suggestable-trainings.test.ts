import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoDateOfDay } from '#core/dates.js';
import { currentCyclesSpan, cyclePosition } from '#core/renewal/cycle.js';
import { outreach, suggestableTrainings } from '#core/renewal/outreach.js';
import type { Ruleset } from '#core/rules/ruleset.js';
import { defaultRuleset, endorsee, evaluate, summary, training } from './builders.js';

/** A ruleset with cycles of `cycleYears` renewal years ending on `dueMonthDay`. */
const rulesetWith = (cycleYears: number, dueMonthDay: string): Ruleset => ({
  ...defaultRuleset,
  renewal: { ...defaultRuleset.renewal, cycleYears, dueMonthDay },
});

const dayArb = (from: string, to: string) =>
  fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map((d) => isoDateOfDay(d));
const rulesArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom('12-31', '06-30', '02-29', '09-15', '01-01'))
  .map(([years, due]) => rulesetWith(years, due));

describe('the trainings a renewal job keeps for outreach', () => {
  it('keeps, with annual cycles due 31 December, the trainings of the as-of date’s calendar year', () => {
    // Act
    const span = currentCyclesSpan('2026-11-01', defaultRuleset);

    // Assess
    expect(span).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('spans every current cycle any endorsee can be in on the as-of date', () => {
    fc.assert(
      fc.property(
        rulesArb,
        dayArb('2000-01-01', '2040-12-31'),
        dayArb('2018-01-01', '2030-12-31'),
        (ruleset, endorsedOn, asOf) => {
          // Act
          const span = currentCyclesSpan(asOf, ruleset);
          const { current } = cyclePosition(endorsedOn, asOf, ruleset);

          // Assess
          expect(current.start >= span.start && current.end <= span.end).toBe(true);
        },
      ),
    );
  });

  it('drops trainings dated outside the span and those of no hours, and keeps the order of the rest', () => {
    // Prepare
    const trainings = [
      summary('T-LAST-YEAR', { date: '2025-12-31' }),
      summary('T-FIRST-DAY', { date: '2026-01-01' }),
      summary('T-NO-HOURS', { date: '2026-05-01', hours: 0 }),
      summary('T-LAST-DAY', { date: '2026-12-31' }),
      summary('T-NEXT-YEAR', { date: '2027-01-01' }),
    ];

    // Act
    const kept = suggestableTrainings(trainings, '2026-11-01', defaultRuleset);

    // Assess
    expect(kept.map((t) => t.trainingId)).toEqual(['T-FIRST-DAY', 'T-LAST-DAY']);
  });

  it('changes no one’s suggestions: outreach from the kept trainings is outreach from them all', () => {
    const trainingArb = fc.record({
      date: dayArb('2022-01-01', '2029-12-31'),
      hours: fc.constantFrom(0, 1.5, 3, 6),
      dei: fc.boolean(),
      rscTopic: fc.boolean(),
      attendees: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(
        rulesArb,
        dayArb('2019-01-01', '2027-12-31'),
        dayArb('2024-01-01', '2027-12-31'),
        fc.array(trainingArb, { maxLength: 30 }),
        fc.integer({ min: 0, max: 20 }),
        (ruleset, endorsedOn, asOf, facts, ownHours) => {
          // Prepare: an endorsee some hours short, and the association's trainings
          const all = facts.map((f, i) => summary(`T${String(i).padStart(3, '0')}`, f));
          const result = evaluate({
            endorsee: endorsee({ endorsedOn }),
            trainings: [training(asOf, ownHours)],
            asOf,
            ruleset,
          });

          // Act
          const fromAll = outreach(result, all).suggestions;
          const fromKept = outreach(result, suggestableTrainings(all, asOf, ruleset)).suggestions;

          // Assess
          expect(fromKept).toEqual(fromAll);
        },
      ),
    );
  });
});
