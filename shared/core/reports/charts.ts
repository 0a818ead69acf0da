/**
 * The report's charts: a Vega-Lite spec per breakdown, rendered to standalone SVG when the report is
 * built (the page runs no script). Withheld cells are drawn as a hatched band labelled "suppressed",
 * never as a zero; the hatch is defined once in the page (html.ts) under the id `suppressed-hatch`.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type COMPLIANCE_DIMENSIONS, COMPLIANCE_STATUSES, type ComplianceRow } from './compliance.js';
import type { DisparityRow } from './disparity.js';
import { integer, label, percent, STATUS_TITLES, SUPPRESSED } from './presentation.js';
import { type Dimension, POPULATIONS, type WorkforceRow } from './workforce.js';

/**
 * Chart colours: each fill has at least 3:1 contrast against the white page (WCAG 2.1 AA, 1.4.11
 * non-text contrast), and neighbours differ in hue and lightness for colour-blind readers (blue and
 * dark orange; green, blue, orange, purple, grey). test/unit/reports/charts-palette.test.ts checks
 * the contrast. Suppressed cells use the hatch pattern instead.
 */
export const POPULATION_COLOURS = ['#4e79a7', '#c85200'];
export const STATUS_COLOURS = ['#3b7d2c', '#4e79a7', '#c85200', '#7b5ea7', '#767676'];
export const RATE_COLOURS = ['#4e79a7', '#c42e2e'];
const HATCH = 'url(#suppressed-hatch)';

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
  // Vega's default grey text (#888) is 3.5:1 on white; text needs 4.5:1.
  axis: { labelFontSize: 11, titleFontSize: 11, labelColor: '#333', titleColor: '#333' },
  legend: { orient: 'top', title: null, labelFontSize: 11, labelColor: '#333' },
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
    const shown = r.suppressed || r.rate === null ? SUPPRESSED : r.fourFifthsFlag ? 'flagged' : 'rate';
    return {
      group: collapsed ? ALL_GROUPS : label(r.group, r.groupName),
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
          color: { field: 'shown', type: 'nominal', scale: { domain: ['rate', 'flagged', SUPPRESSED] } },
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
            scale: { domain: ['rate', 'flagged', SUPPRESSED], range: [...RATE_COLOURS, HATCH] },
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
