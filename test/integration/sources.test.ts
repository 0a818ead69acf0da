/** Corrections: a new version of an upload replaces the old one, a deleted upload is forgotten, order never matters. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPopulation } from '#adapters/dynamo/population.js';
import { SourceBusyError, SourceTable } from '#adapters/dynamo/sources.js';
import { ingestObject } from '#services/ingest-object.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const ROSTER_HEADER = 'training_id,training_title,training_date,hours,competencies,dei,person_id,email,completed';
const roster = (...rows: string[]) => [ROSTER_HEADER, ...rows].join('\n');
const RSC_HEADER = 'person_id,session_date,hours,provider_name';
const rsc = (...rows: string[]) => [RSC_HEADER, ...rows].join('\n');

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

/** What the rules would see: each person's trainings and RSC hours. */
async function facts() {
  const { population: p } = await loadPopulation(stack.ddb, stack.tableName);
  const trainings = Object.fromEntries(
    [...p.attendance].map(([who, rows]) => [who, rows.map((r) => `${r.trainingId}${r.completed ? '' : '(n)'}`).sort()]),
  );
  const rscHours = Object.fromEntries([...p.rsc].map(([id, s]) => [id, s.reduce((n, x) => n + x.hours, 0)]));
  return { trainings, rscHours, applicants: [...p.applicants.keys()].sort(), files: p.files.map((f) => f.key) };
}

describe('a corrected file replaces the one it corrects', () => {
  it('forgets rows the new version no longer holds and keeps the rest', async () => {
    await stack.ingest({
      'rosters/spring.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes', 'T1,A,2026-01-10,6,,no,P2,,yes'),
    });
    const [outcome] = await stack.ingest({ 'rosters/spring.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes') });
    expect(outcome?.receipt.replaced).toEqual({ forgotten: 1 });
    expect((await facts()).trainings).toEqual({ 'P:P1': ['T1'] });
  });

  it('replaces a session whose hours were corrected instead of adding to it', async () => {
    await stack.ingest({ 'rsc/log.csv': rsc('P1,2026-03-02,4.5,Dana') });
    await stack.ingest({ 'rsc/log.csv': rsc('P1,2026-03-02,3,Dana') });
    expect((await facts()).rscHours).toEqual({ P1: 3 });
  });

  it('moves a row to the right person when a mistyped person_id is fixed, and a completed flag when it is fixed', async () => {
    await stack.ingest({ 'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P11,,no') });
    await stack.ingest({ 'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes') });
    expect((await facts()).trainings).toEqual({ 'P:P1': ['T1'] });
  });

  it('keeps a fact another current file also supplies, counted once', async () => {
    await stack.ingest({
      'rosters/a.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes'),
      'rosters/b.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes'),
      'rsc/a.csv': rsc('P1,2026-03-02,2,Dana'),
      'rsc/b.csv': rsc('P1,2026-03-02,2,Dana'),
    });
    expect(await facts()).toMatchObject({ trainings: { 'P:P1': ['T1'] }, rscHours: { P1: 2 } });
    await stack.ingest({ 'rosters/a.csv': roster(), 'rsc/a.csv': rsc() });
    expect(await facts()).toMatchObject({ trainings: { 'P:P1': ['T1'] }, rscHours: { P1: 2 } });
    await stack.ingest({ 'rosters/b.csv': roster(), 'rsc/b.csv': rsc() });
    expect(await facts()).toMatchObject({ trainings: {}, rscHours: {} });
  });

  it('counts nothing from an unreadable new version, and says that the earlier rows no longer count', async () => {
    await stack.ingest({ 'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes') });
    const [outcome] = await stack.ingest({ 'rosters/r.csv': Buffer.from('PK\x03\x04junk', 'latin1') });
    expect(outcome?.receipt.unusable).toBe(true);
    expect(outcome?.receipt.warnings.join(' ')).toMatch(/1 rows of the earlier version of r\.csv no longer count/);
    expect((await facts()).trainings).toEqual({});
  });
});

describe('a deleted upload is withdrawn', () => {
  it('forgets everything it alone supplied and records the withdrawal on its receipt', async () => {
    await stack.ingest({
      'applicants/wrong-folder.csv': [
        'person_id,first_name,last_name,email,category,education,work_experience_months,county',
        'P7,Ana,Lopez,ana@example.org,IFS,bachelor,30,Dane',
      ].join('\n'),
      'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P7,,yes'),
    });
    const [outcome] = await stack.withdraw(['applicants/wrong-folder.csv']);
    expect(outcome).toMatchObject({ change: 'withdrawn', forgotten: 1 });
    expect(outcome?.receipt.withdrawn).toEqual({ at: expect.any(String), forgotten: 1 });
    const receipt = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'receipts/applicants/wrong-folder.csv.json' }),
    );
    expect(JSON.parse(await (receipt.Body?.transformToString() ?? ''))).toMatchObject({
      file: 'wrong-folder.csv',
      accepted: 1,
      withdrawn: { forgotten: 1 },
    });
    expect(await facts()).toMatchObject({ applicants: [], trainings: { 'P:P7': ['T1'] }, files: ['rosters/r.csv'] });
    expect((await stack.partition('PERSON#P7')).map((i) => i.type)).toEqual(['attendance']);
  });

  it('stays withdrawn when a late "created" event for the deleted upload arrives afterwards', async () => {
    await stack.ingest({ 'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes') });
    await stack.withdraw(['rosters/r.csv']);
    const outcome = await ingestObject(
      { ...stack, leaseMs: 0 },
      { bucket: stack.uploadsBucket, key: 'rosters/r.csv', versionId: 'an-old-version' },
    );
    expect(outcome?.change).toBe('withdrawn');
    expect((await facts()).trainings).toEqual({});
  });

  it('is a new source again when uploaded again', async () => {
    await stack.ingest({ 'rosters/r.csv': roster('T1,A,2026-01-10,6,,no,P1,,yes') });
    await stack.withdraw(['rosters/r.csv']);
    await stack.ingest({ 'rosters/r.csv': roster('T2,B,2026-01-11,3,,no,P1,,yes') });
    expect(await facts()).toMatchObject({ trainings: { 'P:P1': ['T2'] }, files: ['rosters/r.csv'] });
  });
});

describe('one change to a source at a time', () => {
  it('makes a second invocation wait while another holds the source', async () => {
    const sources = new SourceTable(stack.ddb, stack.tableName);
    await sources.lease('rosters/r.csv', 'first', 60_000);
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/r.csv', Body: roster() }));
    await expect(
      ingestObject({ ...stack, leaseMs: 60_000 }, { bucket: stack.uploadsBucket, key: 'rosters/r.csv' }),
    ).rejects.toBeInstanceOf(SourceBusyError);
    await sources.release('rosters/r.csv', 'first');
    const outcome = await ingestObject(
      { ...stack, leaseMs: 60_000 },
      { bucket: stack.uploadsBucket, key: 'rosters/r.csv' },
    );
    expect(outcome?.change).toBe('ingested');
  });
});

describe('the embedded DynamoDB keeps every entry of the source index', () => {
  it('finds two items whose keys collide in dynalite 4.0.0 short index hash (patches/dynalite+4.0.0.patch)', async () => {
    // dynalite keyed an index entry by the index key and a 6-hex-digit MD5 of the table key: two items of one
    // source version with the same 24-bit hash shared one entry, and a withdrawal left one of them behind.
    const hash = (pk: string, sk: string) =>
      createHash('md5').update('Outliers').update(pk).update(sk).digest('hex').slice(0, 6);
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const sk = `ATT#T${i}#C#src`;
      const h = hash('PERSON#P1', sk);
      const other = seen.get(h);
      if (other) pair = [other, sk];
      seen.set(h, sk);
    }
    for (const sk of pair) {
      await stack.ddb.send(
        new PutCommand({ TableName: stack.tableName, Item: { pk: 'PERSON#P1', sk, sv: 'src#v1#0' } }),
      );
    }
    const out = await stack.ddb.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: 'bySource',
        KeyConditionExpression: 'sv = :sv',
        ExpressionAttributeValues: { ':sv': 'src#v1#0' },
      }),
    );
    expect((out.Items ?? []).map((i) => i.sk).sort()).toEqual([...pair].sort());
  });
});

describe('stored results follow the facts', () => {
  it('drops an evaluation and a renewal status when a correction moves the date after the as-of date', async () => {
    const { runJobs } = await import('#local/jobs.js');
    const applicants = (applied: string) =>
      [
        'person_id,first_name,last_name,email,category,application_date,education,work_experience_months,county',
        `P1,Ana,Lopez,ana@example.org,IFS,${applied},bachelor,30,Dane`,
      ].join('\n');
    const endorsements = (endorsed: string) => ['person_id,category,endorsed_on', `P2,IFS,${endorsed}`].join('\n');
    const results = async () =>
      [...(await stack.partition('PERSON#P1')), ...(await stack.partition('PERSON#P2'))]
        .map((i) => String(i.sk))
        .filter((sk) => sk === 'EVALUATION' || sk === 'RENEWAL')
        .sort();
    await stack.ingest({
      'applicants/a.csv': applicants('2026-01-01'),
      'endorsements/e.csv': endorsements('2025-01-01'),
    });
    await runJobs(stack, '2026-11-30');
    expect(await results()).toEqual(['EVALUATION', 'RENEWAL']);
    await stack.ingest({
      'applicants/a.csv': applicants('2026-12-15'),
      'endorsements/e.csv': endorsements('2026-12-20'),
    });
    await runJobs(stack, '2026-11-30');
    expect(await results()).toEqual([]);
  });
});
