/**
 * Writing CSV, the one writer for every file the project writes: RFC 4180 quoting, plus, for the
 * exports (`admin/*.csv`, `reports/*.csv`), what makes them open cleanly in Excel: a UTF-8 BOM, CRLF,
 * numbers written plainly and no cell that starts a formula. The synthetic-data generator streams
 * its large files line by line with `csvLine` (tools/synthetic/csv-writer.ts).
 */

export type CsvValue = string | number | boolean | null | undefined;

export class CsvValueError extends Error {
  override name = 'CsvValueError';
}

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** A comma, quote or line break needs quotes; so do surrounding spaces, which some readers trim from a bare cell. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field, quoted (inner quotes doubled) when it needs to be. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line, without its line end, from cell texts. Joined, not appended to: `+=` builds a rope
 * of a node per cell that keeps every cell's text alive, which the renewal job, holding a shard's
 * records until they are sorted, paid for in memory (docs/benchmarks.md); `join` makes one flat string.
 */
export function csvLine(texts: readonly string[]): string {
  return texts.map(csvField).join(',');
}

/**
 * A cell Excel (or LibreOffice, Google Sheets) could read as a formula: one starting with
 * = + - @, TAB or CR, also after leading spaces or line breaks, which spreadsheet programs skip.
 * The full-width forms of = + - @ are included because some programs fold them to ASCII.
 */
const FORMULA_START = /^\s*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

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

const csvRecord = (cells: readonly CsvValue[]): string => csvLine(cells.map(cellText)) + CRLF;

/**
 * An export's CSV, a record at a time: the UTF-8 BOM with the header, then one record per row, each ended
 * by CRLF; safe to open in Excel. Rows are read as they are needed, so a large export is never held whole.
 */
export function* csvRecords(columns: readonly string[], rows: Iterable<Record<string, CsvValue>>): Generator<string> {
  yield BOM + csvRecord(columns);
  for (const row of rows) yield csvRecord(columns.map((c) => row[c]));
}

/** An export's CSV text (csvRecords joined): for the small files; stream the large ones. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  let text = '';
  for (const record of csvRecords(columns, rows)) text += record;
  return text;
}

/** A snake_case column's name in camelCase: `group_name` → `groupName`. */
type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
const camelCase = (column: string): string => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** toCsv of rows whose fields are the columns' names in camelCase: the `group_name` cell is the row's `groupName`. */
export function fieldsCsv<C extends string>(
  columns: readonly C[],
  rows: readonly { readonly [K in C as CamelCase<K>]: CsvValue }[],
): string {
  const fields = columns.map(camelCase);
  return toCsv(
    columns,
    rows.map((row) =>
      Object.fromEntries(columns.map((c, i) => [c, (row as Readonly<Record<string, CsvValue>>)[fields[i] as string]])),
    ),
  );
}
