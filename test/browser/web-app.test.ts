/**
 * The web app (web/, docs/web-api.md) driven in headless Chromium against `iecmh serve` on a fresh
 * embedded stack: an administrator signs in with a one-time link, uploads files, reads receipts,
 * downloads an export, looks people up, erases one and withdraws a file; a policymaker sees the
 * reports only. Each view is checked with axe (WCAG 2.1 A and AA) and photographed into
 * test-artifacts/web-app/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { type RunningServer, startServer } from '#local/serve.js';
import { publishReports } from '#services/publish-reports.js';
import { ARTIFACTS, collectProblems, launchChromium } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** How long a poll waits for the page (a busy machine is slower than Vitest's 1 s default). */
const WAIT = { timeout: 15_000 };

/**
 * Three applicants and one row that cannot be kept (line 5: work experience is not a number). The
 * first applicant's last name is markup: the app must show it as text, never run it.
 */
const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  'WA1,Wanda,<img src=x onerror=window.pwned=1>,wanda.webb@example.org,IFA,bachelor,30,Dane',
  'WA2,Ezra,Eastwood,ezra.eastwood@example.org,IFS,master,40,Dane',
  'WA3,Noor,Nakamura,noor.nakamura@example.org,IFA,bachelor,24,Brown',
  'WA4,Row,Rejected,row.rejected@example.org,IFA,bachelor,thirty,Dane',
].join('\r\n');

/** A roster that will be withdrawn. */
const ROSTER = [
  'training_id,training_title,training_date,hours,competencies,person_id,completed',
  'WT1,Reflective practice,2026-03-14,6,1E.1,WA1,yes',
].join('\r\n');

/** Applicants already on file, so that a policymaker has a release to read. */
const SEED = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  ...Array.from({ length: 12 }, (_, i) => `S${i},Fn${i},Ln${i},s${i}@example.org,IFA,bachelor,30,Dane`),
].join('\r\n');

const SHOTS = join(ARTIFACTS, 'web-app');

let stack: TestStack;
let server: RunningServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let problems: string[];
/** Paths the page asked for that answered 404. */
const notFound: string[] = [];

/** A full-page screenshot kept under test-artifacts/web-app/. */
async function shot(name: string, on: Page = page) {
  mkdirSync(SHOTS, { recursive: true });
  await on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe on the page as it is now: the serious and critical violations of WCAG 2.1 A and AA. */
async function seriousViolations(on: Page = page): Promise<string[]> {
  const results = await new AxeBuilder({ page: on }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

/** Chooses the kind, attaches the file and uploads it; resolves once the receipt is shown. */
async function upload(p: Page, kind: string, name: string, text: string) {
  await p.getByRole('link', { name: 'Upload', exact: true }).click();
  await p.getByLabel('Kind of file').selectOption(kind);
  await p.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await p.getByRole('button', { name: 'Upload' }).click();
  await p.getByRole('heading', { name: `Receipt for ${name}` }).waitFor({ timeout: 60_000 });
}

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ 'applicants/seed.csv': SEED });
  await publishReports({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket }, '2026-06-30', {
    rule: { ...defaultPublishingRule(), maxNoise: 0 },
  });
  server = await startServer({ stack, port: 0 });
  browser = await launchChromium();
  admin = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 800 } });
  page = await admin.newPage();
  problems = collectProblems(page);
  page.on('response', (r) => {
    if (r.status() === 404) notFound.push(new URL(r.url()).pathname);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stack?.destroy();
});

describe('the web app in headless Chromium, as an administrator', () => {
  it('signs in with the one-time link and lands on Upload, with every administrator section in the menu', async () => {
    await page.goto(server.signInLink('administrators'));
    await page.getByRole('heading', { level: 1, name: 'Upload a file', exact: true }).waitFor();
    await shot('01-upload');

    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual([
      'Upload',
      'Uploads',
      'Exports',
      'People',
      'Reports',
    ]);
    expect(await page.locator('#account').textContent()).toContain('administrators');
    expect(await seriousViolations()).toEqual([]);
  });

  it('uploads applicants with a row that cannot be kept, and shows that row in the receipt', async () => {
    await upload(page, 'applicants', 'applicants-web.csv', APPLICANTS);
    await shot('02-receipt');

    const receipt = page.locator('#upload-result');
    const counts = receipt.locator('table.counts tbody td');
    expect(await counts.allTextContents()).toEqual(['applicants', '4', '3', '1', expect.any(String)]);
    const rows = receipt.locator('table.errors tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells[0]).toBe('5');
    expect(cells[1]).toMatch(/work_experience_months/);
    expect(await seriousViolations()).toEqual([]);
    await upload(page, 'rosters', 'rosters-web.csv', ROSTER);
  });

  it('lists both uploads in Uploads with their version, and shows a receipt again', async () => {
    // By keyboard: the menu link is followed with Enter and focus moves to the new section's heading.
    await page.getByRole('link', { name: 'Uploads', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator(':focus').evaluate((e) => e.outerHTML), WAIT)
      .toBe('<h1 tabindex="-1">Uploads</h1>');
    const table = page.locator('table.sources');
    await table.waitFor();
    const row = table.locator('tbody tr', { hasText: 'applicants-web.csv' });
    expect(await row.locator('td').nth(2).textContent()).toBe('In use');
    expect(await row.locator('td').nth(4).textContent()).toBe('1');
    expect(await row.locator('summary').textContent()).toBe('1 version');
    expect(await table.locator('tbody tr', { hasText: 'rosters-web.csv' }).count()).toBe(1);

    await row.getByRole('button', { name: 'Receipt of applicants-web.csv' }).click();
    await expect.poll(() => page.locator(':focus').textContent(), WAIT).toBe('Receipt for applicants-web.csv');
    await shot('03-uploads');
    expect(await seriousViolations()).toEqual([]);
  });

  it('downloads eligibility.csv with the applicants just uploaded', async () => {
    await page.getByRole('link', { name: 'Exports', exact: true }).click();
    const link = page.getByRole('link', { name: 'eligibility.csv' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    await shot('04-exports');

    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(lines[0]).toMatch(/^person_id,/);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(ids).toEqual(expect.arrayContaining(['WA1', 'WA2', 'WA3']));
    expect(ids).not.toContain('WA4');
    expect(await seriousViolations()).toEqual([]);
  });

  it('finds a person by part of their email and reads why they are or are not eligible', async () => {
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.getByLabel('Person id, name or email').fill('wanda.webb');
    await page.getByRole('button', { name: 'Search' }).click();
    const found = page.locator('table.people tbody tr');
    await found.first().waitFor();
    expect(await found.count()).toBe(1);
    // The markup in the last name is shown as typed, and never ran.
    expect(await found.first().locator('td').nth(1).textContent()).toBe('Wanda <img src=x onerror=window.pwned=1>');
    await found.first().getByRole('button').click();

    const heading = page.getByRole('heading', { level: 2, name: /\(WA1\)$/ });
    await heading.waitFor();
    await expect.poll(() => page.locator(':focus').evaluate((e) => e.tagName), WAIT).toBe('H2');
    const explanation = await page.locator('.explanation').textContent();
    expect(explanation).toContain('WA1');
    expect(explanation).toMatch(/eligible/i);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await shot('05-person');
    expect(await seriousViolations()).toEqual([]);
  });

  it('erases a second person only once their id is typed, and then finds no one', async () => {
    await page.getByLabel('Person id, name or email').fill('WA2');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: /^Show Ezra Eastwood/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Ezra Eastwood (WA2)' }).waitFor();

    await page.getByLabel('Type WA2 to confirm').fill('WA3');
    await page.getByRole('button', { name: 'Erase WA2' }).click();
    expect(await page.locator('form.erase [role=alert]').textContent()).toBe(
      'Type WA2 exactly as shown to erase this person.',
    );

    await page.getByLabel('Type WA2 to confirm').fill('WA2');
    await page.getByRole('button', { name: 'Erase WA2' }).click();
    const done = page.locator('.erase-outcome p.notice');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toMatch(/^WA2 was erased: \d+ stored items? deleted, 1 row removed from 1 file/);
    await shot('06-erased');
    expect(await seriousViolations()).toEqual([]);

    await page.getByLabel('Person id, name or email').fill('WA2');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.locator('#people-results').textContent(), WAIT)
      .toBe('No one\'s id, name or email contains "WA2".');
  });

  it('withdraws the roster after a confirmation and marks it withdrawn', async () => {
    await page.getByRole('link', { name: 'Uploads', exact: true }).click();
    const row = page.locator('table.sources tbody tr', { hasText: 'rosters-web.csv' });
    await row.getByRole('button', { name: 'Withdraw rosters-web.csv' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw rosters-web.csv?' });
    await shot('07-withdraw-confirm');
    expect(await seriousViolations()).toEqual([]);
    // Cancel first: nothing happens.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.locator('td').nth(2).textContent()).toBe('In use');

    await row.getByRole('button', { name: 'Withdraw rosters-web.csv' }).click();
    await dialog.getByRole('button', { name: 'Withdraw rosters-web.csv' }).click();
    await expect
      .poll(
        () => page.locator('table.sources tbody tr', { hasText: 'rosters-web.csv' }).locator('td').nth(2).textContent(),
        {
          timeout: 30_000,
        },
      )
      .toMatch(/^Withdrawn/);
    expect(await page.getByRole('button', { name: 'Withdraw rosters-web.csv' }).count()).toBe(0);
    await shot('08-withdrawn');
  });

  it('logged no error on the way but the 404s of receipts not written yet', () => {
    // The app asks for a receipt before and after sending a file; 404 means "not written yet" (docs/web-api.md).
    expect(new Set(notFound)).toEqual(new Set(['/api/uploads/receipt']));
    const others = problems.filter((p) => !p.includes('the server responded with a status of 404'));
    expect(others).toEqual([]);
    expect(problems.length - others.length).toBe(notFound.length);
  });
});

describe('the web app in headless Chromium, as a policymaker', () => {
  it('sees the reports and none of the administrators sections', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const seen = collectProblems(p);
    await p.goto(server.signInLink('policymakers'));
    await p.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    // The release published before, and the one serve published after the administrator's uploads.
    await p.getByRole('heading', { name: /^Latest release: as of \d{4}-\d{2}-\d{2}$/ }).waitFor();
    expect(await p.locator('ul.releases summary').allTextContents()).toContain('As of 2026-06-30');
    await p.locator('ul.releases summary', { hasText: 'As of 2026-06-30' }).click();
    await p.locator('ul.releases details[open] a', { hasText: 'workforce.csv' }).waitFor();
    expect(await p.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual([
      'Reports',
    ]);
    expect(await p.getByRole('link', { name: 'report.html' }).count()).toBeGreaterThan(0);
    await shot('09-policymaker-reports', p);
    expect(await seriousViolations(p)).toEqual([]);

    await p.goto(new URL('app/#/people', server.url).href);
    await p.getByRole('heading', { level: 1, name: 'Not available', exact: true }).waitFor();
    expect(await p.getByLabel('Person id, name or email').count()).toBe(0);
    // The API refuses them too, whatever the page shows.
    const refused = await p.evaluate(async () => (await fetch('/api/people?q=WA')).status);
    expect(refused).toBe(403);

    // Once the session ends (signed out in another tab), the next call says so and how to come back.
    await p.request.get(new URL('signout', server.url).href);
    await p.getByRole('link', { name: 'Reports', exact: true }).click();
    await expect
      .poll(() => p.locator('#banner').textContent(), WAIT)
      .toMatch(/^Your session ended: sign in again\.Open a new sign-in link/);
    expect(seen.filter((s) => !/status of (401|403)/.test(s))).toEqual([]);
    await context.close();
  });
});
