/**
 * report.html printed, for a small association and for 20,000 people: with print media every table
 * is shown (closed <details> included) and every chart fits the page's width; and the Chromium PDF
 * adapter prints it to a PDF of several pages that holds the tables' text, closing its browser.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { artifactPath, launchChromium } from '../support/browser.js';
import { type ReportPage, reportPage } from '../support/report-pages.js';

/** US Letter's width (8.5 in) less the page style's 12 mm margins each side, in CSS pixels (96 a inch). */
const PRINTED_WIDTH = Math.floor(8.5 * 96 - 2 * (12 / 25.4) * 96);

/** A PDF's page count and text, read with Mozilla's pdf.js. */
async function readPdf(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
  try {
    let text = '';
    for (let i = 1; i <= pdf.numPages; i++) {
      const content = await (await pdf.getPage(i)).getTextContent();
      text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
    }
    return { pages: pdf.numPages, text: text.replace(/\s+/g, ' ') };
  } finally {
    await pdf.destroy();
  }
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(['small', 'large'] as const)('report.html of a %s association, printed', (size) => {
  let report: ReportPage;
  beforeAll(async () => {
    report = await reportPage(size);
  });

  it('shows every table and fits every chart in the width of a Letter page (print media)', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: PRINTED_WIDTH, height: 1000 }, offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(report.file).href, { waitUntil: 'load' });

    // Act
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: artifactPath(`report-${size}-print.png`), fullPage: true });
    const heights = (selector: string) =>
      page.locator(selector).evaluateAll((all) => all.map((e) => e.getBoundingClientRect().height));
    const layout = {
      tables: await heights('table'),
      closedDetails: await page.locator('details:not([open])').count(),
      summaries: await heights('summary'),
      charts: await page
        .locator('figure.chart svg')
        .evaluateAll((all) => all.map((e) => e.getBoundingClientRect().width)),
      page: await page.locator('html').evaluate((html) => html.scrollWidth),
    };

    // Assess
    expect(layout.closedDetails).toBeGreaterThan(0);
    expect(layout.tables.length).toBeGreaterThan(layout.closedDetails);
    expect(layout.tables.filter((height) => height === 0)).toEqual([]);
    expect(layout.summaries.filter((height) => height > 0)).toEqual([]);
    expect(layout.charts.length).toBeGreaterThanOrEqual(12);
    expect(layout.charts.filter((width) => width > PRINTED_WIDTH)).toEqual([]);
    expect(layout.page).toBeLessThanOrEqual(PRINTED_WIDTH);
    await context.close();
  });

  it('prints to a PDF of several pages holding the tables and the dictionary, and closes its browser', async () => {
    // Prepare
    const launched: Browser[] = [];
    const renderer = chromiumPdfRenderer({
      launch: async () => {
        const b = await launchChromium();
        launched.push(b);
        return b;
      },
    });

    // Act
    const started = performance.now();
    const pdf = await renderer.print(report.html);
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(artifactPath(`report-${size}.pdf`), pdf);

    // Assess
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await readPdf(pdf);
    expect(pages).toBeGreaterThan(1);
    for (const heading of ['Endorsed (not lapsed)', 'Applicants', 'Data dictionary', 'dictionary.csv']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(launched.map((b) => b.isConnected())).toEqual([false]);
    console.info(`report.pdf of the ${size} association: ${pages} pages, ${pdf.length} bytes, ${seconds.toFixed(1)} s`);
  });
});
