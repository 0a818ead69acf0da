/** CSV that opens cleanly in Excel: UTF-8 BOM, CRLF, RFC 4180 quoting, and no cell that starts a formula. */

export type CsvValue = string | number | boolean | null | undefined;

export class CsvValueError extends Error {
  override name = 'CsvValueError';
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * A cell Excel (or LibreOffice, Google Sheets) could read as a formula: one starting with
 * = + - @, TAB or CR, also after leading spaces or line breaks, which spreadsheet programs skip.
 * The full-width forms of = + - @ are included because some programs fold them to ASCII.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** A number exactly as toCsv writes it; such cells are numbers to Excel, never formulas. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A number written plainly: integers in full, others rounded to 4 decimals with trailing zeros dropped, never an exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new CsvValueError(`cannot write ${value} to a CSV cell`);
  // Every double of 1e21 or more is an integer, and BigInt prints those without an exponent.
  if (Number.isInteger(value)) return BigInt(value).toString();
  let text = value.toFixed(4);
  text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** True when a text cell would start a formula and so needs the quote prefix. */
export function startsFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** One value as cell text, before quoting: formula-looking text gets a leading single quote. */
export function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return startsFormula(value) ? `'${value}` : value;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of a table: header, then one record per row, each ended by CRLF, with a UTF-8 BOM. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  const record = (cells: readonly CsvValue[]): string => cells.map((c) => quote(cellText(c))).join(',') + CRLF;
  return BOM + record(columns) + rows.map((row) => record(columns.map((c) => row[c]))).join('');
}

/** Parses RFC 4180 CSV (BOM, CRLF or LF); a final line break ends the last record rather than starting one. */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (ch === '\r' && input[i + 1] === '\n') i += 1;
    } else {
      cell += ch;
    }
    i += 1;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

export interface UnsafeCell {
  /** 1-based record number, the header being 1. */
  record: number;
  /** 1-based column number. */
  column: number;
  value: string;
}

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
