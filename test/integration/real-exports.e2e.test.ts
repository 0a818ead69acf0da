/**
 * Everyday exports, end to end: each file of test/support/real-exports.ts goes through
 * `iecmh validate` and through `iecmh run` (upload, ingest, evaluate, publish) on the embedded
 * stack, and its receipt must say exactly what docs/input-files.md promises: the rows read as
 * meant, the others rejected at their line with what to do. Names must reach the administrators'
 * export exactly as typed, and no replacement character, control character or mojibake anywhere.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '#core/ingest/ingest.js';
import { kindOfFileName } from '#local/input-folder.js';
import { type RunSummary, runPipeline } from '#local/run.js';
import { validateFile, validationExitCode } from '#local/validate.js';
import { type RealExport, realExports } from '../support/real-exports.js';

const EXPORTS = realExports();

function expectReceipt(receipt: Receipt, file: RealExport) {
  const label = `${file.name} (${file.madeBy})`;
  if (file.unusable) {
    expect(receipt.unusable, label).toBe(true);
    expect(receipt.errors[0]?.message, label).toMatch(file.unusable);
    return;
  }
  expect(receipt.unusable, `${label}: ${JSON.stringify(receipt.errors[0])}`).toBe(false);
  expect(
    receipt.errors.map((e) => ({ line: e.line, column: e.column })),
    `${label}: ${JSON.stringify(receipt.errors)}`,
  ).toEqual(file.rejected.map((r) => ({ line: r.line, column: r.column ?? expect.any(String) })));
  file.rejected.forEach((r, i) => {
    expect(receipt.errors[i]?.message, label).toMatch(r.message);
  });
  expect(receipt.accepted, label).toBe(file.accepted);
  expect(receipt.rows, label).toBe(file.accepted + file.rejected.length);
  if (file.encoding) expect(receipt.encoding, label).toBe(file.encoding);
  if (file.warning) expect(receipt.warnings.join('\n'), label).toMatch(file.warning);
  expect(JSON.stringify(receipt).length, `${label}: receipt size`).toBeLessThan(64 * 1024);
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'real-exports-'));
  mkdirSync(join(dir, 'in'));
  for (const f of EXPORTS) writeFileSync(join(dir, 'in', f.name), f.bytes);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iecmh validate on everyday exports', () => {
  it.each(EXPORTS.map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const kind = kindOfFileName(file.name);
    if (!kind) throw new Error(`no kind for ${file.name}`);
    const receipt = await validateFile(join(dir, 'in', file.name), kind);
    expectReceipt(receipt, file);
    expect(validationExitCode(receipt)).toBe(file.unusable ? 2 : file.rejected.length > 0 ? 1 : 0);
  });
});

describe('iecmh run on a folder of everyday exports', () => {
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

  it('writes each file the receipt validate gave it', () => {
    expect(summary.skipped).toEqual([]);
    for (const file of EXPORTS) {
      const receipt = JSON.parse(readFileSync(join(dir, 'out', 'receipts', `${file.name}.json`), 'utf8')) as Receipt;
      expectReceipt(receipt, file);
    }
  });

  it('puts every name in the administrators’ export exactly as typed, and nothing garbled', () => {
    const eligibility = readFileSync(join(dir, 'out', 'admin', 'eligibility.csv'), 'utf8');
    for (const file of EXPORTS)
      for (const name of file.names ?? []) expect(eligibility).toContain(name.replace(' ', ','));
    expect(eligibility).not.toMatch(/\uFFFD|Ã|Ž|‚e|Bobby/);
    expect(eligibility.includes(String.fromCharCode(0)), 'a NUL in the export').toBe(false);
    expect(eligibility).not.toContain('O’Brien');
  });
});
