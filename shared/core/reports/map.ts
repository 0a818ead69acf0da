/**
 * The report's county map: Wisconsin's 72 counties shaded by the published count of endorsed people
 * (not lapsed) in each, drawn with Vega-Lite's geoshape mark and rendered to SVG when the report is
 * built, like the other charts. The boundaries are config/reference/wisconsin-county-map.json
 * (built by scripts/build-county-map.ts).
 *
 * Why endorsed counts and not applicants' eligibility rate: the map answers "where is the endorsed
 * workforce, and where is there none", which a policymaker reads at a glance; a county's rate needs
 * both its eligible and its not-eligible applicants to be 0 or at least the published minimum
 * (docs/domain.md), so at an association's size nearly every county's rate would be withheld. The
 * rates stay in the disparity table by county.
 *
 * Why only two shades above zero: every shade that carries meaning must differ by 3:1 in contrast
 * from the white page's neighbouring legend step (WCAG 1.4.11), and white, a mid blue and a dark
 * blue are as many steps as that allows. Zero is white inside a dark outline, so a county with none
 * is seen as a county and not as a hole; a withheld county is hatched, never shaded as a number.
 */
import type { TopLevelSpec } from 'vega-lite';
import countyMap from '#config/reference/wisconsin-county-map.json' with { type: 'json' };
import { renderChart } from './charts.js';
import { integer } from './presentation.js';
import { template } from './template.js';
import type { WorkforceRow } from './workforce.js';

/** The fills of the legend's steps: white, then blues with at least 3:1 contrast between neighbours. */
export const MAP_COLOURS = { zero: '#ffffff', fewer: '#4292c6', more: '#08306b' } as const;
/** County outlines: 7.5:1 against white, so a county with none still stands out from the page. */
const OUTLINE = '#555555';
const HATCH = 'url(#suppressed-hatch)';

/** What the legend says of a withheld county, naming the published minimum. */
export const withheldLegend = (minPublishedCount: number): string =>
  `withheld (fewer than ${minPublishedCount} people or to protect a small cell)`;

export interface CountyShade {
  fips: string;
  /** The published count, or null when withheld (or not published for this county at all). */
  count: number | null;
  /** The legend step it is drawn in. */
  step: string;
}

export interface CountyShading {
  counties: CountyShade[];
  /** The legend's steps in order: zero, one or two steps of counts, withheld. */
  steps: string[];
  fills: string[];
}

/**
 * Puts each county in a legend step: 0, the published counts up to the counties' median, the counts
 * above it, or withheld. The steps are drawn from published counts only, so they tell no more than
 * the county table does. A county with no published row (none in the county breakdown) is withheld.
 */
export function countyShading(
  rows: readonly WorkforceRow[],
  fipsCodes: readonly string[],
  minPublishedCount: number,
): CountyShading {
  const published = new Map<string, number | null>();
  for (const r of rows) if (r.dimension === 'county' && r.population === 'endorsed') published.set(r.group, r.count);
  const counts = fipsCodes.map((fips) => published.get(fips) ?? null);
  const positive = counts.filter((n): n is number => n !== null && n > 0).sort((a, b) => a - b);
  const withheld = withheldLegend(minPublishedCount);
  const max = positive.at(-1);
  // The median county splits the counties with people; when it is the largest count too, the split
  // moves down to the largest count below it, so the upper step is never empty.
  let split = positive[Math.floor((positive.length - 1) / 2)];
  if (split === max) split = positive.filter((n) => n < (max ?? 0)).at(-1);
  const fewer =
    split === undefined ? `${minPublishedCount} or more` : `${minPublishedCount} to ${integer.format(split)}`;
  const more = split === undefined ? undefined : `more than ${integer.format(split)}`;
  const stepOf = (n: number | null): string =>
    n === null ? withheld : n === 0 ? '0' : more !== undefined && split !== undefined && n > split ? more : fewer;
  return {
    counties: fipsCodes.map((fips, i) => ({ fips, count: counts[i] ?? null, step: stepOf(counts[i] ?? null) })),
    steps: ['0', fewer, ...(more === undefined ? [] : [more]), withheld],
    fills: [MAP_COLOURS.zero, MAP_COLOURS.fewer, ...(more === undefined ? [] : [MAP_COLOURS.more]), HATCH],
  };
}

/** The FIPS codes the map's boundaries hold, in file order. */
export const MAP_COUNTIES: readonly string[] = countyMap.objects.counties.geometries.map((g) => String(g.id));

/** The map's Vega-Lite spec: one shape per county, filled by its step, the legend listing every step. */
export function countyMapSpec(shading: CountyShading): TopLevelSpec {
  return {
    config: {
      aria: false,
      font: 'system-ui, sans-serif',
      view: { stroke: null },
      legend: { orient: 'bottom', direction: 'vertical', title: null, labelFontSize: 11 },
    },
    width: 380,
    height: 420,
    data: { values: countyMap, format: { type: 'topojson', feature: 'counties' } },
    transform: [{ lookup: 'id', from: { data: { values: shading.counties }, key: 'fips', fields: ['step'] } }],
    // Wisconsin Transverse Mercator's central meridian (90° W): the state's own projection, so it is not skewed.
    projection: { type: 'transverseMercator', rotate: [90, 0] },
    mark: { type: 'geoshape', stroke: OUTLINE, strokeWidth: 0.6 },
    encoding: {
      color: {
        field: 'step',
        type: 'nominal',
        scale: { domain: shading.steps, range: shading.fills },
        legend: {
          symbolType: 'square',
          symbolSize: 160,
          symbolStrokeColor: OUTLINE,
          symbolStrokeWidth: 1,
          labelLimit: 0,
        },
      },
    },
  } as TopLevelSpec;
}

/** In words, for the figure's name: how many counties fall in each step. */
export function countyMapDescription(shading: CountyShading): string {
  const parts = shading.steps.map((step) => {
    const n = shading.counties.filter((c) => c.step === step).length;
    return `${n} ${n === 1 ? 'county' : 'counties'} ${step === '0' ? 'with none' : step.startsWith('withheld') ? 'withheld' : `with ${step}`}`;
  });
  return `Map of Wisconsin's ${shading.counties.length} counties shaded by the number of endorsed people (not lapsed) in each: ${parts.join(', ')}.`;
}

/**
 * A chart's SVG for a figure that is one image named in words: Vega gives its groups and marks roles
 * and names of their own, which a screen reader would announce one by one inside the image; they go.
 */
export function withoutRoles(svg: string): string {
  return svg.replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, '');
}

interface MapFigure {
  description: string;
  svg: string;
}

/** The heading of the map's section of the page. */
export const COUNTY_MAP_TITLE = 'Endorsed people by county: map';

// The figure is one image named by its description (the SVG inside has no roles of its own); the
// county table under Workforce is its alternative as text.
const MAP =
  template<MapFigure>(`<figure class="chart map" role="img" aria-label="<%= it.description %>"><%~ it.svg %><figcaption class="meta"><%= it.description %> Every county's number is in the county table of the Workforce section.</figcaption></figure>
`);

/** The body of the map's section: the figure with its SVG, its name and caption. */
export async function countyMapSection(rows: readonly WorkforceRow[], minPublishedCount: number): Promise<string> {
  const shading = countyShading(rows, MAP_COUNTIES, minPublishedCount);
  return MAP({
    description: countyMapDescription(shading),
    svg: withoutRoles(await renderChart(countyMapSpec(shading), 'map')),
  });
}
