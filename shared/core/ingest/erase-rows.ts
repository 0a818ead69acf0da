/**
 * Erasure of a person from one uploaded source (docs/operations.md, "Correct, withdraw, erase"):
 * the file is rewritten without the person's rows and every other line is kept as it was, so the
 * rewritten source reads the same for everyone else. Pure: no AWS, no clock.
 */
import { TextStreamDecoder, UnreadableFileError } from '../csv/decode.js';
import { type CsvRecord, CsvRecordParser } from '../csv/parse.js';
import type { InputKind } from '../model.js';
import { COLUMNS, matchHeader, missingColumnsHint } from './columns.js';
import { foldCase } from './fields.js';

export interface RemovePersonRowsInput {
  kind: InputKind;
  /**
   * The source's bytes as uploaded (any encoding ingest reads: UTF-8 with or without BOM, UTF-16,
   * Windows-1252, MacRoman, code pages 437/850; docs/input-files.md, "Encodings").
   */
  bytes: Uint8Array;
  personIds: string[];
  emails: string[];
}

export interface RemovePersonRowsResult {
  /**
   * The file without the removed records, to be uploaded again as UTF-8. It has no BOM: the caller
   * adds "\uFEFF" if it wants one (Excel reads accented names correctly only with it). Kept lines
   * have their text, line ends, delimiter and quoting exactly as in the original; only the
   * encoding may change (files in other encodings come back as UTF-8 text, and bytes not valid in
   * the file's encoding as U+FFFD: ingest rejected their rows). '' when the bytes could not be
   * read as text at all, or their encoding could not be told (see `unusable`).
   */
  text: string;
  /**
   * The removed records, each as the 1-based line (in the original file) it starts on, ascending:
   * the numbering of ingest's receipts. A record spanning several lines is listed once.
   */
  removed: number[];
  /**
   * Why the file is not a usable file of its kind (as ingest would reject it). The rows holding the
   * person were still removed, the header row included when it holds them. When the bytes are not
   * text at all (a workbook, a PDF, binary data) nothing could be searched: `text` is '' and
   * `removed` empty, and the caller must decide what to do with the source (a zipped workbook may
   * hold the person in compressed form, invisible to any byte search).
   */
  unusable?: string;
  /**
   * Lines of kept records where an id or email still occurs as a whole word inside a longer cell
   * (a note such as "replaces P1"), or in the header row. Not removed (the row is someone else's),
   * reported so that the caller can tell the administrator; absent when there are none.
   */
  mentions?: number[];
}

/** Characters that continue an id or an email: an occurrence next to one of these is part of a longer word. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_.@+\-:/]/u;

/** True when `needle` occurs in `hay` (both folded) with no word character right before or after it. */
function mentions(hay: string, needle: string): boolean {
  let at = hay.indexOf(needle);
  while (at !== -1) {
    const before = at > 0 ? (hay[at - 1] as string) : '';
    const after = hay.slice(at + needle.length, at + needle.length + 1);
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
    at = hay.indexOf(needle, at + 1);
  }
  return false;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The line ends of the raw bytes, in order ("\r\n", "\r" or "\n"). The decoder turns each of them
 * into one "\n", and CR and LF are the same single bytes in UTF-8 and Windows-1252 (never part of
 * a multi-byte UTF-8 sequence) and the same code units in UTF-16, so the n-th "\n" of the decoded
 * text is the n-th line end found here.
 */
function lineEnds(bytes: Uint8Array, encoding: string | undefined): string[] {
  const ends: string[] = [];
  const wide = encoding === 'utf-16le' || encoding === 'utf-16be';
  const step = wide ? 2 : 1;
  const unit = (i: number): number => {
    if (!wide) return bytes[i] as number;
    const a = bytes[i] as number;
    const b = bytes[i + 1] ?? 0;
    return encoding === 'utf-16le' ? a | (b << 8) : (a << 8) | b;
  };
  const end = bytes.length - (step - 1);
  for (let i = 0; i < end; i += step) {
    const u = unit(i);
    if (u === 0x0a) ends.push('\n');
    else if (u === 0x0d) {
      if (i + step < end && unit(i + step) === 0x0a) {
        ends.push('\r\n');
        i += step;
      } else ends.push('\r');
    }
  }
  return ends;
}

/** The message ingest gives for a header that misses required columns (shortened). */
function headerProblem(kind: InputKind, fields: string[]): string | undefined {
  const header = matchHeader(kind, fields);
  if (header.missingRequired.length === 0) return undefined;
  const required = COLUMNS[kind].filter((c) => c.required).map((c) => c.name);
  return `This ${kind} file is missing required column${header.missingRequired.length > 1 ? 's' : ''} ${header.missingRequired.join(', ')} (required: ${required.join(', ')}).${missingColumnsHint(header)}`;
}

/**
 * Removes every record of the person from one source. A data record goes when any of its cells
 * (the person_id and email cells, and to be safe every other one) equals one of `personIds` or
 * `emails` once both are trimmed, NFC-normalised and case-folded; a whole cell must match, so
 * removing "P1" keeps "P10". A record whose quotes are malformed (its cells may run together)
 * goes when an id or email occurs in it as a whole word. A record spanning several lines (a quoted
 * cell with line breaks) loses all its lines. Blank lines and every other record are kept
 * character for character, line ends included.
 */
export function removePersonRows(input: RemovePersonRowsInput): RemovePersonRowsResult {
  // A blank id or email would match every blank cell: ignored.
  const needles = new Set([...input.personIds, ...input.emails].map(foldCase).filter((n) => n !== ''));
  const needleList = [...needles];

  const decoder = new TextStreamDecoder();
  let decoded: string;
  try {
    decoded = decoder.write(input.bytes) + decoder.end();
  } catch (err) {
    if (err instanceof UnreadableFileError) return { text: '', removed: [], unusable: err.message };
    throw err;
  }

  // No line may go unread here: a line too long to be a row still has to be searched.
  const parser = new CsvRecordParser({ maxLineChars: Number.POSITIVE_INFINITY });
  const first = parser.push(decoded);
  const last = parser.end();
  const records: CsvRecord[] = [...first.records, ...last.records];
  const malformed = new Set([...first.problems, ...last.problems].map((p) => p.line));

  const lines = decoded.split('\n');
  let ends = lineEnds(input.bytes, decoder.encoding);
  // Cannot happen for the encodings the decoder produces; if it ever did, "\n" is the safe line end.
  if (ends.length !== lines.length - 1) ends = lines.slice(1).map(() => '\n');

  const headerRecord = records[0];
  const unusable = headerRecord
    ? headerProblem(input.kind, headerRecord.fields)
    : 'The file is empty: it has no header row and no data.';

  const drop = new Set<number>();
  const removed: number[] = [];
  const mentioned: number[] = [];
  records.forEach((rec, i) => {
    const isHeader = i === 0 && unusable === undefined;
    const folded = rec.fields.map(foldCase);
    const equal = folded.some((f) => needles.has(f));
    const inside = !equal && folded.some((f) => needleList.some((n) => mentions(f, n)));
    if (isHeader || (!equal && !(inside && malformed.has(rec.line)))) {
      if (equal || inside) mentioned.push(rec.line);
      return;
    }
    // The lines the record spans: one, plus one per line break inside its cells (as the parser counts).
    removed.push(rec.line);
    const next = records[i + 1]?.line ?? lines.length + 1;
    const span = 1 + rec.fields.reduce((n, f) => n + countNewlines(f), 0);
    for (let line = rec.line; line < Math.min(rec.line + span, next); line++) drop.add(line);
  });

  const kept: string[] = [];
  lines.forEach((content, i) => {
    if (!drop.has(i + 1)) kept.push(content + (ends[i] ?? ''));
  });
  const result: RemovePersonRowsResult = { text: kept.join(''), removed };
  if (unusable !== undefined) result.unusable = unusable;
  if (mentioned.length > 0) result.mentions = mentioned;
  return result;
}
