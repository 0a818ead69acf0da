/**
 * End to end on the embedded stack: CSV files in a folder → `iecmh run` → admin/eligibility.csv and
 * admin/renewals.csv, checked against outcomes worked out by hand from test/fixtures/pipeline.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '#local/run.js';
import { personRun } from '../support/cli.js';
import { csvRecords } from '../support/csv.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'pipeline');
let dir: string;

const readCsv = (path: string) => csvRecords(readFileSync(path, 'utf8'));

const pick = (rows: Record<string, string>[], columns: string[]) =>
  Object.fromEntries(rows.map((r) => [r.person_id, Object.fromEntries(columns.map((c) => [c, r[c]]))]));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-pipeline-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV files to eligibility.csv', () => {
  it('judges each applicant as worked out by hand, on 2026-06-30', async () => {
    const state = join(dir, 'state');
    await runPipeline({
      input: join(FIXTURES, 'first'),
      out: join(dir, 'out1'),
      state,
      asOf: '2026-06-30',
      quiet: true,
    });
    // A later upload brings P4, who attended two trainings known only by email.
    const summary = await runPipeline({
      input: join(FIXTURES, 'later'),
      out: join(dir, 'out2'),
      state,
      asOf: '2026-06-30',
      quiet: true,
    });
    expect(summary.evaluation?.applicants).toBe(4);
    // The administrators' manifest names every upload of both runs, with its version and counts.
    const manifest = JSON.parse(readFileSync(join(dir, 'out2', 'admin', 'manifest.json'), 'utf8'));
    expect(manifest.inputs.map((i: { name: string }) => i.name)).toEqual(
      [...readdirSync(join(FIXTURES, 'first')), ...readdirSync(join(FIXTURES, 'later'))]
        .map((name) => `${['applicants', 'rosters', 'rsc', 'endorsements'].find((k) => name.startsWith(k))}/${name}`)
        .sort(),
    );
    expect(manifest.inputs[0]).toMatchObject({
      version: expect.any(String),
      sha256: expect.any(String),
      rows: expect.any(Number),
    });

    const rows = readCsv(join(dir, 'out2', 'admin', 'eligibility.csv'));
    const columns = [
      'category',
      'eligible',
      'gaps',
      'training_hours',
      'rsc_hours',
      'competencies_covered',
      'competencies_required',
    ];
    expect(pick(rows, columns)).toEqual({
      // 20 + 10 hours, each training counted once though two rosters list it; associates need no coverage.
      P1: {
        category: 'IFA',
        eligible: 'true',
        gaps: '',
        training_hours: '30',
        rsc_hours: '0',
        competencies_covered: '24',
        competencies_required: '0',
      },
      // 20 + 9.5 (a training after the as-of date and one not completed do not count); RSC from the window's first day counts.
      P2: {
        category: 'IFS',
        eligible: 'false',
        gaps: 'training_hours',
        training_hours: '29.5',
        rsc_hours: '24',
        competencies_covered: '19',
        competencies_required: '19',
      },
      // Membership ended the day before; RSC from the day before the window does not count.
      P3: {
        category: 'IFS',
        eligible: 'false',
        gaps: 'membership;rsc_hours',
        training_hours: '30',
        rsc_hours: '13.5',
        competencies_covered: '19',
        competencies_required: '19',
      },
      // Linked late, by email in another letter case.
      P4: {
        category: 'IFS',
        eligible: 'true',
        gaps: '',
        training_hours: '30',
        rsc_hours: '24',
        competencies_covered: '19',
        competencies_required: '19',
      },
    });
  });
});

describe("a person's file", () => {
  async function person(args: string[]) {
    const { code, stdout } = await personRun(args, join(dir, 'state'));
    return { code, text: stdout };
  }

  it('explains in plain words why an applicant is not yet eligible', async () => {
    const { code, text } = await person(['P2', '--as-of', '2026-06-30']);
    expect(code).toBe(0);
    expect(text).toContain('Bea Short (P2), Infant Family Specialist (IFS)');
    expect(text).toContain('Not yet eligible for IFS on 2026-06-30: 1 requirement not met');
    expect(text).toMatch(/29\.5 of 30 training hours/);
    expect(text).toMatch(/T-NC .*NOT COMPLETED/);
  });

  it('gives scripts the same in JSON, with trainings linked by email', async () => {
    const { text } = await person(['P4', '--as-of', '2026-06-30', '--json']);
    const file = JSON.parse(text);
    expect(file.evaluation).toMatchObject({ eligible: true, trainingHours: 30 });
    expect(file.trainings.map((t: { trainingId: string }) => t.trainingId).sort()).toEqual(['T-ALL', 'T-TEN']);
  });

  it('says so when nobody has that id', async () => {
    const { code } = await person(['NOBODY']);
    expect(code).toBe(1);
  });
});

describe('CSV files to renewals.csv on two dates', () => {
  const columns = ['status', 'ce_hours', 'dei_hours', 'rsc_hours', 'due_date'];

  it('on 2026-06-30: compliant, exempt, lapsed on 2025, in progress', async () => {
    const out = join(dir, 'renew-a');
    await runPipeline({
      input: join(FIXTURES, 'first'),
      out,
      state: join(dir, 'state-r'),
      asOf: '2026-06-30',
      quiet: true,
    });
    expect(pick(readCsv(join(out, 'admin', 'renewals.csv')), columns)).toEqual({
      E1: { status: 'compliant', ce_hours: '15', dei_hours: '1', rsc_hours: '12', due_date: '2026-12-31' },
      E2: { status: 'exempt', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2026-12-31' },
      E3: { status: 'lapsed', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2026-12-31' },
      E4: { status: 'in_progress', ce_hours: '5', dei_hours: '0', rsc_hours: '0', due_date: '2026-12-31' },
    });
  });

  it('on 2027-01-15: 2026 decides who lapsed', async () => {
    const out = join(dir, 'renew-b');
    await runPipeline({
      input: join(FIXTURES, 'first'),
      out,
      state: join(dir, 'state-r'),
      asOf: '2027-01-15',
      quiet: true,
    });
    expect(pick(readCsv(join(out, 'admin', 'renewals.csv')), columns)).toEqual({
      E1: { status: 'in_progress', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2027-12-31' },
      E2: { status: 'in_progress', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2027-12-31' },
      E3: { status: 'lapsed', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2027-12-31' },
      E4: { status: 'lapsed', ce_hours: '0', dei_hours: '0', rsc_hours: '0', due_date: '2027-12-31' },
    });
  });
});
