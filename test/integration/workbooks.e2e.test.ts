/**
 * Excel workbooks end to end: built by write-excel-file (test/support/workbooks.ts), each goes
 * through `iecmh validate` and through `iecmh run` (upload, the ingest function, evaluate,
 * publish) on the embedded stack. Their receipts must match row for row, the sheet named after
 * the kind must be read, and ids typed as text keep their leading zeros to the administrators' export.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '#core/ingest/ingest.js';
import { type RunSummary, runPipeline } from '#local/run.js';
import { validateFile, validationExitCode } from '#local/validate.js';
import { applicantsSheet, rosterSheets, workbook } from '#test-support/workbooks.js';

let dir: string;
const files: Record<string, Buffer> = {};

/** What each file's receipt must say (the same from validate and from the ingest function). */
function expectReceipt(name: string, receipt: Receipt) {
  if (name === 'applicants-fall.XLSX') {
    expect(receipt).toMatchObject({ sheet: 'Sheet1', unusable: false, rows: 2, accepted: 2, rejected: 0, errors: [] });
  } else if (name === 'rosters-fall.xlsx') {
    expect(receipt).toMatchObject({ sheet: 'ROSTERS', unusable: false, rows: 3, accepted: 2, rejected: 1 });
    expect(receipt.errors).toEqual([
      { line: 5, column: 'Hours', message: expect.stringMatching(/^"six" is not a number of hours/) },
    ]);
  } else {
    expect(receipt).toMatchObject({ unusable: true, rows: 0 });
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/not a valid Excel .xlsx file/) },
    ]);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbooks-'));
  mkdirSync(join(dir, 'in'));
  files['applicants-fall.XLSX'] = await workbook([{ sheet: 'Sheet1', rows: applicantsSheet() }]);
  files['rosters-fall.xlsx'] = await workbook(rosterSheets());
  const whole = await workbook(rosterSheets());
  files['rosters-damaged.xlsx'] = whole.subarray(0, Math.floor(whole.length / 2));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, 'in', name), bytes);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iecmh validate on Excel workbooks', () => {
  it.each([
    ['applicants-fall.XLSX', 'applicants', 0],
    ['rosters-fall.xlsx', 'rosters', 1],
    ['rosters-damaged.xlsx', 'rosters', 2],
  ] as const)('%s', async (name, kind, exitCode) => {
    const receipt = await validateFile(join(dir, 'in', name), kind);
    expectReceipt(name, receipt);
    expect(validationExitCode(receipt)).toBe(exitCode);
  });
});

describe('iecmh run on a folder of Excel workbooks', () => {
  let summary: RunSummary;
  beforeAll(async () => {
    summary = await runPipeline({
      input: join(dir, 'in'),
      out: join(dir, 'out'),
      state: join(dir, 'state'),
      asOf: '2026-12-01',
      quiet: true,
    });
  }, 240_000);

  it('reads every workbook and writes the receipt validate gave it', () => {
    expect(summary.skipped).toEqual([]);
    for (const name of Object.keys(files)) {
      const receipt = JSON.parse(readFileSync(join(dir, 'out', 'receipts', `${name}.json`), 'utf8')) as Receipt;
      expectReceipt(name, receipt);
    }
  });

  it('keeps the leading zeros of ids typed as text, and the names as typed', () => {
    const eligibility = readFileSync(join(dir, 'out', 'admin', 'eligibility.csv'), 'utf8');
    expect(eligibility).toMatch(/^00042,Renée,Chávez,/m);
    expect(eligibility).toMatch(/^00043,José,Muñoz,/m);
  });
});
