/**
 * The report's charts: a Vega-Lite spec per breakdown, rendered to standalone SVG when the report is
 * built (the page runs no script). Withheld cells are drawn as a hatched band labelled "suppressed",
 * never as a zero. A withheld cell is drawn as a hollow diamond marker at the axis with its label,
never as a bar of any length (docs/domain.md, "Publishing to policymakers safely"): a bar would
give the withheld number a size.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  type COMPLIANCE_DIMENSIONS,
  COMPLIANCE_STATUSES,
  type ComplianceRow,
  type ComplianceStatus,
  RENEWAL_STATUSES,
} from './compliance.js';
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
/** On track and not yet, the collapsed statuses: darker kin of compliant and at risk. */
export const COLLAPSED_COLOURS = ['#1b6b4a', '#8a4a1c'];
export const RATE_COLOURS = ['#4e79a7', '#c42e2e'];

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

/**
 * Renders one small chart of made-up counts and throws it away. The first chart a process draws costs
 * several times a later one (Vega-Lite's and Vega's code is compiled as it first runs); drawn while the
 * report's inputs are still being read, that cost is paid while the process would only wait.
 * reportHtml restarts Vega's element numbering (resetChartIds), so the page is the same either way.
 */
export async function warmUpCharts(): Promise<void> {
  const rows = ['a', 'b'].flatMap((group) =>
    POPULATIONS.map(
      (population): WorkforceRow => ({
        dimension: 'category',
        group,
        groupName: group,
        population,
        count: group === 'a' ? 40 : null,
        suppressed: group === 'b',
      }),
    ),
  );
  await renderChart(workforceChartSpec('category', rows), 'warm-up');
}

/**
 * Restarts the numbers Vega gives the clip paths and gradients it defines, which are counted across
 * the process: a page drawn after other charts (an earlier page, a warm-up) numbers them as a page
 * drawn first does.
 */
export function resetChartIds(): void {
  vega.resetSVGDefIds();
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
  // Legend labels are short titles; Vega's default limit (160 px) cut the collapsed statuses' titles short.
  legend: { orient: 'top', title: null, labelFontSize: 11, labelColor: '#333', labelLimit: 400 },
} as const;

/** The mark of a withheld cell: a hollow diamond on the axis, grey, with its label beside it. */
const WITHHELD_MARK = {
  type: 'point',
  shape: 'diamond',
  filled: false,
  size: 40,
  strokeWidth: 1.2,
  color: '#555',
} as const;

/** Grouped bars of endorsed and applicant counts per group; withheld cells as a marker labelled "suppressed". */
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
    x1: r.suppressed ? 0 : (r.count ?? 0),
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
        transform: [{ filter: `datum.shown !== "${SUPPRESSED}"` }],
        mark: { type: 'bar', stroke: '#777', strokeWidth: 0.3 },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'people', scale: { domainMin: 0, domainMax: max } },
          x2: { field: 'x1' },
          color: {
            field: 'shown',
            type: 'nominal',
            scale: { domain: [...POPULATIONS], range: [...POPULATION_COLOURS] },
          },
        },
      },
      {
        transform: [{ filter: `datum.shown === "${SUPPRESSED}"` }],
        mark: WITHHELD_MARK,
        encoding: { x: { field: 'x0', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 8 },
        encoding: { x: { field: 'tx', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  } as TopLevelSpec;
}

/** Eligibility rate with its Wilson interval per group; withheld groups as a marker, flagged groups in red. */
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
        mark: WITHHELD_MARK,
        encoding: { x: { field: 'x0', type: 'quantitative' } },
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
            scale: { domain: ['rate', 'flagged'], range: [...RATE_COLOURS] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 9 },
        encoding: { x: { field: 'tx', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

/**
 * Stacked renewal statuses per group. A group whose five statuses are all published shows them;
 * otherwise it shows its collapsed statuses (on track, not yet, lapsed) as far as they are published.
 * Whatever is withheld is a marker at the end of the published stack, labelled with what it hides,
 * never a bar: a bar would give the withheld count a length.
 */
export function complianceChartSpec(dimension: (typeof COMPLIANCE_DIMENSIONS)[number], rows: readonly ComplianceRow[]) {
  const mine = rows.filter((r) => r.dimension === dimension);
  const byGroup = new Map<string, ComplianceRow[]>();
  for (const r of mine) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const detailed: readonly ComplianceStatus[] = RENEWAL_STATUSES;
  const collapsed: readonly ComplianceStatus[] = ['on_track', 'not_yet', 'lapsed'];
  const values: { group: string; shown: string; n: number | null; end: number; order: number; text: string }[] = [];
  for (const [, group] of byGroup) {
    const first = group[0] as ComplianceRow;
    const name = label(first.group, first.groupName);
    const of = (s: ComplianceStatus) => group.find((r) => r.status === s) as ComplianceRow;
    const level = detailed.every((s) => !of(s).suppressed) ? detailed : collapsed;
    const published = level.map(of).filter((r) => !r.suppressed);
    const withheld = level.map(of).filter((r) => r.suppressed);
    // Groups without endorsees are left out of the chart; the table lists them.
    if (withheld.length === 0 && published.every((r) => r.count === 0)) continue;
    let end = 0;
    for (const r of published) {
      if ((r.count ?? 0) === 0) continue;
      end += r.count ?? 0;
      values.push({
        group: name,
        shown: STATUS_TITLES[r.status],
        n: r.count,
        end,
        order: COMPLIANCE_STATUSES.indexOf(r.status),
        text: '',
      });
    }
    if (withheld.length > 0) {
      const what = withheld.map((r) => STATUS_TITLES[r.status].replace(/ \(.*\)$/, '').toLowerCase()).join(', ');
      values.push({ group: name, shown: SUPPRESSED, n: null, end, order: 99, text: `${SUPPRESSED}: ${what}` });
    }
  }
  const titles = COMPLIANCE_STATUSES.map((s) => STATUS_TITLES[s]);
  const color = {
    field: 'shown',
    type: 'nominal',
    scale: { domain: titles, range: [...STATUS_COLOURS, ...COLLAPSED_COLOURS] },
  };
  return {
    config: { ...baseConfig, legend: { ...baseConfig.legend, orient: 'right' } },
    width: 460,
    height: { step: 16 },
    data: { values },
    encoding: { y: { field: 'group', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } } },
    layer: [
      {
        transform: [{ filter: `datum.shown !== "${SUPPRESSED}"` }],
        mark: { type: 'bar', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'n', type: 'quantitative', stack: 'zero', title: 'endorsees' },
          color,
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        transform: [{ filter: `datum.shown === "${SUPPRESSED}"` }],
        mark: WITHHELD_MARK,
        encoding: { x: { field: 'end', type: 'quantitative' } },
      },
      {
        transform: [{ filter: `datum.shown === "${SUPPRESSED}"` }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 9 },
        encoding: { x: { field: 'end', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  } as TopLevelSpec;
}
