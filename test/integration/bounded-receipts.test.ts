/**
 * Files that once failed on every delivery or lost rows, through the real pipeline (S3 event in an
 * SQS message, ingest handler, DynamoDB and S3 of the embedded stack): a header of 100,000 unknown
 * columns, thousands of long errors, and a quote problem in the middle of a file. Each is ingested
 * on its first delivery and its receipt, in S3 and in the table, stays small.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECEIPT_SK } from '#adapters/dynamo/sources.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

async function storedReceipt(key: string): Promise<{ text: string; item: Record<string, unknown> | undefined }> {
  const object = await stack.s3.send(
    new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: `receipts/${key}.json` }),
  );
  const text = (await object.Body?.transformToString()) ?? '';
  const item = (await stack.partition(`FILE#${key}`)).find((i) => i.sk === RECEIPT_SK);
  return { text, item };
}

describe('receipts stay small through the pipeline', () => {
  it('a header of 100,000 unknown columns: rows stored on the first delivery, receipt a few KB', async () => {
    const extra = Array.from({ length: 100_000 }, (_, i) => `Unknown column number ${i}`).join(',');
    const file = `person_id,session_date,hours,${extra}\r\nP1,2026-01-05,1\r\nP2,2026-01-06,2\r\n`;
    const [outcome] = await stack.ingest({ 'rsc/wide.csv': file });
    expect(outcome?.receipt).toMatchObject({ rows: 2, accepted: 2, rejected: 0, unusable: false });
    expect(outcome?.receipt.warnings[0]).toMatch(/and 99,980 more unknown columns$/);
    expect(await stack.partition('PERSON#P1')).not.toHaveLength(0);
    const { text, item } = await storedReceipt('rsc/wide.csv');
    expect(Buffer.byteLength(text)).toBeLessThan(4 * 1024);
    expect(item).toMatchObject({ rows: 2, accepted: 2 });
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(2 * 1024);
  });

  it('5,000 rows of long errors: the stored receipt stays under 300 KB and counts what it does not list', async () => {
    const pad = (name: string) => `${name}${'-'.repeat(200 - name.length)}`;
    const header = ['person_id', 'session_date', 'hours', 'provider_name', 'provider_category', 'format'];
    const bad = 'é'.repeat(300);
    const rows = Array.from({ length: 5000 }, (_, i) => `P${i}é,${bad},${bad},${bad},${bad},${bad}`);
    const file = `${[header.map(pad).join(','), ...rows].join('\n')}\n`;
    const [outcome] = await stack.ingest({ 'rsc/errors.csv': file });
    expect(outcome?.receipt).toMatchObject({ rows: 5000, accepted: 0, rejected: 5000 });
    expect(outcome?.receipt.errorsOmitted).toBeGreaterThan(0);
    const { text, item } = await storedReceipt('rsc/errors.csv');
    expect(Buffer.byteLength(text)).toBeLessThan(300 * 1024);
    const listed = (JSON.parse(text) as { errors: unknown[] }).errors.length;
    expect(item?.errorCount).toBe(listed + (outcome?.receipt.errorsOmitted ?? 0));
  });

  it('"Bobby" Smith in line 3 of 200 applicants: 199 stored, line 3 in the receipt', async () => {
    const header = 'person_id,first_name,last_name,email,category,education,work_experience_months,county';
    const row = (i: number) =>
      `P${i},${i === 2 ? '"Bobby" Smith' : `Ana${i}`},Lopez,ana${i}@example.org,IFS,bachelor,30,Dane`;
    const file = `${[header, ...Array.from({ length: 200 }, (_, i) => row(i + 1))].join('\r\n')}\r\n`;
    const [outcome] = await stack.ingest({ 'applicants/applicants.csv': file });
    expect(outcome?.receipt).toMatchObject({ rows: 200, accepted: 199, rejected: 1 });
    expect(outcome?.receipt.errors).toEqual([
      { line: 3, column: '', message: expect.stringMatching(/^a quote opens here/) },
    ]);
    expect(await stack.partition('PERSON#P200')).not.toHaveLength(0);
    expect(await stack.partition('PERSON#P2')).toHaveLength(0);
  });
});
