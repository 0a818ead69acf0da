import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '#local/serve.js';
import { publishReports } from '#services/publish-reports.js';
import { artifactPath, collectProblems, launchChromium } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county,race_ethnicity,sector',
  ...Array.from(
    { length: 12 },
    (_, i) => `S${i},Fn${i},Ln${i},s${i}@example.org,IFA,bachelor,30,Dane,White,Head Start`,
  ),
].join('\r\n');

let stack: TestStack;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ 'applicants/applicants.csv': APPLICANTS });
  await publishReports({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket }, '2026-06-30');
  server = await startServer({ stack, port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stack?.destroy();
});

describe('iecmh serve in headless Chromium', () => {
  it('lists the published run with download links that fetch the CSV', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const problems = collectProblems(page);

    // Act
    const response = await page.goto(server.url);
    await page.screenshot({ path: artifactPath('serve-page.png'), fullPage: true });

    // Assess
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator('h1').textContent()).toBe('IECMH endorsement reports');
    const dated = page.locator('section.run[data-run="2026-06-30"]');
    const latest = page.locator('section.run[data-run="latest"]');
    expect(await latest.locator('h2').textContent()).toBe('Latest (as of 2026-06-30)');
    expect(await dated.locator('a').allTextContents()).toEqual([
      'compliance.csv',
      'disparity.csv',
      'manifest.json',
      'report.html',
      'report.json',
      'workforce.csv',
    ]);
    // Served by serve itself: no link leads to the embedded S3 or carries a signature.
    const href = await dated.locator('a', { hasText: 'workforce.csv' }).getAttribute('href');
    expect(href).toBe('/api/downloads/2026-06-30/workforce.csv');
    const csv = await page.request.get(new URL(href ?? '', server.url).href);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers()['content-disposition']).toBe('attachment; filename="workforce.csv"');
    const text = (await csv.body()).toString('utf8');
    expect(text.startsWith('\uFEFFdimension,group,population,count,suppressed')).toBe(true);
    expect(text).toContain('county,55025,applicants,12,false');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves the API beside the page, through the same handler', async () => {
    const listing = await fetch(new URL('/reports', server.url));
    expect(listing.status).toBe(200);
    expect(await listing.json()).toMatchObject({ runs: [{ run: '2026-06-30' }] });
    expect((await fetch(new URL('/reports/admin', server.url))).status).toBe(404);
    expect((await fetch(new URL('/elsewhere', server.url))).status).toBe(404);
  });

  it('opens the published report.html from its download link with every chart drawn', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    const href = await page
      .locator('section.run[data-run="latest"] a', { hasText: 'report.html' })
      .getAttribute('href');
    await page.goto(new URL(href ?? '', server.url).href);
    expect(await page.locator('figure.chart svg.marks').count()).toBe(12);
    expect(problems).toEqual([]);
    await page.close();
  });
});
