/**
 * reports/report.html: one self-contained page (no script, no network at view time) with a summary
 * in words, tables, and Vega-Lite charts rendered to SVG when the report is built. The page is the
 * template below; charts.ts draws the charts, tables.ts the tables and summary.ts the words.
 */
import type { TopLevelSpec } from 'vega-lite';
import { NOT_REPORTED } from '../reference/reference.js';
import type { ReportSummary } from './build.js';
import { complianceChartSpec, disparityChartSpec, renderChart, resetChartIds, workforceChartSpec } from './charts.js';
import { COMPLIANCE_DIMENSIONS, type ComplianceRow } from './compliance.js';
import { DICTIONARY, type DictionaryLine, dictionaryLines } from './dictionary.js';
import type { DisparityRow } from './disparity.js';
import { COUNTY_MAP_TITLE, countyMapSection } from './map.js';
import { PAGE_STYLE } from './page-style.js';
import { DIMENSION_TITLES, lower } from './presentation.js';
import { flaggedGroupsTable, summaryParagraphs } from './summary.js';
import { complianceTable, disparityTable, workforceTable } from './tables.js';
import { escapeHtml, partial, template } from './template.js';
import type { Trend } from './trend.js';
import { TREND_TITLE, trendSection } from './trend-section.js';
import { DIMENSIONS, type Dimension, type WorkforceRow } from './workforce.js';

/** Everything the published report says: the numbers of report.json, which the page is drawn from. */
export interface ReportDocument {
  asOf: string;
  generatedAt: string;
  ruleset: { id: string; version: string; association: string; effectiveFrom: string };
  rule: {
    id: string;
    version: string;
    minPublishedCount: number;
    z: number;
    fourFifths: number;
    significance: number;
    /** The largest perturbation of a published count (0: exact counts). */
    maxNoise: number;
  };
  summary: ReportSummary;
  workforce: WorkforceRow[];
  disparity: DisparityRow[];
  compliance: ComplianceRow[];
  /** This release's statewide totals after those of the earlier releases (trend.ts); absent in older documents. */
  trend?: Trend;
}

/** One breakdown of a section: its heading, its chart (SVG, rendered here) and its table (HTML). */
export interface Breakdown {
  /** The fragment id of its heading: `<section>-<dimension>`. */
  id: string;
  title: string;
  caption: string;
  svg: string;
  table: string;
}

/**
 * A section of the page, listed in the table of contents with its breakdowns: its paragraphs (text,
 * escaped), its breakdowns, then `body`, markup this code made itself for a section with a layout
 * of its own.
 */
export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  breakdowns: Breakdown[];
  body?: string;
  /** Headings inside `body` the contents link to as they link to breakdowns. */
  links?: { id: string; title: string }[];
}

interface Page {
  doc: ReportDocument;
  title: string;
  style: string;
  sections: Section[];
}

// A section's breakdowns. The chart scrolls sideways on a narrow screen, so its box can take the
// keyboard's focus (tabindex) and says what it holds; the SVG is one image named by its caption, and
// its table is the same numbers in words. Data: { breakdowns: Breakdown[] }.
partial(
  'breakdowns',
  `
<%_ for (const b of it.breakdowns) { _%>
<h3 id="<%= b.id %>"><%= b.title %></h3>
<figure class="chart"><div class="scroll" tabindex="0" role="group" aria-labelledby="<%= b.id %>-caption"><%~ b.svg %></div><figcaption id="<%= b.id %>-caption" class="meta"><%= b.caption %></figcaption></figure>
<details><summary>Table: <%= b.caption %></summary><div class="scroll" tabindex="0" role="group" aria-label="Table: <%= b.caption %>"><%~ b.table %></div></details>
<%_ } _%>
`,
);

// The data dictionary: one table per file, drawn from DICTIONARY (dictionary.ts) like dictionary.csv.
const DICTIONARY_SECTION = template<{
  files: { id: string; name: string; about: string; fields: DictionaryLine[] }[];
}>(`
<p>Every column of the CSV files and every top-level field of the JSON files, as in dictionary.csv. report.html is this page and report.pdf, where present, the same page printed.</p>
<%_ for (const f of it.files) { %>
<h3 id="<%= f.id %>"><%= f.name %></h3>
<p><%= f.about %></p>
<div class="scroll" tabindex="0" role="group" aria-label="Fields of <%= f.name %>"><table class="dictionary"><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Meaning</th></tr></thead><tbody>
<%_ for (const line of f.fields) { %>
<tr><td><%= line.field %></td><td><%= line.type %></td><td><%= line.description %></td></tr>
<%_ } %>
</tbody></table></div>
<%_ } %>
`);

// The Content-Security-Policy lets the page load nothing and run nothing: only its own inline styles
// and data: images. The hidden SVG defines the hatch that every chart's "suppressed" colour points to.
// Landmarks (header, nav, main, footer) and the table of contents let a screen reader or keyboard
// user go straight to a section.
const PAGE = template<Page>(`<!DOCTYPE html>
<html lang="en">
<%~ include('@page-head', { title: it.title, style: it.style }) %>
<body>
<a class="skip" href="#main">Skip to the report</a>
<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs><pattern id="suppressed-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/></pattern></defs></svg>
<header>
<h1><%= it.title %></h1>
<p class="meta">Published figures as of <%= it.doc.asOf %>.</p>
</header>
<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>
<%_ for (const s of it.sections) { %>
<li><a href="#<%= s.id %>"><%= s.title %></a>
<%_ const entries = [...s.breakdowns, ...(s.links ?? [])]; _%>
<%_ if (entries.length > 0) { %><ol>
<%_ for (const e of entries) { _%>
<li><a href="#<%= e.id %>"><%= e.title %></a></li>
<%_ } _%>
</ol><% } %></li>
<%_ } %>
</ol></nav>
<main id="main">
<%_ for (const s of it.sections) { %>
<section id="<%= s.id %>" aria-labelledby="<%= s.id %>-title"><h2 id="<%= s.id %>-title"><%= s.title %></h2>
<%_ for (const p of s.paragraphs) { %>
<p><%= p %></p>
<%_ } _%>
<%~ include('@breakdowns', { breakdowns: s.breakdowns }) %>
<%_ if (s.body) { %><%~ s.body %><% } %>
</section>
<%_ } %>
</main>
<footer>
<p class="meta">Ruleset <%= it.doc.ruleset.id %> version <%= it.doc.ruleset.version %> (association <%= it.doc.ruleset.association %>, effective <%= it.doc.ruleset.effectiveFrom %>); publishing rule <%= it.doc.rule.id %> version <%= it.doc.rule.version %>. Built <%= it.doc.generatedAt %>. The same numbers are in workforce.csv, disparity.csv, compliance.csv and report.json; dictionary.csv describes their columns.</p>
</footer>
</body>
</html>
`);

/**
 * A chart's SVG as one image named by `name`. Vega marks each group of marks as a graphics object
 * or symbol of its own, unnamed (which screen readers announce one by one, and axe reports): those
 * roles go, and the root takes role="img" with the name, so the chart is read as one picture whose
 * numbers are in the table under it.
 */
export function chartImage(svg: string, name: string): string {
  return svg
    .replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(name)}" focusable="false" `);
}

/** The whole report page; pure apart from rendering charts, and the same numbers as report.json. */
export async function reportHtml(doc: ReportDocument): Promise<string> {
  resetChartIds();
  // Charts are numbered down the page, which keeps each chart's element ids unique and the page reproducible.
  let chartNo = 0;
  // One breakdown a dimension, charted and tabled; awaited in turn so the charts keep their numbers down the page.
  const breakdowns = async <D extends Dimension>(
    section: string,
    dimensions: readonly D[],
    chart: (d: D) => TopLevelSpec,
    caption: string,
    table: (d: D) => string,
  ): Promise<Breakdown[]> => {
    const out: Breakdown[] = [];
    for (const d of dimensions) {
      const title = DIMENSION_TITLES[d];
      const said = `${caption} ${lower(title)}`;
      const svg = await renderChart(chart(d), `c${++chartNo}`);
      out.push({
        id: `${section}-${d.replaceAll('_', '-')}`,
        title,
        caption: said,
        svg: chartImage(svg, `Chart: ${said}. The table under it gives every number.`),
        table: table(d),
      });
    }
    return out;
  };
  const sections: Section[] = [
    {
      id: 'summary',
      title: 'Summary',
      paragraphs: summaryParagraphs(doc),
      breakdowns: [],
      body: flaggedGroupsTable(doc),
    },
    { id: 'trend', title: TREND_TITLE, paragraphs: [], breakdowns: [], body: await trendSection(doc) },
    {
      id: 'workforce',
      title: 'Workforce',
      paragraphs: [],
      breakdowns: await breakdowns(
        'workforce',
        DIMENSIONS,
        (d) => workforceChartSpec(d, doc.workforce),
        'Endorsed people and applicants by',
        (d) => workforceTable(d, doc.workforce),
      ),
    },
    {
      id: 'county-map',
      title: COUNTY_MAP_TITLE,
      paragraphs: [],
      breakdowns: [],
      body: await countyMapSection(doc.workforce, doc.rule.minPublishedCount),
    },
    {
      id: 'disparity',
      title: 'Eligibility disparity',
      paragraphs: [
        `Rate: eligible applicants over applicants, with a Wilson 95% interval (z = ${doc.rule.z}). Each group of a demographic breakdown is compared with the rest: every other applicant whose value in that breakdown is reported. The ratio is the group's rate over the rest's; the p-value is from a two-proportion z-test, adjusted (Benjamini–Hochberg) over the groups tested in the breakdown. A group is flagged when the ratio is below ${doc.rule.fourFifths} and the adjusted p-value below ${doc.rule.significance}. A rate that fails the NCHS reliability standard for proportions is marked unreliable and not tested. Category, tier and education are context: the requirements depend on them, so they are shown without a comparison. “${NOT_REPORTED}” shows its rate but is never compared and never flagged.`,
      ],
      breakdowns: await breakdowns(
        'disparity',
        DIMENSIONS,
        (d) => disparityChartSpec(d, doc.disparity),
        'Eligibility rate by',
        (d) => disparityTable(d, doc.disparity),
      ),
    },
    {
      id: 'compliance',
      title: 'Renewal compliance',
      paragraphs: [],
      breakdowns: await breakdowns(
        'compliance',
        COMPLIANCE_DIMENSIONS,
        (d) => complianceChartSpec(d, doc.compliance),
        'Renewal status of endorsees by',
        (d) => complianceTable(d, doc.compliance),
      ),
    },
    dictionarySection(),
  ];
  return PAGE({
    doc,
    title: `Infant and Early Childhood Mental Health Endorsement: workforce report as of ${doc.asOf}`,
    style: PAGE_STYLE,
    sections,
  });
}

/** The data dictionary's section, a table per file, each file linked from the contents. */
function dictionarySection(): Section {
  const lines = dictionaryLines();
  const files = Object.entries(DICTIONARY).map(([name, entry]) => ({
    id: `dictionary-${name.replace('.', '-')}`,
    name,
    about: entry.about,
    fields: lines.filter((l) => l.file === name),
  }));
  return {
    id: 'dictionary',
    title: 'Data dictionary',
    paragraphs: [],
    breakdowns: [],
    body: DICTIONARY_SECTION({ files }),
    links: files.map((f) => ({ id: f.id, title: f.name })),
  };
}
