/**
 * Files as real tools write them, with a quote problem, a row with more cells than the header or
 * an absurd header (docs/contract.md, "Input files"): every row is stored or rejected with its line,
 * nothing is stored shifted, and the receipt stays small whatever the file holds.
 */
import { describe, expect, it } from 'vitest';
import { ingestFile, type Receipt } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { InputKind } from '#core/model.js';
import { chunksOf } from '#test-support/chunks.js';

async function ingest(kind: InputKind, text: string, options: { chunk?: number; maxSpanChars?: number } = {}) {
  const stored: InputRecord[] = [];
  const receipt = await ingestFile({
    kind,
    file: 'upload.csv',
    source: chunksOf(text, options.chunk ?? 64 * 1024),
    sink: async (records) => {
      stored.push(...records);
    },
    csv: options.maxSpanChars === undefined ? undefined : { maxSpanChars: options.maxSpanChars },
  });
  return { receipt, stored };
}

const ids = (stored: InputRecord[]) => stored.map((s) => (s.record as { personId?: string }).personId);
const balanced = (r: Receipt) => expect(r.rows).toBe(r.accepted + r.rejected);

const APPLICANTS_HEADER = 'Person ID,First Name,Last Name,Email,Category,Education,Work Experience Months,County';
const applicant = (i: number, first = `Ana${i}`) => `P${i},${first},Lopez,ana${i}@example.org,IFS,bachelor,30,Dane`;
/** An applicants export of `n` rows as Excel writes it (CR LF), `change` rewriting some lines. */
const applicants = (n: number, change: (line: number, row: string) => string = (_l, r) => r) =>
  `${[APPLICANTS_HEADER, ...Array.from({ length: n }, (_, i) => change(i + 2, applicant(i + 1)))].join('\r\n')}\r\n`;

describe('a quote problem costs only its own line', () => {
  it('"Bobby" Smith at line 3 of a 200-row applicants file: 199 rows stored, line 3 rejected', async () => {
    const file = applicants(200, (line, row) => (line === 3 ? row.replace('Ana2', '"Bobby" Smith') : row));
    const { receipt, stored } = await ingest('applicants', file, { chunk: 4096 });
    expect(receipt).toMatchObject({ rows: 200, accepted: 199, rejected: 1 });
    expect(receipt.errors).toEqual([
      {
        line: 3,
        column: '',
        message:
          'a quote opens here ("Bobby" Smith) and does not close before the next comma: put the whole value in quotes and double the inner quotes ("""Bobby"" Smith"), or remove the quotes',
      },
    ]);
    expect(stored).toHaveLength(199);
    expect(ids(stored)).not.toContain('P2');
  });

  it('an unclosed quote near the start: only its line is lost, whether the bound or the file ends first', async () => {
    const file = applicants(300, (line, row) => (line === 4 ? row.replace('Ana3', '"Cy') : row));
    for (const maxSpanChars of [500, undefined]) {
      const { receipt, stored } = await ingest('applicants', file, { chunk: 100, maxSpanChars });
      expect(receipt).toMatchObject({ rows: 300, accepted: 299, rejected: 1 });
      expect(receipt.errors).toEqual([
        {
          line: 4,
          column: '',
          message: expect.stringMatching(
            /^a quote opens here \("Cy,Lopez,ana3@example\.org,IFS,bachel\.\.\.\) and (does not close within the next 500 characters|is never closed)/,
          ),
        },
      ]);
      expect(stored).toHaveLength(299);
    }
  });

  it('an unclosed quote on the last line rejects that line', async () => {
    const file = applicants(50, (line, row) => (line === 51 ? row.replace('Dane', '"Dane') : row));
    const { receipt } = await ingest('applicants', file, { chunk: 7 });
    expect(receipt).toMatchObject({ rows: 50, accepted: 49, rejected: 1 });
    expect(receipt.errors).toEqual([{ line: 51, column: '', message: expect.stringMatching(/never closed/) }]);
  });

  it('a quoted cell with line breaks is one row, and later rows keep their line numbers', async () => {
    const file = [
      'training_id,training_title,training_date,hours,person_id',
      'T1,"Reflective practice,\r\npart one\r\n(day 2)",2026-01-10,6,P1',
      'T2,Equity,2026-01-11,not-hours,P2',
      'T3,Attachment,2026-01-12,3,P3',
      '',
    ].join('\r\n');
    const { receipt, stored } = await ingest('rosters', file, { chunk: 5 });
    expect(receipt).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(receipt.errors).toEqual([{ line: 5, column: 'hours', message: expect.stringMatching(/not a number/) }]);
    expect(stored[0]?.record).toMatchObject({ trainingTitle: 'Reflective practice,\npart one\n(day 2)' });
  });
});

describe('a quote that a later stray quote closes', () => {
  it('glues the lines between into one name, which is rejected saying so (never stored as a name)', async () => {
    const file = applicants(6, (line, row) => {
      if (line === 3) return row.replace('Ana2', '"Ana');
      if (line === 5) return row.replace('Lopez', 'Jones"');
      return row;
    });
    const { receipt, stored } = await ingest('applicants', file);
    balanced(receipt);
    expect(ids(stored)).toEqual(['P1', 'P5', 'P6']);
    expect(new Set(receipt.errors.map((e) => e.line))).toEqual(new Set([3]));
    expect(receipt.errors).toContainEqual({
      line: 3,
      column: 'First Name',
      message: expect.stringMatching(/^"Ana,Lopez.*" runs onto the next lines: a quote opened in it/),
    });
  });
});

describe('a row with more cells than the header', () => {
  const HEADER =
    'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,provider,person_id,email,first_name,last_name,completed';
  const row = (hours: string, provider: string) =>
    `T1,Attachment,2026-01-10,${hours},1A.1,no,no,${provider},P1,,Ana,Lopez,yes`;

  it('is rejected with its line when a comma split a value (1,5 hours; Dana Roberts, LCSW)', async () => {
    const file = [HEADER, row('2', 'Statewide'), row('1,5', 'Statewide'), row('3', 'Dana Roberts, LCSW'), ''].join(
      '\n',
    );
    const { receipt, stored } = await ingest('rosters', file);
    expect(receipt).toMatchObject({ rows: 3, accepted: 1, rejected: 2 });
    const message =
      'this row has 14 cells but the header has 13: a value holds a comma but is not in quotes (such as "Dana Roberts, LCSW" or 1,5). Put that value in quotes, or save the file from Excel as "CSV UTF-8"';
    expect(receipt.errors).toEqual([
      { line: 3, column: '', message },
      { line: 4, column: '', message },
    ]);
    expect(stored.map((s) => (s.record as { hours: number }).hours)).toEqual([2]);
  });

  it('is read as meant when the value is quoted', async () => {
    const file = [HEADER, row('"1,5"', '"Dana Roberts, LCSW"'), ''].join('\n');
    const { stored } = await ingest('rosters', file);
    expect(stored[0]?.record).toMatchObject({ hours: 1.5, provider: 'Dana Roberts, LCSW' });
  });

  it('is accepted when the extra cells are blank (Excel writes trailing empty cells)', async () => {
    const file = [HEADER, `${row('2', 'Statewide')},,, `, `${row('3', 'Statewide')},`, ''].join('\r\n');
    const { receipt } = await ingest('rosters', file);
    expect(receipt).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
  });

  it('says so in a semicolon-separated file too', async () => {
    const file = 'person_id;session_date;hours\nP1;2026-01-05;1\nP2;2026-01-05;1;5\n';
    const { receipt } = await ingest('rsc', file);
    expect(receipt.errors).toEqual([
      {
        line: 3,
        column: '',
        message: expect.stringMatching(
          /^this row has 4 cells but the header has 3: a value holds a semicolon but is not in quotes\./,
        ),
      },
    ]);
  });
});

describe('receipts are bounded whatever the file holds', () => {
  const size = (r: Receipt) => Buffer.byteLength(JSON.stringify(r, null, 2));

  it('a header of 100,000 unknown columns: the rows are read and the warning names 20', async () => {
    const extra = Array.from({ length: 100_000 }, (_, i) => `Extra column ${i}`).join(',');
    const { receipt, stored } = await ingest('rsc', `person_id,session_date,hours,${extra}\nP1,2026-01-05,1\n`);
    expect(receipt).toMatchObject({ rows: 1, accepted: 1 });
    expect(stored).toHaveLength(1);
    expect(receipt.warnings).toHaveLength(1);
    expect(receipt.warnings[0]).toMatch(
      /^unknown columns ignored: "Extra column 0", .*"Extra column 19" and 99,980 more unknown columns$/,
    );
    expect(size(receipt)).toBeLessThan(2000);
  });

  it('100,000 repeats of a column, and header cells too long to be names, are named a few at a time and cut', async () => {
    const repeats = Array.from({ length: 100_000 }, () => 'Hours').join(',');
    const long = `Session ${'_'.repeat(300)} Date`;
    const { receipt } = await ingest('rsc', `person_id,session_date,hours,${repeats},${long}\nP1,2026-01-05,1\n`);
    expect(receipt.accepted).toBe(1);
    expect(receipt.warnings.filter((w) => /appears twice/.test(w))).toHaveLength(5);
    expect(receipt.warnings).toContain('and 99,995 more columns that repeat one named before');
    expect(receipt.warnings.at(-1)).toBe(`unknown column ignored: "Session ${'_'.repeat(29)}..."`);
    expect(size(receipt)).toBeLessThan(10_000);
  });

  it('a required column whose header cell is absurdly long is not matched, and the message stays short', async () => {
    const { receipt } = await ingest('rsc', `person_id,session_date,hours${'-'.repeat(100_000)}\nP1,2026-01-05,1\n`);
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors[0]?.message).toMatch(
      /^This rsc file is missing required column hours\. .*Found: person_id, session_date, hours-{32}\.\.\.\.$/,
    );
  });

  it('a header row with a quote problem makes the file unusable, saying which line', async () => {
    const { receipt } = await ingest('rsc', 'person_id,"session" date,hours\nP1,2026-01-05,1\n');
    expect(receipt.unusable).toBe(true);
    expect(receipt.errors[0]?.message).toMatch(
      /^The header row \(line 1\) could not be read: a quote opens here \("session" date\)/,
    );
  });

  it('thousands of rows with long errors in non-ASCII text: the receipt stays under 300 KB, the rest counted', async () => {
    // Header cells as long as a name may be (they still fold to the columns), every cell wrong, three bytes a character.
    const pad = (name: string) => `${name}${'-'.repeat(200 - name.length)}`;
    const header = [
      'person_id',
      'first_name',
      'last_name',
      'email',
      'category',
      'education',
      'work_experience_months',
      'county',
      'race_ethnicity',
    ];
    const bad = '€'.repeat(60);
    const row = (i: number) =>
      [`P${i}€`, 'x'.repeat(150), 'y'.repeat(150), bad, bad, bad, bad, bad, `${bad};${bad}`].join(',');
    const file = `${[header.map(pad).join(','), ...Array.from({ length: 5000 }, (_, i) => row(i))].join('\n')}\n`;
    const { receipt } = await ingest('applicants', file);
    expect(receipt).toMatchObject({ rows: 5000, accepted: 0, rejected: 5000 });
    const errors = receipt.errors.length + (receipt.errorsOmitted ?? 0);
    expect(errors).toBeGreaterThan(5000 * 5);
    expect(receipt.errors.length).toBeGreaterThan(100);
    for (const e of receipt.errors) {
      expect(e.message.length).toBeLessThanOrEqual(300);
      expect(e.column.length).toBeLessThanOrEqual(100);
    }
    expect(size(receipt)).toBeLessThan(300 * 1024);
    balanced(receipt);
  });
});
