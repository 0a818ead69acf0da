/**
 * The report page's trend section: the statewide totals of this release and the earlier ones it is
 * compared with (trend.ts), as a small line chart rendered to SVG when the report is built and as a
 * table. A withheld total is a gap in its line and "suppressed" in the table, never a zero.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from './charts.js';
import { COMPLIANCE_STATUSES } from './compliance.js';
import { withoutRoles } from './map.js';
import { integer, percent, STATUS_TITLES, SUPPRESSED } from './presentation.js';
import { template } from './template.js';
import { buildTrend, releasePoint, TREND_COUNTS, type Trend, type TrendCount, type TrendPoint } from './trend.js';

export const TREND_TITLES: Record<TrendCount, string> = {
  endorsed: 'Endorsed (not lapsed)',
  applicants: 'Applicants',
  eligible: 'Eligible applicants',
};

/** Line colours with at least 4.5:1 contrast against white; each line has its own point shape too. */
const LINE_COLOURS = ['#4e79a7', '#b35806', '#1b7837'];
const LINE_SHAPES = ['circle', 'square', 'triangle-up'];

/** What a table cell reads for a total an older release did not publish. */
export const NOT_IN_RELEASE = '–';

/** Two panels over the release dates: the counts, and the eligibility rate; withheld or missing values break the line. */
export function trendChartSpec(trend: Trend): TopLevelSpec {
  const dates = trend.points.map((p) => p.asOf);
  const counts = trend.points.flatMap((p) =>
    TREND_COUNTS.map((key) => ({ asOf: p.asOf, measure: TREND_TITLES[key], value: p[key] ?? null })),
  );
  const rates = trend.points.map((p) => ({ asOf: p.asOf, rate: p.eligibilityRate ?? null }));
  // A null value leaves a gap instead of a line drawn across a release that published no number.
  const line = { type: 'line', point: { filled: true, size: 45 }, invalid: 'break-paths-show-domains' } as const;
  const x = {
    field: 'asOf',
    type: 'ordinal',
    title: 'release (as of)',
    sort: dates,
    scale: { domain: dates },
    axis: { labelAngle: 0 },
  } as const;
  return {
    config: {
      aria: false,
      font: 'system-ui, sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11 },
      legend: { orient: 'top', title: null, labelFontSize: 11, labelLimit: 0 },
    },
    vconcat: [
      {
        width: 460,
        height: 160,
        data: { values: counts },
        mark: line,
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'people' },
          color: {
            field: 'measure',
            type: 'nominal',
            scale: { domain: TREND_COUNTS.map((k) => TREND_TITLES[k]), range: LINE_COLOURS },
          },
          shape: {
            field: 'measure',
            type: 'nominal',
            scale: { domain: TREND_COUNTS.map((k) => TREND_TITLES[k]), range: LINE_SHAPES },
          },
        },
      },
      {
        width: 460,
        height: 90,
        data: { values: rates },
        mark: { ...line, color: LINE_COLOURS[2], point: { ...line.point, color: LINE_COLOURS[2] } },
        encoding: {
          x,
          y: {
            field: 'rate',
            type: 'quantitative',
            title: 'eligibility rate',
            scale: { domain: [0, 1] },
            axis: { format: '%', tickCount: 3 },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

interface TrendCell {
  text: string;
  className?: 'num' | 'suppressed';
}

interface TrendTable {
  columns: string[];
  rows: { asOf: string; cells: TrendCell[] }[];
}

const cell = (value: number | null | undefined, format: (n: number) => string): TrendCell =>
  value === undefined
    ? { text: NOT_IN_RELEASE }
    : value === null
      ? { text: SUPPRESSED, className: 'suppressed' }
      : { text: format(value), className: 'num' };

const TABLE = template<TrendTable>(`<table><thead><tr><th scope="col">As of</th>
<%_ for (const column of it.columns) { _%>
<th scope="col"><%= column %></th>
<%_ } _%>
</tr></thead><tbody>
<%_ for (const row of it.rows) { %>
<tr><th scope="row"><%= row.asOf %></th>
<%_ for (const c of row.cells) { _%>
<td<% if (c.className) { %> class="<%= c.className %>"<% } %>><%= c.text %></td>
<%_ } _%>
</tr>
<%_ } %>
</tbody></table>`);

/** The trend as a table, one release a row; renewal statuses only when some release published them. */
export function trendTable(trend: Trend): string {
  const withCompliance = trend.points.some((p) => p.compliance !== undefined);
  const statuses = withCompliance ? COMPLIANCE_STATUSES : [];
  const format = (n: number) => integer.format(n);
  return TABLE({
    columns: [
      ...TREND_COUNTS.map((k) => TREND_TITLES[k]),
      'Eligibility rate',
      ...statuses.map((s) => `Endorsees: ${STATUS_TITLES[s].toLowerCase()}`),
    ],
    rows: trend.points.map((p: TrendPoint) => ({
      asOf: p.asOf,
      cells: [
        ...TREND_COUNTS.map((k) => cell(p[k], format)),
        cell(p.eligibilityRate, (n) => percent.format(n)),
        ...statuses.map((s) => cell(p.compliance === undefined ? undefined : p.compliance[s], format)),
      ],
    })),
  });
}

interface Section {
  earlier: number;
  description: string;
  svg: string | undefined;
  table: string;
  notInRelease: string;
}

/** The heading of the trend's section of the page. */
export const TREND_TITLE = 'Over time';

// The figure is one image named by its description (the SVG inside has no roles of its own); the
// table is its alternative as text.
const SECTION = template<Section>(`
<%_ if (it.svg === undefined) { %>
<p>No earlier dated release to compare with yet: later releases will show how these totals change.</p>
<%_ } else { %>
<p>The statewide totals of this release and of the <%= it.earlier %> dated release<%= it.earlier === 1 ? '' : 's' %> before it, as each published them: a withheld total is a gap in its line, and a total an older release did not publish is a dash (<%= it.notInRelease %>) in the table.</p>
<figure class="chart" role="img" aria-label="<%= it.description %>"><%~ it.svg %><figcaption class="meta"><%= it.description %> The numbers are in the table below.</figcaption></figure>
<%_ } %>
<details><summary>Table: statewide totals by release</summary><%~ it.table %></details>
`);

/** What the trend section is drawn from: a report document, whose trend is absent in older ones. */
export interface TrendSource {
  asOf: string;
  rule: { minPublishedCount: number };
  trend?: Trend;
}

/** The body of the page's trend section; the chart only when there is an earlier release to draw a line to. */
export async function trendSection(doc: TrendSource): Promise<string> {
  // A document without a trend (built before trends were) is a trend of its own release alone.
  const trend = doc.trend ?? buildTrend(releasePoint(doc, doc.rule.minPublishedCount) ?? { asOf: doc.asOf }, [], 0);
  const first = trend.points[0];
  const last = trend.points.at(-1);
  const earlier = trend.points.length - 1;
  const description =
    first && last
      ? `Line chart of endorsed people, applicants and eligible applicants, and of the eligibility rate, in the ${trend.points.length} releases from ${first.asOf} to ${last.asOf}.`
      : '';
  return SECTION({
    earlier,
    description,
    svg: earlier > 0 ? withoutRoles(await renderChart(trendChartSpec(trend), 'trend')) : undefined,
    table: trendTable(trend),
    notInRelease: NOT_IN_RELEASE,
  });
}
