import { describe, expect, it } from 'vitest';
import { COUNTIES, NOT_REPORTED, SPD15_CATEGORIES, SPD15_MULTIPLE } from '#core/reference/reference.js';
import { defaultRegions, parseRegions } from '#core/reference/regions.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { groupings, ReportInputError, type ReportPerson, workforceRows } from '#core/reports/workforce.js';

const rule = defaultPublishingRule();

const person = (over: Partial<ReportPerson> = {}): ReportPerson => ({
  population: 'endorsed',
  category: 'IFA',
  county: '55025',
  raceEthnicity: ['White'],
  primaryLanguage: 'English',
  sector: 'Head Start',
  ...over,
});

const many = (n: number, over: Partial<ReportPerson> = {}) => Array.from({ length: n }, () => person(over));

const groupsOf = (rows: ReturnType<typeof workforceRows>, dimension: string, population = 'endorsed') =>
  rows.filter((r) => r.dimension === dimension && r.population === population).map((r) => r.group);

describe('workforce label sets', () => {
  it('lists all 14 category codes even when most are empty', () => {
    // Act
    const rows = workforceRows(many(20), rule);

    // Assess
    expect(groupsOf(rows, 'category')).toEqual([
      'IFA',
      'IFS',
      'IFRS',
      'IMHS',
      'IMHM-C',
      'IMHM-P',
      'IMHM-RF',
      'ECFA',
      'ECFS',
      'ECFRS',
      'ECMHS',
      'ECMHM-C',
      'ECMHM-P',
      'ECMHM-RF',
    ]);
  });

  it('lists all 72 Wisconsin counties by FIPS, Adams to Wood, with Menominee as 55078', () => {
    // Act
    const counties = groupsOf(workforceRows(many(20), rule), 'county');

    // Assess
    expect(counties).toHaveLength(72);
    expect(counties[0]).toBe('55001');
    expect(counties.at(-1)).toBe('55141');
    expect(counties).toContain('55078');
    expect(new Set(counties)).toEqual(new Set(COUNTIES.map((c) => c.fips)));
  });

  it('adds "Not reported" to the counties only when some county is blank', () => {
    // Act
    const without = groupsOf(workforceRows(many(20), rule), 'county');
    const withBlank = groupsOf(workforceRows([...many(20), ...many(12, { county: '  ' })], rule), 'county');

    // Assess
    expect(without).not.toContain(NOT_REPORTED);
    expect(withBlank).toHaveLength(73);
    expect(withBlank.at(-1)).toBe(NOT_REPORTED);
  });

  it('reports race and ethnicity exclusively: one category alone, two or more as multiracial, none as not reported', () => {
    // Prepare
    const by = groupings([], rule);

    // Act
    const label = (values: string[]) => by.race_ethnicity.groupOf(person({ raceEthnicity: values }));

    // Assess
    expect(label(['Asian'])).toBe('Asian');
    expect(label(['hispanic or latino', 'White'])).toBe(SPD15_MULTIPLE);
    expect(label(['Black or African American', 'American Indian or Alaska Native'])).toBe(SPD15_MULTIPLE);
    expect(label(['White', 'white'])).toBe('White');
    expect(label([])).toBe(NOT_REPORTED);
    expect(label(['', ' '])).toBe(NOT_REPORTED);
    expect(label(['Asian', ''])).toBe('Asian');
  });

  it('lists the seven SPD-15 categories, the multiracial label, then not reported when present', () => {
    // Act
    const rows = workforceRows([...many(20), ...many(11, { raceEthnicity: [] })], rule);

    // Assess
    expect(groupsOf(rows, 'race_ethnicity')).toEqual([...SPD15_CATEGORIES, SPD15_MULTIPLE, NOT_REPORTED]);
  });

  it('groups sectors case-insensitively under their most common spelling, blanks as not reported', () => {
    // Prepare
    const people = [
      ...many(12, { sector: 'Head Start' }),
      ...many(3, { sector: ' head  start ' }),
      ...many(11, { sector: 'child care' }),
      ...many(11, { sector: 'Child Care' }),
      ...many(12, { sector: '' }),
      ...many(1, { sector: 'not reported' }),
    ];

    // Act
    const rows = workforceRows(people, rule).filter((r) => r.dimension === 'sector' && r.population === 'endorsed');

    // Assess: a tie between spellings goes to the capitalised one.
    expect(rows.map((r) => [r.group, r.count])).toEqual([
      ['Child Care', 22],
      ['Head Start', 15],
      [NOT_REPORTED, 13],
    ]);
  });

  it('counts languages as given, trimmed', () => {
    // Act
    const rows = workforceRows([...many(15, { primaryLanguage: ' Spanish' }), ...many(15)], rule);

    // Assess
    expect(
      rows.filter((r) => r.dimension === 'primary_language' && r.population === 'endorsed').map((r) => r.group),
    ).toEqual(['English', 'Spanish']);
  });

  it('pools languages and sectors given by fewer than 11 people in all into "Other"', () => {
    // Prepare: Hmong by 6 endorsees and 5 applicants (11 in all) keeps its label; Somali (3) and
    // an email typed into the sector column (1) do not.
    const people = [
      ...many(20),
      ...many(6, { primaryLanguage: 'Hmong' }),
      ...many(5, { population: 'applicants', primaryLanguage: 'hmong', eligible: false }),
      ...many(3, { primaryLanguage: 'Somali' }),
      ...many(1, { sector: 'jane.doe@example.org' }),
      ...many(2, { primaryLanguage: 'other' }),
    ];

    // Act
    const rows = workforceRows(people, rule);

    // Assess
    expect(groupsOf(rows, 'primary_language')).toEqual(['English', 'Hmong', 'Other']);
    expect(groupsOf(rows, 'sector')).toEqual(['Head Start', 'Other']);
    expect(JSON.stringify(rows)).not.toMatch(/Somali|jane\.doe/);
  });

  it('lists a group in both populations, with 0 where nobody of that population is in it', () => {
    // Prepare: Spanish only among endorsees, a blank county only among applicants.
    const people = [
      ...many(20),
      ...many(12, { primaryLanguage: 'Spanish' }),
      ...many(15, { population: 'applicants', county: '', eligible: true }),
    ];

    // Act
    const rows = workforceRows(people, rule);
    const cell = (dimension: string, group: string, population: string) =>
      rows.find((r) => r.dimension === dimension && r.group === group && r.population === population)?.count;

    // Assess
    expect(groupsOf(rows, 'primary_language', 'applicants')).toEqual(groupsOf(rows, 'primary_language', 'endorsed'));
    expect(groupsOf(rows, 'county', 'applicants')).toEqual(groupsOf(rows, 'county', 'endorsed'));
    expect(cell('primary_language', 'Spanish', 'applicants')).toBe(0);
    expect(cell('county', NOT_REPORTED, 'endorsed')).toBe(0);
    expect(cell('county', NOT_REPORTED, 'applicants')).toBe(15);
  });

  it('refuses an unknown category or race/ethnicity rather than miscounting it', () => {
    // Act / Assess
    expect(() => workforceRows([person({ category: 'XYZ' })], rule)).toThrow(ReportInputError);
    expect(() => workforceRows([person({ raceEthnicity: ['Martian'] })], rule)).toThrow(/Martian/);
  });
});

describe('workforce counts', () => {
  it('counts each population separately and suppresses small cells with a complement', () => {
    // Prepare: 30 endorsees in IFA, 4 in IFS, 12 in IMHS; 25 applicants all in ECFA.
    const people = [
      ...many(30),
      ...many(4, { category: 'IFS' }),
      ...many(12, { category: 'Infant Mental Health Specialist' }),
      ...many(25, { population: 'applicants', category: 'ecfa', eligible: true }),
    ];

    // Act
    const rows = workforceRows(people, rule).filter((r) => r.dimension === 'category' && r.count !== 0);

    // Assess
    expect(rows.map((r) => [r.population, r.group, r.count, r.suppressed])).toEqual([
      ['endorsed', 'IFA', 30, false],
      ['endorsed', 'IFS', null, true],
      ['endorsed', 'IMHS', null, true],
      ['applicants', 'ECFA', 25, false],
    ]);
  });

  it('withholds every cell of a population of 1 to 10 people, zeros included', () => {
    // Act
    const rows = workforceRows(many(5), rule).filter((r) => r.population === 'endorsed');

    // Assess
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.suppressed && r.count === null)).toBe(true);
  });
});

describe('regions, tiers, education and the statewide rows', () => {
  const person = (over: Partial<ReportPerson>): ReportPerson => ({
    population: 'applicants',
    category: 'IFA',
    county: '55025',
    raceEthnicity: [],
    eligible: true,
    ...over,
  });
  const many = (n: number, over: Partial<ReportPerson>) => Array.from({ length: n }, () => person(over));

  it('puts every one of the 72 counties in exactly one of the five regions', () => {
    const regions = defaultRegions();
    expect(regions.regions.map((r) => r.name)).toEqual([
      'Northern',
      'Northeastern',
      'Southeastern',
      'Southern',
      'Western',
    ]);
    const assigned = regions.regions.flatMap((r) => r.counties);
    expect([...assigned].sort()).toEqual(COUNTIES.map((c) => c.fips).sort());
  });

  it('rejects a regions file that leaves a county out or lists one twice', () => {
    const file = structuredClone(defaultRegions());
    const moved = file.regions[0]?.counties.pop() as string;
    file.regions[1]?.counties.push('55025');
    expect(() =>
      parseRegions(
        file,
        'test',
        COUNTIES.map((c) => c.fips),
      ),
    ).toThrow(new RegExp(`county ${moved} is in no region.*|county 55025 is in both`));
  });

  it('publishes a region whose counties are each too small to publish', () => {
    // Six northern counties with 4 applicants each: every county withheld, the region (24) published.
    const northern = ['55003', '55007', '55037', '55041', '55051', '55067'];
    const people = [...northern.flatMap((c) => many(4, { county: c })), ...many(30, { county: '55025' })];
    const rows = workforceRows(people, rule).filter((r) => r.population === 'applicants');
    expect(rows.filter((r) => r.dimension === 'county' && northern.includes(r.group)).every((r) => r.suppressed)).toBe(
      true,
    );
    expect(rows.find((r) => r.dimension === 'region' && r.group === 'Northern')?.count).toBe(24);
    expect(rows.find((r) => r.dimension === 'total')).toMatchObject({ group: 'All', count: 54, suppressed: false });
  });

  it('counts applicants by education and reports no education for endorsees, whose file has none', () => {
    const people = [
      ...many(12, { education: 'master' }),
      ...many(15, { education: 'bachelor' }),
      ...many(20, { population: 'endorsed', eligible: undefined }),
    ];
    const rows = workforceRows(people, rule).filter((r) => r.dimension === 'education');
    expect(rows.filter((r) => r.population === 'endorsed')).toEqual([]);
    expect(rows.find((r) => r.group === 'master')?.count).toBe(12);
    expect(rows.find((r) => r.group === 'bachelor')?.count).toBe(15);
  });

  it('rolls categories up into their tier', () => {
    const people = [
      ...many(7, { category: 'IFS' }),
      ...many(6, { category: 'IFRS' }),
      ...many(20, { category: 'IFA' }),
    ];
    const rows = workforceRows(people, rule).filter((r) => r.population === 'applicants' && r.dimension === 'tier');
    expect(rows.find((r) => r.group === 'specialist')?.count).toBe(13);
    expect(rows.find((r) => r.group === 'associate')?.count).toBe(20);
  });
});
