import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '#core/reports/html.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';
import { artifactPath, collectProblems, launchChromium } from '../support/browser.js';
import { reportDocument, reportPeople } from '../support/report-people.js';

const rule = defaultPublishingRule();

const people = (n: number, over: Partial<ReportPerson>): ReportPerson[] => reportPeople(n, over, (i) => i % 3 !== 0);

// Published groups, small ones (Wood, Asian) and their complements, so the page shows both kinds of cell.
const sample = [
  ...people(60, {}),
  ...people(35, { county: '55079', raceEthnicity: ['Black or African American'], eligible: false }),
  ...people(4, { county: '55141', raceEthnicity: ['Asian'], sector: 'Child Care' }),
  ...people(40, { population: 'endorsed', eligible: undefined }),
  ...people(14, { population: 'endorsed', eligible: undefined, category: 'ECFA', county: '55079' }),
];

let browser: Browser;
let file: string;

beforeAll(async () => {
  const html = await reportHtml(
    reportDocument(sample, rule, [
      ...Array.from({ length: 40 }, () => ({ category: 'IFA', county: '55025', status: 'compliant' as const })),
      ...Array.from({ length: 14 }, () => ({ category: 'ECFA', county: '55079', status: 'in_progress' as const })),
      ...Array.from({ length: 3 }, () => ({ category: 'ECFA', county: '55079', status: 'lapsed' as const })),
    ]),
  );
  file = artifactPath('report.html');
  writeFileSync(file, html);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('report.html in headless Chromium', () => {
  it('renders every chart with its marks, shows suppressed cells, and logs no error', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
    const page = await context.newPage();
    const problems = collectProblems(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    // Act
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.locator('details').evaluateAll((all) => {
      for (const d of all) d.setAttribute('open', '');
    });
    await page.screenshot({ path: artifactPath('report-page.png'), fullPage: true });

    // Assess
    const charts = page.locator('figure.chart svg.marks');
    expect(await charts.count()).toBe(12);
    for (let i = 0; i < 12; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(20);
      expect(await charts.nth(i).locator('path, rect, line').count()).toBeGreaterThan(5);
    }
    expect(await page.locator('svg.marks [fill="url(#suppressed-hatch)"]').count()).toBeGreaterThan(0);
    expect(await page.locator('td.suppressed').count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('#summary').textContent())
      .toContain('As of 2026-06-30, 54 people hold an endorsement');
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await context.close();
  });
});
