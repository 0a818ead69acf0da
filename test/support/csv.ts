/**
 * CSV read back in the tests with papaparse, the library production reads uploads with
 * (shared/core/csv/parse.ts), so a test never trusts a reader written for it.
 */
import Papa from 'papaparse';
import { startsFormula } from '#core/csv/write.js';

/** The records of a CSV text (a BOM, CRLF or LF allowed); a final line break ends the last record rather than starting one. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const { data, errors } = Papa.parse<string[]>(input, { delimiter: ',' });
  if (errors.length > 0) throw new Error(`not CSV: ${errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
  const last = data.at(-1);
  if (last?.length === 1 && last[0] === '') data.pop();
  return data;
}

/** A CSV export's records by header (as `RunOutputs.admin` holds it, or read from a file); none when there is no export. */
export function csvRecords(text: unknown): Record<string, string>[] {
  if (typeof text !== 'string') return [];
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}

export interface UnsafeCell {
  /** 1-based record number, the header being 1. */
  record: number;
  /** 1-based column number. */
  column: number;
  value: string;
}

/** A number as the exports write it (shared/core/csv/write.ts `formatNumber`); Excel reads it as a number, never a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Every cell of a CSV text that a spreadsheet would read as the start of a formula. */
export function unsafeCells(csvText: string): UnsafeCell[] {
  const found: UnsafeCell[] = [];
  parseCsv(csvText).forEach((cells, r) => {
    cells.forEach((value, c) => {
      if (!PLAIN_NUMBER.test(value) && startsFormula(value)) found.push({ record: r + 1, column: c + 1, value });
    });
  });
  return found;
}

/** True when no cell of the CSV text would start a formula in Excel. */
export function isExcelSafe(csvText: string): boolean {
  return unsafeCells(csvText).length === 0;
}
