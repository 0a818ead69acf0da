/**
 * Reads one uploaded file of a known kind: decodes, parses, matches the header, validates each
 * row and hands accepted records to a sink in batches. Returns the file's receipt.
 */
import { TextStreamDecoder, UnreadableFileError } from '../csv/decode.js';
import { oddCharacterProblem } from '../csv/odd-characters.js';
import { type CsvParseOptions, CsvRecordParser, type Delimiter, type ParsedChunk } from '../csv/parse.js';
import type { InputKind, IsoDate } from '../model.js';
import { COLUMNS, matchHeader, missingColumnsHint } from './columns.js';
import { FileConventions } from './conventions.js';
import { detach } from './fields.js';
import { extensionOf } from './file-types.js';
import { defaultPlausibility, type Plausibility } from './plausibility.js';
import { readerFor } from './readers.js';
import { type FileFacts, RowChecks } from './row-checks.js';
import type { InputRecord } from './schemas.js';
import { cellsBeyondHeaderProblem, readWorkbook, type WorkbookLimits } from './workbook.js';

export interface RowError {
  /** 1-based line in the file; 0 for a problem with the whole file. */
  line: number;
  column: string;
  message: string;
}

export interface Receipt {
  file: string;
  kind: InputKind;
  rows: number;
  accepted: number;
  rejected: number;
  errors: RowError[];
  warnings: string[];
  /** True when the file could not be read as CSV of its kind at all. */
  unusable: boolean;
  encoding?: string;
  delimiter?: string;
  /** The sheet read, for an Excel workbook (the one named after the kind, else the first). */
  sheet?: string;
  /** How the file's D/M or M/D dates were read, when it has any (settled by the file, conventions.ts). */
  dateOrder?: 'month-first' | 'day-first';
  /** Errors beyond `maxErrors` (or beyond the size a receipt may have) are counted here rather than listed. */
  errorsOmitted?: number;
  /** Warnings beyond the number a receipt lists, counted. */
  warningsOmitted?: number;
  /** When this upload replaced an earlier version of the same file: what that version held and this one does not. */
  replaced?: { forgotten: number };
  /** When the upload was deleted (withdrawn): when, and how many stored facts it alone supplied were forgotten. */
  withdrawn?: { at: string; forgotten: number };
}

export interface IngestProgress {
  bytes: number;
  rows: number;
}

export interface IngestOptions {
  kind: InputKind;
  /** The file's name as the administrator knows it (used in the receipt). */
  file: string;
  source: AsyncIterable<Uint8Array>;
  /** Receives accepted records in order, one batch per parsed chunk; absent for a dry run. */
  sink?: (records: InputRecord[]) => Promise<void>;
  onProgress?: (progress: IngestProgress) => void;
  /** How many row errors the receipt lists (the rest are counted). */
  maxErrors?: number;
  /** The parser's bounds (parse.ts); tests make them small. */
  csv?: CsvParseOptions;
  /** How the file is read; by default from its name's extension (`.xlsx`: a workbook, else delimited text). */
  format?: 'delimited' | 'workbook';
  /** The bounds on a workbook (workbook.ts); config/ingest/workbooks.json by default. */
  workbook?: WorkbookLimits;
  /** Today in the association's time zone: dates after it are warned of (none are without it). */
  today?: IsoDate;
  /** When a value is implausible (row-checks.ts); config/ingest/plausibility.json by default. */
  plausibility?: Plausibility;
  /** Receives what the file names (people, emails, trainings), for the check against other files. */
  onFacts?: (facts: FileFacts) => void;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/*
 * Receipts are stored and shown whole (S3, `validate --json`, the run's receipts folder), so every
 * part of one is bounded whatever the file holds (a header of 100,000 unknown columns, a million
 * bad rows): a message, a column name, a warning, how many warnings, and the listed errors' size.
 */
const MAX_MESSAGE_CHARS = 300;
const MAX_COLUMN_CHARS = 100;
const MAX_WARNING_CHARS = 1000;
const MAX_WARNINGS = 20;
/** The listed errors as UTF-8 JSON: with the rest of a receipt, far below DynamoDB's 400 KB item limit. */
const MAX_ERROR_BYTES = 150_000;

/** `text` cut to at most `max` characters, "..." marking the cut (never inside a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 3;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}...`;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}

/** Cuts each warning and keeps the first MAX_WARNINGS (the rest counted); applied again when warnings are added later. */
export function boundReceipt(receipt: Receipt): Receipt {
  receipt.warnings = receipt.warnings.map((w) => cut(w, MAX_WARNING_CHARS));
  if (receipt.warnings.length > MAX_WARNINGS) {
    receipt.warningsOmitted = (receipt.warningsOmitted ?? 0) + receipt.warnings.length - MAX_WARNINGS;
    receipt.warnings.length = MAX_WARNINGS;
  }
  return receipt;
}

/**
 * Rows held while nothing in the file has settled whether its dates are day-first, before the file's
 * conventions decide alone (a real file settles it within a few rows; this bounds memory).
 */
const MAX_HELD_ROWS = 20_000;

type Row = Record<string, string | undefined>;

/**
 * Functions that put a record's cells into `{ column: cell }`: into a new object (`fresh`), or
 * into the file's one row object, rewritten for each row (`fill`; a row is read before the next is
 * filled, and a new object per row of a large roster was only garbage to collect). Generated once
 * per file, with plain property writes, so every row object has the same shape. Column names come
 * from COLUMNS, never from the file, and indexes are integers.
 */
function rowObjectBuilder(columns: [string, number][]): {
  fresh: (fields: string[]) => Row;
  fill: (fields: string[]) => Row;
} {
  for (const [name, i] of columns) {
    if (!/^[a-z_]+$/.test(name) || !Number.isInteger(i)) throw new Error(`unexpected column ${name}`);
  }
  const fresh = new Function('f', `return { ${columns.map(([name, i]) => `${name}: f[${i}]`).join(', ')} };`) as (
    fields: string[],
  ) => Row;
  const row = fresh([]);
  const fill = new Function(
    'row',
    `return (f) => { ${columns.map(([name, i]) => `row.${name} = f[${i}];`).join(' ')} return row; };`,
  )(row) as (fields: string[]) => Row;
  return { fresh, fill };
}

/** A row with a non-blank cell beyond the header's last column: a value's comma was read as a delimiter. */
export function extraCellsProblem(fields: string[], width: number, delimiter: Delimiter): string | undefined {
  if (fields.length <= width) return undefined;
  let cells = fields.length;
  // Trailing blank cells are fine: Excel writes them after the last filled column.
  while (cells > width && (fields[cells - 1] as string).trim() === '') cells--;
  if (cells <= width) return undefined;
  const such = delimiter === ',' ? ' (such as "Dana Roberts, LCSW" or 1,5)' : '';
  return `this row has ${cells} cells but the header has ${width}: a value holds a ${DELIMITER_NAMES[delimiter]} but is not in quotes${such}. Put that value in quotes, or save the file from Excel as "CSV UTF-8"`;
}

/** Validates and maps every row of one file; never throws for bad content, only for a failing sink or source. */
export async function ingestFile(options: IngestOptions): Promise<Receipt> {
  const { kind, file } = options;
  const maxErrors = options.maxErrors ?? 1000;
  let workbookBytes = 0;
  const workbook = (options.format ?? (extensionOf(file) === '.xlsx' ? 'workbook' : 'delimited')) === 'workbook';
  const receipt: Receipt = { file, kind, rows: 0, accepted: 0, rejected: 0, errors: [], warnings: [], unusable: false };
  const read = readerFor(kind);
  const checks = new RowChecks({ kind, today: options.today, limits: options.plausibility ?? defaultPlausibility() });
  const decoder = new TextStreamDecoder();
  const parser = new CsvRecordParser(options.csv);
  let header: ReturnType<typeof matchHeader> | undefined;
  let rowObject: ReturnType<typeof rowObjectBuilder> = { fresh: () => ({}), fill: () => ({}) };
  let headerWidth = 0;
  let conventions: FileConventions | undefined;
  /** Rows whose dates wait for the file to settle their day/month order (cells copied out of the chunk). */
  let held: { line: number; row: Record<string, string | undefined> }[] = [];

  let errorBytes = 0;
  const addError = (e: RowError) => {
    const error = { line: e.line, column: cut(e.column, MAX_COLUMN_CHARS), message: cut(e.message, MAX_MESSAGE_CHARS) };
    const bytes = utf8Length(JSON.stringify(error));
    if (receipt.errors.length < maxErrors && errorBytes + bytes <= MAX_ERROR_BYTES) {
      receipt.errors.push(error);
      errorBytes += bytes;
    } else receipt.errorsOmitted = (receipt.errorsOmitted ?? 0) + 1;
  };
  const unusable = (message: string): Receipt => {
    receipt.unusable = true;
    receipt.errors = [{ line: 0, column: '', message: cut(message, MAX_WARNING_CHARS) }];
    receipt.rows = 0;
    receipt.accepted = 0;
    receipt.rejected = 0;
    delete receipt.errorsOmitted;
    return boundReceipt(receipt);
  };

  /** Returns a message when the header makes the file unusable. */
  const readHeader = (fields: string[]): string | undefined => {
    header = matchHeader(kind, fields);
    if (header.missingRequired.length > 0) {
      const required = COLUMNS[kind].filter((c) => c.required).map((c) => c.name);
      const found = fields
        .map((f) => f.trim())
        .filter((f) => f !== '')
        .slice(0, 12)
        .map((f) => cut(f, 40));
      const hint =
        fields.length === 1 && /[;|\t]/.test(fields[0] ?? '')
          ? ' The header seems to use an unusual separator; save the file as "CSV UTF-8 (Comma delimited)".'
          : '';
      return `This ${kind} file is missing required column${header.missingRequired.length > 1 ? 's' : ''} ${header.missingRequired.join(', ')}. Required: ${required.join(', ')}. Found: ${found.length > 0 ? found.join(', ') : 'nothing'}.${missingColumnsHint(header)}${hint}`;
    }
    receipt.warnings.push(...header.warnings);
    headerWidth = fields.length;
    rowObject = rowObjectBuilder([...header.index.entries()].filter(([, i]) => i >= 0));
    conventions = new FileConventions(kind, parser.delimiter);
    if (parser.delimiter && parser.delimiter !== ',') {
      receipt.warnings.push(`the file is ${DELIMITER_NAMES[parser.delimiter]}-separated; it was read as such`);
    }
    return undefined;
  };

  /** Checks one row (its conventions already applied) and counts it. */
  const validate = (
    row: Record<string, string | undefined>,
    line: number,
    prepared: ReturnType<FileConventions['prepare']> | undefined,
    accepted: InputRecord[],
  ) => {
    if (prepared?.status === 'rejected') {
      receipt.rejected++;
      for (const issue of prepared.issues) {
        addError({ line, column: header?.label.get(issue.column) ?? issue.column, message: issue.message });
      }
      return;
    }
    const parsed = read(row);
    if (parsed.success) {
      receipt.accepted++;
      accepted.push({ kind, record: parsed.data } as InputRecord);
      acceptedLines.push(line);
    } else {
      receipt.rejected++;
      for (const issue of parsed.issues) {
        const name = String(issue.path[0] ?? '');
        addError({ line, column: header?.label.get(name) ?? name, message: issue.message });
      }
    }
  };

  /**
   * The line of each record in the batch being read (`accepted`), for the row checks. They look at
   * a batch's records once it is read, one after another: each looks its person up among the
   * file's, and that table is then at hand in the processor's cache, rather than pushed out by the
   * reading of the next row (the checks follow the records in order, as the rows came).
   */
  const acceptedLines: number[] = [];
  const observe = (accepted: InputRecord[]) => {
    for (let i = 0; i < accepted.length; i++) checks.observe(accepted[i] as InputRecord, acceptedLines[i] as number);
    acceptedLines.length = 0;
  };

  /** Reads the held rows now that their dates' order is settled (or will be refused). */
  const release = (accepted: InputRecord[]) => {
    const waiting = held;
    held = [];
    for (const h of waiting) validate(h.row, h.line, conventions?.prepare(h.row, h.line), accepted);
  };

  const handle = async (chunk: ParsedChunk): Promise<string | undefined> => {
    const accepted: InputRecord[] = [];
    for (const rec of chunk.records) {
      if (!header) {
        if (rec.problem) return `The header row (line ${rec.line}) could not be read: ${rec.problem}.`;
        const message = readHeader(rec.fields);
        if (message) return message;
        continue;
      }
      receipt.rows++;
      // A quote problem or a line too long (parse.ts): this line alone is rejected.
      const problem =
        rec.problem ??
        (workbook
          ? cellsBeyondHeaderProblem(rec.fields, headerWidth)
          : extraCellsProblem(rec.fields, headerWidth, parser.delimiter ?? ','));
      if (problem) {
        receipt.rejected++;
        addError({ line: rec.line, column: '', message: problem });
        continue;
      }
      const row = rowObject.fill(rec.fields);
      // Bytes not valid in the file's encoding (U+FFFD) and control characters: the row, never a wrong value.
      // A workbook's text comes decoded from its XML, so only its control characters are looked for.
      const odd = decoder.oddSeen || workbook ? oddCharacterProblem(row, decoder.encoding) : undefined;
      if (odd) {
        receipt.rejected++;
        addError({ line: rec.line, column: header.label.get(odd.column) ?? odd.column, message: odd.message });
        continue;
      }
      const prepared = conventions?.prepare(row, rec.line);
      if (prepared?.status === 'held') {
        // Kept: a row object of its own (prepare left the cells as they were), copied out of the chunk.
        const kept = rowObject.fresh(rec.fields);
        for (const k of Object.keys(kept)) kept[k] = kept[k] === undefined ? undefined : detach(kept[k]);
        held.push({ line: rec.line, row: kept });
        if (held.length >= MAX_HELD_ROWS) {
          conventions?.settleAtEnd();
          release(accepted);
        }
        continue;
      }
      if (held.length > 0 && conventions?.order !== undefined) release(accepted);
      validate(row, rec.line, prepared, accepted);
    }
    observe(accepted);
    if (accepted.length > 0 && options.sink) await options.sink(accepted);
    options.onProgress?.({ bytes: workbook ? workbookBytes : decoder.bytesRead, rows: receipt.rows });
    return undefined;
  };

  try {
    if (workbook) {
      const read = await readWorkbook(options.source, kind, options.workbook);
      receipt.sheet = read.sheet;
      workbookBytes = read.bytes;
      for (const chunk of read.chunks) {
        const message = await handle(chunk);
        if (message) return unusable(message);
      }
    } else {
      for await (const bytes of options.source) {
        const text = decoder.write(bytes);
        const message = await handle(parser.push(text));
        if (message) return unusable(message);
      }
      const message = (await handle(parser.push(decoder.end()))) ?? (await handle(parser.end()));
      if (message) return unusable(message);
    }
  } catch (err) {
    if (err instanceof UnreadableFileError) return unusable(err.message);
    throw err;
  }
  if (held.length > 0) {
    // The file ended before its dates settled their order: its conventions decide (conventions.ts).
    conventions?.settleAtEnd();
    const accepted: InputRecord[] = [];
    release(accepted);
    observe(accepted);
    if (accepted.length > 0 && options.sink) await options.sink(accepted);
  }
  const datesNote = conventions?.describe();
  if (datesNote) receipt.warnings.push(datesNote);
  if (conventions?.order) receipt.dateOrder = conventions.order;
  if (!workbook) {
    receipt.encoding = decoder.encoding;
    receipt.warnings.push(...decoder.notes);
    receipt.delimiter = parser.delimiter;
  }
  if (!header) return unusable('The file is empty: it has no header row and no data.');
  receipt.warnings.push(...checks.warnings());
  options.onFacts?.(checks.facts());
  return boundReceipt(receipt);
}
