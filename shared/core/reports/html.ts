/**
 * reports/report.html: one self-contained page (no script, no network at view time) with a summary
 * in words, tables, and Vega-Lite charts rendered to SVG when the report is built.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { NOT_REPORTED } from '../reference/reference.js';
import type { ReportSummary } from './build.js';
import { COMPLIANCE_DIMENSIONS, COMPLIANCE_STATUSES, type ComplianceRow } from './compliance.js';
import type { DisparityRow } from './disparity.js';
import { DIMENSIONS, type Dimension, POPULATIONS, type WorkforceRow } from './workforce.js';

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
}

const DIMENSION_TITLES: Record<Dimension, string> = {
  category: 'Endorsement category',
  county: 'County (FIPS code)',
  race_ethnicity: 'Race and ethnicity (SPD-15)',
  primary_language: 'Primary language',
  sector: 'Sector',
};

const STATUS_TITLES: Record<(typeof COMPLIANCE_STATUSES)[number], string> = {
  compliant: 'Compliant',
  in_progress: 'In progress',
  at_risk: 'At risk',
  lapsed: 'Lapsed',
  exempt: 'Exempt',
};

/** Chart colours (Tableau 10, readable in grey scale too); suppressed cells use the hatch pattern instead. */
const POPULATION_COLOURS = ['#4e79a7', '#f28e2b'];
const STATUS_COLOURS = ['#59a14f', '#4e79a7', '#f28e2b', '#e15759', '#bab0ac'];
const HATCH = 'url(#suppressed-hatch)';
const SUPPRESSED = 'suppressed';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A group as shown: category codes first (the names are long), county names with their FIPS code. */
function label(group: string, name: string): string {
  if (name === group) return group;
  return /^\d{5}$/.test(group) ? `${name} (${group})` : `${group} · ${name}`;
}

const lower = (title: string): string => title.charAt(0).toLowerCase() + title.slice(1);

/** Renders a Vega-Lite spec to standalone SVG text, in Node, without a canvas (text widths are estimated). */
export async function renderChart(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // Several SVGs share one document: element ids (clip paths, gradients) must be unique across them.
    // The namespace attributes are dropped because inline SVG in HTML needs none, so the page holds no URL at all.
    return svg
      .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
      .replace(/ id="([^"]+)"/g, ` id="${idPrefix}-$1"`)
      .replace(/url\(#(?!suppressed-hatch)([^)]+)\)/g, `url(#${idPrefix}-$1)`);
  } finally {
    view.finalize();
  }
}

/** The label of the one band drawn when a whole breakdown is withheld (its total is from 1 to threshold − 1). */
const ALL_GROUPS = 'All groups';

/** True when every row is withheld: then one band says so instead of one per group. */
const allWithheld = (rows: readonly { suppressed: boolean }[]): boolean =>
  rows.length > 0 && rows.every((r) => r.suppressed);

const baseConfig = {
  font: 'system-ui, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { orient: 'top', title: null, labelFontSize: 11 },
} as const;

/** Grouped bars of endorsed and applicant counts per group; suppressed cells as a hatched band labelled "suppressed". */
export function workforceChartSpec(dimension: Dimension, rows: readonly WorkforceRow[]): TopLevelSpec {
  const mine = rows.filter((r) => r.dimension === dimension);
  const max = Math.max(1, ...mine.map((r) => r.count ?? 0));
  const name = (r: WorkforceRow): string =>
    allWithheld(mine.filter((x) => x.population === r.population)) ? ALL_GROUPS : label(r.group, r.groupName);
  const order = [...new Set(mine.map(name))];
  const seen = new Set<string>();
  const once = mine.filter((r) => {
    const key = `${name(r)}|${r.population}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const values = once.map((r) => ({
    group: name(r),
    population: r.population,
    shown: r.suppressed ? SUPPRESSED : r.population,
    x0: 0,
    x1: r.suppressed ? max : (r.count ?? 0),
    text: r.suppressed ? SUPPRESSED : integer.format(r.count ?? 0),
    tx: r.suppressed ? 0 : (r.count ?? 0),
  }));
  return {
    config: baseConfig,
    width: 460,
    height: { step: 9 },
    data: { values },
    encoding: {
      y: { field: 'group', type: 'nominal', sort: order, title: null, axis: { labelLimit: 420 } },
      yOffset: { field: 'population', type: 'nominal', sort: [...POPULATIONS] },
    },
    layer: [
      {
        mark: { type: 'bar', stroke: '#777', strokeWidth: 0.3 },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'people' },
          x2: { field: 'x1' },
          color: {
            field: 'shown',
            type: 'nominal',
            scale: { domain: [...POPULATIONS, SUPPRESSED], range: [...POPULATION_COLOURS, HATCH] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 8 },
        encoding: { x: { field: 'tx', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  } as TopLevelSpec;
}

/** Eligibility rate with its Wilson interval per group; suppressed groups as a hatched band, flagged groups in red. */
export function disparityChartSpec(dimension: Dimension, rows: readonly DisparityRow[]): TopLevelSpec {
  // Groups with no applicants have no rate to draw; the table still lists them.
  let mine = rows.filter((r) => r.dimension === dimension && (r.suppressed || (r.applicants ?? 0) > 0));
  const collapsed = allWithheld(rows.filter((r) => r.dimension === dimension));
  if (collapsed) mine = mine.slice(0, 1);
  const values = mine.map((r) => {
    const shown = r.suppressed || r.rate === null ? SUPPRESSED : r.fourFifthsFlag ? 'below four-fifths' : 'rate';
    return {
      group: collapsed ? ALL_GROUPS : label(r.group, r.groupName) + (r.reference ? ' [reference]' : ''),
      shown,
      rate: r.rate,
      low: r.ciLow,
      high: r.ciHigh,
      x0: 0,
      x1: 1,
      tx: shown === SUPPRESSED ? 0 : (r.ciHigh ?? 0),
      text: shown === SUPPRESSED ? SUPPRESSED : percent.format(r.rate ?? 0),
    };
  });
  const published = 'datum.shown !== "suppressed"';
  return {
    config: baseConfig,
    width: 460,
    height: { step: 18 },
    data: { values },
    encoding: { y: { field: 'group', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } } },
    layer: [
      {
        transform: [{ filter: `!(${published})` }],
        mark: { type: 'bar', height: 12, stroke: '#777', strokeWidth: 0.3 },
        encoding: {
          x: { field: 'x0', type: 'quantitative' },
          x2: { field: 'x1' },
          color: { field: 'shown', type: 'nominal', scale: { domain: ['rate', 'below four-fifths', SUPPRESSED] } },
        },
      },
      {
        transform: [{ filter: published }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color: { field: 'shown' } },
      },
      {
        transform: [{ filter: published }],
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x: {
            field: 'rate',
            type: 'quantitative',
            title: 'eligible / applicants, with 95% interval',
            scale: { domain: [0, 1] },
            axis: { format: '%' },
          },
          color: {
            field: 'shown',
            type: 'nominal',
            scale: { domain: ['rate', 'below four-fifths', SUPPRESSED], range: ['#4e79a7', '#e15759', HATCH] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 9 },
        encoding: { x: { field: 'tx', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

/** Stacked renewal statuses per group; suppressed groups as a hatched band. */
export function complianceChartSpec(dimension: (typeof COMPLIANCE_DIMENSIONS)[number], rows: readonly ComplianceRow[]) {
  const mine = rows.filter((r) => r.dimension === dimension);
  const totals = new Map<string, number>();
  for (const r of mine) totals.set(r.group, (totals.get(r.group) ?? 0) + (r.count ?? 0));
  const max = Math.max(1, ...totals.values());
  // Groups without endorsees are left out of the chart; the table lists them.
  const shownGroups = new Set(mine.filter((r) => r.suppressed || (r.count ?? 0) > 0).map((r) => r.group));
  const values = [];
  if (allWithheld(mine)) {
    values.push({ group: ALL_GROUPS, shown: SUPPRESSED, n: null, x0: 0, x1: max, order: 0 });
    shownGroups.clear();
  }
  for (const r of mine) {
    if (!shownGroups.has(r.group)) continue;
    if (r.suppressed) {
      // One band per suppressed group, not one per status.
      if (r.status !== COMPLIANCE_STATUSES[0]) continue;
      values.push({ group: label(r.group, r.groupName), shown: SUPPRESSED, n: null, x0: 0, x1: max, order: 0 });
    } else if ((r.count ?? 0) > 0) {
      values.push({
        group: label(r.group, r.groupName),
        shown: STATUS_TITLES[r.status],
        n: r.count,
        x0: null,
        x1: null,
        order: COMPLIANCE_STATUSES.indexOf(r.status),
      });
    }
  }
  const domain = [...COMPLIANCE_STATUSES.map((s) => STATUS_TITLES[s]), SUPPRESSED];
  const color = {
    field: 'shown',
    type: 'nominal',
    scale: { domain, range: [...STATUS_COLOURS, HATCH] },
  };
  return {
    config: { ...baseConfig, legend: { ...baseConfig.legend, orient: 'right' } },
    width: 460,
    height: { step: 16 },
    data: { values },
    encoding: { y: { field: 'group', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } } },
    layer: [
      {
        transform: [{ filter: 'datum.shown !== "suppressed"' }],
        mark: { type: 'bar', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'n', type: 'quantitative', stack: 'zero', title: 'endorsees' },
          color,
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        transform: [{ filter: 'datum.shown === "suppressed"' }],
        mark: { type: 'bar', stroke: '#777', strokeWidth: 0.3 },
        encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' }, color },
      },
      {
        transform: [{ filter: 'datum.shown === "suppressed"' }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 9 },
        encoding: { x: { field: 'x0', type: 'quantitative' }, text: { value: SUPPRESSED } },
      },
    ],
  } as TopLevelSpec;
}

const cell = (value: number | null, format: (n: number) => string = (n) => integer.format(n)): string =>
  value === null ? `<td class="suppressed">${SUPPRESSED}</td>` : `<td class="num">${escapeHtml(format(value))}</td>`;

function workforceTable(dimension: Dimension, rows: readonly WorkforceRow[]): string {
  const byGroup = new Map<string, { name: string; counts: Partial<Record<string, number | null>> }>();
  for (const r of rows.filter((x) => x.dimension === dimension)) {
    const entry = byGroup.get(r.group) ?? { name: r.groupName, counts: {} };
    entry.counts[r.population] = r.count;
    byGroup.set(r.group, entry);
  }
  const body = [...byGroup]
    .map(
      ([group, e]) =>
        `<tr><th scope="row">${escapeHtml(label(group, e.name))}</th>${POPULATIONS.map((p) => cell(e.counts[p] ?? null)).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th scope="col">Group</th><th scope="col">Endorsed (not lapsed)</th><th scope="col">Applicants</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function disparityTable(dimension: Dimension, rows: readonly DisparityRow[]): string {
  const body = rows
    .filter((r) => r.dimension === dimension)
    .map((r) => {
      const interval =
        r.ciLow === null || r.ciHigh === null
          ? r.suppressed
            ? `<td class="suppressed">${SUPPRESSED}</td>`
            : '<td>–</td>'
          : `<td class="num">${escapeHtml(`${percent.format(r.ciLow)} – ${percent.format(r.ciHigh)}`)}</td>`;
      // "Not reported" shows its rate but is never compared (domain.md, "Disparity measures").
      const notCompared = r.group === NOT_REPORTED && !r.suppressed && r.rate !== null;
      const flag =
        r.fourFifthsFlag === null
          ? notCompared
            ? '<td>not compared</td>'
            : r.suppressed
              ? `<td class="suppressed">${SUPPRESSED}</td>`
              : '<td>–</td>'
          : `<td>${r.fourFifthsFlag ? '<strong class="flag">below four-fifths</strong>' : 'no'}</td>`;
      const rateCell = (v: number | null, f: (n: number) => string) =>
        v === null && !r.suppressed ? '<td>–</td>' : cell(v, f);
      return `<tr><th scope="row">${escapeHtml(label(r.group, r.groupName))}${r.reference ? ' <em>(reference)</em>' : ''}</th>${cell(r.applicants)}${cell(r.eligible)}${rateCell(r.rate, (n) => percent.format(n))}${interval}${notCompared ? '<td>not compared</td>' : rateCell(r.ratioToReference, (n) => ratio.format(n))}${flag}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr><th scope="col">Group</th><th scope="col">Applicants</th><th scope="col">Eligible</th><th scope="col">Rate</th><th scope="col">95% interval</th><th scope="col">Ratio to reference</th><th scope="col">Four-fifths flag</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function complianceTable(dimension: string, rows: readonly ComplianceRow[]): string {
  const byGroup = new Map<string, { name: string; counts: Partial<Record<string, number | null>> }>();
  for (const r of rows.filter((x) => x.dimension === dimension)) {
    const entry = byGroup.get(r.group) ?? { name: r.groupName, counts: {} };
    entry.counts[r.status] = r.count;
    byGroup.set(r.group, entry);
  }
  const head = COMPLIANCE_STATUSES.map((s) => `<th scope="col">${escapeHtml(STATUS_TITLES[s])}</th>`).join('');
  const body = [...byGroup]
    .map(
      ([group, e]) =>
        `<tr><th scope="row">${escapeHtml(label(group, e.name))}</th>${COMPLIANCE_STATUSES.map((s) => cell(e.counts[s] ?? null)).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th scope="col">Group</th>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The summary in words; every number in it is a published total or derived from published totals only. */
export function summaryParagraphs(doc: ReportDocument): string[] {
  const { totals } = doc.summary;
  const min = doc.rule.minPublishedCount;
  const count = (n: number | null, noun: string) =>
    n === null ? `a number of ${noun} too small to publish` : `${integer.format(n)} ${noun}`;
  const paragraphs: string[] = [];
  let first = `As of ${doc.asOf}, ${count(totals.endorsed, 'people')} hold an endorsement that has not lapsed, and ${count(totals.applicants, 'people')} have applied.`;
  if (totals.applicants !== null && totals.eligible !== null && totals.applicants > 0) {
    first += ` ${integer.format(totals.eligible)} applicants (${percent.format(totals.eligible / totals.applicants)}) meet every requirement of the ruleset ${doc.ruleset.id} (version ${doc.ruleset.version}).`;
  }
  paragraphs.push(first);

  const flagged = doc.disparity.filter((r) => r.fourFifthsFlag === true);
  if (flagged.length === 0) {
    paragraphs.push("No published group's eligibility rate is below four-fifths of the highest rate in its breakdown.");
  } else {
    const byDimension = DIMENSIONS.map((d) => {
      const groups = flagged.filter((r) => r.dimension === d);
      return groups.length === 0
        ? ''
        : `${lower(DIMENSION_TITLES[d])}: ${groups.map((r) => `${label(r.group, r.groupName)} (${percent.format(r.rate ?? 0)})`).join(', ')}`;
    }).filter((s) => s !== '');
    paragraphs.push(
      `Eligibility rates below four-fifths of the highest rate in their breakdown (a sign of possible disparity, 29 CFR 1607.4(D)) — ${byDimension.join('; ')}.`,
    );
  }

  const category = doc.compliance.filter((r) => r.dimension === 'category');
  if (category.length > 0 && category.every((r) => !r.suppressed)) {
    const byStatus = COMPLIANCE_STATUSES.map((s) => {
      const n = category.filter((r) => r.status === s).reduce((sum, r) => sum + (r.count ?? 0), 0);
      return `${integer.format(n)} ${STATUS_TITLES[s].toLowerCase()}`;
    });
    paragraphs.push(`Renewal of endorsements this year: ${byStatus.join(', ')}.`);
  }

  const withheld =
    doc.summary.suppressed.workforceCells +
    doc.summary.suppressed.disparityRows +
    new Set(doc.compliance.filter((r) => r.suppressed).map((r) => `${r.dimension}|${r.group}`)).size;
  paragraphs.push(
    `To protect privacy, no count from 1 to ${min - 1} is published, nor any rate or ratio computed from one, and further cells are withheld where they would let a withheld count be worked out (${integer.format(withheld)} cells or rows withheld in all). Withheld cells read "suppressed" in the tables and are drawn as hatched bars in the charts: they are not zero.`,
  );
  return paragraphs;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.suppressed{color:#555;font-style:italic;background:repeating-linear-gradient(45deg,#f4f4f4 0 4px,#e2e2e2 4px 8px)}
.flag{color:#b00}.chart{margin:.5rem 0;overflow-x:auto}details{margin-bottom:1rem}
.meta{color:#555;font-size:.85rem}
`;

/** The hatch every chart's "suppressed" colour points to; defined once in the page. */
const HATCH_DEFS = `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><pattern id="suppressed-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/></pattern></defs></svg>`;

const figure = (svg: string, caption: string): string =>
  `<figure class="chart" role="img" aria-label="${escapeHtml(caption)}">${svg}<figcaption class="meta">${escapeHtml(caption)}</figcaption></figure>`;

/** The whole report page; pure apart from rendering charts, and the same numbers as report.json. */
export async function reportHtml(doc: ReportDocument): Promise<string> {
  const sections: string[] = [];
  let chartNo = 0;
  const chart = async (spec: TopLevelSpec, caption: string) =>
    figure(await renderChart(spec, `c${++chartNo}`), caption);

  const workforce: string[] = [];
  for (const d of DIMENSIONS) {
    workforce.push(
      `<h3>${escapeHtml(DIMENSION_TITLES[d])}</h3>`,
      await chart(
        workforceChartSpec(d, doc.workforce),
        `Endorsed people and applicants by ${lower(DIMENSION_TITLES[d])}`,
      ),
      `<details><summary>Table</summary>${workforceTable(d, doc.workforce)}</details>`,
    );
  }
  sections.push(`<section id="workforce"><h2>Workforce</h2>${workforce.join('\n')}</section>`);

  const disparity: string[] = [];
  for (const d of DIMENSIONS) {
    disparity.push(
      `<h3>${escapeHtml(DIMENSION_TITLES[d])}</h3>`,
      await chart(disparityChartSpec(d, doc.disparity), `Eligibility rate by ${lower(DIMENSION_TITLES[d])}`),
      `<details><summary>Table</summary>${disparityTable(d, doc.disparity)}</details>`,
    );
  }
  sections.push(
    `<section id="disparity"><h2>Eligibility disparity</h2><p>Rate: eligible applicants over applicants, with a Wilson 95% interval (z = ${escapeHtml(String(doc.rule.z))}). The ratio compares each group's rate with the reference group (the published group with the most applicants). A group is flagged when its rate is below ${escapeHtml(String(doc.rule.fourFifths))} of the highest published rate in its breakdown. “${escapeHtml(NOT_REPORTED)}” shows its rate but is never the reference, never compared and never flagged.</p>${disparity.join('\n')}</section>`,
  );

  const compliance: string[] = [];
  for (const d of COMPLIANCE_DIMENSIONS) {
    compliance.push(
      `<h3>${escapeHtml(DIMENSION_TITLES[d])}</h3>`,
      await chart(
        complianceChartSpec(d, doc.compliance),
        `Renewal status of endorsees by ${lower(DIMENSION_TITLES[d])}`,
      ),
      `<details><summary>Table</summary>${complianceTable(d, doc.compliance)}</details>`,
    );
  }
  sections.push(`<section id="compliance"><h2>Renewal compliance</h2>${compliance.join('\n')}</section>`);

  const title = `Infant and Early Childhood Mental Health Endorsement: workforce report as of ${doc.asOf}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${HATCH_DEFS}
<h1>${escapeHtml(title)}</h1>
<section id="summary"><h2>Summary</h2>
${summaryParagraphs(doc)
  .map((p) => `<p>${escapeHtml(p)}</p>`)
  .join('\n')}
<p class="meta">Ruleset ${escapeHtml(doc.ruleset.id)} version ${escapeHtml(doc.ruleset.version)} (association ${escapeHtml(doc.ruleset.association)}, effective ${escapeHtml(doc.ruleset.effectiveFrom)}); publishing rule ${escapeHtml(doc.rule.id)} version ${escapeHtml(doc.rule.version)}. Built ${escapeHtml(doc.generatedAt)}. The same numbers are in workforce.csv, disparity.csv, compliance.csv and report.json.</p>
</section>
${sections.join('\n')}
</body>
</html>
`;
}
