import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ingestFile, type Receipt } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { InputKind } from '#core/model.js';
import { chunksOf } from '#test-support/chunks.js';

async function ingest(kind: InputKind, bytes: Uint8Array | string, chunkSize = 64 * 1024) {
  const stored: InputRecord[] = [];
  const receipt = await ingestFile({
    kind,
    file: 'upload.csv',
    source: chunksOf(bytes, chunkSize),
    sink: async (records) => {
      stored.push(...records);
    },
  });
  return { receipt, stored };
}

function expectBalanced(r: Receipt) {
  expect(r.rows).toBe(r.accepted + r.rejected);
}

const RSC_HEADER = 'person_id,session_date,hours\r\n';

describe('files that cannot be used at all get one clear error and store nothing', () => {
  it.each([
    ['an empty file', '', /empty/],
    ['a file of blank lines', '\r\n\r\n  \r\n', /empty/],
    ['an xlsx workbook renamed .csv', Buffer.from('PK\x03\x04\x14\x00\x06\x00rest-of-zip', 'latin1'), /Excel workbook/],
    ['a file missing a required column', 'person_id,hours\r\nP1,2\r\n', /missing required column session_date/],
    ['binary data', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x41]), /binary/],
  ])('%s', async (_name, bytes, message) => {
    const { receipt, stored } = await ingest('rsc', bytes);
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors).toEqual([{ line: 0, column: '', message: expect.stringMatching(message) }]);
    expect(receipt).toMatchObject({ rows: 0, accepted: 0, rejected: 0 });
    expect(stored).toEqual([]);
  });
});

describe('files with bad rows keep every good row', () => {
  it('a header-only file is a valid file with no rows', async () => {
    const { receipt } = await ingest('rsc', RSC_HEADER);
    expect(receipt).toMatchObject({ unusable: false, rows: 0, accepted: 0, rejected: 0, errors: [] });
  });

  it('rejects negative and non-numeric hours and impossible dates, with line and column', async () => {
    const file = `${RSC_HEADER}P1,2026-01-05,1.5\r\nP2,2026-02-30,1\r\nP3,2026-01-05,-1\r\nP4,2026-01-05,lots\r\nP5,2026-01-06,2\r\n`;
    const { receipt, stored } = await ingest('rsc', file);
    expect(receipt.errors).toEqual([
      { line: 3, column: 'session_date', message: '"2026-02-30" is not a real date' },
      { line: 4, column: 'hours', message: '"-1" is negative; hours must be more than 0' },
      { line: 5, column: 'hours', message: expect.stringMatching(/not a number of hours/) },
    ]);
    expect(stored.map((s) => (s.record as { personId: string }).personId)).toEqual(['P1', 'P5']);
    expectBalanced(receipt);
  });

  it('reads a semicolon-delimited export and says so', async () => {
    const { receipt } = await ingest('rsc', 'person_id;session_date;hours\nP1;2026-01-05;1\n');
    expect(receipt).toMatchObject({ accepted: 1, delimiter: ';' });
    expect(receipt.warnings).toContain('the file is semicolon-separated; it was read as such');
  });

  it('rejects the row where a quote is never closed and keeps the rows before and after it', async () => {
    const file = `${RSC_HEADER}P1,2026-01-05,1\r\nP2,"2026-01-06,2\r\nP3,2026-01-07,3\r\n`;
    const { receipt, stored } = await ingest('rsc', file);
    expect(stored.map((s) => (s.record as { personId: string }).personId)).toEqual(['P1', 'P3']);
    expect(receipt.errors).toEqual([{ line: 3, column: '', message: expect.stringMatching(/never closed/) }]);
    expectBalanced(receipt);
  });

  it('rejects a row holding a 5 MB field and keeps the rows around it', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const file = `person_id,session_date,hours,format\r\nP1,2026-01-05,1,in person\r\nP2,2026-01-05,1,"${huge}"\r\nP3,2026-01-05,1,virtual\r\n`;
    const { receipt, stored } = await ingest('rsc', file, 64 * 1024);
    expect(stored.map((s) => (s.record as { personId: string }).personId)).toEqual(['P1', 'P3']);
    expect(receipt.errors).toEqual([
      { line: 3, column: 'format', message: 'is 5,242,880 characters long; at most 100 are allowed' },
    ]);
  });

  it('accepts exact duplicate rows (storage keeps one) and counts each', async () => {
    const file = `${RSC_HEADER}P1,2026-01-05,1\r\nP1,2026-01-05,1\r\n`;
    const { receipt } = await ingest('rsc', file);
    expect(receipt).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
  });

  it('reads a Windows-1252 roster with quoted commas and line breaks', async () => {
    const text =
      'Training ID,Training Title,Training Date,Hours,Person ID\r\nT1,"Café “Reflective” work, part 1\r\nday two",1/15/2026,6,P1\r\n';
    const { receipt, stored } = await ingest('rosters', iconv.encode(text, 'win1252'), 7);
    expect(receipt).toMatchObject({ accepted: 1, encoding: 'windows-1252' });
    expect(stored[0]?.record).toMatchObject({
      trainingTitle: 'Café “Reflective” work, part 1\nday two',
      trainingDate: '2026-01-15',
    });
  });

  it('lists at most maxErrors errors and counts the rest', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `P${i},not-a-date,1`).join('\n');
    const receipt = await ingestFile({
      kind: 'rsc',
      file: 'f',
      source: chunksOf(`${RSC_HEADER}${rows}`),
      maxErrors: 10,
    });
    expect(receipt.errors).toHaveLength(10);
    expect(receipt.errorsOmitted).toBe(20);
    expect(receipt.rejected).toBe(30);
  });
});
