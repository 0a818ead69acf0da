/**
 * The index Scan's ledger of emails (email-ledger.ts): whichever order the Scan meets people and
 * email partitions in, each email with rows comes back with the owner whose id sorts first and both
 * sides' completions, whatever their size; its files on disk are gone once it is read or closed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICANT_EMAIL, EmailLedger, ENDORSEE_EMAIL } from '#adapters/dynamo/email-ledger.js';

const entries = (ledger: EmailLedger) =>
  Object.fromEntries([...ledger.withRows()].map(({ email, ...rest }) => [email, rest]));

describe('EmailLedger', () => {
  it('gives an email with rows to the id sorting first, met before or after its rows', () => {
    const before = new EmailLedger();
    before.offer('a@example.org', 'P2', APPLICANT_EMAIL, [1, 2]);
    before.offer('a@example.org', 'P1', ENDORSEE_EMAIL, [3]);
    before.rows('a@example.org', [2, 4]);
    const after = new EmailLedger();
    after.rows('a@example.org', [2, 4]);
    after.offer('a@example.org', 'P1', ENDORSEE_EMAIL, [3]);
    after.offer('a@example.org', 'P2', APPLICANT_EMAIL, [1, 2]);
    const expected = {
      'a@example.org': { owner: 'P1', ownerProfiles: ENDORSEE_EMAIL, ownerCompleted: [3], completed: [2, 4] },
    };
    expect(entries(before)).toEqual(expected);
    expect(entries(after)).toEqual(expected);
  });

  it('leaves out emails without rows, and keeps rows nobody owns and rows with nothing completed', () => {
    const ledger = new EmailLedger();
    ledger.offer('quiet@example.org', 'P1', APPLICANT_EMAIL, [1]);
    ledger.rows('orphan@example.org', [5, 5]);
    ledger.offer('idle@example.org', 'P2', APPLICANT_EMAIL | ENDORSEE_EMAIL, []);
    ledger.rows('idle@example.org', []);
    expect(entries(ledger)).toEqual({
      'orphan@example.org': { owner: undefined, ownerProfiles: 0, ownerCompleted: [], completed: [5, 5] },
      'idle@example.org': {
        owner: 'P2',
        ownerProfiles: APPLICANT_EMAIL | ENDORSEE_EMAIL,
        ownerCompleted: [],
        completed: [],
      },
    });
  });

  it('keeps positions above 65,535 and ids of any characters', () => {
    const ledger = new EmailLedger();
    const many = Array.from({ length: 20_000 }, (_, i) => i * 7);
    ledger.offer('big@example.org', 'Zoë-ß', ENDORSEE_EMAIL, many);
    ledger.rows('big@example.org', [0, 65_535, 65_536, 16_777_215]);
    expect(entries(ledger)).toEqual({
      'big@example.org': {
        owner: 'Zoë-ß',
        ownerProfiles: ENDORSEE_EMAIL,
        ownerCompleted: many,
        completed: [0, 65_535, 65_536, 16_777_215],
      },
    });
  });
});

describe('EmailLedger on disk', () => {
  const made: string[] = [];
  const parent = () => {
    const where = mkdtempSync(join(tmpdir(), 'ledger-test-'));
    made.push(where);
    return where;
  };
  afterAll(() => {
    for (const where of made) rmSync(where, { recursive: true, force: true });
  });

  it('gives every one of 20,000 emails (more than it gathers before writing), met in a shuffled order, the owner and completions a plain map gives', () => {
    const where = parent();
    const ledger = new EmailLedger(where);
    const expected: Record<string, unknown> = {};
    const events: (() => void)[] = [];
    for (let i = 0; i < 20_000; i++) {
      const email = `person.${i}@example.org`;
      const ids = [`P${(i * 7919) % 40_000}`, `P${(i * 104_729) % 40_000}x`];
      events.push(() => ledger.offer(email, ids[0] as string, APPLICANT_EMAIL, [i]));
      events.push(() => ledger.offer(email, ids[1] as string, ENDORSEE_EMAIL, [i + 1]));
      if (i % 3 === 0) events.push(() => ledger.rows(email, [i, i + 2]));
      if (i % 3 !== 0) continue;
      const first = ids[0] as string;
      const second = ids[1] as string;
      const ownerIsFirst = first <= second;
      expected[email] = {
        owner: ownerIsFirst ? first : second,
        ownerProfiles: ownerIsFirst ? APPLICANT_EMAIL : ENDORSEE_EMAIL,
        ownerCompleted: ownerIsFirst ? [i] : [i + 1],
        completed: [i, i + 2],
      };
    }
    // A fixed shuffle (a linear congruential walk), so that rows come before and after their offers.
    let seed = 42;
    for (let i = events.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = seed % (i + 1);
      [events[i], events[j]] = [events[j] as () => void, events[i] as () => void];
    }
    for (const event of events) event();
    expect(readdirSync(where)).toHaveLength(1);
    expect(entries(ledger)).toEqual(expected);
    expect(readdirSync(where)).toEqual([]);
  });

  it('leaves no file behind when its reader stops early, or when closed before it is read', () => {
    const where = parent();
    const stopped = new EmailLedger(where);
    for (let i = 0; i < 1_000; i++) stopped.rows(`e${i}@example.org`, [i]);
    for (const _ of stopped.withRows()) break;
    const failed = new EmailLedger(where);
    for (let i = 0; i < 1_000; i++) failed.offer(`e${i}@example.org`, `P${i}`, APPLICANT_EMAIL, [i]);
    failed.close();
    expect(readdirSync(where)).toEqual([]);
  });
});
