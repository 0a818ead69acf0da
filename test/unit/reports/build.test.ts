import { describe, expect, it } from 'vitest';
import { buildReports, disparityCsv, workforceCsv } from '#core/reports/build.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { isExcelSafe, parseCsv } from '#test-support/csv.js';
import { reportPeople } from '#test-support/report-people.js';

const rule = defaultPublishingRule();

const people = reportPeople;

const sample = [
  ...people(40, {}),
  ...people(30, { sector: 'Child Care', county: '55079' }),
  ...people(6, { sector: '=cmd|calc', county: '' }),
  ...people(25, { population: 'endorsed', eligible: undefined }),
  // Five endorsees share the formula-looking sector, so its label (11 people) is published.
  ...people(5, { population: 'endorsed', eligible: undefined, sector: '=cmd|calc' }),
];

describe('buildReports', () => {
  it('writes the workforce CSV with the contract columns first and empty suppressed counts', () => {
    // Act
    const csv = workforceCsv(buildReports(sample, rule).workforce);
    const [header, ...records] = parseCsv(csv);

    // Assess
    expect(header?.slice(0, 5)).toEqual(['dimension', 'group', 'population', 'count', 'suppressed']);
    expect(records).toContainEqual(['county', '55025', 'applicants', '40', 'false', 'Dane County']);
    expect(records).toContainEqual(['county', 'Not reported', 'applicants', '', 'true', 'Not reported']);
    expect(records).toContainEqual(['county', '55079', 'applicants', '', 'true', 'Milwaukee County']);
  });

  it('writes the disparity CSV with the contract columns first and rates to 4 decimals', () => {
    // Act
    const csv = disparityCsv(buildReports(sample, rule).disparity);
    const [header, ...records] = parseCsv(csv);

    // Assess
    expect(header?.slice(0, 12)).toEqual([
      'dimension',
      'group',
      'applicants',
      'eligible',
      'rate',
      'ci_low',
      'ci_high',
      'ratio_to_reference',
      'p_value',
      'four_fifths_flag',
      'reliable',
      'suppressed',
    ]);
    // 20/40 fails the NCHS width limit (its Clopper–Pearson interval is wider than 0.30): Head Start's
    // rate is published as unreliable and not tested.
    expect(records).toContainEqual([
      'sector',
      'Head Start',
      '40',
      '20',
      '0.5',
      '0.352',
      '0.648',
      '',
      '',
      '',
      'false',
      'false',
      'Head Start',
      'unreliable',
    ]);
    expect(records[0]?.slice(0, 2)).toEqual(['total', 'All']);
    expect(records.find((r) => r[1] === "'=cmd|calc")?.slice(2, 12)).toEqual([
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'true',
    ]);
  });

  it('keeps formula-looking group labels from starting a formula in either file', () => {
    // Act
    const reports = buildReports(sample, rule);

    // Assess
    expect(isExcelSafe(workforceCsv(reports.workforce))).toBe(true);
    expect(isExcelSafe(disparityCsv(reports.disparity))).toBe(true);
  });

  it('summarises totals, hiding a total from 1 to 10', () => {
    // Act
    const { summary } = buildReports([...people(15, {}), ...people(4, { population: 'endorsed' })], rule);

    // Assess
    expect(summary.totals).toEqual({ endorsed: null, applicants: 15, eligible: null });
    expect(summary.rule).toEqual({ id: 'default', version: '2026.1', minPublishedCount: 11, maxNoise: 0 });
  });
});
