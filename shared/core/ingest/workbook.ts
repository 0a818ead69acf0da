/**
 * Excel workbooks (.xlsx) read as input (docs/input-files.md, "Excel workbooks"): the sheet named
 * after the kind (any letter case), else the first sheet, turned into the same records the CSV
 * parser yields (line = the sheet's row number), so header matching, validation, receipts and
 * storage are the CSV path's own. Cells keep the type the workbook gives them: a date cell becomes
 * YYYY-MM-DD (no month/day guessing; the reader applies the workbook's 1900 or 1904 date system),
 * a number its value as Excel shows it, a boolean true/false, text stays text.
 */
import { Unzip, UnzipInflate } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { z } from 'zod';
import workbookLimitsFile from '#config/ingest/workbooks.json' with { type: 'json' };
import { UnreadableFileError } from '../csv/decode.js';
import type { CsvRecord, ParsedChunk } from '../csv/parse.js';
import type { InputKind } from '../model.js';
import { parseOrThrow } from '../validate.js';

const WorkbookLimitsSchema = z.object({
  /** The largest .xlsx file read, in bytes (it is unzipped whole in memory). */
  maxBytes: z.number().int().positive(),
  /** The most rows of the sheet read, header included. */
  maxRows: z.number().int().positive(),
  /** The most bytes the workbook's parts may inflate to (a small file can unzip to gigabytes). */
  maxInflatedBytes: z.number().int().positive(),
});

export type WorkbookLimits = z.infer<typeof WorkbookLimitsSchema>;

let shipped: WorkbookLimits | undefined;

/** The shipped bounds (config/ingest/workbooks.json), validated once. */
export function defaultWorkbookLimits(): WorkbookLimits {
  shipped ??= parseOrThrow(WorkbookLimitsSchema, workbookLimitsFile, 'config/ingest/workbooks.json is invalid');
  return shipped;
}

const SAVE_AS_CSV = 'Open it in Excel and use File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)" instead.';

/** Rows handed on per chunk, as the CSV parser hands on a chunk of records. */
const ROWS_PER_CHUNK = 5_000;

type Cell = string | number | boolean | Date | null;

/** Excel keeps 15 significant digits: 0.1+0.2 is stored as 0.30000000000000004 and shown as 0.3. */
function numberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/**
 * A date cell as YYYY-MM-DD. The reader turns the cell's day count into a UTC instant, which can
 * miss midnight by a fraction of a millisecond; the nearest second is taken before the day.
 */
function dateText(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return '';
  return new Date(Math.round(t / 1000) * 1000).toISOString().slice(0, 10);
}

/** One cell as the text the row schemas read. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return numberText(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return dateText(cell);
}

/** The message for a workbook the reader could not open (a corrupt zip, a password, an .xls renamed). */
function unreadableMessage(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'XLS_FILE_NOT_SUPPORTED') {
    return `The workbook could not be read: it is password-protected (encrypted), or an old Excel 97-2003 (.xls) file renamed .xlsx. Remove the password, or ${SAVE_AS_CSV.charAt(0).toLowerCase()}${SAVE_AS_CSV.slice(1)}`;
  }
  if (code === 'NO_DATA') return 'The file is empty: it has no header row and no data.';
  return `The workbook could not be read: it is not a valid Excel .xlsx file (it may be damaged or cut short). ${SAVE_AS_CSV}`;
}

async function collect(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      throw new UnreadableFileError(
        `The workbook is larger than ${(maxBytes / 1e6).toLocaleString('en-US')} MB, the most read from an .xlsx file. ${SAVE_AS_CSV}`,
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export interface WorkbookRead {
  /** The sheet read. */
  sheet: string;
  /** Bytes of the file. */
  bytes: number;
  /** The sheet's rows as records, in chunks. */
  chunks: ParsedChunk[];
}

/** Compressed bytes handed to the inflater at a time: what one slice inflates to stays small. */
const INFLATE_SLICE_BYTES = 16 * 1024;

/**
 * Inflates every part of the workbook, keeping nothing, and refuses it once the parts come to more
 * than `max` bytes. The sizes a zip declares can lie, so the inflated bytes are counted; the work is
 * that of reading the file once more, and memory stays at one slice's output.
 */
export function checkInflatedSize(bytes: Uint8Array, max: number): void {
  let inflated = 0;
  const unzip = new Unzip((file) => {
    file.ondata = (err, chunk) => {
      if (err) return;
      inflated += chunk.length;
      if (inflated > max) file.terminate();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && inflated <= max; at += INFLATE_SLICE_BYTES) {
      unzip.push(bytes.subarray(at, at + INFLATE_SLICE_BYTES), at + INFLATE_SLICE_BYTES >= bytes.length);
    }
  } catch {
    // Not a zip fflate can walk: the reader below says what is wrong with it.
    return;
  }
  if (inflated > max) {
    throw new UnreadableFileError(
      `The workbook unpacks to more than ${(max / 1e6).toLocaleString('en-US')} MB, more than is read from an .xlsx file. ${SAVE_AS_CSV}`,
    );
  }
}

/**
 * Reads a workbook whole (bounded by `limits`) and picks its sheet. Throws UnreadableFileError
 * with a message for the receipt when the file is too large or cannot be read.
 */
export async function readWorkbook(
  source: AsyncIterable<Uint8Array>,
  kind: InputKind,
  limits: WorkbookLimits = defaultWorkbookLimits(),
): Promise<WorkbookRead> {
  const bytes = await collect(source, limits.maxBytes);
  if (bytes.length === 0) throw new UnreadableFileError('The file is empty: it has no header row and no data.');
  checkInflatedSize(bytes, limits.maxInflatedBytes);
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    // Cells as typed; text is kept as written (CSV cells are not trimmed either; the schemas trim).
    sheets = await readXlsxFile(bytes, { trim: false });
  } catch (err) {
    throw new UnreadableFileError(unreadableMessage(err), { cause: err });
  }
  const named = sheets.find((s) => s.sheet.trim().toLowerCase() === kind);
  const chosen = named ?? sheets[0];
  if (!chosen) throw new UnreadableFileError('The workbook has no sheet.');
  const rows = chosen.data as unknown as Cell[][];
  if (rows.length > limits.maxRows) {
    throw new UnreadableFileError(
      `The sheet "${chosen.sheet}" has ${rows.length.toLocaleString('en-US')} rows, more than the ${limits.maxRows.toLocaleString('en-US')} read from an .xlsx file. ${SAVE_AS_CSV}`,
    );
  }
  const chunks: ParsedChunk[] = [];
  let records: CsvRecord[] = [];
  rows.forEach((row, i) => {
    const fields = row.map(cellText);
    // A row of empty cells is no record, as a blank line in a CSV file is none (parse.ts).
    if (fields.every((f) => f.trim() === '')) return;
    // The reader pads every row to the sheet's widest; the header ends at its last named column,
    // so a value beyond it is reported rather than read into a column without a name.
    if (chunks.length === 0 && records.length === 0) while (fields.at(-1)?.trim() === '') fields.pop();
    records.push({ line: i + 1, fields });
    if (records.length >= ROWS_PER_CHUNK) {
      chunks.push({ records, problems: [] });
      records = [];
    }
  });
  if (records.length > 0) chunks.push({ records, problems: [] });
  return { sheet: chosen.sheet, bytes: bytes.length, chunks };
}

/** A row with a value beyond the header's last column: that value has no column to go in. */
export function cellsBeyondHeaderProblem(fields: string[], width: number): string | undefined {
  for (let i = width; i < fields.length; i++) {
    if ((fields[i] as string).trim() !== '') {
      return `this row has a value in column ${columnLetter(i)}, beyond the header's last column; give that column a header or move the value`;
    }
  }
  return undefined;
}

/** The spreadsheet letter of a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * The text of every cell of every sheet, one cell a line; undefined when the bytes are no readable
 * workbook. Erasure searches it: a workbook's cells are compressed, so its bytes never show a name.
 */
export async function workbookText(bytes: Uint8Array): Promise<string | undefined> {
  try {
    const sheets = await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { trim: false });
    return sheets
      .map((s) => (s.data as unknown as Cell[][]).map((row) => row.map(cellText).join('\n')).join('\n'))
      .join('\n');
  } catch {
    return undefined;
  }
}
