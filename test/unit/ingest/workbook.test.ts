import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ingestFile, type Receipt } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import { cellText, columnLetter, defaultWorkbookLimits, type WorkbookLimits } from '#core/ingest/workbook.js';
import { applicantsSheet, dateCell, ROSTER_HEADER, rosterSheets, workbook } from '#test-support/workbooks.js';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function ingest(
  file: string,
  bytes: Uint8Array,
  kind: InputRecord['kind'] = 'rosters',
  limits?: Partial<WorkbookLimits>,
): Promise<{ receipt: Receipt; records: InputRecord[] }> {
  const records: InputRecord[] = [];
  const receipt = await ingestFile({
    kind,
    file,
    source: once(bytes),
    sink: async (r) => void records.push(...r),
    workbook: limits && { ...defaultWorkbookLimits(), ...limits },
  });
  return { receipt, records };
}

describe('Excel workbooks are read like CSV', () => {
  it('reads the sheet named after the kind (any letter case), with dates, numbers and text as typed', async () => {
    const { receipt, records } = await ingest('Rosters-fall.XLSX', await workbook(rosterSheets()));
    expect(receipt).toMatchObject({ sheet: 'ROSTERS', unusable: false, rows: 3, accepted: 2, rejected: 1 });
    expect(receipt.encoding).toBeUndefined();
    expect(receipt.delimiter).toBeUndefined();
    const roster = records.map((r) => r.record as { trainingDate: string; hours: number; personId: string });
    expect(roster.map((r) => [r.trainingDate, r.hours, r.personId])).toEqual([
      ['2026-03-04', 1.5, '00042'],
      ['2026-03-04', 0.3, '00043'],
    ]);
  });

  it('gives a bad row its row number in the sheet, its column and what is wrong', async () => {
    const { receipt } = await ingest('rosters.xlsx', await workbook(rosterSheets()));
    expect(receipt.errors).toEqual([
      { line: 5, column: 'Hours', message: expect.stringMatching(/"six" is not a number of hours/) },
    ]);
  });

  it('reads the first sheet when none is named after the kind', async () => {
    const { receipt, records } = await ingest(
      'applicants.xlsx',
      await workbook([
        { sheet: 'Sheet1', rows: applicantsSheet() },
        { sheet: 'Notes', rows: [['x']] },
      ]),
      'applicants',
    );
    expect(receipt).toMatchObject({ sheet: 'Sheet1', accepted: 2, rejected: 0 });
    expect(records.map((r) => (r.record as { personId: string }).personId)).toEqual(['00042', '00043']);
  });

  it('rejects a value beyond the header’s last column, naming that column', async () => {
    const rows = [ROSTER_HEADER, ['T-1', 'Intro', dateCell('2026-03-04'), 2, 'Alliance', 'P-1', 'stray']];
    const { receipt } = await ingest('rosters.xlsx', await workbook([{ sheet: 'Rosters', rows }]));
    expect(receipt.errors).toEqual([{ line: 2, column: '', message: expect.stringMatching(/in column G, beyond/) }]);
  });

  it('refuses a workbook above the size cap whole, with one error at line 0', async () => {
    const bytes = await workbook(rosterSheets());
    const { receipt, records } = await ingest('rosters.xlsx', bytes, 'rosters', {
      maxBytes: bytes.length - 1,
      maxRows: 100,
    });
    expect(records).toEqual([]);
    expect(receipt).toMatchObject({ unusable: true, rows: 0, accepted: 0 });
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/larger than .* MB.*CSV UTF-8/) },
    ]);
  });

  it('refuses a workbook whose parts unzip to more than the cap (a zip bomb), before reading it', async () => {
    // A real workbook with one more part: 24 MB of zeros, which compress to about 24 KB.
    const parts = unzipSync(await workbook(rosterSheets()));
    parts['xl/media/padding.bin'] = new Uint8Array(24 * 1024 * 1024);
    const bomb = zipSync(parts, { level: 6 });
    expect(bomb.length).toBeLessThan(200_000);
    const { receipt, records } = await ingest('rosters.xlsx', bomb, 'rosters', { maxInflatedBytes: 12_000_000 });
    expect(records).toEqual([]);
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/unpacks to more than 12 MB.*CSV UTF-8/) },
    ]);
    // The same workbook is read when its parts stay under the cap.
    const read = await ingest('rosters.xlsx', bomb, 'rosters', { maxInflatedBytes: 30_000_000 });
    expect(read.receipt).toMatchObject({ unusable: false, accepted: 2 });
  });

  it('refuses a sheet with more rows than the cap whole', async () => {
    const bytes = await workbook(rosterSheets());
    const { receipt } = await ingest('rosters.xlsx', bytes, 'rosters', { maxBytes: 10_000_000, maxRows: 4 });
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/"ROSTERS" has 5 rows, more than the 4 read/) },
    ]);
  });

  it('gives a damaged workbook a receipt with one error at line 0, never a crash', async () => {
    const bytes = await workbook(rosterSheets());
    const { receipt } = await ingest('rosters.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/not a valid Excel .xlsx file/) },
    ]);
  });

  it('says a password-protected workbook (an OLE2 container, as Excel saves one) cannot be read', async () => {
    // Excel saves an encrypted .xlsx inside an OLE2 compound file; these are its first bytes.
    const ole2 = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole2);
    const { receipt } = await ingest('rosters.xlsx', ole2);
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors).toEqual([{ line: 0, column: '', message: expect.stringMatching(/password-protected/) }]);
  });

  it('says an empty .xlsx file is empty', async () => {
    const { receipt } = await ingest('rosters.xlsx', new Uint8Array(0));
    expect(receipt.errors[0]?.message).toMatch(/The file is empty/);
  });
});

describe('cellText', () => {
  it.each([
    [null, ''],
    ['  00042 ', '  00042 '],
    [1.5, '1.5'],
    [0.1 + 0.2, '0.3'],
    [30, '30'],
    [true, 'true'],
    [false, 'false'],
    [new Date(Date.UTC(2026, 2, 4) - 0.4), '2026-03-04'],
    [new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 700)), '2027-01-01'],
  ] as const)('%s reads as %j', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });

  it('names columns as a spreadsheet does', () => {
    expect([0, 6, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'G', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});
