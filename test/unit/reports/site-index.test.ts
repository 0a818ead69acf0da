import { describe, expect, it } from 'vitest';
import { type SiteRelease, siteIndexHtml } from '#core/reports/site-index.js';

const FILES = ['manifest.json', 'workforce.csv', 'report.json', 'report.html', 'disparity.csv', 'compliance.csv'];
const dated = (asOf: string, files: readonly string[] = FILES): SiteRelease => ({
  asOf,
  folder: `reports/${asOf}/`,
  files,
});

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
const headings = (html: string): string[] => [...html.matchAll(/<h[1-3][^>]*>([^<]*)</g)].map((m) => m[1] as string);

describe('the reports site index', () => {
  it('lists the latest release, then every dated release newest first', () => {
    // Prepare: dated releases out of order; latest/ holds the newest.
    const releases = {
      latest: { asOf: '2026-06-30', folder: 'latest/', files: FILES },
      dated: [dated('2026-03-31'), dated('2026-06-30'), dated('2025-12-31')],
    };

    // Act
    const html = siteIndexHtml(releases);

    // Assess
    expect(headings(html)).toEqual([
      'IECMH endorsement reports',
      'Latest release: as of 2026-06-30',
      'All releases',
      'As of 2026-06-30',
      'As of 2026-03-31',
      'As of 2025-12-31',
    ]);
  });

  it("links each release's files relatively, the report first and the manifest last", () => {
    const html = siteIndexHtml({ dated: [dated('2026-06-30', [...FILES, 'report.pdf', 'dictionary.csv'])] });
    expect(hrefs(html).filter((href) => href !== '#main')).toEqual(
      [
        'report.html',
        'report.pdf',
        'workforce.csv',
        'disparity.csv',
        'compliance.csv',
        'dictionary.csv',
        'report.json',
        'manifest.json',
      ].map((name) => `reports/2026-06-30/${name}`),
    );
    expect(html).toContain('<a href="reports/2026-06-30/report.pdf">report.pdf</a>: the report for print (PDF)');
  });

  it('lists a file it has no description for by its format, and leaves out names that are not plain file names', () => {
    const html = siteIndexHtml({
      dated: [dated('2026-06-30', ['report.html', 'trend.csv', '../admin.csv', '.hidden', 'a"b.csv', 'Upper.csv'])],
    });
    expect(hrefs(html).filter((href) => href !== '#main')).toEqual([
      'reports/2026-06-30/report.html',
      'reports/2026-06-30/trend.csv',
    ]);
    expect(html).toContain('trend.csv</a>: a CSV file');
    expect(html).not.toMatch(/admin|hidden|a&quot;b|Upper/);
  });

  it('names latest/ without a date when its manifest could not be read', () => {
    const html = siteIndexHtml({ latest: { folder: 'latest/', files: FILES }, dated: [] });
    expect(headings(html)).toEqual(['IECMH endorsement reports', 'Latest release']);
    expect(hrefs(html)).toContain('latest/report.html');
  });

  it('says that nothing is published yet when there is no release', () => {
    const html = siteIndexHtml({ dated: [] });
    expect(html).toContain('<p>No reports have been published yet.</p>');
    expect(headings(html)).toEqual(['IECMH endorsement reports']);
  });

  it('is one accessible page that loads nothing and runs nothing', () => {
    const html = siteIndexHtml({ latest: { asOf: '2026-06-30', folder: 'latest/', files: FILES }, dated: [] });
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    for (const landmark of ['<header>', '<main id="main">', '<footer>']) expect(html).toContain(landmark);
    expect(html).not.toMatch(/<script|<img|<link|<iframe|https?:\/\//i);
    // Every section is named by its heading.
    for (const [, id] of html.matchAll(/aria-labelledby="([^"]+)"/g)) expect(html).toContain(`id="${id}"`);
  });
});
