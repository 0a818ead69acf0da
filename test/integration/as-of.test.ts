/**
 * As-of dates on the embedded stack (contract, "As-of dates"): a run as of D judges only those who
 * had applied or been endorsed by D, and `latest/` keeps the most recent as-of date published even
 * when an earlier date is run afterwards, while `reports/<D>/` and `iecmh run --out` hold D's reports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '#local/run.js';
import { type PublishSummary, publishReports, REPORT_FILES } from '#services/publish-reports.js';
import { personRun } from '../support/cli.js';
import { csvRecords } from '../support/csv.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const JUNE = '2026-06-30';
const MARCH = '2026-03-31';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,application_date,education,work_experience_months,exam_passed,references,code_of_ethics_signed,membership_expires_on,county',
  'A-EARLY,Ann,Early,early@example.org,IFA,2026-01-10,cda,0,no,3,yes,2027-12-31,Dane',
  'A-BLANK,Ben,Blank,blank@example.org,IFA,,cda,0,no,3,yes,2027-12-31,Dane',
  'A-LATE,Cat,Late,late@example.org,IFA,2026-05-01,cda,0,no,3,yes,2027-12-31,Dane',
].join('\n');
const ENDORSEMENTS = [
  'person_id,category,endorsed_on,membership_expires_on,first_name,last_name,email,county',
  'E-OLD,IFA,2025-03-01,2027-12-31,Eve,Old,old@example.org,Dane',
  'E-LATE,IFA,2026-04-15,2027-12-31,Fay,Late,elate@example.org,Dane',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-as-of-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('latest/ holds the most recent as-of date published', () => {
  let stack: TestStack;
  const deps = () => ({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket });
  // s3rver answers a PUT before the object's file is flushed, so a read just after may find it empty for a moment.
  const read = async (key: string): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.reportsBucket, Key: key }));
      const text = (await out.Body?.transformToString()) ?? '';
      if (text !== '' || attempt === 20) return text;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const manifest = async (key: string) =>
    JSON.parse(await read(key)) as { asOf: string; generatedAt: string; files: { sha256: string }[] };

  beforeAll(async () => {
    stack = await startTestStack();
    await stack.ingest({ 'applicants/applicants.csv': APPLICANTS, 'endorsements/endorsements.csv': ENDORSEMENTS });
  });
  afterAll(async () => {
    await stack.destroy();
  });

  it('publishing 2026-06-30 then 2026-03-31 leaves latest/ at 2026-06-30 and writes reports/2026-03-31/', async () => {
    const june = await publishReports(deps(), JUNE, { now: new Date('2026-07-01T12:00:00Z') });
    expect(june).toMatchObject({ latestUpdated: true, latestAsOf: JUNE });
    expect(june.keys).toEqual([
      ...REPORT_FILES.map((f) => `reports/${JUNE}/${f}`),
      ...REPORT_FILES.map((f) => `latest/${f}`),
    ]);
    const latestBefore = await Promise.all(REPORT_FILES.map((f) => read(`latest/${f}`)));

    const march = await publishReports(deps(), MARCH, { now: new Date('2026-07-02T12:00:00Z') });
    expect(march).toMatchObject({ latestUpdated: false, latestAsOf: JUNE, prefix: `reports/${MARCH}/` });
    expect(march.keys).toEqual(REPORT_FILES.map((f) => `reports/${MARCH}/${f}`));
    expect((await manifest('latest/manifest.json')).asOf).toBe(JUNE);
    expect(await Promise.all(REPORT_FILES.map((f) => read(`latest/${f}`)))).toEqual(latestBefore);
    expect((await manifest(`reports/${MARCH}/manifest.json`)).asOf).toBe(MARCH);
    expect(JSON.parse(await read(`reports/${MARCH}/report.json`)).asOf).toBe(MARCH);
    // A-LATE and E-LATE are not counted as of March.
    expect(june.people).toMatchObject({ applicants: 3, endorsees: 2 });
    expect(march.people).toMatchObject({ applicants: 2, endorsees: 1 });
  });

  it('publishing the same date again replaces latest/', async () => {
    const first = await manifest('latest/manifest.json');
    expect(first.asOf).toBe(JUNE);
    const again: PublishSummary = await publishReports(deps(), JUNE, { now: new Date('2026-07-03T08:00:00Z') });
    expect(again).toMatchObject({ latestUpdated: true, latestAsOf: JUNE });
    expect(again.keys).toContain('latest/manifest.json');
    const replaced = await manifest('latest/manifest.json');
    expect(replaced).toMatchObject({ asOf: JUNE, generatedAt: '2026-07-03T08:00:00.000Z' });
    expect(JSON.parse(await read('latest/report.json')).generatedAt).toBe('2026-07-03T08:00:00.000Z');
    expect(await read('latest/manifest.json')).toBe(await read(`reports/${JUNE}/manifest.json`));
  });

  it('moves latest/ on to a later date, and replaces a manifest without a readable date', async () => {
    const september = await publishReports(deps(), '2026-09-30');
    expect(september).toMatchObject({ latestUpdated: true, latestAsOf: '2026-09-30' });
    expect((await manifest('latest/manifest.json')).asOf).toBe('2026-09-30');

    await stack.s3.send(
      new PutObjectCommand({ Bucket: stack.reportsBucket, Key: 'latest/manifest.json', Body: 'not json' }),
    );
    const march = await publishReports(deps(), MARCH);
    expect(march.latestUpdated).toBe(true);
    expect((await manifest('latest/manifest.json')).asOf).toBe(MARCH);
  });
});

describe('iecmh run and iecmh person as of an earlier date than already run', () => {
  const state = () => join(dir, 'state');
  const rows = (path: string) => csvRecords(readFileSync(path, 'utf8'));
  const ids = (path: string) => rows(path).map((r) => r.person_id);

  async function person(args: string[]) {
    const { code, stdout } = await personRun(args, state());
    return { code, text: stdout };
  }

  beforeAll(() => {
    const input = join(dir, 'input');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'applicants.csv'), APPLICANTS);
    writeFileSync(join(input, 'endorsements.csv'), ENDORSEMENTS);
  });

  it('judges the late applicant and endorsee as of 2026-06-30, and leaves them out as of 2026-03-31', async () => {
    const june = await runPipeline({
      input: join(dir, 'input'),
      out: join(dir, 'june'),
      state: state(),
      asOf: JUNE,
      quiet: true,
    });
    expect(june.evaluation?.applicants).toBe(3);
    expect(june.renewals?.endorsees).toBe(2);
    expect(ids(join(dir, 'june', 'admin', 'eligibility.csv')).sort()).toEqual(['A-BLANK', 'A-EARLY', 'A-LATE']);
    expect(ids(join(dir, 'june', 'admin', 'renewals.csv')).sort()).toEqual(['E-LATE', 'E-OLD']);

    const march = await runPipeline({
      input: join(dir, 'input'),
      out: join(dir, 'march'),
      state: state(),
      asOf: MARCH,
      quiet: true,
    });
    expect(march.evaluation?.applicants).toBe(2);
    expect(march.renewals?.endorsees).toBe(1);
    expect(ids(join(dir, 'march', 'admin', 'eligibility.csv')).sort()).toEqual(['A-BLANK', 'A-EARLY']);
    expect(ids(join(dir, 'march', 'admin', 'renewals.csv'))).toEqual(['E-OLD']);
    expect(march.reports).toMatchObject({ latestUpdated: false, latestAsOf: JUNE });

    // --out holds the reports of the date asked for, though latest/ keeps the later date.
    const asOf = (run: string, file: string) => JSON.parse(readFileSync(join(dir, run, 'reports', file), 'utf8')).asOf;
    expect(asOf('june', 'manifest.json')).toBe(JUNE);
    expect(asOf('march', 'manifest.json')).toBe(MARCH);
    expect(asOf('march', 'report.json')).toBe(MARCH);
  });

  it('says plainly that someone had not applied or been endorsed by the as-of date instead of judging them', async () => {
    const before = await person(['A-LATE', '--as-of', MARCH]);
    expect(before.code).toBe(0);
    expect(before.text).toContain('Cat Late (A-LATE) had not applied by 2026-03-31');
    expect(before.text).toContain('dated 2026-05-01');
    expect(before.text).not.toMatch(/eligible for IFA/i);

    const json = JSON.parse((await person(['A-LATE', '--as-of', MARCH, '--json'])).text);
    expect(json.evaluation).toBeUndefined();
    expect(json.notYet).toEqual([expect.stringContaining('had not applied by 2026-03-31')]);

    const endorsee = await person(['E-LATE', '--as-of', MARCH]);
    expect(endorsee.text).toContain('E-LATE was not yet endorsed on 2026-03-31');
    expect(endorsee.text).not.toContain('renewal due');

    const after = await person(['A-LATE', '--as-of', JUNE]);
    expect(after.text).toContain('Cat Late (A-LATE), Infant Family Associate (IFA)');
    expect(after.text).not.toContain('had not applied');
  });
});
