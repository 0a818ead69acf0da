/**
 * Dates and numbers as spreadsheets in different countries write them: each is read as meant or
 * the row is rejected with its line and a message (docs/input-files.md, "Dates and numbers").
 * Files are written the way the exporting tool writes them: Excel in a European locale separates
 * cells with ";" and writes day-first dates and decimal commas.
 */
import { describe, expect, it } from 'vitest';
import { normaliseNumber } from '#core/ingest/conventions.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { InputKind } from '#core/model.js';
import { chunksOf } from '#test-support/chunks.js';

async function ingest(kind: InputKind, text: string, chunkSize = 64 * 1024) {
  const stored: InputRecord[] = [];
  const receipt = await ingestFile({
    kind,
    file: 'upload.csv',
    source: chunksOf(text, chunkSize),
    sink: async (records) => void stored.push(...records),
  });
  expect(receipt.rows).toBe(receipt.accepted + receipt.rejected);
  return { receipt, stored };
}

/** The sessions stored, in person order (rows held for their dates' order are stored when it settles). */
const sessions = (stored: InputRecord[]) =>
  stored
    .map((r) => {
      const s = r.record as { personId: string; sessionDate: string; hours: number };
      return `${s.personId} ${s.sessionDate} ${s.hours}`;
    })
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

const rsc = (delimiter: string, rows: string[]) =>
  `${[['person_id', 'session_date', 'hours'].join(delimiter), ...rows].join('\r\n')}\r\n`;

describe('day/month order is settled by the file', () => {
  it('a European (semicolon) export whose later date can only be day-first reads its earlier ambiguous dates day-first', async () => {
    const { receipt, stored } = await ingest(
      'rsc',
      rsc(';', ['P1;12/11/2026;1,5', 'P2;03/04/2026;2', 'P3;25/11/2026;1']),
    );
    expect(sessions(stored)).toEqual(['P1 2026-11-12 1.5', 'P2 2026-04-03 2', 'P3 2026-11-25 1']);
    expect(receipt.dateOrder).toBe('day-first');
    expect(receipt.warnings.join(' ')).toMatch(/day-first .* line 4 \("25\/11\/2026"\)/);
  });

  it('a European export where no date settles the order rejects the ambiguous rows and keeps the others', async () => {
    const { receipt, stored } = await ingest('rsc', rsc(';', ['P1;12/11/2026;1', 'P2;2026-11-12;1', 'P3;5/5/2026;1']));
    expect(sessions(stored)).toEqual(['P2 2026-11-12 1', 'P3 2026-05-05 1']);
    expect(receipt.errors).toEqual([
      {
        line: 2,
        column: 'session_date',
        message: expect.stringMatching(
          /"12\/11\/2026" could be 2026-11-12 \(day first\) or 2026-12-11 \(month first\).*YYYY-MM-DD/,
        ),
      },
    ]);
    expect(receipt.warnings.join(' ')).toMatch(/write dates as YYYY-MM-DD/);
  });

  it('a US (comma) export with nothing to settle it reads M/D/YYYY, as the input format says', async () => {
    const { receipt, stored } = await ingest('rsc', rsc(',', ['P1,12/11/2026,1', 'P2,3/4/2026,2']));
    expect(sessions(stored)).toEqual(['P1 2026-12-11 1', 'P2 2026-03-04 2']);
    expect(receipt.dateOrder).toBe('month-first');
    expect(receipt.errors).toEqual([]);
  });

  it('a comma export whose own dates are day-first is read day-first', async () => {
    const { stored } = await ingest('rsc', rsc(',', ['P1,12/11/2026,1', 'P2,31/10/2026,1']));
    expect(sessions(stored)).toEqual(['P1 2026-11-12 1', 'P2 2026-10-31 1']);
  });

  it('dates written with dots (12.11.2026) point to day-first: unsettled ones are rejected, not guessed', async () => {
    const { receipt, stored } = await ingest('rsc', rsc(',', ['P1,12.11.2026,1', 'P2,5.5.2026,1']));
    expect(sessions(stored)).toEqual(['P2 2026-05-05 1']);
    expect(receipt.errors.map((e) => e.line)).toEqual([2]);
  });

  it('a date that contradicts the order the file settled is rejected, naming the line that settled it', async () => {
    const { receipt, stored } = await ingest('rsc', rsc(',', ['P1,25/11/2026,1', 'P2,11/25/2026,1']));
    expect(sessions(stored)).toEqual(['P1 2026-11-25 1']);
    expect(receipt.errors).toEqual([
      {
        line: 3,
        column: 'session_date',
        message: expect.stringMatching(/can only be month-first .* day-first \(line 2/),
      },
    ]);
  });

  it('rows held for the order keep their line numbers and are settled across chunk boundaries', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `P${i};0${(i % 9) + 1}/01/2026;1`);
    rows.push('P300;13/01/2026;1');
    const { receipt, stored } = await ingest('rsc', rsc(';', rows), 97);
    expect(receipt.accepted).toBe(301);
    expect(sessions(stored).slice(0, 2)).toEqual(['P0 2026-01-01 1', 'P1 2026-01-02 1']);
  });

  it('year-first dates with slashes are read as year, month, day', async () => {
    const { stored } = await ingest('rsc', rsc(',', ['P1,2026/11/12,1']));
    expect(sessions(stored)).toEqual(['P1 2026-11-12 1']);
  });
});

describe('numbers with separators', () => {
  it('a quoted "1,000" in a comma export is a thousand (and so more hours than a session may claim)', async () => {
    const { receipt } = await ingest('rsc', rsc(',', ['P1,2026-01-05,"1,000"']));
    expect(receipt.errors).toEqual([{ line: 2, column: 'hours', message: '"1000" is more than 24 hours' }]);
  });

  it('"1,080" months of work in a comma export is 1080, never 1.08', async () => {
    const text =
      'person_id,first_name,last_name,email,category,education,work_experience_months,county\r\n' +
      'P1,Ana,Ruiz,ana@example.org,IFS,bachelor,"1,080",Dane\r\n';
    const { receipt, stored } = await ingest('applicants', text);
    expect(receipt.errors).toEqual([]);
    expect(stored[0]?.record).toMatchObject({ workExperienceMonths: 1080 });
  });

  it('a decimal comma is read as a decimal in any file, since it cannot be a thousands separator', async () => {
    const { stored } = await ingest('rsc', rsc(',', ['P1,2026-01-05,"1,5"', 'P2,2026-01-05,"2,25"']));
    expect(sessions(stored)).toEqual(['P1 2026-01-05 1.5', 'P2 2026-01-05 2.25']);
  });

  it('"1,000" in a semicolon export could be 1 or 1000: the row is rejected with both readings', async () => {
    const { receipt, stored } = await ingest('rsc', rsc(';', ['P1;2026-01-05;1,000', 'P2;2026-01-05;1,5']));
    expect(sessions(stored)).toEqual(['P2 2026-01-05 1.5']);
    expect(receipt.errors[0]).toMatchObject({ line: 2, column: 'hours' });
    expect(receipt.errors[0]?.message).toMatch(/could be 1000 .* or 1\.000/);
  });

  it.each([
    ['1000', false, '1000'],
    ['1.5', false, '1.5'],
    ['1,000', false, '1000'],
    ['12,345,678', false, '12345678'],
    ['1,000.5', true, '1000.5'],
    ['1.000,5', false, '1000.5'],
    ['1.000.000', false, '1000000'],
    ['1 000', true, '1000'],
    ['1\u00a0000,5', true, '1000.5'],
    ['1,5', false, '1.5'],
    ['1,5', true, '1.5'],
  ])('%j (decimal comma file: %s) is %s', (text, decimalComma, value) => {
    expect(normaliseNumber(text, decimalComma)).toEqual({ value });
  });

  it.each([
    ['1,000', true],
    ['1.500', true],
    ['1,00,000', false],
  ])('%j (decimal comma file: %s) is refused as uncertain', (text, decimalComma) => {
    expect(normaliseNumber(text, decimalComma)).toEqual({ message: expect.stringMatching(/write/) });
  });
});

describe('identifiers are Unicode, compared in NFC', () => {
  it('a Spanish training id is valid, and its composed and decomposed spellings are one training', async () => {
    const composed = 'CAPACITACIÓN-01';
    const decomposed = composed.normalize('NFD');
    const text =
      'training_id,training_date,hours,person_id\r\n' +
      `${composed},2026-01-05,2,P1\r\n` +
      `${decomposed},2026-01-05,2,P2\r\n` +
      'WI-NIÑEZ-01,2026-01-06,3,P3\r\n';
    const { receipt, stored } = await ingest('rosters', text);
    expect(receipt.errors).toEqual([]);
    const ids = stored.map((r) => (r.record as { trainingId: string }).trainingId);
    expect(ids).toEqual([composed, composed, 'WI-NIÑEZ-01']);
  });

  it('an id with a character that is not a letter or digit is still refused', async () => {
    const { receipt } = await ingest('rsc', rsc(',', ['P#1,2026-01-05,1']));
    expect(receipt.errors[0]?.message).toMatch(/may hold only letters, digits/);
  });
});
