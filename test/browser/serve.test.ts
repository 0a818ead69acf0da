import { GetObjectCommand } from '@aws-sdk/client-s3';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { type RunningServer, startServer } from '#local/serve.js';
import { publishReports } from '#services/publish-reports.js';
import { artifactPath, collectProblems, launchChromium } from '../support/browser.js';
import { signedInContext, signedInFetch } from '../support/serve.js';
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
let context: BrowserContext;
let get: Awaited<ReturnType<typeof signedInFetch>>;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ 'applicants/applicants.csv': APPLICANTS });
  // Exact counts (maxNoise 0): the files are checked for the numbers the data give.
  const rule = { ...defaultPublishingRule(), maxNoise: 0 };
  await publishReports({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket }, '2026-06-30', {
    rule,
  });
  server = await startServer({ stack, port: 0 });
  browser = await launchChromium();
  context = await signedInContext(browser, server, 'policymakers');
  get = await signedInFetch(server, 'policymakers');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  await stack?.destroy();
});

describe('iecmh serve in headless Chromium', () => {
  it('answers / with the index the publisher wrote, whose links fetch the files of each release', async () => {
    // Prepare
    const page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    const problems = collectProblems(page);
    const written = await stack.s3.send(new GetObjectCommand({ Bucket: stack.reportsBucket, Key: 'index.html' }));

    // Act
    const response = await page.goto(server.url);
    await page.screenshot({ path: artifactPath('serve-page.png'), fullPage: true });

    // Assess
    expect(response?.status()).toBe(200);
    expect(await response?.text()).toBe(await written.Body?.transformToString('utf-8'));
    expect(await page.locator('h1').textContent()).toBe('IECMH endorsement reports');
    expect(await page.locator('main h2').allTextContents()).toEqual([
      'Latest release: as of 2026-06-30',
      'All releases',
    ]);
    const dated = page.locator('section.release', { has: page.locator('h3', { hasText: 'As of 2026-06-30' }) });
    expect(await dated.locator('a').allTextContents()).toEqual(
      expect.arrayContaining(['report.html', 'workforce.csv', 'disparity.csv', 'compliance.csv', 'manifest.json']),
    );
    // Relative links, as CloudFront serves the bucket: served by serve itself, never the embedded S3.
    const href = await dated.locator('a', { hasText: 'workforce.csv' }).getAttribute('href');
    expect(href).toBe('reports/2026-06-30/workforce.csv');
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

  it('has no accessibility violation on the index (WCAG 2.1 A and AA)', async () => {
    // axe runs as a script, which the page's Content-Security-Policy forbids; the test lets it in.
    const axeContext = await signedInContext(browser, server, 'policymakers', { bypassCSP: true });
    const page = await axeContext.newPage();
    await page.goto(server.url);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await axeContext.close();
  });

  it("follows the index's link to a dated release's report.html, with every chart drawn", async () => {
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(server.url);
    const dated = page.locator('section.release', { has: page.locator('h3', { hasText: 'As of 2026-06-30' }) });
    await Promise.all([
      page.waitForURL('**/reports/2026-06-30/report.html'),
      dated.getByRole('link', { name: 'report.html' }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe('/reports/2026-06-30/report.html');
    expect(await page.locator('h1').textContent()).toContain('report as of 2026-06-30');
    const charts = await page.locator('figure.chart').count();
    expect(charts).toBeGreaterThan(0);
    expect(await page.locator('figure.chart svg.marks').count()).toBe(charts);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves the API beside the site, through the same handler', async () => {
    const listing = await get('/api/reports');
    expect(listing.status).toBe(200);
    expect(await listing.json()).toMatchObject({ runs: [{ run: '2026-06-30' }] });
    const run = await get('/api/reports/latest');
    expect(await run.json()).toMatchObject({
      files: expect.arrayContaining([expect.objectContaining({ url: '/api/downloads/latest/workforce.csv' })]),
    });
    expect((await get('/api/downloads/latest/workforce.csv')).status).toBe(200);
    for (const path of [
      '/api/reports/admin',
      '/elsewhere',
      '/latest/../admin/eligibility.csv',
      '/reports/2026-06-30/extra/x.csv',
      '/latest/.hidden',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
  });
});
