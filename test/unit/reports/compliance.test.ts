import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReports } from '#core/reports/build.js';
import {
  COMPLIANCE_STATUSES,
  type ComplianceEndorsee,
  type ComplianceStatus,
  complianceCsv,
  complianceRows,
  isEndorsedStatus,
} from '#core/reports/compliance.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';
import { isExcelSafe, parseCsv } from '#test-support/csv.js';

const rule = defaultPublishingRule();
const MIN = rule.minPublishedCount;

const many = (n: number, e: ComplianceEndorsee): ComplianceEndorsee[] => Array.from({ length: n }, () => ({ ...e }));

/** The workforce report of the same endorsees, as the publishing service builds it (lapsed left out). */
function workforceOf(endorsees: readonly ComplianceEndorsee[]) {
  const people: ReportPerson[] = endorsees
    .filter((e) => isEndorsedStatus(e.status))
    .map((e) => ({ population: 'endorsed', category: e.category, county: e.county, raceEthnicity: [] }));
  return buildReports(people, rule).workforce;
}

describe('complianceRows', () => {
  it('lists every status of every category and county, zeros included', () => {
    const endorsees = many(12, { category: 'IFA', county: '55025', status: 'compliant' });
    const rows = complianceRows(endorsees, rule, workforceOf(endorsees));
    expect(rows.filter((r) => r.dimension === 'county')).toHaveLength(72 * COMPLIANCE_STATUSES.length);
    expect(rows).toContainEqual({
      dimension: 'county',
      group: '55025',
      groupName: 'Dane County',
      status: 'compliant',
      count: 12,
      suppressed: false,
    });
    expect(rows).toContainEqual(expect.objectContaining({ group: '55025', status: 'lapsed', count: 0 }));
  });

  it('withholds a small status count with a complementary group', () => {
    const endorsees = [
      ...many(20, { category: 'IFA', county: '55025', status: 'compliant' }),
      ...many(3, { category: 'IFA', county: '55025', status: 'lapsed' }),
      ...many(15, { category: 'IFA', county: '55079', status: 'compliant' }),
      ...many(12, { category: 'IFA', county: '55079', status: 'lapsed' }),
      ...many(30, { category: 'IFA', county: '55001', status: 'compliant' }),
    ];
    const rows = complianceRows(endorsees, rule, workforceOf(endorsees)).filter((r) => r.dimension === 'county');
    const hidden = new Set(rows.filter((r) => r.suppressed).map((r) => r.group));
    // Dane's 3 lapsed is small; Milwaukee (12 lapsed) is the smallest group that hides it.
    expect([...hidden].sort()).toEqual(['55025', '55079']);
    expect(rows.find((r) => r.group === '55001' && r.status === 'compliant')?.count).toBe(30);
  });

  it('withholds a group the workforce report withholds, so its statuses cannot add up to the hidden count', () => {
    // Wood has 5 endorsed (withheld in the workforce report) but 11 lapsed, which alone would be publishable.
    const endorsees = [
      ...many(5, { category: 'IFA', county: '55141', status: 'exempt' }),
      ...many(11, { category: 'IFA', county: '55141', status: 'lapsed' }),
      ...many(40, { category: 'IFA', county: '55025', status: 'exempt' }),
      ...many(30, { category: 'IFA', county: '55025', status: 'lapsed' }),
      ...many(25, { category: 'IFA', county: '55079', status: 'exempt' }),
      ...many(25, { category: 'IFA', county: '55079', status: 'lapsed' }),
    ];
    const workforce = workforceOf(endorsees);
    expect(workforce.find((r) => r.dimension === 'county' && r.group === '55141')?.suppressed).toBe(true);
    const rows = complianceRows(endorsees, rule, workforce);
    expect(rows.filter((r) => r.group === '55141').every((r) => r.suppressed && r.count === null)).toBe(true);
  });

  it('writes an Excel-safe CSV with the columns dimension, group, status, count, suppressed', () => {
    const endorsees = many(12, { category: 'IFA', county: '55025', status: 'at_risk' });
    const csv = complianceCsv(complianceRows(endorsees, rule, workforceOf(endorsees)));
    const [header, first] = parseCsv(csv);
    expect(header?.slice(0, 5)).toEqual(['dimension', 'group', 'status', 'count', 'suppressed']);
    expect(first?.[0]).toBe('category');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(isExcelSafe(csv)).toBe(true);
  });
});

const statusArb = fc.constantFrom<ComplianceStatus>(...COMPLIANCE_STATUSES);
const endorseeArb = fc.record({
  category: fc.constantFrom('IFA', 'IFS', 'ECFA'),
  county: fc.constantFrom('55025', '55079', '55141', '55001', ''),
  status: statusArb,
});
/** Populations with clusters, so groups of every size from 0 to a few dozen occur. */
const populationArb = fc
  .array(fc.tuple(endorseeArb, fc.integer({ min: 1, max: 25 })), { maxLength: 12 })
  .map((clusters) => clusters.flatMap(([e, n]) => many(n, e)));

describe('complianceRows over random populations', () => {
  it('publishes no count from 1 to 10 and leaves no withheld status count recoverable', () => {
    fc.assert(
      fc.property(populationArb, (endorsees) => {
        const workforce = workforceOf(endorsees);
        const rows = complianceRows(endorsees, rule, workforce);
        for (const dimension of ['category', 'county'] as const) {
          const mine = rows.filter((r) => r.dimension === dimension);
          for (const r of mine) {
            expect(r.count === null).toBe(r.suppressed);
            if (r.count !== null) expect(r.count === 0 || r.count >= MIN).toBe(true);
          }
          for (const status of COMPLIANCE_STATUSES) {
            const cells = mine.filter((r) => r.status === status);
            const total = endorsees.filter((e) => e.status === status).length;
            const hidden = total - cells.reduce((s, r) => s + (r.count ?? 0), 0);
            const withheld = cells.filter((r) => r.suppressed);
            if (withheld.length === 0) continue;
            if (total >= 1 && total < MIN) {
              expect(cells.every((r) => r.suppressed)).toBe(true);
              continue;
            }
            expect(withheld.length).toBeGreaterThanOrEqual(2);
            expect(hidden === 0 ? total === 0 : hidden >= MIN).toBe(true);
          }
          // A group withheld from the workforce endorsed counts is withheld here too.
          const withheldInWorkforce = workforce.filter(
            (r) => r.population === 'endorsed' && r.dimension === dimension && r.suppressed,
          );
          for (const w of withheldInWorkforce) {
            expect(mine.filter((r) => r.group === w.group).every((r) => r.suppressed)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
