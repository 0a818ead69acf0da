import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReports } from '#core/reports/build.js';
import {
  COMPLIANCE_STATUSES,
  type ComplianceEndorsee,
  complianceCsv,
  complianceRows,
  isEndorsedStatus,
  RENEWAL_STATUSES,
  type RenewalStatusName,
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
  it('withholds the few lapsed of a large category, not the category: its other statuses stay published', () => {
    // Prepare: 570 compliant IFS endorsees, 9 lapsed; 40 IFA with 15 lapsed (the lapsed column's complement).
    const endorsees = [
      ...many(570, { category: 'IFS', county: '55025', status: 'compliant' }),
      ...many(9, { category: 'IFS', county: '55025', status: 'lapsed' }),
      ...many(40, { category: 'IFA', county: '55079', status: 'compliant' }),
      ...many(15, { category: 'IFA', county: '55079', status: 'lapsed' }),
    ];

    // Act
    const rows = complianceRows(endorsees, rule, workforceOf(endorsees));

    // Assess
    const ifs = (status: string) =>
      rows.find((r) => r.dimension === 'category' && r.group === 'IFS' && r.status === status);
    expect(ifs('lapsed')?.suppressed).toBe(true);
    expect(ifs('compliant')?.count).toBe(570);
    expect(ifs('on_track')?.count).toBe(570);
    const lapsedTotal = rows.find((r) => r.dimension === 'total' && r.status === 'lapsed');
    expect(lapsedTotal).toMatchObject({ group: 'All', count: 24, suppressed: false });
  });

  it('publishes on track and not yet for a group whose detailed statuses are withheld', () => {
    // Prepare: Dane has 26 compliant and 12 not yet (8 in progress, 4 at risk); Milwaukee 15 compliant, 14 not yet (9, 5).
    const endorsees = [
      ...many(26, { category: 'IFS', county: '55025', status: 'compliant' }),
      ...many(8, { category: 'IFS', county: '55025', status: 'in_progress' }),
      ...many(4, { category: 'IFS', county: '55025', status: 'at_risk' }),
      ...many(15, { category: 'IFS', county: '55079', status: 'compliant' }),
      ...many(9, { category: 'IFS', county: '55079', status: 'in_progress' }),
      ...many(5, { category: 'IFS', county: '55079', status: 'at_risk' }),
    ];

    // Act
    const rows = complianceRows(endorsees, rule, workforceOf(endorsees));

    // Assess
    const dane = (status: string) =>
      rows.find((r) => r.dimension === 'county' && r.group === '55025' && r.status === status);
    expect(dane('in_progress')?.suppressed).toBe(true);
    expect(dane('at_risk')?.suppressed).toBe(true);
    expect(dane('not_yet')?.count).toBe(12);
    expect(dane('on_track')?.count).toBe(26);
    expect(dane('compliant')?.count).toBe(26);
  });

  it('carries one statewide row per status', () => {
    const endorsees = many(30, { category: 'IFA', county: '55025', status: 'compliant' });
    const totals = complianceRows(endorsees, rule, workforceOf(endorsees)).filter((r) => r.dimension === 'total');
    expect(totals.map((r) => [r.group, r.status, r.count])).toEqual(
      COMPLIANCE_STATUSES.map((s) => ['All', s, s === 'compliant' || s === 'on_track' ? 30 : 0]),
    );
  });

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

  it('keeps the statuses of a group the workforce report withholds from adding up to the hidden count, and publishes its lapsed', () => {
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
    const wood = (status: string) =>
      rows.find((r) => r.dimension === 'county' && r.group === '55141' && r.status === status);
    // Lapsed is not part of the endorsed count, so 11 lapsed may stand; on track and not yet cannot both.
    expect(wood('lapsed')?.count).toBe(11);
    expect([wood('on_track'), wood('not_yet')].some((r) => r?.suppressed)).toBe(true);
    expect(wood('exempt')?.suppressed).toBe(true);
  });

  it('writes an Excel-safe CSV with the columns dimension, group, status, count, suppressed', () => {
    const endorsees = many(12, { category: 'IFA', county: '55025', status: 'at_risk' });
    const csv = complianceCsv(complianceRows(endorsees, rule, workforceOf(endorsees)));
    const [header, first] = parseCsv(csv);
    expect(header?.slice(0, 5)).toEqual(['dimension', 'group', 'status', 'count', 'suppressed']);
    expect(first?.slice(0, 2)).toEqual(['total', 'All']);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(isExcelSafe(csv)).toBe(true);
  });
});

const statusArb = fc.constantFrom<RenewalStatusName>(...RENEWAL_STATUSES);
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
        const inStatus = (status: string, e: ComplianceEndorsee) =>
          status === 'on_track'
            ? e.status === 'compliant' || e.status === 'exempt'
            : status === 'not_yet'
              ? e.status === 'in_progress' || e.status === 'at_risk'
              : e.status === status;
        for (const dimension of ['tier', 'category', 'region', 'county'] as const) {
          const mine = rows.filter((r) => r.dimension === dimension);
          for (const r of mine) {
            expect(r.count === null).toBe(r.suppressed);
            if (r.count !== null) expect(r.count === 0 || r.count >= MIN).toBe(true);
          }
          for (const status of COMPLIANCE_STATUSES) {
            const cells = mine.filter((r) => r.status === status);
            const total = endorsees.filter((e) => inStatus(status, e)).length;
            const hidden = total - cells.reduce((s, r) => s + (r.count ?? 0), 0);
            const withheld = cells.filter((r) => r.suppressed);
            // A statewide row withheld (a complement) leaves its column's sum unpublished.
            const totalRow = rows.find((r) => r.dimension === 'total' && r.status === status);
            if (withheld.length === 0 || (totalRow?.suppressed && !(total >= 1 && total < MIN))) continue;
            if (total >= 1 && total < MIN) {
              expect(cells.every((r) => r.suppressed)).toBe(true);
              continue;
            }
            expect(withheld.length).toBeGreaterThanOrEqual(2);
            expect(hidden === 0 ? total === 0 : hidden >= MIN).toBe(true);
          }
          // A group withheld from the workforce endorsed counts never publishes both on track and
          // not yet: they add up to that count.
          const withheldInWorkforce = workforce.filter(
            (r) => r.population === 'endorsed' && r.dimension === dimension && r.suppressed,
          );
          for (const w of withheldInWorkforce) {
            const collapsed = mine.filter(
              (r) => r.group === w.group && (r.status === 'on_track' || r.status === 'not_yet'),
            );
            expect(collapsed.some((r) => r.suppressed)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
