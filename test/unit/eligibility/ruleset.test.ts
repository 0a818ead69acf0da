/** Rulesets are data: the shipped one validates, another file changes outcomes with no code change, a bad one is refused. */
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import defaultFile from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { loadCatalog } from '#core/catalog/catalog.js';
import { evaluateApplicant } from '#core/eligibility/evaluate.js';
import { rulesetFor, shippedRulesets } from '#core/rules/registry.js';
import { InvalidRulesetError, parseRuleset, selectRuleset } from '#core/rules/ruleset.js';
import strictFile from '#test-fixtures/rulesets/strict-ifs-2027.json' with { type: 'json' };
import { applicant, rscFor, SPECIALIST_CODES, trainingsFor } from './builders.js';

const SOURCE = 'test/fixtures/rulesets/strict-ifs-2027.json';

/** A deep copy of the default ruleset file to spoil one field of. */
function defaultCopy(): Record<string, unknown> {
  return structuredClone(defaultFile) as Record<string, unknown>;
}

describe('the shipped rulesets', () => {
  it('ships every file under config/rulesets, named <association>/<effective date>.json after its content', () => {
    // Prepare
    const root = fileURLToPath(new URL('../../../config/rulesets/', import.meta.url));
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

    // Act
    const shipped = shippedRulesets().map((r) => `${r.association}/${r.effectiveFrom}.json`);

    // Assess: a file missing here must be added to the list in shared/core/rules/registry.ts.
    expect(files.length).toBeGreaterThan(0);
    expect(shipped.sort()).toEqual(files.map((f) => f.split(sep).join('/')).sort());
  });

  it('validates the default ruleset', () => {
    expect(() => parseRuleset(defaultFile, 'default')).not.toThrow();
    expect(shippedRulesets().map((r) => r.id)).toContain('default-2024');
  });
});

describe('a ruleset file changes outcomes without code', () => {
  const strict = parseRuleset(strictFile, SOURCE);
  const rulesets = [...shippedRulesets(), strict];
  const thirtyHourIfs = {
    applicant: applicant({ category: 'IFS' }),
    trainings: trainingsFor({ total: 30, codes: SPECIALIST_CODES }),
    rscSessions: rscFor(24),
    catalog: loadCatalog(),
  };

  it('makes an IFS applicant with 30 hours ineligible under the strict association from 2027', () => {
    const asOf = '2027-03-01';
    const underDefault = evaluateApplicant({
      ...thirtyHourIfs,
      asOf,
      ruleset: selectRuleset(rulesets, 'default', asOf),
    });
    const underStrict = evaluateApplicant({
      ...thirtyHourIfs,
      asOf,
      ruleset: selectRuleset(rulesets, 'example-strict', asOf),
    });

    expect(underDefault.eligible).toBe(true);
    expect(underStrict.rulesetId).toBe('example-strict-2027');
    expect(underStrict.gaps).toEqual([
      { id: 'training_hours', have: 30, need: 40, message: 'has 30 of 40 training hours' },
    ]);
  });

  it('leaves other categories as the default has them', () => {
    const asOf = '2027-03-01';
    const ifa = { ...thirtyHourIfs, applicant: applicant({ category: 'IFA' }), asOf };

    expect(evaluateApplicant({ ...ifa, ruleset: strict }).eligible).toBe(true);
  });

  it('picks the ruleset in force on the date, and names the association when none is', () => {
    expect(selectRuleset(rulesets, 'example-strict', '2027-01-01').id).toBe('example-strict-2027');
    expect(rulesetFor('2027-01-01', 'example-strict', [strict]).id).toBe('example-strict-2027');
    expect(selectRuleset(rulesets, 'default', '2027-01-01').id).toBe('default-2024');
    expect(() => selectRuleset(rulesets, 'example-strict', '2026-12-31')).toThrow(
      new InvalidRulesetError('no ruleset for association "example-strict" in force on 2026-12-31'),
    );
  });
});

describe('a bad ruleset is refused', () => {
  it('names the path of a negative number of hours', () => {
    const data = defaultCopy();
    const requirements = (data.initial as { requirements: Array<Record<string, unknown>> }).requirements;
    (requirements[1] as Record<string, unknown>).trainingHours = -5;

    expect(() => parseRuleset(data, 'bad.json')).toThrow(InvalidRulesetError);
    expect(() => parseRuleset(data, 'bad.json')).toThrow(/bad\.json[\s\S]*initial\.requirements\[1\]\.trainingHours/);
  });

  it('names a misspelt key and where it is', () => {
    const data = defaultCopy();
    const common = (data.initial as { common: Record<string, unknown> }).common;
    common.referances = common.references;
    delete common.references;

    const refuse = () => parseRuleset(data, 'typo.json');

    expect(refuse).toThrow(/referances/);
    expect(refuse).toThrow(/initial\.common/);
  });

  it('refuses a category left without requirements', () => {
    const data = defaultCopy();
    const requirements = (data.initial as { requirements: Array<{ categories: string[] }> }).requirements;
    requirements[0] = { ...requirements[0], categories: ['IFA'] } as { categories: string[] };

    expect(() => parseRuleset(data, 'gap.json')).toThrow(/category ECFA has no requirements/);
  });
});
