import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReports, disparityCsv, workforceCsv } from '#core/reports/build.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { type CountTable, type LinkedSum, suppressBreakdown, suppressLinked } from '#core/reports/suppress.js';
import { DIMENSIONS, groupings, POPULATIONS, type ReportPerson } from '#core/reports/workforce.js';
import { isExcelSafe } from '#test-support/csv.js';

const rule = defaultPublishingRule();
const MIN = rule.minPublishedCount;
const small = (n: number) => n >= 1 && n < MIN;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * What a reader learns about one count over a breakdown whose total is public: the suppressed
 * cells together hold total − sum(published), and, unless every cell is withheld, each withheld
 * cell holds at least 1 (zeros are published). Asserts that this sum is never a small number, that
 * it is more than the number of withheld cells (else each is exactly 1), that a lone cell is
 * never withheld, and that a withheld sum of 0 (which would reveal every withheld cell as 0) only
 * occurs when the total is 0; a total from 1 to 10 must withhold every cell.
 */
function expectUnrecoverable(cells: readonly { value: number; suppressed: boolean }[]): void {
  const total = sum(cells.map((c) => c.value));
  const withheld = cells.filter((c) => c.suppressed);
  const published = cells.filter((c) => !c.suppressed);
  expect(published.filter((c) => small(c.value))).toEqual([]);
  if (withheld.length === 0) return;
  if (small(total)) {
    expect(published).toEqual([]);
    return;
  }
  const hidden = total - sum(published.map((c) => c.value));
  expect(withheld.length).toBeGreaterThanOrEqual(2);
  expect(hidden === 0 || hidden >= MIN).toBe(true);
  if (hidden === 0) expect(total).toBe(0);
  if (published.length > 0 && total > 0) expect(hidden).toBeGreaterThan(withheld.length);
}

const countArb = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 }));

describe('suppressBreakdown over random breakdowns', () => {
  it('publishes no count from 1 to 10 and leaves no withheld cell recoverable from the total', () => {
    fc.assert(
      fc.property(fc.array(countArb, { minLength: 1, maxLength: 30 }), (counts) => {
        // Prepare
        const cells = counts.map((count, i) => ({ group: `g${i}`, count }));

        // Act
        const result = suppressBreakdown(cells, rule);

        // Assess
        expectUnrecoverable(result.map((r, i) => ({ value: counts[i] ?? 0, suppressed: r.suppressed })));
        for (const r of result) expect(r.count === null).toBe(r.suppressed);
      }),
      { numRuns: 500 },
    );
  });

  it('never withholds a zero unless the whole breakdown is withheld', () => {
    fc.assert(
      fc.property(fc.array(countArb, { minLength: 1, maxLength: 30 }), (counts) => {
        // Act
        const result = suppressBreakdown(
          counts.map((count, i) => ({ group: `g${i}`, count })),
          rule,
        );

        // Assess
        const zerosWithheld = result.some((r, i) => r.suppressed && counts[i] === 0);
        if (zerosWithheld) expect(result.every((r) => r.suppressed)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// Random populations built from blocks of identical people, so groups hold 0 to 60 people.
const blockArb = fc.record({
  population: fc.constantFrom(...POPULATIONS),
  category: fc.constantFrom('IFA', 'IFS', 'IMHS', 'ECMHM-C'),
  county: fc.constantFrom('55025', '55079', '55078', '', undefined),
  raceEthnicity: fc.subarray(['White', 'Hispanic or Latino', 'Asian', '']),
  primaryLanguage: fc.constantFrom('English', 'english', 'Spanish', 'Hmong', '', undefined),
  sector: fc.constantFrom('Head Start', 'head start', 'Child Care', '=HYPERLINK("x")', '\n@SUM(1)', '-1', undefined),
  size: countArb,
  eligibleSeed: fc.nat(),
});

const peopleArb = fc.array(blockArb, { maxLength: 14 }).map((blocks) =>
  blocks.flatMap((b): ReportPerson[] => {
    const eligible = b.eligibleSeed % (b.size + 1);
    return Array.from({ length: b.size }, (_, i) => ({
      population: b.population,
      category: b.category,
      county: b.county,
      raceEthnicity: b.raceEthnicity,
      primaryLanguage: b.primaryLanguage,
      sector: b.sector,
      eligible: b.population === 'applicants' ? i < eligible : undefined,
    }));
  }),
);

/** True counts per group of one dimension, computed from the people directly. */
function truth(people: readonly ReportPerson[], dimension: (typeof DIMENSIONS)[number]) {
  const by = groupings(people, rule)[dimension];
  const table = new Map<string, { endorsed: number; applicants: number; eligible: number }>();
  for (const p of people) {
    const g = by.groupOf(p);
    const t = table.get(g) ?? { endorsed: 0, applicants: 0, eligible: 0 };
    t[p.population] += 1;
    if (p.population === 'applicants' && p.eligible) t.eligible += 1;
    table.set(g, t);
  }
  return (group: string) => table.get(group) ?? { endorsed: 0, applicants: 0, eligible: 0 };
}

describe('buildReports over random populations', () => {
  it('publishes no workforce count from 1 to 10 and leaves no withheld count recoverable', () => {
    fc.assert(
      fc.property(peopleArb, (people) => {
        // Act
        const { workforce } = buildReports(people, rule);

        // Assess
        for (const dimension of DIMENSIONS) {
          const count = truth(people, dimension);
          for (const population of POPULATIONS) {
            const rows = workforce.filter((r) => r.dimension === dimension && r.population === population);
            for (const r of rows) if (!r.suppressed) expect(r.count).toBe(count(r.group)[population]);
            expectUnrecoverable(rows.map((r) => ({ value: count(r.group)[population], suppressed: r.suppressed })));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('publishes no eligible count, rate, interval, ratio or flag from a group with 1 to 10 eligible or not eligible', () => {
    fc.assert(
      fc.property(peopleArb, (people) => {
        // Act
        const { disparity } = buildReports(people, rule);

        // Assess
        for (const dimension of DIMENSIONS) {
          const count = truth(people, dimension);
          for (const r of disparity.filter((d) => d.dimension === dimension)) {
            const t = count(r.group);
            if (r.applicants !== null) expect(r.applicants).toBe(t.applicants);
            if (r.eligible === null) {
              expect([r.rate, r.ciLow, r.ciHigh, r.ratioToReference, r.fourFifthsFlag]).toEqual([
                null,
                null,
                null,
                null,
                null,
              ]);
              expect(r.suppressed).toBe(true);
            } else {
              expect(r.eligible).toBe(t.eligible);
              expect(small(t.eligible) || small(t.applicants - t.eligible) || small(t.applicants)).toBe(false);
            }
            if (r.applicants === null) expect(r.eligible).toBeNull();
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('leaves no withheld eligible or not-eligible count recoverable from the public totals', () => {
    fc.assert(
      fc.property(peopleArb, (people) => {
        // Act
        const { disparity } = buildReports(people, rule);

        // Assess
        for (const dimension of DIMENSIONS) {
          const count = truth(people, dimension);
          const rows = disparity.filter((d) => d.dimension === dimension);
          const withheld = (r: (typeof rows)[number]) => r.eligible === null;
          const eligibleTotal = sum(rows.map((r) => count(r.group).eligible));
          const notEligibleTotal = sum(rows.map((r) => count(r.group).applicants)) - eligibleTotal;
          // Either total gives the other away (applicants are public), so one small total hides both everywhere.
          if (small(eligibleTotal) || small(notEligibleTotal)) {
            expect(rows.filter((r) => !withheld(r))).toEqual([]);
            continue;
          }
          expectUnrecoverable(rows.map((r) => ({ value: count(r.group).eligible, suppressed: withheld(r) })));
          expectUnrecoverable(
            rows.map((r) => ({
              value: count(r.group).applicants - count(r.group).eligible,
              suppressed: withheld(r),
            })),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('withholds applicant counts identically in the workforce and disparity reports', () => {
    fc.assert(
      fc.property(peopleArb, (people) => {
        // Act
        const { workforce, disparity } = buildReports(people, rule);

        // Assess
        const fromWorkforce = new Map(
          workforce.filter((r) => r.population === 'applicants').map((r) => [`${r.dimension}|${r.group}`, r.count]),
        );
        const fromDisparity = new Map(disparity.map((r) => [`${r.dimension}|${r.group}`, r.applicants]));
        for (const [key, applicants] of fromDisparity) expect(applicants, key).toBe(fromWorkforce.get(key));
      }),
      { numRuns: 200 },
    );
  });

  it('writes CSV files in which no cell starts a formula', () => {
    fc.assert(
      fc.property(peopleArb, (people) => {
        // Act
        const { workforce, disparity } = buildReports(people, rule);

        // Assess
        expect(isExcelSafe(workforceCsv(workforce))).toBe(true);
        expect(isExcelSafe(disparityCsv(disparity))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * Rank of a matrix of integers, exactly (fraction-free elimination in BigInt): the tests' own
 * algebra, independent of the modular reduction suppress.ts uses.
 */
function rank(matrix: readonly (readonly number[])[]): number {
  const rows = matrix.map((r) => r.map(BigInt));
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p] as bigint[], rows[r] as bigint[]];
    const pivot = rows[r] as bigint[];
    for (let i = r + 1; i < rows.length; i++) {
      const row = rows[i] as bigint[];
      const f = row[c] as bigint;
      if (f === 0n) continue;
      for (let j = 0; j < width; j++) row[j] = (row[j] as bigint) * (pivot[c] as bigint) - f * (pivot[j] as bigint);
    }
    r++;
  }
  return r;
}

/**
 * The withheld cells a reader can compute exactly from published sums: `sums` are identities
 * whole = Σ parts over cell ids; published cells are known numbers. A withheld cell is pinned when
 * its unit vector lies in the span of the sums restricted to the withheld cells.
 */
function pinnedCells(
  sums: readonly { whole: string; parts: readonly string[] }[],
  withheld: ReadonlySet<string>,
): string[] {
  const ids = [...withheld];
  const col = new Map(ids.map((id, i) => [id, i]));
  const matrix = sums
    .map((s) => {
      const row = ids.map(() => 0);
      const add = (id: string, c: number) => {
        const k = col.get(id);
        if (k !== undefined) row[k] = (row[k] ?? 0) + c;
      };
      add(s.whole, 1);
      for (const p of s.parts) add(p, -1);
      return row;
    })
    .filter((row) => row.some((v) => v !== 0));
  const base = rank(matrix);
  return ids.filter((_, k) => rank([...matrix, ids.map((__, j) => (j === k ? 1 : 0))]) === base);
}

// A two-way table with every row total, every column total and the grand total published.
const gridArb = fc
  .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 2, max: 5 }) })
  .chain(({ rows, cols }) =>
    fc.array(fc.array(countArb, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
  );

function gridTable(grid: readonly (readonly number[])[]): CountTable {
  const counts = new Map<string, number>();
  const sums: LinkedSum[] = [];
  const cols = grid[0]?.length ?? 0;
  grid.forEach((row, i) => {
    row.forEach((n, j) => {
      counts.set(`r${i}c${j}`, n);
    });
    counts.set(`r${i}`, sum(row));
    sums.push({ whole: `r${i}`, parts: row.map((_, j) => `r${i}c${j}`) });
  });
  for (let j = 0; j < cols; j++) {
    counts.set(`c${j}`, sum(grid.map((row) => row[j] ?? 0)));
    sums.push({ whole: `c${j}`, parts: grid.map((_, i) => `r${i}c${j}`) });
  }
  counts.set('all', sum(grid.map(sum)));
  sums.push({ whole: 'all', parts: grid.map((_, i) => `r${i}`) });
  sums.push({ whole: 'all', parts: Array.from({ length: cols }, (_, j) => `c${j}`) });
  return { counts, sums };
}

describe('suppressLinked over random two-way tables with public row and column totals', () => {
  it('publishes no count from 1 to 10, and no withheld count from 1 to 10 can be worked out from any combination of the published sums', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        // Prepare
        const table = gridTable(grid);

        // Act
        const withheld = suppressLinked(table, rule, { roots: ['all'] });

        // Assess
        for (const [id, n] of table.counts) if (!withheld.has(id)) expect(small(n), id).toBe(false);
        // With a small grand total everything is withheld; otherwise nothing withheld is pinned.
        if (!withheld.has('all')) {
          expect(pinnedCells(table.sums, withheld).filter((id) => small(table.counts.get(id) ?? 0))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every published sum safe: its withheld parts are none, or two or more holding at least 11 together', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        // Prepare
        const table = gridTable(grid);

        // Act
        const withheld = suppressLinked(table, rule, { roots: ['all'] });

        // Assess
        for (const s of table.sums) {
          if (withheld.has(s.whole)) continue;
          const hidden = s.parts.filter((p) => withheld.has(p));
          if (hidden.length === 0) continue;
          const held = sum(hidden.map((p) => table.counts.get(p) ?? 0));
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(held >= MIN && held > hidden.length).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
