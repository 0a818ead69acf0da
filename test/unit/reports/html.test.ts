import { describe, expect, it } from 'vitest';
import { renderChart, warmUpCharts, workforceChartSpec } from '#core/reports/charts.js';
import type { ComplianceEndorsee } from '#core/reports/compliance.js';
import { type ReportDocument, reportHtml } from '#core/reports/html.js';
import { label } from '#core/reports/presentation.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { escapeHtml } from '#core/reports/template.js';
import type { ReportPerson } from '#core/reports/workforce.js';
import { reportDocument, reportPeople } from '#test-support/report-people.js';

const rule = defaultPublishingRule();

const people = reportPeople;

const HOSTILE_SECTOR = '<script>alert("x")</script> & "Co"';

function documentOf(sample: ReportPerson[], endorsees: ComplianceEndorsee[] = []): ReportDocument {
  return reportDocument(sample, rule, endorsees);
}

// 40 in Dane and 30 in Milwaukee are published; 7 in Wood are withheld (small) and so is Milwaukee
// (their complement) for applicants.
const sample = [
  ...people(40, {}),
  ...people(30, { county: '55079', sector: HOSTILE_SECTOR }),
  ...people(7, { county: '55141' }),
  ...people(25, { population: 'endorsed', eligible: undefined }),
];
const endorsees: ComplianceEndorsee[] = [
  ...Array.from({ length: 25 }, () => ({ category: 'IFA', county: '55025', status: 'compliant' as const })),
  ...Array.from({ length: 4 }, () => ({ category: 'IFA', county: '55025', status: 'lapsed' as const })),
];

let page: Promise<string> | undefined;
const html = () => {
  page ??= reportHtml(documentOf(sample, endorsees));
  return page;
};

describe('report.html', () => {
  it('draws every chart as inline SVG rendered from Vega-Lite', async () => {
    const text = await html();
    // 8 workforce + 8 disparity + 4 compliance charts and the county map (no trend chart: this release is the
    // only one), plus the hidden hatch definition.
    expect(text.match(/<svg [^>]*class="marks"/g)).toHaveLength(21);
    expect(text).toContain('<pattern id="suppressed-hatch"');
  });

  it('draws a withheld cell as a marker labelled "suppressed", never as a bar of any length nor a zero', async () => {
    const doc = documentOf(sample);
    const svg = await renderChart(workforceChartSpec('county', doc.workforce), 't');
    // Wood and Milwaukee applicants are withheld: each gets a point marker and a "suppressed" label, and no bar.
    const withheld = doc.workforce.filter((r) => r.dimension === 'county' && r.suppressed);
    expect(withheld.length).toBeGreaterThanOrEqual(2);
    for (const r of withheld) {
      const who = `group: ${label(r.group, r.groupName)}; population: ${r.population}`;
      expect(svg).toContain(`aria-label="x0: 0; ${who}" role="graphics-symbol" aria-roledescription="point"`);
      expect(svg).toContain(`aria-label="tx: 0; ${who}; text: suppressed"`);
      const bars = [...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"/g)];
      expect(bars.filter((b) => b[1]?.includes(who))).toEqual([]);
    }
    const text = await html();
    const milwaukeeRow = /<tr><th scope="row">Milwaukee County \(55079\)<\/th>(.*?)<\/tr>/.exec(text)?.[1] ?? '';
    expect(milwaukeeRow).toBe('<td class="num">0</td><td class="suppressed">suppressed</td>');
  });

  it('draws one "All groups" band when a whole breakdown is withheld, so zeros cannot show where people are', async () => {
    // 5 applicants: a total from 1 to 10 withholds every county, zeros included.
    const doc = documentOf([...people(5, {}), ...people(12, { population: 'endorsed', eligible: undefined })]);
    const svg = await renderChart(workforceChartSpec('county', doc.workforce), 't');
    expect(svg).toContain('group: All groups; population: applicants; text: suppressed');
    expect(svg).not.toMatch(/group: [^;]+ County \(\d{5}\); population: applicants/);
    // The endorsed counts (12, all in Dane) are still published per county.
    expect(svg).toContain('group: Dane County (55025); population: endorsed; text: 12');
  });

  it('escapes every text that comes from the data', async () => {
    const text = await html();
    expect(text).not.toContain('<script');
    expect(text).toContain(escapeHtml(HOSTILE_SECTOR));
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('needs nothing from the network to be viewed', async () => {
    const text = await html();
    expect(text).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(text).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(text).not.toMatch(/url\((?!#)/);
    expect(text).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
  });

  it('keeps chart element ids unique across the page', async () => {
    const ids = [...(await html()).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('summarises in words with published totals only', async () => {
    const text = await html();
    expect(text).toContain(
      'As of 2026-06-30, 25 people hold an endorsement that has not lapsed, and 77 people have applied.',
    );
    expect(text).toContain('39 applicants (50.6%) meet every requirement');
    const small = documentOf([...people(5, {}), ...people(12, { population: 'endorsed', eligible: undefined })]);
    const smallText = await reportHtml(small);
    expect(smallText).toContain('and a number of people too small to publish have applied.');
    expect(smallText).not.toMatch(/\b5 people/);
  });

  it('shows the rate of "Not reported" with no ratio, p-value or flag: it is never compared', async () => {
    // Prepare: 60 applicants gave no sector, the largest group, with the highest rate (45/60).
    // Head Start (20/40) and Child Care (12/30) are too few for a reliable rate, so neither is tested.
    const doc = documentOf([
      ...people(60, { sector: '' }, (i) => i < 45),
      ...people(40, {}, (i) => i < 20),
      ...people(30, { sector: 'Child Care' }, (i) => i < 12),
    ]);

    // Act
    const text = await reportHtml(doc);

    // Assess
    const sector = text.slice(text.indexOf('id="disparity-sector"'));
    const row = (group: string) => new RegExp(`<tr><th scope="row">${group}(.*?)</tr>`).exec(sector)?.[1] ?? '';
    expect(row('Not reported')).toBe(
      '</th><td class="num">60</td><td class="num">45</td><td class="num">75.0%</td><td class="num">62.8% – 84.2%</td><td>yes</td><td>not compared</td><td>not compared</td><td>not compared</td>',
    );
    expect(row('Head Start')).toContain('<td>no</td><td>not tested: rate unreliable</td>');
    expect(row('Head Start')).not.toContain('flagged');
    expect(text).toContain('“Not reported” shows its rate but is never compared and never flagged.');
  });

  it('holds no person field that the reports are not built from', async () => {
    // ReportPerson carries no id, name or email, so neither can the page; a stray one would be a type error.
    const withExtras = sample.map((p, i) => ({ ...p, personId: `WI-${i}`, email: `p${i}@example.org` }));
    const text = await reportHtml(documentOf(withExtras));
    expect(text).not.toMatch(/WI-\d|@example\.org/);
  });

  it('is the same page when charts were drawn before it in the process (the warm-up, an earlier page)', async () => {
    const first = await html();
    await warmUpCharts();
    await renderChart(workforceChartSpec('county', documentOf(sample).workforce), 'other');
    expect(await reportHtml(documentOf(sample, endorsees))).toBe(first);
  });
});
