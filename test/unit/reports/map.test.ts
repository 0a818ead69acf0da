import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import countyFile from '#config/reference/wisconsin-counties.json' with { type: 'json' };
import {
  countyMapDescription,
  countyMapSection,
  countyShading,
  MAP_COLOURS,
  MAP_COUNTIES,
  withheldLegend,
} from '#core/reports/map.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { WorkforceRow } from '#core/reports/workforce.js';
import { renderCountyMap } from '#scripts/build-county-map.js';

const MIN = defaultPublishingRule().minPublishedCount;
const WITHHELD = withheldLegend(MIN);

/**
 * The endorsed county rows of a workforce report: the counts given (null: withheld), 0 in every other
 * county, and an applicants row that the map must not read.
 */
function endorsedIn(counties: Record<string, number | null>): WorkforceRow[] {
  return countyFile.counties.flatMap((c) => {
    const count = counties[c.fips] ?? (c.fips in counties ? null : 0);
    const row = {
      dimension: 'county',
      group: c.fips,
      groupName: `${c.name} County`,
      suppressed: count === null,
    } as const;
    return [
      { ...row, population: 'endorsed', count },
      { ...row, population: 'applicants', count: 500, suppressed: false },
    ];
  });
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe('the county boundaries', () => {
  it("hold exactly Wisconsin's 72 counties of the reference data", () => {
    expect([...MAP_COUNTIES].sort()).toEqual(countyFile.counties.map((c) => c.fips).sort());
  });

  it('are what scripts/build-county-map.ts makes of us-atlas, and small', () => {
    const us = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('us-atlas/counties-10m.json'), 'utf8'),
    ) as Topology;
    const committed = readFileSync(
      new URL('../../../config/reference/wisconsin-county-map.json', import.meta.url),
      'utf8',
    );
    expect(renderCountyMap(us)).toBe(committed);
    expect(Buffer.byteLength(committed)).toBeLessThan(30_000);
  });
});

describe('the legend steps of the counties (countyShading)', () => {
  it('draws 0 as 0, withheld counties as withheld, and splits published counts at the median county', () => {
    const rows = endorsedIn({ '55025': 40, '55079': 15, '55009': 25, '55133': null, '55141': null });
    const shading = countyShading(rows, MAP_COUNTIES, MIN);
    const stepOf = (fips: string) => shading.counties.find((c) => c.fips === fips)?.step;
    expect(shading.steps).toEqual(['0', '11 to 25', 'more than 25', WITHHELD]);
    expect([stepOf('55025'), stepOf('55009'), stepOf('55079')]).toEqual(['more than 25', '11 to 25', '11 to 25']);
    expect([stepOf('55133'), stepOf('55141')]).toEqual([WITHHELD, WITHHELD]);
    expect(shading.counties.filter((c) => c.step === '0')).toHaveLength(72 - 5);
    expect(shading.fills).toEqual([MAP_COLOURS.zero, MAP_COLOURS.fewer, MAP_COLOURS.more, 'url(#suppressed-hatch)']);
  });

  it('keeps one step of counts when the published counts are all alike', () => {
    const shading = countyShading(endorsedIn({ '55025': 12, '55079': 12 }), MAP_COUNTIES, MIN);
    expect(shading.steps).toEqual(['0', '11 or more', WITHHELD]);
    expect(shading.fills).toHaveLength(3);
  });

  it('treats a county the breakdown does not list as withheld, never as 0', () => {
    const shading = countyShading([], ['55001'], MIN);
    expect(shading.counties).toEqual([{ fips: '55001', count: null, step: WITHHELD }]);
  });

  it('uses fills with 3:1 contrast between neighbouring steps, and the counts against the white page too', () => {
    expect(contrast(MAP_COLOURS.zero, '#ffffff')).toBe(1);
    expect(contrast(MAP_COLOURS.fewer, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(MAP_COLOURS.more, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(MAP_COLOURS.zero, MAP_COLOURS.fewer)).toBeGreaterThanOrEqual(3);
    expect(contrast(MAP_COLOURS.fewer, MAP_COLOURS.more)).toBeGreaterThanOrEqual(3);
  });
});

describe('the map on the page', () => {
  const rows = endorsedIn({ '55025': 40, '55079': 15, '55009': 25, '55133': null, '55141': null });

  it('is one image named by how many counties are in each step', async () => {
    const html = await countyMapSection(rows, MIN);
    const name = countyMapDescription(countyShading(rows, MAP_COUNTIES, MIN));
    expect(name).toBe(
      "Map of Wisconsin's 72 counties shaded by the number of endorsed people (not lapsed) in each: 67 counties with none, 2 counties with 11 to 25, 1 county with more than 25, 2 counties withheld.",
    );
    expect(html.startsWith(`<figure class="chart map" role="img" aria-label="${name.replace("'", '&#39;')}">`)).toBe(
      true,
    );
    // Inside the named figure the SVG is hidden from assistive technology: no role of its own.
    expect(html).not.toMatch(/role="graphics/);
  });

  it('fills every county by its step, hatches the withheld ones and lists the withheld step in the legend', async () => {
    const svg = await countyMapSection(rows, MIN);
    const fills = [...svg.matchAll(/<path[^>]*d="M[^"]*"[^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    const count = (fill: string) => fills.filter((f) => f === fill).length;
    // Each county once, and each legend step's symbol once.
    expect(count(MAP_COLOURS.zero)).toBe(67 + 1);
    expect(count(MAP_COLOURS.fewer)).toBe(2 + 1);
    expect(count(MAP_COLOURS.more)).toBe(1 + 1);
    expect(count('url(#suppressed-hatch)')).toBe(2 + 1);
    expect(svg).toContain(`>${WITHHELD}</text>`);
  });

  it('stays small and holds no script', async () => {
    const html = await countyMapSection(rows, MIN);
    expect(Buffer.byteLength(html)).toBeLessThan(60_000);
    expect(html).not.toMatch(/<script|javascript:|xmlns/i);
  });
});
