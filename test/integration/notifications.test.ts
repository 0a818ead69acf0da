/**
 * Emails to administrators on the local stack (docs/operations.md, "Emails"): `iecmh run` writes the
 * rejected-rows email of each file with rejected rows to `<state>/outbox/`, and `iecmh digest`, run a
 * week apart, lists who became eligible in between. Each .eml is read back as a mail client would.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNotificationSettings } from '#core/notify/settings.js';
import { digestCommand } from '#local/digest.js';
import { eraseCommand } from '#local/erase.js';
import { type RunSummary, runPipeline } from '#local/run.js';
import { captured } from '../support/cli.js';
import { csvRecords } from '../support/csv.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'pipeline');
const settings = defaultNotificationSettings();
let dir: string;
let state: string;
let first: RunSummary;

const outbox = () => join(state, 'outbox');
const read = async (path: string): Promise<Email> => PostalMime.parse(readFileSync(path));
const eligibleIn = (out: string) =>
  new Set(
    csvRecords(readFileSync(join(out, 'admin', 'eligibility.csv'), 'utf8'))
      .filter((r) => r.eligible === 'true')
      .map((r) => r.person_id),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-notify-'));
  state = join(dir, 'state');
  const input = join(dir, 'in1');
  mkdirSync(input);
  for (const f of readdirSync(join(FIXTURES, 'first'))) copyFileSync(join(FIXTURES, 'first', f), join(input, f));
  // Two bad rows (lines 3 and 5) among good ones.
  writeFileSync(
    join(input, 'rosters-typos.csv'),
    [
      'training_id,training_title,training_date,hours,person_id,completed',
      'T-X1,Extra,2026-02-01,2,P1,yes',
      'T-X2,Extra,2026-02-01,lots,P1,yes',
      'T-X3,Extra,2026-02-01,2,P2,yes',
      'T-X4,Extra,,2,P2,yes',
      '',
    ].join('\n'),
  );
  first = await runPipeline({ input, out: join(dir, 'out1'), state, asOf: '2026-06-23', quiet: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iecmh run: the rejected-rows email', () => {
  it('writes one .eml per file with rejected rows to <state>/outbox/, and no other', () => {
    const withRejected = first.files.filter((f) => f.rejected > 0 || f.unusable).map((f) => f.file);
    expect(withRejected).toContain('rosters-typos.csv');
    expect(first.emails).toHaveLength(withRejected.length);
    expect(readdirSync(outbox()).sort()).toEqual(first.emails.map((p) => p.slice(outbox().length + 1)).sort());
  });

  it('is from the configured sender to the administrators, names the file and lists the rejected lines', async () => {
    const mails = await Promise.all(first.emails.map(read));
    const mail = mails.find((m) => m.subject?.includes('rosters/rosters-typos.csv'));
    expect(mail?.from?.address).toBe(settings.sender.address);
    expect(mail?.to?.map((a) => a.address)).toEqual(settings.administrators);
    expect(mail?.subject).toBe('2 rows rejected in rosters/rosters-typos.csv');
    expect(mail?.text).toContain('line 3, hours:');
    expect(mail?.text).toContain('line 5, training_date:');
    expect(mail?.text).toContain('receipts/rosters-typos.csv.json');
    // The refused value stays in the receipt, not in the email.
    expect(mail?.text).not.toContain('lots');
  });
});

describe('iecmh digest, a week apart', () => {
  it('lists who became eligible since the last digest, and only them', async () => {
    const before = eligibleIn(join(dir, 'out1'));
    const baseline = await captured(() => digestCommand(['--state', state, '--as-of', '2026-06-23', '--json']));
    expect(baseline.code).toBe(0);
    expect(JSON.parse(baseline.stdout)).toMatchObject({
      asOf: '2026-06-23',
      newlyEligible: 0,
      eligibleNow: before.size,
    });

    // A week later an upload brings P4, who attended trainings known only by email (eligible).
    await runPipeline({
      input: join(FIXTURES, 'later'),
      out: join(dir, 'out2'),
      state,
      asOf: '2026-06-30',
      quiet: true,
    });
    const after = eligibleIn(join(dir, 'out2'));
    const newcomers = [...after].filter((id) => !before.has(id));
    expect(newcomers).toEqual(['P4']);

    const week = await captured(() => digestCommand(['--state', state, '--as-of', '2026-06-30']));
    expect(week.code).toBe(0);
    expect(week.stdout).toContain('since the digest as of 2026-06-23');
    const path = readdirSync(outbox())
      .filter((f) => f.includes('weekly-digest'))
      .sort()
      .at(-1) as string;
    const mail = await read(join(outbox(), path));
    expect(mail.to?.map((a) => a.address)).toEqual(settings.administrators);
    expect(mail.subject).toMatch(/^Weekly digest as of 2026-06-30: 1 newly eligible, /);
    const section = (mail.text ?? '').split('Newly eligible: ')[1]?.split('\n\n')[0] ?? '';
    expect(section).toContain('  P4  Dee Late');
    for (const id of before) expect(section).not.toContain(`  ${id}  `);
  });

  it('erasing a person removes the outbox emails that name them', async () => {
    const naming = async () => {
      const texts = await Promise.all(readdirSync(outbox()).map((f) => read(join(outbox(), f))));
      return texts.filter((m) => (m.text ?? '').includes('P4')).length;
    };
    expect(await naming()).toBe(1);
    const erased = await captured(() => eraseCommand(['P4', '--state', state, '--as-of', '2026-06-30', '--json']));
    expect(erased.code).toBe(0);
    expect(await naming()).toBe(0);
    expect(readdirSync(outbox()).length).toBeGreaterThan(0);
  });
});
