/**
 * The index Scan's ledger of emails (email-ledger.ts): whichever order the Scan meets people and
 * email partitions in, each email with rows comes back with the owner whose id sorts first and both
 * sides' completions, whatever their size.
 */
import { describe, expect, it } from 'vitest';
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
