/**
 * reports/report.html: one self-contained page (no script, no network at view time) with a summary
 * in words, tables, and Vega-Lite charts rendered to SVG when the report is built. The page is the
 * template below; charts.ts draws the charts, tables.ts the tables and summary.ts the words.
 */
import type { TopLevelSpec } from 'vega-lite';
import { NOT_REPORTED } from '../reference/reference.js';
import type { ReportSummary } from './build.js';
import { complianceChartSpec, disparityChartSpec, renderChart, workforceChartSpec } from './charts.js';
import { COMPLIANCE_DIMENSIONS, type ComplianceRow } from './compliance.js';
import type { DisparityRow } from './disparity.js';
import { COUNTY_MAP_TITLE, countyMapSection } from './map.js';
import { DIMENSION_TITLES, lower } from './presentation.js';
import { summaryParagraphs } from './summary.js';
import { complianceTable, disparityTable, workforceTable } from './tables.js';
import type { Trend } from './trend.js';
import { TREND_TITLE, trendSection } from './trend-section.js';
import { partial, template } from './template.js';
import { DIMENSIONS, type Dimension, type WorkforceRow } from './workforce.js';

/** Everything the published report says: the numbers of report.json, which the page is drawn from. */
export interface ReportDocument {
  asOf: string;
  generatedAt: string;
  ruleset: { id: string; version: string; association: string; effectiveFrom: string };
  rule: { id: string; version: string; minPublishedCount: number; z: number; fourFifths: number };
  summary: ReportSummary;
  workforce: WorkforceRow[];
  disparity: DisparityRow[];
  compliance: ComplianceRow[];
  /** This release's statewide totals after those of the earlier releases (trend.ts); absent in older documents. */
  trend?: Trend;
}

/** One breakdown of a section: its heading, its chart (SVG, rendered here) and its table (HTML). */
interface Breakdown {
  title: string;
  caption: string;
  svg: string;
  table: string;
}

interface Page {
  doc: ReportDocument;
  title: string;
  summary: string[];
  notReported: string;
  workforce: Breakdown[];
  disparity: Breakdown[];
  compliance: Breakdown[];
  /** The bodies of the trend's and the map's sections (trend-section.ts, map.ts). */
  trend: string;
  countyMap: string;
  titles: { trend: string; countyMap: string };
}

// A section's breakdowns, a line break between them (none before the first).
// Data: { breakdowns: Breakdown[] }.
partial(
  'breakdowns',
  `
<%_ it.breakdowns.forEach((b, i) => { _%>
<%_ if (i > 0) { %>
<% } _%>
<h3><%= b.title %></h3>
<figure class="chart" role="img" aria-label="<%= b.caption %>"><%~ b.svg %><figcaption class="meta"><%= b.caption %></figcaption></figure>
<details><summary>Table</summary><%~ b.table %></details>
<%_ }) _%>
`,
);

// The Content-Security-Policy lets the page load nothing and run nothing: only its own inline styles
// and data: images. The hidden SVG defines the hatch that every chart's "suppressed" colour points to.
const PAGE = template<Page>(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %></title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.suppressed{color:#555;font-style:italic;background:repeating-linear-gradient(45deg,#f4f4f4 0 4px,#e2e2e2 4px 8px)}
.flag{color:#b00}.chart{margin:.5rem 0;overflow-x:auto}details{margin-bottom:1rem}
.meta{color:#555;font-size:.85rem}
</style>
</head>
<body>
<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><pattern id="suppressed-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/></pattern></defs></svg>
<h1><%= it.title %></h1>
<section id="summary"><h2>Summary</h2>
<%_ for (const paragraph of it.summary) { %>
<p><%= paragraph %></p>
<%_ } %>
<p class="meta">Ruleset <%= it.doc.ruleset.id %> version <%= it.doc.ruleset.version %> (association <%= it.doc.ruleset.association %>, effective <%= it.doc.ruleset.effectiveFrom %>); publishing rule <%= it.doc.rule.id %> version <%= it.doc.rule.version %>. Built <%= it.doc.generatedAt %>. The same numbers are in workforce.csv, disparity.csv, compliance.csv and report.json.</p>
</section>
<section id="trend"><h2><%= it.titles.trend %></h2><%~ it.trend %></section>
<section id="workforce"><h2>Workforce</h2><%~ include('@breakdowns', { breakdowns: it.workforce }) %></section>
<section id="county-map"><h2><%= it.titles.countyMap %></h2><%~ it.countyMap %></section>
<section id="disparity"><h2>Eligibility disparity</h2><p>Rate: eligible applicants over applicants, with a Wilson 95% interval (z = <%= it.doc.rule.z %>). The ratio compares each group's rate with the reference group (the published group with the most applicants). A group is flagged when its rate is below <%= it.doc.rule.fourFifths %> of the highest published rate in its breakdown. “<%= it.notReported %>” shows its rate but is never the reference, never compared and never flagged.</p><%~ include('@breakdowns', { breakdowns: it.disparity }) %></section>
<section id="compliance"><h2>Renewal compliance</h2><%~ include('@breakdowns', { breakdowns: it.compliance }) %></section>
</body>
</html>
`);

/** The whole report page; pure apart from rendering charts, and the same numbers as report.json. */
export async function reportHtml(doc: ReportDocument): Promise<string> {
  // Charts are numbered down the page, which keeps each chart's element ids unique and the page reproducible.
  let chartNo = 0;
  // One breakdown a dimension, charted and tabled; awaited in turn so the charts keep their numbers down the page.
  const breakdowns = async <D extends Dimension>(
    dimensions: readonly D[],
    chart: (d: D) => TopLevelSpec,
    caption: string,
    table: (d: D) => string,
  ): Promise<Breakdown[]> => {
    const out: Breakdown[] = [];
    for (const d of dimensions) {
      const title = DIMENSION_TITLES[d];
      out.push({
        title,
        caption: `${caption} ${lower(title)}`,
        svg: await renderChart(chart(d), `c${++chartNo}`),
        table: table(d),
      });
    }
    return out;
  };
  const workforce = await breakdowns(
    DIMENSIONS,
    (d) => workforceChartSpec(d, doc.workforce),
    'Endorsed people and applicants by',
    (d) => workforceTable(d, doc.workforce),
  );
  const disparity = await breakdowns(
    DIMENSIONS,
    (d) => disparityChartSpec(d, doc.disparity),
    'Eligibility rate by',
    (d) => disparityTable(d, doc.disparity),
  );
  const compliance = await breakdowns(
    COMPLIANCE_DIMENSIONS,
    (d) => complianceChartSpec(d, doc.compliance),
    'Renewal status of endorsees by',
    (d) => complianceTable(d, doc.compliance),
  );
  const trend = await trendSection(doc);
  const countyMap = await countyMapSection(doc.workforce, doc.rule.minPublishedCount);
  return PAGE({
    doc,
    trend,
    countyMap,
    titles: { trend: TREND_TITLE, countyMap: COUNTY_MAP_TITLE },
    title: `Infant and Early Childhood Mental Health Endorsement: workforce report as of ${doc.asOf}`,
    summary: summaryParagraphs(doc),
    notReported: NOT_REPORTED,
    workforce,
    disparity,
    compliance,
  });
}
