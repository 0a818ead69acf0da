/**
 * The reports site's index on the embedded stack (docs/contract.md, "Output files"): after each run
 * the publisher writes index.html at the root of the reports bucket, listing latest/ and every whole
 * dated release, newest first, with relative links to the files each holds.
 *
 * One ingest of 12 applicants (Sam Example and others, from applicants/spring-intake.csv), then
 * releases as of 2026-06-30 and, later, as of 2026-03-31 (which leaves latest/ at June). Between the
 * two, a run that stopped part way (2026-01-31: report.html, no manifest) and a file one folder too
 * deep are put in the bucket: neither is listed.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishReports } from '#services/publish-reports.js';
import { SITE_INDEX_KEY } from '#services/publish-site-index.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const UPLOAD = 'applicants/spring-intake.csv';
const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county,race_ethnicity,sector',
  ...Array.from(
    { length: 12 },
    (_, i) => `S${i},Sam,Example${i},sam${i}@example.org,IFA,bachelor,30,Dane,White,Head Start`,
  ),
].join('\r\n');

let stack: TestStack;
const deps = () => ({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket });
const put = (key: string, body: string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: stack.reportsBucket, Key: key, Body: body }));

// s3rver answers a PUT before the object's file is flushed, so a read just after may find it empty for a moment.
async function read(key: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.reportsBucket, Key: key }));
    const text = (await out.Body?.transformToString()) ?? '';
    if (text !== '' || attempt === 20) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function keys(): Promise<string[]> {
  const out = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.reportsBucket }));
  return (out.Contents ?? []).map((o) => o.Key as string);
}

const hrefs = (html: string): string[] =>
  [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => decodeURIComponent(m[1] as string));
const headings = (html: string): string[] => [...html.matchAll(/<h[23][^>]*>([^<]*)</g)].map((m) => m[1] as string);

let afterJune: string;
let afterMarch: string;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ [UPLOAD]: APPLICANTS });
  await publishReports(deps(), '2026-06-30', { now: new Date('2026-07-01T12:00:00Z') });
  afterJune = await read(SITE_INDEX_KEY);
  await put('reports/2026-01-31/report.html', '<!DOCTYPE html><title>half a run</title>');
  await put('reports/2026-06-30/extra/secret.csv', 'not,a,report\n');
  await publishReports(deps(), '2026-03-31', { now: new Date('2026-07-02T12:00:00Z') });
  afterMarch = await read(SITE_INDEX_KEY);
});

afterAll(async () => {
  await stack?.destroy();
});

describe('the index the publisher writes at the root of the reports bucket', () => {
  it('lists latest/ and the dated release after the first run', () => {
    expect(headings(afterJune)).toEqual(['Latest release: as of 2026-06-30', 'All releases', 'As of 2026-06-30']);
  });

  it('keeps latest/ at the later date when an earlier date is published, and lists both releases newest first', () => {
    expect(headings(afterMarch)).toEqual([
      'Latest release: as of 2026-06-30',
      'All releases',
      'As of 2026-06-30',
      'As of 2026-03-31',
    ]);
  });

  it('links every file of each release, and each link names an object in the bucket', async () => {
    const stored = await keys();
    const links = hrefs(afterMarch);
    for (const link of links) expect(stored).toContain(link);
    const filesOf = (folder: string) =>
      stored.filter((k) => k.startsWith(folder) && !k.slice(folder.length).includes('/'));
    for (const folder of ['latest/', 'reports/2026-06-30/', 'reports/2026-03-31/']) {
      expect(links.filter((l) => l.startsWith(folder)).sort()).toEqual(filesOf(folder).sort());
    }
  });

  it('leaves out a run that stopped part way and anything deeper than a release folder', () => {
    expect(afterMarch).not.toContain('2026-01-31');
    expect(afterMarch).not.toContain('secret');
  });

  it('names no person and no upload', () => {
    expect(afterMarch).not.toMatch(/Sam|Example|example\.org|S\d|spring-intake|applicants\//);
  });

  it('is a web page the browser checks again each time (it changes with every run)', async () => {
    const head = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.reportsBucket, Key: SITE_INDEX_KEY }));
    expect(head.ContentType).toBe('text/html; charset=utf-8');
    expect(head.CacheControl).toBe('no-cache');
  });
});
