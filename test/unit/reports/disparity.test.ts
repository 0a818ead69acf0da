import { describe, expect, it } from 'vitest';
import { countDisparity, type DisparityRow, deriveDisparity, disparityRows } from '#core/reports/disparity.js';
import { groupings, ReportInputError, type ReportPerson } from '#core/reports/groupings.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { benjaminiHochberg, twoProportionZTest } from '#core/reports/statistics.js';
import { applicantSuppression } from '#core/reports/workforce.js';

const rule = defaultPublishingRule();

/** `n` IFA applicants, the first `eligible` of them eligible, nothing else reported unless said. */
const applicants = (n: number, eligible: number, over: Partial<ReportPerson> = {}): ReportPerson[] =>
  Array.from({ length: n }, (_, i) => ({
    population: 'applicants',
    category: 'IFA',
    raceEthnicity: [],
    primaryLanguage: 'English',
    eligible: i < eligible,
    ...over,
  }));

const sector = (people: ReportPerson[]): DisparityRow[] =>
  disparityRows(people, rule).filter((r) => r.dimension === 'sector');
const row = (rows: DisparityRow[], group: string): DisparityRow | undefined => rows.find((r) => r.group === group);

describe('disparityRows: each group against the rest of its breakdown', () => {
  // Head Start 30/100 = 0.3, Child Care 60/100 = 0.6, Home Visiting 60/100 = 0.6.
  const three = [
    ...applicants(100, 30, { sector: 'Head Start' }),
    ...applicants(100, 60, { sector: 'Child Care' }),
    ...applicants(100, 60, { sector: 'Home Visiting' }),
  ];

  it("divides a group's rate by the rest's: Head Start 0.3 over (60 + 60) / 200 = 0.6 is 0.5", () => {
    // Act
    const rows = sector(three);

    // Assess: Child Care's rest is (30 + 60) / 200 = 0.45, so 0.6 / 0.45 = 1.3333.
    expect(row(rows, 'Head Start')).toMatchObject({ rate: 0.3, ratioToReference: 0.5, assessment: 'tested' });
    expect(row(rows, 'Child Care')?.ratioToReference).toBeCloseTo(4 / 3, 12);
  });

  it('publishes the z-test against the rest, Benjamini–Hochberg adjusted over the breakdown', () => {
    // Act
    const rows = sector(three);

    // Assess: the raw tests against the rests written out by hand, then adjusted together.
    const raw = [twoProportionZTest(30, 100, 120, 200).p, twoProportionZTest(60, 100, 90, 200).p];
    const [headStart, childCare] = benjaminiHochberg([...raw, raw[1] as number]);
    expect(row(rows, 'Head Start')?.pValue).toBeCloseTo(headStart as number, 12);
    expect(row(rows, 'Child Care')?.pValue).toBeCloseTo(childCare as number, 12);
    expect(row(rows, 'Home Visiting')?.pValue).toBeCloseTo(childCare as number, 12);
  });

  it('flags a group whose ratio is below four fifths and whose difference is significant', () => {
    // Act
    const rows = sector(three);

    // Assess
    expect(rows.map((r) => [r.group, r.fourFifthsFlag])).toEqual([
      ['Child Care', false],
      ['Head Start', true],
      ['Home Visiting', false],
    ]);
  });

  it('does not flag a ratio below four fifths that is not significant (15/50 against 24/60: ratio 0.75, p 0.27)', () => {
    // Act
    const rows = sector([...applicants(50, 15, { sector: 'A' }), ...applicants(60, 24, { sector: 'B' })]);

    // Assess
    expect(row(rows, 'A')).toMatchObject({ ratioToReference: 0.75, fourFifthsFlag: false });
    expect(row(rows, 'A')?.pValue).toBeGreaterThan(0.05);
  });

  it('does not flag a significant difference whose ratio is four fifths or more', () => {
    // Act: 500/1000 against 580/1000 (ratio 0.86), and 200/500 against 250/500 (exactly 0.8).
    const near = sector([...applicants(1000, 500, { sector: 'A' }), ...applicants(1000, 580, { sector: 'B' })]);
    const exact = sector([...applicants(500, 200, { sector: 'A' }), ...applicants(500, 250, { sector: 'B' })]);

    // Assess
    expect(row(near, 'A')?.pValue).toBeLessThan(0.05);
    expect(row(near, 'A')?.fourFifthsFlag).toBe(false);
    expect(row(exact, 'A')).toMatchObject({ ratioToReference: 0.8, fourFifthsFlag: false });
    expect(row(exact, 'A')?.pValue).toBeLessThan(0.05);
  });

  it('shows an unreliable rate (24 applicants) without testing it, and does not test a group against an unreliable rest', () => {
    // Act: B has 24 applicants, under the NCHS minimum of 30; A's rest is B alone.
    const rows = sector([...applicants(200, 100, { sector: 'A' }), ...applicants(24, 12, { sector: 'B' })]);

    // Assess
    expect(row(rows, 'B')).toMatchObject({
      rate: 0.5,
      reliable: false,
      assessment: 'unreliable',
      ratioToReference: null,
      pValue: null,
      fourFifthsFlag: null,
    });
    expect(row(rows, 'A')).toMatchObject({ reliable: true, assessment: 'reference_unreliable', pValue: null });
  });
});

describe('disparityRows: "Not reported"', () => {
  it('shows its rate but is never compared, and is not part of the rest', () => {
    // Act: Not reported 80/100; Head Start's rest is Child Care alone (60/100), so 0.3 / 0.6 = 0.5.
    const rows = sector([
      ...applicants(100, 80, { sector: undefined }),
      ...applicants(100, 30, { sector: 'Head Start' }),
      ...applicants(100, 60, { sector: 'Child Care' }),
    ]);

    // Assess
    expect(row(rows, 'Not reported')).toMatchObject({
      rate: 0.8,
      ratioToReference: null,
      pValue: null,
      fourFifthsFlag: null,
      assessment: 'not_reported',
    });
    expect(row(rows, 'Head Start')?.ratioToReference).toBe(0.5);
  });

  it('when withheld, leaves every group untested: the rest would give its count away', () => {
    // Prepare: 5 applicants left the sector blank; withholding them takes the smallest sector (C) along.
    const people = [
      ...applicants(5, 2, { sector: undefined }),
      ...applicants(100, 30, { sector: 'A' }),
      ...applicants(100, 60, { sector: 'B' }),
      ...applicants(40, 20, { sector: 'C' }),
    ];

    // Act
    const rows = sector(people);

    // Assess
    expect(rows.map((r) => [r.group, r.suppressed, r.assessment, r.ratioToReference, r.pValue])).toEqual([
      ['A', false, 'reference_withheld', null, null],
      ['B', false, 'reference_withheld', null, null],
      ['C', true, 'withheld', null, null],
      ['Not reported', true, 'withheld', null, null],
    ]);
    expect(row(rows, 'A')?.rate).toBe(0.3);
  });
});

describe('disparityRows: withholding', () => {
  it('withholds the eligible figures of a group with 1 to 10 not eligible, and a complement so they cannot be derived', () => {
    // Prepare: A has 5 not eligible; alone its eligible count would be total eligible − the rest.
    const people = [
      ...applicants(50, 45, { sector: 'A' }),
      ...applicants(40, 20, { sector: 'B' }),
      ...applicants(30, 18, { sector: 'C' }),
    ];

    // Act
    const rows = sector(people);

    // Assess: the not-eligible sum of {A} is 5, so C (12 not eligible, the smallest) joins it.
    expect(rows.map((r) => [r.group, r.applicants, r.eligible, r.rate === null, r.suppressed])).toEqual([
      ['A', 50, null, true, true],
      ['B', 40, 20, false, false],
      ['C', 30, null, true, true],
    ]);
  });

  it('publishes only the label of a group whose applicants are withheld', () => {
    // Prepare: 7 applicants in a sector that 5 endorsees share (12 people, so the label stays).
    const people = [
      ...applicants(7, 3, { sector: 'Tiny' }),
      ...applicants(5, 0, { population: 'endorsed', sector: 'Tiny', eligible: undefined }),
      ...applicants(40, 20, { sector: 'Big' }),
    ];

    // Act
    const tiny = row(sector(people), 'Tiny');

    // Assess
    expect(tiny).toEqual({
      dimension: 'sector',
      group: 'Tiny',
      groupName: 'Tiny',
      applicants: null,
      eligible: null,
      rate: null,
      ciLow: null,
      ciHigh: null,
      ratioToReference: null,
      pValue: null,
      fourFifthsFlag: null,
      reliable: null,
      suppressed: true,
      assessment: 'withheld',
    });
  });
});

describe('disparityRows: context and the statewide row', () => {
  const people = [...applicants(100, 30, { category: 'IFA' }), ...applicants(100, 60, { category: 'ECFA' })];

  it('shows eligibility by category with its rate and reliability but no comparison', () => {
    // Act
    const rows = disparityRows(people, rule).filter((r) => r.dimension === 'category' && r.applicants);

    // Assess
    expect(
      rows.map((r) => [r.group, r.rate, r.reliable, r.ratioToReference, r.pValue, r.fourFifthsFlag, r.assessment]),
    ).toEqual([
      ['IFA', 0.3, true, null, null, null, 'context'],
      ['ECFA', 0.6, true, null, null, null, 'context'],
    ]);
  });

  it('starts with the statewide row: total, All, 90 of 200', () => {
    // Act
    const [first] = disparityRows(people, rule);

    // Assess
    expect(first).toMatchObject({ dimension: 'total', group: 'All', applicants: 200, eligible: 90, rate: 0.45 });
    expect(first).toMatchObject({ ratioToReference: null, pValue: null, fourFifthsFlag: null, assessment: 'context' });
  });

  it('withholds the statewide eligible count when the not eligible are 1 to 10', () => {
    // Act
    const [first] = disparityRows(applicants(40, 35), rule);

    // Assess
    expect(first).toMatchObject({ applicants: 40, eligible: null, rate: null, suppressed: true });
  });
});

describe('counting and deriving are separate steps', () => {
  it('derives every number from the counts it is handed, not from the people', () => {
    // Prepare: count, then change one group's eligible count and the statewide one before deriving (as a
    // perturbation step would; the rest is the statewide count less the group's).
    const people = [...applicants(100, 30, { sector: 'A' }), ...applicants(100, 60, { sector: 'B' })];
    const by = groupings(people, rule);
    const counts = countDisparity(people, by);
    const a = counts.breakdowns.sector.find((c) => c.group === 'A');
    if (!a) throw new Error('sector A was not counted');
    a.eligible = 45;
    counts.total.eligible = 105;

    // Act
    const rows = deriveDisparity(counts, rule, applicantSuppression(people, rule, by));

    // Assess: 45/100 against 60/100.
    expect(rows.find((r) => r.dimension === 'sector' && r.group === 'A')).toMatchObject({
      eligible: 45,
      rate: 0.45,
      ratioToReference: 0.75,
    });
  });

  it('refuses an applicant without an eligibility outcome', () => {
    // Act / Assess
    expect(() => disparityRows([{ population: 'applicants', category: 'IFA', raceEthnicity: [] }], rule)).toThrow(
      ReportInputError,
    );
  });
});
