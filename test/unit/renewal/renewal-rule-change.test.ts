import { describe, expect, it } from 'vitest';
import defaultFile from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { rulesetsInForce } from '#core/rules/registry.js';
import { parseRuleset } from '#core/rules/ruleset.js';
import { endorsee, evaluate, fullYear } from './builders.js';

/** The default rules, except that from 2027 a renewal year needs 20 CE hours instead of 15. */
const twentyFrom2027 = (() => {
  const file = structuredClone(defaultFile) as typeof defaultFile;
  file.id = 'default-2027-test';
  file.version = '2027.1';
  file.effectiveFrom = '2027-01-01';
  file.renewal.trainingHours = 20;
  return parseRuleset(file, 'a 2027 ruleset built in this test');
})();

const rulesetOn = rulesetsInForce('default', [twentyFrom2027]);

describe('renewal across a change of rules', () => {
  it('judges last year by the rules in force then, so 15 hours in 2026 are not a lapse in 2027', () => {
    // Prepare: endorsed long ago; 2026 met with 15 CE hours, the number asked for in 2026.
    const person = endorsee({ endorsedOn: '2020-03-01' });
    const { trainings, rscSessions } = fullYear(2026);

    // Act
    const result = evaluate({
      endorsee: person,
      trainings,
      rscSessions,
      asOf: '2027-01-15',
      ruleset: twentyFrom2027,
      rulesetOn,
    });

    // Assess
    expect(rulesetOn('2026-12-31').id).toBe('default-2024');
    expect(result).toMatchObject({ status: 'in_progress', previousCycleMet: true, rulesetId: 'default-2027-test' });
    expect(result.needed.ceHours).toBe(20);
  });

  it('would call that person lapsed if 2026 were judged by the 2027 rules', () => {
    // Prepare
    const person = endorsee({ endorsedOn: '2020-03-01' });
    const { trainings, rscSessions } = fullYear(2026);

    // Act
    const result = evaluate({ endorsee: person, trainings, rscSessions, asOf: '2027-01-15', ruleset: twentyFrom2027 });

    // Assess
    expect(result).toMatchObject({ status: 'lapsed', previousCycleMet: false });
  });

  it('uses the earliest ruleset for a date before every ruleset of the association', () => {
    expect(rulesetOn('2019-12-31').id).toBe('default-2024');
    expect(rulesetOn('2027-06-01').id).toBe('default-2027-test');
  });
});
