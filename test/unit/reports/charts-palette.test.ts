/**
 * Every colour a chart fills with (the *_COLOURS palettes of charts.ts, however many there are)
 * stands out from the white page by at least 3:1 (WCAG 2.1 AA, 1.4.11 non-text contrast), and the
 * colours of one palette are distinct. Contrast as WCAG 2.1 defines it: (L1 + 0.05) / (L2 + 0.05)
 * of the relative luminances.
 */
import { describe, expect, it } from 'vitest';
import * as charts from '#core/reports/charts.js';

const channel = (v: number): number => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(Number.parseInt(hex.slice(i, i + 2), 16) / 255)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const againstWhite = (hex: string): number => 1.05 / (luminance(hex) + 0.05);

const palettes: [string, readonly string[]][] = Object.entries(charts).flatMap(([name, value]) =>
  name.endsWith('_COLOURS') && Array.isArray(value) ? [[name, value as readonly string[]]] : [],
);

describe('the charts palette', () => {
  it('is found: the population, status and rate colours at least', () => {
    expect(palettes.map(([name]) => name)).toEqual(
      expect.arrayContaining(['POPULATION_COLOURS', 'STATUS_COLOURS', 'RATE_COLOURS']),
    );
  });

  it.each(palettes)('%s: every fill at 3:1 or more against white, each colour once', (_, colours) => {
    for (const colour of colours) {
      expect(colour).toMatch(/^#[0-9a-f]{6}$/i);
      expect([colour, againstWhite(colour) >= 3]).toEqual([colour, true]);
    }
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('measures contrast as WCAG does: black 21:1, the old Tableau orange below 3:1', () => {
    expect(againstWhite('#000000')).toBeCloseTo(21, 5);
    expect(againstWhite('#f28e2b')).toBeLessThan(3);
  });
});
