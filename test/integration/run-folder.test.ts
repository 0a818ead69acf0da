/**
 * `iecmh run` on a folder holding more than input files: it reads .csv and .txt in any letter
 * case, says which entries it skipped and why, and a name the embedded S3 cannot store (too long,
 * not UTF-8) is one skipped file, not a crash of the whole run.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SkippedFile } from '#local/input-folder.js';
import { MAX_INPUT_NAME_BYTES, refusedNames } from '#local/input-folder.js';
import { type RunSummary, runPipeline } from '#local/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'pipeline', 'first');
/** 8 + 108 × 2 + 4 = 228 bytes of UTF-8: the longest name that fits. */
const LONGEST = `rosters-${'é'.repeat(108)}.csv`;
/** One byte more. */
const TOO_LONG = `rosters-x${'é'.repeat(108)}.csv`;
/** What the issue reported: a 245-byte name. */
const REPORTED = `rosters-${'0'.repeat(233)}.csv`;

let dir: string;
let input: string;
let summary: RunSummary;
const told: SkippedFile[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-run-folder-'));
  input = join(dir, 'in');
  mkdirSync(join(input, 'older exports'), { recursive: true });
  copyFileSync(join(FIXTURES, 'applicants.csv'), join(input, 'applicants.csv'));
  copyFileSync(join(FIXTURES, 'rosters-a.csv'), join(input, 'Rosters-A.CSV'));
  // Excel's "Text (Tab delimited)".
  writeFileSync(join(input, 'rsc export.TXT'), readFileSync(join(FIXTURES, 'rsc.csv'), 'utf8').replaceAll(',', '\t'));
  writeFileSync(join(input, 'endorsements.xlsm'), Buffer.from('PK\x03\x04junk', 'latin1'));
  writeFileSync(join(input, 'notes.pdf'), 'not data');
  copyFileSync(join(FIXTURES, 'rsc.csv'), join(input, 'people.csv'));
  copyFileSync(join(FIXTURES, 'rosters-b-overlap.csv'), join(input, LONGEST));
  copyFileSync(join(FIXTURES, 'rosters-b-overlap.csv'), join(input, TOO_LONG));
  copyFileSync(join(FIXTURES, 'rosters-b-overlap.csv'), join(input, REPORTED));
  // Names the embedded S3 refuses as keys that could leave its folder (local/src/s3-lockdown.ts).
  copyFileSync(join(FIXTURES, 'rsc.csv'), join(input, 'rsc-a\\b.csv'));
  copyFileSync(join(FIXTURES, 'rsc.csv'), join(input, 'rsc%2F..%2Fx.csv'));
  // A name in Latin-1 bytes (0xE9 is é), as an old archive or a Windows share can leave it.
  writeFileSync(Buffer.concat([Buffer.from(`${input}/rosters-caf`), Buffer.from([0xe9]), Buffer.from('.csv')]), 'x');
  summary = await runPipeline({
    input,
    out: join(dir, 'out'),
    state: join(dir, 'state'),
    asOf: '2026-06-30',
    quiet: true,
    onSkipped: (s) => told.push(s),
  });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iecmh run on a folder of mixed entries', () => {
  it('reads .csv and .txt files in any letter case, names up to the limit included', () => {
    expect(Buffer.byteLength(LONGEST)).toBe(MAX_INPUT_NAME_BYTES);
    expect(summary.files.map((f) => [f.file, f.kind, f.unusable])).toEqual([
      ['Rosters-A.CSV', 'rosters', false],
      ['applicants.csv', 'applicants', false],
      [LONGEST, 'rosters', false],
      ['rsc export.TXT', 'rsc', false],
    ]);
    expect(summary.files.find((f) => f.kind === 'rsc')?.accepted).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'out', 'receipts')).sort()).toEqual(
      ['Rosters-A.CSV.json', 'applicants.csv.json', `${LONGEST}.json`, 'rsc export.TXT.json'].sort(),
    );
    expect(summary.evaluation?.applicants).toBe(3);
  });

  it('says which entries it skipped and why, in the summary and as it goes', () => {
    const reasons = Object.fromEntries(summary.skipped.map((s) => [s.file, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      [
        'endorsements.xlsm',
        'notes.pdf',
        'older exports',
        'people.csv',
        'rosters-caf\ufffd.csv',
        'rsc%2F..%2Fx.csv',
        'rsc-a\\b.csv',
        REPORTED,
        TOO_LONG,
      ].sort(),
    );
    expect(reasons['endorsements.xlsm']).toMatch(/^Macro-enabled Excel workbooks \(\.xlsm\) cannot be read\./);
    expect(reasons['notes.pdf']).toMatch(/ends in "\.pdf" is not read as input/);
    expect(reasons['people.csv']).toMatch(/does not start with applicants, rosters, rsc, endorsements/);
    expect(reasons['older exports']).toMatch(/^Not a file/);
    expect(reasons['rosters-caf\ufffd.csv']).toMatch(/not UTF-8 text.*Rename the file/);
    for (const name of ['rsc-a\\b.csv', 'rsc%2F..%2Fx.csv']) {
      expect(reasons[name]).toMatch(/^The embedded S3 refuses names that could point outside its folder.*Rename/);
    }
    expect(told.sort((a, b) => (a.file < b.file ? -1 : 1))).toEqual(summary.skipped);
  });

  it('refuses a name too long to store with its length, the limit and what to do, and runs the rest', () => {
    const reasons = Object.fromEntries(summary.skipped.map((s) => [s.file, s.reason]));
    expect(reasons[REPORTED]).toBe(
      'The file name is 245 bytes long; the local pipeline stores each upload and its receipt as files named after it, so a name may be at most 228 bytes (UTF-8; letters with accents take 2 bytes or more). Shorten the name and run again.',
    );
    expect(reasons[TOO_LONG]).toMatch(/^The file name is 229 bytes long;/);
    expect(existsSync(join(dir, 'out', 'reports', 'report.html'))).toBe(true);
  });

  it('leaves nothing of its name check in the state folder', () => {
    expect(readdirSync(join(dir, 'state')).filter((n) => n.startsWith('.name-check-'))).toEqual([]);
  });
});

describe('refusedNames', () => {
  it('says which file system refuses a name, and why', () => {
    const state = mkdtempSync(join(tmpdir(), 'iecmh-names-'));
    try {
      const refused = refusedNames(['a.csv', `${'x'.repeat(240)}.csv`], { stateDir: state, receiptsDir: state });
      expect([...refused.keys()]).toEqual([`${'x'.repeat(240)}.csv`]);
      expect(refused.get(`${'x'.repeat(240)}.csv`)).toBe(
        `The file system of ${state} refuses a file named after it (ENAMETOOLONG). Rename the file using letters, digits, spaces, "-" and "_", and run again.`,
      );
      expect(readdirSync(state)).toEqual([]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
