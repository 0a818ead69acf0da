/** The rejected-rows email: which file, the counts, the first rejected rows without their values, where the receipt is. */
import { describe, expect, it } from 'vitest';
import type { Receipt } from '#core/ingest/ingest.js';
import { needsRejectedRowsEmail, rejectedRowsMessage, withoutValues } from '#core/notify/rejected-rows.js';

const receipt = (over: Partial<Receipt> = {}): Receipt => ({
  file: 'spring-2026.csv',
  kind: 'rosters',
  rows: 120,
  accepted: 117,
  rejected: 3,
  errors: [
    { line: 4, column: 'email', message: '"jane@" is not a valid email address' },
    { line: 9, column: 'hours', message: 'is required but empty' },
    { line: 12, column: 'training_date', message: '"2026-13-01" is not a real date' },
  ],
  warnings: ['a warning that the email does not repeat'],
  unusable: false,
  ...over,
});

const compose = (r: Receipt, maxRowsListed = 20) =>
  rejectedRowsMessage({
    receipt: r,
    uploadKey: `${r.kind}/${r.file}`,
    whereToRead: ['In the uploads bucket: receipts/rosters/spring-2026.csv.json.'],
    maxRowsListed,
  });

describe('when the email is sent', () => {
  it('is sent for rejected rows and for a file that could not be read, never for a withdrawal or a clean file', () => {
    expect(needsRejectedRowsEmail(receipt())).toBe(true);
    expect(needsRejectedRowsEmail(receipt({ rejected: 0, errors: [], unusable: true }))).toBe(true);
    expect(needsRejectedRowsEmail(receipt({ rejected: 0, errors: [] }))).toBe(false);
    expect(needsRejectedRowsEmail(receipt({ withdrawn: { at: '2026-06-30T00:00:00Z', forgotten: 117 } }))).toBe(false);
  });
});

describe('the rejected-rows email', () => {
  it('names the file and the counts in the subject and the text', () => {
    const m = compose(receipt());
    expect(m.kind).toBe('rejected-rows');
    expect(m.subject).toBe('3 rows rejected in rosters/spring-2026.csv');
    expect(m.text).toContain('rosters/spring-2026.csv was read: 120 rows, 117 accepted, 3 rejected.');
    expect(m.text).toContain('In the uploads bucket: receipts/rosters/spring-2026.csv.json.');
  });

  it('lists each rejected row by line and column, with the cell values left out', () => {
    const m = compose(receipt());
    expect(m.text).toContain('  line 4, email: (value) is not a valid email address');
    expect(m.text).toContain('  line 9, hours: is required but empty');
    expect(m.text).toContain('  line 12, training_date: (value) is not a real date');
    for (const body of [m.text, m.html]) {
      expect(body).not.toContain('jane@');
      expect(body).not.toContain('2026-13-01');
    }
    expect(m.text).not.toContain('a warning that the email does not repeat');
  });

  it('lists at most maxRowsListed problems and counts the rest, those the receipt only counted included', () => {
    const m = compose(receipt({ errorsOmitted: 40 }), 2);
    expect(m.text).toContain('Rejected rows (the first 2 of 43 problems):');
    expect(m.text).toContain('line 9, hours');
    expect(m.text).not.toContain('line 12');
    expect(m.text).toContain('... and 41 more problems in the receipt.');
  });

  it('says a file that could not be read was not stored, and why', () => {
    const m = compose(
      receipt({
        rows: 0,
        accepted: 0,
        rejected: 0,
        unusable: true,
        errors: [{ line: 0, column: '', message: 'This rosters file is missing required column hours.' }],
      }),
    );
    expect(m.subject).toBe('Not read: rosters/spring-2026.csv');
    expect(m.text).toContain('could not be read, so nothing in it was stored');
    expect(m.text).toContain('  the file: This rosters file is missing required column hours.');
  });

  it('escapes what the HTML shows', () => {
    const m = compose(receipt({ errors: [{ line: 2, column: '<b>x</b>', message: 'is <script>' }] }));
    expect(m.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(m.html).toContain('is &lt;script&gt;');
    expect(m.html).not.toContain('<script>');
  });
});

describe('withoutValues', () => {
  it('replaces each quoted value, straight or curly, and leaves the rest', () => {
    expect(withoutValues('"Dane Cnty" is not a county; did you mean "Dane"?')).toBe(
      '(value) is not a county; did you mean (value)?',
    );
    expect(withoutValues('“x” is odd')).toBe('(value) is odd');
    expect(withoutValues('is required but empty')).toBe('is required but empty');
  });
});
