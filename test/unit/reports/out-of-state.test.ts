/** People living in a county of another state: one "Outside Wisconsin" group in the county and region breakdowns (docs/domain.md, "Groups"). */
import { describe, expect, it } from 'vitest';
import { OUTSIDE_STATE } from '#core/reference/us-counties.js';
import { nestings } from '#core/reports/groupings.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { type ReportPerson, workforceRows } from '#core/reports/workforce.js';

const rule = defaultPublishingRule();

const person = (county: string): ReportPerson => ({
  population: 'endorsed',
  category: 'IFA',
  county,
  raceEthnicity: ['White'],
  primaryLanguage: 'English',
  sector: 'Head Start',
});

const people = (n: number, county: string) => Array.from({ length: n }, () => person(county));

const rowsOf = (rows: ReturnType<typeof workforceRows>, dimension: string) =>
  rows.filter((r) => r.dimension === dimension && r.population === 'endorsed');

describe('counties of other states in the reports', () => {
  it('counts people of several other states in one group, last but Not reported, in county and region alike', () => {
    const rows = workforceRows(
      [...people(20, '55025'), ...people(8, '27169'), ...people(7, '17097'), ...people(12, '')],
      rule,
    );
    const county = rowsOf(rows, 'county');
    expect(county.map((r) => r.group).slice(-2)).toEqual([OUTSIDE_STATE, 'Not reported']);
    expect(county.find((r) => r.group === OUTSIDE_STATE)).toMatchObject({ count: 15, suppressed: false });
    expect(county.some((r) => r.group === '27169' || r.group === '17097')).toBe(false);
    const region = rowsOf(rows, 'region');
    expect(region.find((r) => r.group === OUTSIDE_STATE)).toMatchObject({ count: 15, groupName: OUTSIDE_STATE });
    expect(rowsOf(rows, 'total')[0]?.count).toBe(47);
  });

  it('withholds a small group outside the state like any other', () => {
    const rows = workforceRows([...people(40, '55025'), ...people(3, '27169')], rule);
    expect(rowsOf(rows, 'county').find((r) => r.group === OUTSIDE_STATE)).toMatchObject({
      count: null,
      suppressed: true,
    });
  });

  it('nests the group in itself, so a region still adds up to its counties', () => {
    const county = nestings().find((n) => n.fine === 'county');
    expect(county?.coarseOf(OUTSIDE_STATE)).toBe(OUTSIDE_STATE);
    expect(county?.coarseOf('55025')).toBe('Southern');
  });

  it('names the group after the association state', () => {
    expect(OUTSIDE_STATE).toBe('Outside Wisconsin');
  });
});
