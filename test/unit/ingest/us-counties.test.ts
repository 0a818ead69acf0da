/** The counties of other states (config/reference/us-counties.json) and how a cell names one (docs/input-files.md, "Counties outside the state"). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { COUNTIES } from '#core/reference/reference.js';
import {
  ASSOCIATION_STATE,
  isInAssociationState,
  readOtherCounty,
  usCountyByFips,
} from '#core/reference/us-counties.js';
import { renderUsCounties } from '#scripts/build-us-counties.js';

describe('the US counties reference data', () => {
  it('is what scripts/build-us-counties.ts makes of us-atlas', () => {
    const us = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('us-atlas/counties-10m.json'), 'utf8'),
    ) as Topology;
    const committed = readFileSync(new URL('../../../config/reference/us-counties.json', import.meta.url), 'utf8');
    expect(renderUsCounties(us)).toBe(committed);
  });

  it("holds every county of the association's state, with the same FIPS codes", () => {
    expect(ASSOCIATION_STATE).toMatchObject({ code: 'WI', fips: '55' });
    for (const c of COUNTIES) expect(usCountyByFips(c.fips)?.name).toBe(c.name);
    expect(isInAssociationState('55025')).toBe(true);
    expect(isInAssociationState('27169')).toBe(false);
  });
});

describe('a county cell naming another state', () => {
  it.each([
    ['Winona County, MN', '27169'],
    ['winona, minnesota', '27169'],
    ['Winona County MN', '27169'],
    ['27169', '27169'],
    ['Lake County, IL', '17097'],
    ['Dubuque, IA', '19061'],
    ['Houghton County, MI', '26061'],
    ['Orleans Parish, LA', '22071'],
  ])('reads "%s" as %s', (text, fips) => {
    expect(readOtherCounty(text).county?.fips).toBe(fips);
  });

  it('reads nothing from two letters that are no state', () => {
    expect(readOtherCounty('Dane Co')).toEqual({});
  });
});
