/**
 * The trend on the embedded stack (docs/domain.md, "Releases and differencing"; docs/contract.md,
 * report.json `trend`): each release compares its statewide totals with those the earlier dated
 * releases in the reports bucket published, read back from their report.json.
 *
 * One ingest of applicants who applied in January (20: 12 eligible), February (15: 3 eligible) and
 * March (15: all eligible), and of endorsees endorsed in 2025 (12) and in February 2026 (11), then
 * releases as of the end of January, February and March:
 *   as of       applicants  eligible                     endorsed
 *   2026-01-31  20          withheld (8 not eligible)    12
 *   2026-02-28  35          15                           23
 *   2026-03-31  50          30                           23
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { Trend } from '#core/reports/trend.js';
import { publishReports } from '#services/publish-reports.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const RELEASES = ['2026-01-31', '2026-02-28', '2026-03-31'];

const applicantRows = [
  'person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,race_ethnicity,primary_language,county,sector',
];
const rosterRows = ['training_id,training_title,training_date,hours,dei,person_id,email,completed'];
const endorsementRows = [
  'person_id,category,endorsed_on,membership_expires_on,first_name,last_name,email,county,race_ethnicity,primary_language,sector',
];

function applicants(n: number, eligible: number, appliedOn: string, tag: string): void {
  for (let i = 0; i < n; i++) {
    const id = `WI-T${tag}-${String(i + 1).padStart(3, '0')}`;
    applicantRows.push(
      `${id},Tessa,Trend,${id.toLowerCase()}@example.org,IFA,${appliedOn},bachelor,30,3,yes,2027-06-30,White,English,Dane,Head Start`,
    );
    if (i < eligible) rosterRows.push(`T-INIT,Foundations,2026-01-05,30,no,${id},,yes`);
  }
}

function endorsees(n: number, endorsedOn: string, tag: string): void {
  for (let i = 0; i < n; i++) {
    const id = `WI-E${tag}-${String(i + 1).padStart(3, '0')}`;
    endorsementRows.push(
      `${id},IFA,${endorsedOn},2027-12-31,Edda,Trend,${id.toLowerCase()}@example.org,55079,White,English,Head Start`,
    );
  }
}

applicants(20, 12, '2026-01-10', 'A');
applicants(15, 3, '2026-02-10', 'B');
applicants(15, 15, '2026-03-10', 'C');
endorsees(12, '2025-03-01', 'X');
endorsees(11, '2026-02-15', 'Y');

let stack: TestStack;
const logged: { message: string; data?: Record<string, unknown> }[] = [];
const deps = () => ({
  ...stack,
  tableName: stack.tableName,
  reportsBucket: stack.reportsBucket,
  log: (message: string, data?: Record<string, unknown>) => void logged.push({ message, data }),
});

// s3rver answers a PUT before the object's file is flushed, so a read just after may find it empty for a moment.
async function read(key: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.reportsBucket, Key: key }));
    const text = (await out.Body?.transformToString()) ?? '';
    if (text !== '' || attempt === 20) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface PublishedReport {
  summary: { totals: { endorsed: number | null; applicants: number | null; eligible: number | null } };
  trend: Trend;
}

/** Publishes a release (with the rule given) and reads back its report.json once it is all there. */
async function release(asOf: string, trendReleases?: number): Promise<PublishedReport> {
  // Exact counts (maxNoise 0): the totals are checked against the table above.
  const rule = { ...defaultPublishingRule(), maxNoise: 0, ...(trendReleases === undefined ? {} : { trendReleases }) };
  await publishReports(deps(), asOf, { rule, now: new Date(`${asOf}T12:00:00Z`) });
  await read(`reports/${asOf}/manifest.json`);
  return JSON.parse(await read(`reports/${asOf}/report.json`)) as PublishedReport;
}

const put = (key: string, body: string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: stack.reportsBucket, Key: key, Body: body }));

const published = new Map<string, PublishedReport>();

beforeAll(async () => {
  stack = await startTestStack();
  const outcomes = await stack.ingest({
    'applicants/applicants.csv': applicantRows.join('\n'),
    'rosters/rosters.csv': rosterRows.join('\n'),
    'endorsements/endorsements.csv': endorsementRows.join('\n'),
  });
  expect(outcomes.map((o) => o.receipt.rejected)).toEqual([0, 0, 0]);
  for (const asOf of RELEASES) published.set(asOf, await release(asOf));
});

afterAll(async () => {
  await stack?.destroy();
});

describe('the trend of three dated releases', () => {
  it('publishes each release with the totals of the table above', () => {
    expect(RELEASES.map((d) => published.get(d)?.summary.totals)).toEqual([
      { endorsed: 12, applicants: 20, eligible: null },
      { endorsed: 23, applicants: 35, eligible: 15 },
      { endorsed: 23, applicants: 50, eligible: 30 },
    ]);
  });

  it('lists in the third release the totals the first two published, oldest first, then its own', () => {
    const trend = published.get('2026-03-31')?.trend;
    expect(trend?.points.map((p) => p.asOf)).toEqual(RELEASES);
    for (const [i, asOf] of RELEASES.entries()) {
      const totals = published.get(asOf)?.summary.totals;
      expect(trend?.points[i]).toMatchObject({ asOf, ...totals });
    }
    // The rate comes from the two published totals, and is withheld with the eligible total.
    expect(trend?.points.map((p) => p.eligibilityRate)).toEqual([null, 15 / 35, 30 / 50]);
  });

  it('starts with the first release alone, and the second lists the first', () => {
    expect(published.get('2026-01-31')?.trend.points.map((p) => p.asOf)).toEqual(['2026-01-31']);
    expect(published.get('2026-02-28')?.trend.points.map((p) => p.asOf)).toEqual(['2026-01-31', '2026-02-28']);
  });

  it('draws the trend and the county map on the page, without a script', async () => {
    const html = await read('reports/2026-03-31/report.html');
    expect(html).toContain('id="trend"');
    const trendPart = html.slice(html.indexOf('id="trend"'), html.indexOf('id="workforce"'));
    for (const asOf of RELEASES) expect(trendPart.includes(`<th scope="row">${asOf}</th>`)).toBe(true);
    // The map's figure is one image named in words (the apostrophe escaped as all text on the page).
    expect(html.match(/<figure class="chart map" role="img" aria-label="([^"]*)"/)?.[1]).toMatch(
      /^Map of Wisconsin&#39;s 72 counties shaded by the number of endorsed people/,
    );
    expect(/<script/i.test(html)).toBe(false);
  });
});

describe('earlier releases the trend cannot fully read', () => {
  it('shows an older report.json shape with gaps, and skips an unreadable one with a log line', async () => {
    // An older release that published only the endorsed total, and one whose report.json is damaged.
    await put(
      'reports/2025-12-31/report.json',
      JSON.stringify({ asOf: '2025-12-31', summary: { totals: { endorsed: 11 } } }),
    );
    await put('reports/2025-11-30/report.json', '{"asOf": "2025-11-30", "summ');
    const report = await release('2026-04-30');
    expect(report.trend.points.map((p) => p.asOf)).toEqual(['2025-12-31', ...RELEASES, '2026-04-30']);
    // Absent, not withheld: the older release did not publish these totals.
    expect(report.trend.points[0]).toEqual({ asOf: '2025-12-31', endorsed: 11 });
    expect(logged).toContainEqual({
      message: 'an earlier release was left out of the trend: its report.json could not be read',
      data: { key: 'reports/2025-11-30/report.json', error: 'SyntaxError' },
    });
  });

  it('keeps only as many earlier releases as the publishing rule says, and none dated after the release', async () => {
    expect((await release('2026-04-30', 2)).trend.points.map((p) => p.asOf)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    // A release rerun for an earlier date compares only with the releases before it.
    expect((await release('2026-02-28')).trend.points.map((p) => p.asOf)).toEqual([
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
    ]);
  });

  it('publishes a release alone, with a log line, when the dated releases cannot be listed', async () => {
    // The first listing of reports/ (the trend's, before anything is written) is refused as S3 refuses
    // a role without s3:ListBucket; everything else is the real S3.
    const refused = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    let refusals = 0;
    const s3 = new Proxy(stack.s3, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return (command: ListObjectsV2Command) =>
          command instanceof ListObjectsV2Command && command.input.Prefix === 'reports/' && refusals++ === 0
            ? Promise.reject(refused)
            : target.send(command);
      },
    }) as S3Client;
    await publishReports({ ...deps(), s3 }, '2026-05-31', { now: new Date('2026-05-31T12:00:00Z') });
    await read('reports/2026-05-31/manifest.json');
    const report = JSON.parse(await read('reports/2026-05-31/report.json')) as PublishedReport;
    expect(report.trend.points.map((p) => p.asOf)).toEqual(['2026-05-31']);
    expect(refusals).toBeGreaterThan(0);
    expect(logged).toContainEqual({
      message: 'the trend has no earlier release: the dated releases could not be listed',
      data: { prefix: 'reports/', error: 'AccessDenied' },
    });
  });
});
