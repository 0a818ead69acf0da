/**
 * Replacing some rows of an export this project wrote (csvRecords: a BOM, the header, one record per
 * row, each ended by CRLF, rows in key order), keyed by the first column: the records kept are
 * copied as written, never read back and written again (a cell's formula guard would be doubled).
 */
import { cellText, csvField } from './write.js';

const BOM = '\uFEFF';

/** The records of an export's text as written, without their CRLF; quoted line breaks stay inside. */
export function* rawRecords(text: string): Generator<string> {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\r' && body[i + 1] === '\n') {
      yield body.slice(start, i);
      start = i + 2;
      i++;
    }
  }
  if (start < body.length) yield body.slice(start);
}

/** The first cell of a record, as written (quoted if it needed quotes). */
function firstCellAsWritten(record: string): string {
  if (!record.startsWith('"')) {
    const comma = record.indexOf(',');
    return comma < 0 ? record : record.slice(0, comma);
  }
  let i = 1;
  while (i < record.length) {
    if (record[i] === '"') {
      if (record[i + 1] === '"') i += 2;
      else return record.slice(0, i + 1);
    } else i++;
  }
  return record;
}

/** A key as the export writes it in its first column. */
export const keyAsWritten = (key: string): string => csvField(cellText(key));

/**
 * The export's records with those whose key is in `replaced` left out and `added` put in, in key
 * order: `added` holds whole records (ended by CRLF, as csvRecords makes them) with their keys,
 * sorted by key. The header is the one `header` gives (csvRecords' first record).
 */
export function* replaceRows(
  text: string,
  header: string,
  replaced: ReadonlySet<string>,
  added: readonly { key: string; record: string }[],
): Generator<string> {
  const gone = new Set([...replaced].map(keyAsWritten));
  yield header;
  let next = 0;
  let first = true;
  for (const record of rawRecords(text)) {
    if (first) {
      first = false; // the old header
      continue;
    }
    const cell = firstCellAsWritten(record);
    if (gone.has(cell)) continue;
    const key = keyOfCell(cell);
    for (; next < added.length && (added[next]?.key ?? '') < key; next++) yield added[next]?.record ?? '';
    yield `${record}\r\n`;
  }
  for (; next < added.length; next++) yield added[next]?.record ?? '';
}

/** The key a first cell written by keyAsWritten holds. */
export function keyOfCell(cell: string): string {
  const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
  // cellText put a quote before text that would start a formula.
  return unquoted.startsWith("'") && cellText(unquoted.slice(1)) === unquoted ? unquoted.slice(1) : unquoted;
}
