import { describe, expect, it } from 'vitest';
import { rawRecords, replaceRows } from '#core/csv/replace-rows.js';
import { csvRecords, toCsv } from '#core/csv/write.js';

const COLUMNS = ['person_id', 'name', 'note'] as const;
const row = (person_id: string, name: string, note = '') => ({ person_id, name, note });
const record = (r: ReturnType<typeof row>) => [...csvRecords(COLUMNS, [r])][1] as string;
const header = [...csvRecords(COLUMNS, [])][0] as string;
const replaced = (text: string, gone: string[], added: ReturnType<typeof row>[]) =>
  [
    ...replaceRows(
      text,
      header,
      new Set(gone),
      added.map((r) => ({ key: r.person_id, record: record(r) })),
    ),
  ].join('');

describe('replacing rows of an export by their first column', () => {
  it('gives the export a full rewrite would give, rows in key order', () => {
    const before = toCsv(COLUMNS, [row('A1', 'Ana'), row('B2', 'Ben'), row('D4', 'Dev')]);
    const after = replaced(before, ['B2', 'C3'], [row('B2', 'Ben Xiong'), row('C3', 'Cora'), row('E5', 'Eve')]);
    expect(after).toBe(
      toCsv(COLUMNS, [row('A1', 'Ana'), row('B2', 'Ben Xiong'), row('C3', 'Cora'), row('D4', 'Dev'), row('E5', 'Eve')]),
    );
  });

  it('removes a row named without a replacement', () => {
    const before = toCsv(COLUMNS, [row('A1', 'Ana'), row('B2', 'Ben')]);
    expect(replaced(before, ['A1'], [])).toBe(toCsv(COLUMNS, [row('B2', 'Ben')]));
  });

  it('copies kept rows as written: quoted line breaks and commas, and formula guards, are not doubled', () => {
    const kept = [row('"Q",1', 'Ana, "Annie"', 'line one\r\nline two'), row('=SUM(A1)', '@Ben', '+1')];
    const before = toCsv(COLUMNS, [...kept, row('Z9', 'Zoe')]);
    expect([...rawRecords(before)]).toHaveLength(4);
    expect(replaced(before, ['Z9'], [row('Z9', 'Zoe Lee')])).toBe(toCsv(COLUMNS, [...kept, row('Z9', 'Zoe Lee')]));
  });
});
