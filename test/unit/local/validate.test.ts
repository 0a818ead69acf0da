import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile, validationExitCode } from '#local/validate.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-validate-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iecmh validate reads what run and the ingest function read (shared/core/ingest/file-types.ts)', () => {
  it('reads a tab-delimited .TXT from Excel', async () => {
    const path = join(dir, 'RSC export.TXT');
    writeFileSync(path, 'person_id\tsession_date\thours\r\nP1\t2026-01-02\t1.5\r\n');
    const receipt = await validateFile(path, 'rsc');
    expect(receipt).toMatchObject({ file: 'RSC export.TXT', rows: 1, accepted: 1, unusable: false });
    expect(validationExitCode(receipt)).toBe(0);
  });

  it('reads a workbook whatever its letter case, and calls a damaged one unusable', async () => {
    const path = join(dir, 'applicants.XLSX');
    writeFileSync(path, Buffer.from('PK\x03\x04junk', 'latin1'));
    const receipt = await validateFile(path, 'applicants');
    expect(receipt).toMatchObject({ file: 'applicants.XLSX', unusable: true, accepted: 0 });
    expect(receipt.errors[0]?.message).toMatch(/^The workbook could not be read: it is not a valid Excel \.xlsx file/);
    expect(validationExitCode(receipt)).toBe(2);
  });

  it('does not read a text file of another type as CSV, though it would parse', async () => {
    const path = join(dir, 'rsc.json');
    writeFileSync(path, 'person_id,session_date,hours\nP1,2026-01-02,1.5\n');
    const receipt = await validateFile(path, 'rsc');
    expect(receipt).toMatchObject({ unusable: true, rows: 0 });
    expect(receipt.errors[0]?.message).toMatch(/ends in "\.json" is not read as input/);
  });
});
