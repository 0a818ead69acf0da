/**
 * CSV records from a stream of text chunks, with the file line each record starts on.
 * Parsing is papaparse's own `Parser`, fed chunk by chunk so a file is never held whole.
 */
import Papa from 'papaparse';

export interface CsvRecord {
  /** 1-based line in the file where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface ParsedChunk {
  records: CsvRecord[];
  problems: CsvProblem[];
}

export interface CsvParseOptions {
  /** A record longer than this (characters) stops the file: almost always an unclosed quote. */
  maxRecordChars?: number;
}

/** The record could not be completed: a quote opened and never closed, or a record too long to be real. */
export class CsvStructureError extends Error {
  override name = 'CsvStructureError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Guesses the delimiter from the header line: the candidate seen most often outside quotes. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const c = counts.get(d) ?? 0;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

/** The number of "\n" in the first `end` characters of `s`. */
function countNewlines(s: string, end: number): number {
  let n = 0;
  let i = s.indexOf('\n');
  while (i !== -1 && i < end) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}

function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

/**
 * Incremental CSV parser: `push` text (with "\n" line ends), then `end`. Each call returns the
 * complete records seen so far. Blank lines (and rows of empty cells) are not records.
 */
export class CsvRecordParser {
  delimiter: Delimiter | undefined;
  private carry = '';
  private waiting: string[] = [];
  private waitingChars = 0;
  private nextLine = 1;
  private parser: Papa.Parser | undefined;
  private readonly maxRecordChars: number;

  constructor(options: CsvParseOptions = {}) {
    this.maxRecordChars = options.maxRecordChars ?? 8 * 1024 * 1024;
  }

  /** Adds text; returns the records completed by it. */
  push(text: string): ParsedChunk {
    if (text.length === 0) return { records: [], problems: [] };
    if (this.carry.length > 0 && this.waitingChars + text.length < this.carry.length) {
      // A long record is pending: re-parse only once the new text at least doubles it (linear, not quadratic).
      this.waiting.push(text);
      this.waitingChars += text.length;
      return { records: [], problems: [] };
    }
    const input = this.carry + this.waiting.join('') + text;
    this.waiting = [];
    this.waitingChars = 0;
    return this.parse(input, false);
  }

  /** Parses what is left at the end of the file. */
  end(): ParsedChunk {
    const input = this.carry + this.waiting.join('');
    this.waiting = [];
    this.waitingChars = 0;
    if (input.length === 0) return { records: [], problems: [] };
    return this.parse(input, true);
  }

  private parse(input: string, final: boolean): ParsedChunk {
    if (!this.parser) {
      const firstLineEnd = input.indexOf('\n');
      if (firstLineEnd === -1 && !final && input.length < this.maxRecordChars) {
        this.carry = input;
        return { records: [], problems: [] };
      }
      this.delimiter = detectDelimiter(firstLineEnd === -1 ? input : input.slice(0, firstLineEnd));
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: '\n' });
    }
    const result = this.parser.parse(input, 0, !final) as {
      data: string[][];
      errors: { code: string; row: number }[];
      meta: { cursor: number };
    };
    const records: CsvRecord[] = [];
    const problems: CsvProblem[] = [];
    const lineOfRow: number[] = [];
    // A record spans several lines only when a quoted cell holds a line break. Before the end of
    // the file every record read ends with "\n", so when the text read holds exactly one "\n" per
    // record, none does, and the cells need not be searched one by one.
    const multiline =
      input.indexOf('"') !== -1 && (final || countNewlines(input, result.meta.cursor) !== result.data.length);
    let line = this.nextLine;
    for (const fields of result.data) {
      lineOfRow.push(line);
      if (!isBlank(fields)) records.push({ line, fields });
      let span = 1;
      if (multiline) for (const f of fields) span += countNewlines(f, f.length);
      line += span;
    }
    for (const e of result.errors) {
      const at = lineOfRow[e.row] ?? line;
      if (e.code === 'MissingQuotes') {
        problems.push({ line: at, message: 'a quoted value opens here and is never closed (a lone " character)' });
      } else if (e.code === 'InvalidQuotes') {
        problems.push({ line: at, message: 'a quoted value is malformed: a " is followed by text instead of a comma' });
      }
    }
    this.nextLine = line;
    this.carry = final ? '' : input.slice(result.meta.cursor);
    if (this.carry.length > this.maxRecordChars) {
      throw new CsvStructureError(
        this.nextLine,
        `the record starting at line ${this.nextLine} is longer than ${Math.round(this.maxRecordChars / 1048576)} MB; most likely a quote opens there and is never closed`,
      );
    }
    return { records, problems };
  }
}
