import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { buildTrend, releasePoint, TREND_COUNTS, type TrendPoint } from '#core/reports/trend.js';
import { NOT_IN_RELEASE, trendSection, trendTable } from '#core/reports/trend-section.js';
import { reportDocument, reportPeople } from '#test-support/report-people.js';

const MIN = 11;

/** A report.json as a release publishes it, with the totals given. */
const release = (asOf: string, totals: Record<string, number | null>, compliance?: unknown[]) => ({
  asOf,
  summary: { totals },
  ...(compliance === undefined ? {} : { compliance }),
});

const complianceRow = (dimension: string, group: string, status: string, count: number | null) => ({
  dimension,
  group,
  groupName: group,
  status,
  count,
  suppressed: count === null,
});

describe('the totals a release published (releasePoint)', () => {
  it('reads the statewide totals and draws the rate from the two published ones', () => {
    expect(releasePoint(release('2026-03-31', { endorsed: 23, applicants: 50, eligible: 30 }), MIN)).toEqual({
      asOf: '2026-03-31',
      endorsed: 23,
      applicants: 50,
      eligible: 30,
      eligibilityRate: 0.6,
    });
  });

  it('keeps a withheld total withheld, and withholds the rate with it', () => {
    expect(releasePoint(release('2026-01-31', { endorsed: null, applicants: 20, eligible: null }), MIN)).toEqual({
      asOf: '2026-01-31',
      endorsed: null,
      applicants: 20,
      eligible: null,
      eligibilityRate: null,
    });
  });

  it('leaves out what an older shape does not have, and a field of the wrong type, keeping the rest', () => {
    expect(releasePoint({ asOf: '2025-06-30', summary: { totals: { endorsed: 40 } } }, MIN)).toEqual({
      asOf: '2025-06-30',
      endorsed: 40,
    });
    expect(releasePoint({ asOf: '2025-06-30', summary: { totals: { endorsed: 40, applicants: '61' } } }, MIN)).toEqual({
      asOf: '2025-06-30',
      endorsed: 40,
    });
    expect(releasePoint({ asOf: '2025-06-30', summary: 'none' }, MIN)).toEqual({ asOf: '2025-06-30' });
  });

  it('withholds a count from 1 to 10 that a release under a looser rule published', () => {
    expect(releasePoint(release('2025-01-31', { endorsed: 7, applicants: 30, eligible: 0 }), MIN)).toEqual({
      asOf: '2025-01-31',
      endorsed: null,
      applicants: 30,
      eligible: 0,
      eligibilityRate: 0,
    });
  });

  it('withholds the eligible total when the applicants not eligible are from 1 to 10', () => {
    expect(releasePoint(release('2025-01-31', { endorsed: 0, applicants: 30, eligible: 25 }), MIN)).toMatchObject({
      eligible: null,
      eligibilityRate: null,
    });
  });

  it('names the release by its folder date when the document has none, and is nothing without a date', () => {
    expect(releasePoint({ summary: { totals: { endorsed: 12 } } }, MIN, '2025-05-31')).toEqual({
      asOf: '2025-05-31',
      endorsed: 12,
    });
    expect(releasePoint({ summary: { totals: { endorsed: 12 } } }, MIN)).toBeUndefined();
    expect(releasePoint('not a report', MIN, 'latest')).toBeUndefined();
  });

  it('takes renewal statuses from the statewide total rows when there are some', () => {
    const rows = [
      complianceRow('total', 'All', 'compliant', 30),
      complianceRow('total', 'All', 'lapsed', null),
      complianceRow('category', 'IFA', 'compliant', 99),
    ];
    expect(releasePoint(release('2026-06-30', {}, rows), MIN)?.compliance).toEqual({ compliant: 30, lapsed: null });
  });

  it('adds up the category rows of a status when all are published, and withholds it when one is not', () => {
    const rows = [
      complianceRow('category', 'IFA', 'compliant', 11),
      complianceRow('category', 'ECFA', 'compliant', 13),
      complianceRow('category', 'IFA', 'lapsed', 0),
      complianceRow('category', 'ECFA', 'lapsed', null),
      complianceRow('county', '55025', 'exempt', 12),
    ];
    expect(releasePoint(release('2026-06-30', {}, rows), MIN)?.compliance).toEqual({ compliant: 24, lapsed: null });
  });

  it('reads the document this project builds, withheld totals included', () => {
    const rule = defaultPublishingRule();
    // 12 applicants (6 eligible, so both eligible and not eligible are small) and 15 endorsees.
    const doc = reportDocument(
      [...reportPeople(12), ...reportPeople(15, { population: 'endorsed', eligible: undefined })],
      rule,
    );
    expect(releasePoint(JSON.parse(JSON.stringify(doc)), rule.minPublishedCount)).toMatchObject({
      asOf: doc.asOf,
      endorsed: 15,
      applicants: 12,
      eligible: null,
      eligibilityRate: null,
    });
  });

  it('never gives a count from 1 to 10, whatever a release holds', () => {
    const count = fc.option(fc.nat({ max: 200 }), { nil: null });
    fc.assert(
      fc.property(count, count, count, (endorsed, applicants, eligible) => {
        const point = releasePoint(release('2026-01-31', { endorsed, applicants, eligible }), MIN);
        for (const key of TREND_COUNTS) {
          const n = point?.[key];
          expect(typeof n === 'number' && n > 0 && n < MIN).toBe(false);
        }
        if (typeof point?.eligible === 'number' && typeof point.applicants === 'number') {
          const notEligible = point.applicants - point.eligible;
          expect(notEligible > 0 && notEligible < MIN).toBe(false);
        }
      }),
    );
  });
});

describe('the trend (buildTrend)', () => {
  const point = (asOf: string, endorsed: number): TrendPoint => ({ asOf, endorsed });

  it('lists at most N earlier releases, oldest first, then this one', () => {
    const earlier = ['2026-01-31', '2026-03-31', '2025-12-31', '2026-02-28'].map((d, i) => point(d, 11 + i));
    const trend = buildTrend(point('2026-04-30', 40), earlier, 3);
    expect(trend.points.map((p) => p.asOf)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(trend.points.map((p) => p.endorsed)).toEqual([11, 14, 12, 40]);
  });

  it('leaves out releases dated on or after this one, and a date given twice counts once', () => {
    const earlier = [
      point('2026-05-31', 50),
      point('2026-04-30', 45),
      point('2026-03-31', 30),
      point('2026-03-31', 31),
    ];
    expect(buildTrend(point('2026-04-30', 40), earlier, 6).points).toEqual([
      point('2026-03-31', 30),
      point('2026-04-30', 40),
    ]);
  });

  it('is this release alone when no earlier release is to be compared', () => {
    expect(buildTrend(point('2026-04-30', 40), [point('2026-03-31', 30)], 0).points).toEqual([point('2026-04-30', 40)]);
  });
});

describe('the trend on the page', () => {
  const points: TrendPoint[] = [
    { asOf: '2025-12-31', endorsed: 11 },
    { asOf: '2026-01-31', endorsed: 12, applicants: 20, eligible: null, eligibilityRate: null },
    { asOf: '2026-02-28', endorsed: 23, applicants: 35, eligible: 15, eligibilityRate: 15 / 35 },
  ];

  it('tables a withheld total as suppressed and one a release did not publish as a dash', () => {
    const rows = trendTable({ points })
      .split('\n')
      .filter((l) => l.startsWith('<tr><th scope="row">'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe(
      `<tr><th scope="row">2025-12-31</th><td class="num">11</td><td>${NOT_IN_RELEASE}</td><td>${NOT_IN_RELEASE}</td><td>${NOT_IN_RELEASE}</td></tr>`,
    );
    expect(rows[1]).toContain('<td class="num">20</td><td class="suppressed">suppressed</td>');
    expect(rows[2]).toContain('<td class="num">42.9%</td>');
  });

  it('draws a chart named in words only when there is an earlier release', async () => {
    const doc = { asOf: '2026-02-28', rule: { minPublishedCount: MIN } };
    const drawn = await trendSection({ ...doc, trend: { points } });
    expect(drawn).toContain(
      '<figure class="chart" role="img" aria-label="Line chart of endorsed people, applicants and eligible applicants, and of the eligibility rate, in the 3 releases from 2025-12-31 to 2026-02-28.">',
    );
    expect(drawn).toMatch(/<svg[^>]*class="marks"/);
    const alone = await trendSection({ ...doc, trend: { points: points.slice(2) } });
    expect(alone).not.toContain('<svg');
    expect(alone).toContain('No earlier dated release to compare with yet');
  });
});
