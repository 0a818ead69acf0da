/**
 * CSV records from a stream of text chunks, with the file line each record starts on.
 * Tokenising is papaparse's own `Parser`, fed chunk by chunk so a file is never held whole.
 *
 * A quote problem costs only the line where its record starts (docs/contract.md, "Input files": a bad
 * row never stops a file; every row is stored or rejected with its line). When a record has a
 * malformed quote, or a quoted cell runs on over more than `maxSpanChars`, that one physical line
 * is rejected and reading starts again at the next line; the lines after it are read on their own.
 * A physical line longer than `maxLineChars` is rejected without being held whole.
 */
import Papa from 'papaparse';

export interface CsvRecord {
  /** 1-based line in the file where the record starts. */
  line: number;
  /** The cells; for a line that could not be read (`problem`), the line's text as one cell. */
  fields: string[];
  /** Why the line could not be read as a record (a quote problem, a line too long). */
  problem?: string;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface ParsedChunk {
  /** Records in file order, unreadable lines included (with their `problem`). */
  records: CsvRecord[];
  /** The unreadable lines again, by line. */
  problems: CsvProblem[];
}

export interface CsvParseOptions {
  /** A physical line longer than this (characters) is rejected without being held whole. */
  maxLineChars?: number;
  /** A record spanning several lines longer than this (characters) is a quote that does not close. */
  maxSpanChars?: number;
}

/**
 * A single line is held whole to be parsed. No row comes near this (19 columns at their limits in
 * fields.ts are under 5,000 characters); a line beyond it is text pasted by mistake or not CSV.
 */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;

/**
 * A quoted cell may hold line breaks, but Excel holds at most 32,767 characters in a cell, written
 * to CSV as at most twice that (each quote doubled): a record running on over more than this is a
 * quote that never closed, not data. It also bounds what one bad quote makes the parser read again.
 */
export const MAX_SPAN_CHARS = 128 * 1024;

/** After a line was read again from a bad quote, windows grow from one line back up to this, then whole chunks. */
const BULK_WINDOW_CHARS = 1024 * 1024;

const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
const DELIMITER_WORDS: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

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
  for (const f of fields) {
    if (f === '') continue;
    // A printable ASCII character is never white space: most rows are told apart without a trim.
    const c = f.charCodeAt(0);
    if ((c > 32 && c < 127) || f.trim() !== '') return false;
  }
  return true;
}

/** A value as quoted in a message: at most 40 characters, as fields.ts shows cell values. */
function shown(v: string): string {
  return v.length > 40 ? `${v.slice(0, 37)}...` : v;
}

/** One parser per delimiter for reading a bad line on its own (a Parser keeps no state between calls). */
const probes = new Map<Delimiter, Papa.Parser>();

type PapaResult = {
  data: string[][];
  errors: { code: string; row: number; index: number }[];
  meta: { cursor: number };
};

/**
 * What is wrong with the quotes of one line, in words a person can act on. The line is parsed on
 * its own to find the quote that opens the bad value.
 */
export function quoteMessage(text: string, delimiter: Delimiter, runsOnFor?: number): string {
  let probe = probes.get(delimiter);
  if (!probe) {
    probe = new Papa.Parser({ delimiter, newline: '\n' });
    probes.set(delimiter, probe);
  }
  const alone = probe.parse(text, 0, false) as PapaResult;
  const error = alone.errors.find((e) => e.code === 'InvalidQuotes' || e.code === 'MissingQuotes');
  // papaparse's index is just past the opening quote.
  let open = error ? error.index - 1 : -1;
  if (open < 0 || text[open] !== '"') open = text.indexOf('"');
  if (open < 0) return 'this line could not be read: its quotes do not pair up. Check the quotes on this line';
  if (error?.code === 'InvalidQuotes' && runsOnFor === undefined) {
    const end = text.indexOf(delimiter, text.indexOf('"', open + 1) + 1);
    const value = text.slice(open, end === -1 ? text.length : end);
    const before = end === -1 ? 'the end of the line' : `the next ${DELIMITER_WORDS[delimiter]}`;
    const example = value.length <= 40 ? ` ("${value.replaceAll('"', '""')}")` : '';
    return `a quote opens here (${shown(value)}) and does not close before ${before}: put the whole value in quotes and double the inner quotes${example}, or remove the quotes`;
  }
  const value = shown(text.slice(open));
  const how =
    runsOnFor === undefined
      ? 'is never closed'
      : `does not close within the next ${runsOnFor.toLocaleString('en-US')} characters`;
  return `a quote opens here (${value}) and ${how}: add the closing quote where the value ends (and write each quote inside the value twice), or remove the quote`;
}

function tooLongMessage(max: number): string {
  return `this line is more than ${max.toLocaleString('en-US')} characters long and was not read: no row is that long; look for text pasted into a cell by mistake`;
}

/** The offset of the first line in `s[from, to)` longer than `max` characters, or -1. */
function longLine(s: string, from: number, to: number, max: number): number {
  for (let start = from; start < to; ) {
    let end = s.indexOf('\n', start);
    if (end === -1 || end > to) end = to;
    if (end - start > max) return start;
    start = end + 1;
  }
  return -1;
}

/** Where the lines of a text start, found only when a record needs it, scanning forward once. */
class LineStarts {
  private line: number;
  private at = 0;
  constructor(
    private readonly text: string,
    firstLine: number,
  ) {
    this.line = firstLine;
  }

  startOf(line: number): number {
    while (this.line < line && this.at < this.text.length) {
      const nl = this.text.indexOf('\n', this.at);
      this.at = nl === -1 ? this.text.length : nl + 1;
      this.line++;
    }
    return this.at;
  }
}

/** The text of the line starting at `from`, and where the next line starts. */
function lineAt(text: string, from: number): [string, number] {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? [text.slice(from), text.length] : [text.slice(from, nl), nl + 1];
}

type Step = { kind: 'done' | 'pending' | 'resync'; consumed: number };

/**
 * Incremental CSV parser: `push` text (with "\n" line ends), then `end`. Each call returns the
 * complete records seen so far. Blank lines (and rows of empty cells) are not records.
 */
export class CsvRecordParser {
  delimiter: Delimiter | undefined;
  /** Text not yet read, starting at the start of line `nextLine`. */
  private carry = '';
  private waiting: string[] = [];
  private waitingChars = 0;
  private nextLine = 1;
  /** The rest of a line too long to read is being skipped. */
  private skipping = false;
  /** How much text papaparse is given at once (characters, extended to a line end). */
  private window = Number.POSITIVE_INFINITY;
  private parser: Papa.Parser | undefined;
  private readonly maxLineChars: number;
  private readonly maxSpanChars: number;

  constructor(options: CsvParseOptions = {}) {
    this.maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
    this.maxSpanChars = options.maxSpanChars ?? MAX_SPAN_CHARS;
  }

  /** Adds text; returns the records completed by it. */
  push(text: string): ParsedChunk {
    const out: ParsedChunk = { records: [], problems: [] };
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) return out;
      this.skipping = false;
      this.nextLine++;
      text = text.slice(nl + 1);
    }
    if (text.length === 0) return out;
    if (this.carry.length > 0 && this.waitingChars + text.length < this.carry.length) {
      // A long record is pending: re-parse only once the new text at least doubles it (linear, not quadratic).
      this.waiting.push(text);
      this.waitingChars += text.length;
      return out;
    }
    if (this.carry.length > 0 && this.waiting.length === 0) {
      text = this.finishCarriedLine(text, out);
      if (text.length === 0) return out;
    }
    const input = this.carry + this.waiting.join('') + text;
    this.waiting = [];
    this.waitingChars = 0;
    this.run(input, false, out);
    return out;
  }

  /**
   * Reads the line carried from the previous text on its own when it ends in `text` and holds no
   * quote (so it is one record by itself); returns the text after it. The rest of `text` is then
   * parsed as it came, not copied into one new string behind the carried line: with a large chunk
   * of text that copy cost as much as a tenth of the parse.
   */
  private finishCarriedLine(text: string, out: ParsedChunk): string {
    if (!this.parser || this.window !== Number.POSITIVE_INFINITY || this.carry.indexOf('"') !== -1) return text;
    const nl = text.indexOf('\n');
    if (nl === -1 || this.carry.length + nl > this.maxLineChars || text.lastIndexOf('"', nl) !== -1) return text;
    this.run(this.carry + text.slice(0, nl + 1), false, out);
    return text.slice(nl + 1);
  }

  /** Parses what is left at the end of the file. */
  end(): ParsedChunk {
    const out: ParsedChunk = { records: [], problems: [] };
    const input = this.carry + this.waiting.join('');
    this.carry = '';
    this.waiting = [];
    this.waitingChars = 0;
    this.skipping = false;
    if (input.length > 0) this.run(input, true, out);
    return out;
  }

  private reject(line: number, text: string, problem: string, out: ParsedChunk): void {
    out.records.push({ line, fields: [text], problem });
    out.problems.push({ line, message: problem });
  }

  /** Reads every complete line of `input` (all of it when `final`); keeps the rest for the next call. */
  private run(input: string, final: boolean, out: ParsedChunk): void {
    if (!this.parser) {
      const firstLineEnd = input.indexOf('\n');
      if (firstLineEnd === -1 && !final && input.length <= this.maxLineChars) {
        this.carry = input;
        return;
      }
      const header = firstLineEnd === -1 ? input : input.slice(0, firstLineEnd);
      this.delimiter = detectDelimiter(header.length > this.maxLineChars ? '' : header);
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: '\n' });
    }
    const delimiter = this.delimiter ?? ',';
    let pos = 0;
    for (;;) {
      // Only whole lines are read before the end: a record never ends inside a chunk's last line.
      const end = final ? input.length : input.lastIndexOf('\n') + 1;
      while (pos < end) {
        let stop = end;
        if (pos + this.window < end) {
          const nl = input.indexOf('\n', pos + this.window - 1);
          stop = nl === -1 ? end : nl + 1;
        }
        let cut = false;
        if (stop - pos > this.maxLineChars) {
          const long = longLine(input, pos, stop, this.maxLineChars);
          if (long === pos) {
            this.reject(this.nextLine, '', tooLongMessage(this.maxLineChars), out);
            const nl = input.indexOf('\n', pos);
            pos = nl === -1 ? input.length : nl + 1;
            this.nextLine++;
            continue;
          }
          if (long !== -1) {
            stop = long;
            cut = true;
          }
        }
        const last = final && stop === input.length;
        const step = this.read(pos === 0 && stop === input.length ? input : input.slice(pos, stop), last, cut, out);
        pos += step.consumed;
        if (step.kind === 'resync') {
          this.window = 1;
        } else if (step.kind === 'pending') {
          if (stop === end) break;
          // The record needs more of the text that is here: a window at least twice its length so far.
          this.window = Math.max(this.window * 2, (stop - pos) * 2);
        } else if (this.window !== Number.POSITIVE_INFINITY) {
          this.window = this.window * 2 > BULK_WINDOW_CHARS ? Number.POSITIVE_INFINITY : this.window * 2;
        }
      }
      if (final) {
        this.carry = '';
        return;
      }
      const rest = input.length - pos;
      const lastNl = input.lastIndexOf('\n');
      if (lastNl >= pos && rest > this.maxSpanChars) {
        // A record is pending and, with the text after it, already longer than a record may span.
        const nl = input.indexOf('\n', pos);
        this.reject(
          this.nextLine,
          input.slice(pos, nl),
          quoteMessage(input.slice(pos, nl), delimiter, this.maxSpanChars),
          out,
        );
        pos = nl + 1;
        this.nextLine++;
        this.window = 1;
        continue;
      }
      if (lastNl < pos && rest > this.maxLineChars) {
        this.reject(this.nextLine, '', tooLongMessage(this.maxLineChars), out);
        this.skipping = true;
        this.carry = '';
        return;
      }
      this.carry = pos === 0 ? input : input.slice(pos);
      return;
    }
  }

  /**
   * Parses `text`, which starts at line `nextLine`, emits its records, and says how far it got:
   * `done` (all of it), `pending` (a record runs on past its end) or `resync` (a bad record
   * spanning lines: its first line was rejected and reading goes on at the next one).
   * `cut`: the text stops before a line too long to read, so a pending record cannot grow.
   */
  private read(text: string, last: boolean, cut: boolean, out: ParsedChunk): Step {
    const delimiter = this.delimiter ?? ',';
    const result = (this.parser as Papa.Parser).parse(text, 0, !last) as PapaResult;
    const { data } = result;
    const cursor = result.meta.cursor;
    let bad: Set<number> | undefined;
    for (const e of result.errors) {
      if (e.code !== 'InvalidQuotes' && e.code !== 'MissingQuotes') continue;
      bad ??= new Set();
      bad.add(e.row);
    }
    // A record spans several lines only when a quoted cell holds a line break. Before the end of
    // the file every record read ends with "\n", so when the text read holds exactly one "\n" per
    // record, none does, and the cells need not be searched one by one.
    const multiline = text.indexOf('"') !== -1 && (last || countNewlines(text, cursor) !== data.length);
    const lines = new LineStarts(text, this.nextLine);

    let line = this.nextLine;
    for (let row = 0; row < data.length; row++) {
      const fields = data[row] as string[];
      let span = 1;
      if (multiline) for (const f of fields) span += countNewlines(f, f.length);
      let problem: string | undefined;
      let from = 0;
      if (bad?.has(row)) {
        from = lines.startOf(line);
        problem = quoteMessage(lineAt(text, from)[0], delimiter);
      } else if (span > 1) {
        from = lines.startOf(line);
        if (lines.startOf(line + span) - from > this.maxSpanChars) {
          problem = quoteMessage(lineAt(text, from)[0], delimiter, this.maxSpanChars);
        }
      }
      if (problem !== undefined) {
        const [first, next] = lineAt(text, from);
        this.reject(line, first, problem, out);
        if (span > 1) {
          // The rows papaparse read after it began inside the bad record: read them again.
          this.nextLine = line + 1;
          return { kind: 'resync', consumed: next };
        }
        line++;
        continue;
      }
      if (!isBlank(fields)) out.records.push({ line, fields });
      line += span;
    }
    this.nextLine = line;
    if (cursor >= text.length) return { kind: 'done', consumed: cursor };
    // The record starting at `cursor` runs on past the end of the text read (a quote still open).
    const pendingBad = bad?.has(data.length) ?? false;
    if (!pendingBad && !cut && text.length - cursor <= this.maxSpanChars) return { kind: 'pending', consumed: cursor };
    const nl = text.indexOf('\n', cursor);
    const first = text.slice(cursor, nl);
    this.reject(line, first, quoteMessage(first, delimiter, pendingBad ? undefined : this.maxSpanChars), out);
    this.nextLine = line + 1;
    return { kind: 'resync', consumed: nl + 1 };
  }
}
