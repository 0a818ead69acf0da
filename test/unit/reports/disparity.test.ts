import { describe, expect, it } from 'vitest';
import { disparityRows, wilsonInterval } from '#core/reports/disparity.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { ReportInputError, type ReportPerson } from '#core/reports/workforce.js';

const rule = defaultPublishingRule();

const applicants = (n: number, eligible: number, over: Partial<ReportPerson> = {}): ReportPerson[] =>
  Array.from({ length: n }, (_, i) => ({
    population: 'applicants',
    category: 'IFA',
    raceEthnicity: [],
    primaryLanguage: 'English',
    eligible: i < eligible,
    ...over,
  }));

const sectorRows = (people: ReportPerson[], options = {}) =>
  disparityRows(people, rule, options).filter((r) => r.dimension === 'sector');

describe('wilsonInterval', () => {
  it('gives 0.4618 to 0.7239 for 30 of 50 at z = 1.96', () => {
    // Act
    const { low, high } = wilsonInterval(30, 50, 1.96);

    // Assess: centre (0.6 + 0.038416) / 1.076832 = 0.592866; half 1.96 · √0.00518416 / 1.076832 = 0.131053.
    expect(low).toBeCloseTo(0.4618, 4);
    expect(high).toBeCloseTo(0.7239, 4);
  });

  it('stays within 0 and 1 at the extremes', () => {
    // Act
    const none = wilsonInterval(0, 20, 1.96);
    const all = wilsonInterval(20, 20, 1.96);

    // Assess
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.1611, 4);
    expect(all.high).toBe(1);
  });
});

describe('disparityRows', () => {
  // Head Start 30/50 = 0.6, Child Care 20/40 = 0.5, Home Visiting 45/60 = 0.75 (the reference: most applicants).
  const table = [
    ...applicants(50, 30, { sector: 'Head Start' }),
    ...applicants(40, 20, { sector: 'Child Care' }),
    ...applicants(60, 45, { sector: 'Home Visiting' }),
  ];

  it('computes rate, interval and ratio to the group with most applicants', () => {
    // Act
    const rows = sectorRows(table);
    const headStart = rows.find((r) => r.group === 'Head Start');

    // Assess
    expect(headStart).toMatchObject({ applicants: 50, eligible: 30, rate: 0.6, suppressed: false, reference: false });
    expect(headStart?.ciLow).toBeCloseTo(0.4618, 4);
    expect(headStart?.ciHigh).toBeCloseTo(0.7239, 4);
    expect(headStart?.ratioToReference).toBe(0.8);
    expect(rows.find((r) => r.group === 'Child Care')?.ratioToReference).toBeCloseTo(0.6667, 4);
    expect(rows.find((r) => r.group === 'Home Visiting')).toMatchObject({ reference: true, ratioToReference: 1 });
  });

  it('flags a rate below four fifths of the highest, but not one exactly at it', () => {
    // Act: the threshold is 0.8 × 0.75 = 0.6.
    const rows = sectorRows(table);

    // Assess
    expect(rows.map((r) => [r.group, r.fourFifthsFlag])).toEqual([
      ['Child Care', true],
      ['Head Start', false],
      ['Home Visiting', false],
    ]);
  });

  it('uses an explicit reference group when asked and its rate is published', () => {
    // Act
    const rows = sectorRows(table, { referenceGroups: { sector: 'Child Care' } });

    // Assess
    expect(rows.find((r) => r.group === 'Head Start')?.ratioToReference).toBeCloseTo(1.2, 10);
    expect(rows.find((r) => r.group === 'Child Care')?.reference).toBe(true);
  });

  it('breaks a tie for most applicants by label', () => {
    // Act
    const rows = sectorRows([...applicants(40, 20, { sector: 'B' }), ...applicants(40, 25, { sector: 'A' })]);

    // Assess
    expect(rows.find((r) => r.reference)?.group).toBe('A');
  });

  it('withholds the eligible figures of a group with 1 to 10 not eligible, and a complement so they cannot be derived', () => {
    // Prepare: A has 5 not eligible; alone its eligible count would be total eligible − the rest.
    const people = [
      ...applicants(50, 45, { sector: 'A' }),
      ...applicants(40, 20, { sector: 'B' }),
      ...applicants(30, 18, { sector: 'C' }),
    ];

    // Act
    const rows = sectorRows(people);

    // Assess: the not-eligible sum of {A} is 5, so C (12 not eligible, the smallest) joins it.
    expect(rows.map((r) => [r.group, r.applicants, r.eligible, r.rate === null, r.suppressed])).toEqual([
      ['A', 50, null, true, true],
      ['B', 40, 20, false, false],
      ['C', 30, null, true, true],
    ]);
    expect(rows.find((r) => r.group === 'B')).toMatchObject({ reference: true, ratioToReference: 1 });
  });

  it('publishes only the label of a group whose applicants are withheld', () => {
    // Prepare: 7 applicants in a sector that 5 endorsees share (12 people, so the label stays).
    const people = [
      ...applicants(7, 3, { sector: 'Tiny' }),
      ...applicants(5, 0, { population: 'endorsed', sector: 'Tiny', eligible: undefined }),
      ...applicants(40, 20, { sector: 'Big' }),
    ];

    // Act
    const tiny = sectorRows(people).find((r) => r.group === 'Tiny');

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
      fourFifthsFlag: null,
      suppressed: true,
      reference: false,
    });
  });

  it('shows a group with no applicants as zeros without a rate', () => {
    // Act
    const ifs = disparityRows(table, rule).find((r) => r.dimension === 'category' && r.group === 'IFS');

    // Assess
    expect(ifs).toMatchObject({ applicants: 0, eligible: 0, rate: null, fourFifthsFlag: null, suppressed: false });
  });

  describe('"Not reported" (docs/domain.md, "Disparity measures": never a reference, never compared, never flagged)', () => {
    // Not reported is the largest group and has the highest rate: 80/100 = 0.8. Of the reported
    // groups, Head Start 30/50 = 0.6 has most applicants and Child Care 20/40 = 0.5 the lowest rate
    // (0.5 < 0.8 × 0.8 = 0.64, but 0.5 ≥ 0.8 × 0.6 = 0.48).
    const withBlanks = [
      ...applicants(100, 80, { sector: undefined }),
      ...applicants(50, 30, { sector: 'Head Start' }),
      ...applicants(40, 20, { sector: 'Child Care' }),
    ];
    const notReported = {
      rate: 0.8,
      reference: false,
      ratioToReference: null,
      fourFifthsFlag: null,
      suppressed: false,
    };

    it('shows its rate but is not the reference, though it is the largest group and has the highest rate', () => {
      // Act
      const rows = sectorRows(withBlanks);

      // Assess
      expect(rows.find((r) => r.group === 'Not reported')).toMatchObject({
        applicants: 100,
        eligible: 80,
        ...notReported,
      });
      expect(rows.find((r) => r.reference)?.group).toBe('Head Start');
      expect(rows.find((r) => r.group === 'Child Care')?.ratioToReference).toBeCloseTo(0.8333, 4);
    });

    it('is not the rate others are flagged against', () => {
      // Act
      const rows = sectorRows(withBlanks);

      // Assess: against Not reported's 0.8, Child Care's 0.5 would be flagged.
      expect(rows.map((r) => [r.group, r.fourFifthsFlag])).toEqual([
        ['Child Care', false],
        ['Head Start', false],
        ['Not reported', null],
      ]);
    });

    it('is not the reference when the options name it', () => {
      // Act
      const rows = sectorRows(withBlanks, { referenceGroups: { sector: 'Not reported' } });

      // Assess
      expect(rows.find((r) => r.group === 'Not reported')).toMatchObject(notReported);
      expect(rows.find((r) => r.reference)?.group).toBe('Head Start');
    });

    it('leaves no reference at all when it is the only published group', () => {
      // Prepare: a county breakdown in which nobody gave a county.
      const rows = disparityRows(applicants(40, 20, { sector: 'Head Start', county: undefined }), rule, {
        referenceGroups: { county: 'Not reported' },
      }).filter((r) => r.dimension === 'county' && r.applicants !== 0);

      // Assess
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ group: 'Not reported', rate: 0.5, reference: false, ratioToReference: null });
      expect(rows[0]?.fourFifthsFlag).toBeNull();
    });

    it('is neither the reference nor compared in the race and ethnicity breakdown either', () => {
      // Prepare: 100 with no race or ethnicity given (80 eligible), 60 White (30 eligible).
      const people = [...applicants(100, 80), ...applicants(60, 30, { raceEthnicity: ['White'] })];

      // Act
      const rows = disparityRows(people, rule).filter((r) => r.dimension === 'race_ethnicity' && r.applicants);

      // Assess
      expect(rows.map((r) => [r.group, r.reference, r.ratioToReference, r.fourFifthsFlag])).toEqual([
        ['White', true, 1, false],
        ['Not reported', false, null, null],
      ]);
    });
  });

  it('refuses an applicant without an eligibility outcome', () => {
    // Act / Assess
    expect(() => disparityRows([{ population: 'applicants', category: 'IFA', raceEthnicity: [] }], rule)).toThrow(
      ReportInputError,
    );
  });
});
