/**
 * report.html on screen in headless Chromium, for a small association and for 20,000 people: every
 * chart drawn, no error and no request, landmarks and a table of contents, and no serious or
 * critical WCAG 2.1 AA violation that axe-core finds, at a desktop width and at a phone's.
 */
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, collectProblems, launchChromium } from '../support/browser.js';
import { type ReportPage, reportPage } from '../support/report-pages.js';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WIDTHS = { desktop: 1100, phone: 390 } as const;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the page's file offline at a width; closes the context when `use` is done. */
async function opened<T>(report: ReportPage, width: number, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, offline: true });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(report.file).href, { waitUntil: 'load' });
    return await use(page);
  } finally {
    await context.close();
  }
}

describe.each(['small', 'large'] as const)('report.html of a %s association in headless Chromium', (size) => {
  let report: ReportPage;
  beforeAll(async () => {
    report = await reportPage(size);
  });

  it('renders every chart with its marks, shows withheld cells, and logs no error and makes no request', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: WIDTHS.desktop, height: 900 }, offline: true });
    const page = await context.newPage();
    const problems = collectProblems(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    // Act
    await page.goto(pathToFileURL(report.file).href, { waitUntil: 'load' });
    await page.locator('details').evaluateAll((all) => {
      for (const d of all) d.setAttribute('open', '');
    });
    await page.screenshot({ path: artifactPath(`report-${size}-screen.png`), fullPage: true });

    // Assess
    const charts = page.locator('figure.chart svg.marks');
    const count = await charts.count();
    expect(count).toBe(await page.locator('figure.chart').count());
    expect(count).toBeGreaterThanOrEqual(12);
    for (let i = 0; i < count; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(20);
      expect(await charts.nth(i).locator('path, rect, line').count()).toBeGreaterThan(5);
    }
    if (size === 'small') expect(await page.locator('td.suppressed').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary').textContent()).toContain(`As of ${report.doc.asOf}`);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await context.close();
  });

  it('has header, navigation, main and footer landmarks, and contents that link every section and breakdown', async () => {
    const found = await opened(report, WIDTHS.desktop, async (page) => {
      const ids = (selector: string) => page.locator(selector).evaluateAll((all) => all.map((e) => e.id));
      const links = await page.locator('nav a').evaluateAll((all) => all.map((a) => a.getAttribute('href') ?? ''));
      const targets = new Set(await ids('[id]'));
      return {
        landmarks: await Promise.all(
          ['body > header', 'body > nav', 'body > main', 'body > footer'].map((s) => page.locator(s).count()),
        ),
        sections: await ids('main > section'),
        headings: await ids('main > section > h3[id]'),
        links,
        dangling: links.filter((href) => !targets.has(href.slice(1))),
      };
    });
    expect(found.landmarks).toEqual([1, 1, 1, 1]);
    expect(found.sections).toEqual(
      expect.arrayContaining(['summary', 'workforce', 'disparity', 'compliance', 'dictionary']),
    );
    for (const id of [...found.sections, ...found.headings]) expect(found.links).toContain(`#${id}`);
    expect(found.dangling).toEqual([]);
  });

  it.each(Object.entries(WIDTHS))(
    'has no serious or critical WCAG 2.1 AA violation at %s width (axe-core)',
    async (name, width) => {
      const results = await opened(report, width, (page) => new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze());
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ rule: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      expect([name, serious]).toEqual([name, []]);
      // axe did look: it passed rules on this page, among them colour contrast, scrollable regions and named images.
      expect(results.passes.map((p) => p.id)).toEqual(
        expect.arrayContaining(['color-contrast', 'scrollable-region-focusable', 'svg-img-alt']),
      );
    },
  );
});
