/**
 * Which uploaded files are read as input, decided by the file name's extension in any letter case
 * (docs/input-files.md, "Kinds, names and types"). One rule for `iecmh validate`,
 * `iecmh run` and the ingest function in AWS, so a file is never read by one and passed over by
 * another.
 *
 * - `.csv`: comma-separated text (a semicolon- or tab-separated export is read as such).
 * - `.txt`: what Excel's "Text (Tab delimited)" saves; the same parser reads it.
 * - `.xlsx`: an Excel workbook; its sheet named after the kind, else its first, is read (workbook.ts).
 * - `.xlsm` and `.xls` are reported as not readable, with what to do instead, never passed over in silence.
 * - anything else is not an input file.
 */
import type { InputKind } from '../model.js';
import type { Receipt } from './ingest.js';

/** The extensions read as delimited text, lower case. */
export const TEXT_EXTENSIONS = ['.csv', '.txt'] as const;

/** Every extension read as input, lower case: delimited text and Excel workbooks. */
export const INPUT_EXTENSIONS = [...TEXT_EXTENSIONS, '.xlsx'] as const;

export type InputFileType =
  | { readable: true; extension: (typeof INPUT_EXTENSIONS)[number] }
  | { readable: false; extension: string; reason: string };

const SAVE_AS =
  'In Excel use File > Save As > "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)" and use that file instead.';

/** Extensions that are not read, with what to do instead; any other gets the general message. */
const NOT_READ: Record<string, string> = {
  '.xlsm': `Macro-enabled Excel workbooks (.xlsm) cannot be read. ${SAVE_AS}`,
  '.xls': `Excel 97-2003 workbooks (.xls) cannot be read. ${SAVE_AS}`,
};

/** The extension of the last path segment, lower case, with its dot; '' when there is none. */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** Whether a file (by name or upload key) is read as input and, when it is not, why, in words. */
export function inputFileType(name: string): InputFileType {
  const extension = extensionOf(name);
  const readable = INPUT_EXTENSIONS.find((e) => e === extension);
  if (readable) return { readable: true, extension: readable };
  const accepted =
    'Only .csv and .txt files (comma- or tab-delimited text) and .xlsx Excel workbooks, in any letter case, are read.';
  const reason =
    NOT_READ[extension] ??
    (extension === ''
      ? `The file name has no extension, so it is not read as input. ${accepted}`
      : `A file whose name ends in "${extension}" is not read as input. ${accepted}`);
  return { readable: false, extension, reason };
}

/**
 * The receipt of a file that is not read because of its type: rejected whole, one error at line 0
 * (docs/contract.md: a file that cannot be read at all still gets a receipt).
 */
export function unreadTypeReceipt(kind: InputKind, file: string, reason: string): Receipt {
  return {
    file,
    kind,
    rows: 0,
    accepted: 0,
    rejected: 0,
    errors: [{ line: 0, column: '', message: reason }],
    warnings: [],
    unusable: true,
  };
}
