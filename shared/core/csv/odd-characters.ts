/**
 * Cells holding what is not text (docs/input-files.md, "Encodings"): U+FFFD, which the decoder
 * puts where the file's bytes are not valid in its encoding, and control characters (NUL and the
 * like). Their rows are rejected with a message that says what to do, so that nothing is stored
 * as something other than what the person typed and no NUL reaches an export.
 */
import type { Encoding } from './decode.js';

/** A character that is not text: C0 controls but tab and line ends, DEL, C1 controls, U+FFFD. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const ODD_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

const isControlByte = (c: number) => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;

/**
 * Whether bytes of an ASCII-compatible encoding hold a control character (C0 but tab and line
 * ends, or DEL): the decoder's check of every chunk, so it looks at four bytes at a time (a regular
 * expression over the decoded text costs about three times as much).
 */
export function hasControlBytes(b: Uint8Array): boolean {
  // Words from the first 4-byte boundary of the memory (a typed array's words must be aligned);
  // the bytes before it and after the last whole word one by one.
  const length = b.length;
  const skip = (4 - (b.byteOffset & 3)) & 3;
  if (length < skip + 4) return controlByteIn(b, 0, length);
  const n = (length - skip) >>> 2;
  if (controlByteIn(b, 0, skip) || controlByteIn(b, skip + n * 4, length)) return true;
  const words = new Uint32Array(b.buffer, b.byteOffset + skip, n);
  for (let k = 0; k < n; k++) {
    const x = words[k] as number;
    const y = x ^ 0x7f7f7f7f;
    // Some byte below 0x20 (line ends and tabs too), or some byte 0x7F: then byte by byte.
    if (((x - 0x20202020) & ~x & 0x80808080 || (y - 0x01010101) & ~y & 0x80808080) && controlByteInWord(x)) return true;
  }
  return false;
}

/*
 * The bytes outside the words are looked at before the loop, and byte by byte in functions of
 * their own: code reached only after the loop (or only in some chunks) has no type feedback when
 * the loop is optimised while it runs, and each first visit threw the optimised code away (a
 * dozen times a file).
 */
function controlByteIn(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isControlByte(b[i] as number)) return true;
  return false;
}

function controlByteInWord(x: number): boolean {
  for (let j = 0; j < 32; j += 8) if (isControlByte((x >>> j) & 0xff)) return true;
  return false;
}

const REPLACEMENT_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * Whether valid UTF-8 holds a C1 control (C2 80–C2 9F) or U+FFFD itself (EF BF BD, left by an
 * earlier conversion that lost a character).
 */
export function hasC1OrReplacement(b: Uint8Array): boolean {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
  if (buf.indexOf(REPLACEMENT_UTF8) !== -1) return true;
  for (let i = buf.indexOf(0xc2); i !== -1; i = buf.indexOf(0xc2, i + 1)) {
    const next = buf[i + 1];
    if (next !== undefined && next >= 0x80 && next <= 0x9f) return true;
  }
  return false;
}

const CONTROL_NAMES: Record<number, string> = {
  0: 'NUL',
  7: 'BEL',
  8: 'backspace',
  11: 'vertical tab',
  12: 'form feed',
  26: 'SUB, end of file',
  27: 'ESC',
  127: 'DEL',
};

const ENCODING_NAMES: Record<string, string> = {
  'windows-1252': 'Windows-1252',
  macintosh: 'MacRoman',
  cp437: 'MS-DOS code page 437',
  cp850: 'MS-DOS code page 850',
};

const SAVE_AS_UTF8 = 'save the file as "CSV UTF-8 (Comma delimited)"';

const show = (v: string) => (v.length > 40 ? `"${v.slice(0, 37)}..."` : `"${v}"`);

function controlName(code: number): string {
  return CONTROL_NAMES[code] ?? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a cell holding U+FFFD was rejected, for the encoding the file was read in. */
function notValidMessage(cell: string, encoding: Encoding | undefined): string {
  const at = show(cell);
  switch (encoding) {
    case 'utf-8':
    case undefined:
      return `${at} holds a character that is not valid UTF-8 (the file is UTF-8; a character pasted from another program, such as a curly apostrophe from Word?). Retype it, or ${SAVE_AS_UTF8}`;
    case 'utf-16le':
    case 'utf-16be':
      return `${at} holds a character that is not valid UTF-16. Retype it, or ${SAVE_AS_UTF8}`;
    case 'unknown-8bit':
      return `${at} holds a letter or sign outside plain ASCII, and the file's encoding could not be told (see the warnings). Upload the file again saved as "CSV UTF-8 (Comma delimited)"`;
    default:
      return `${at} holds a character that is not valid in the file's encoding (${ENCODING_NAMES[encoding] ?? encoding}; UTF-8 text pasted from another program?). Retype it, or ${SAVE_AS_UTF8}`;
  }
}

export interface OddCharacterProblem {
  /** The key of the cell: a column name for a row object, an index for an array of fields. */
  column: string;
  message: string;
}

/**
 * The first cell holding a character that is not text, and a message for it; undefined when every
 * cell is text. `cells` is a row's named cells (the columns a file's reader uses: a column the
 * pipeline ignores is never stored, so its contents do not matter) or an array of fields.
 */
export function oddCharacterProblem(
  cells: Readonly<Record<string, string | undefined>> | readonly string[],
  encoding: Encoding | undefined,
): OddCharacterProblem | undefined {
  for (const column in cells) {
    const cell = (cells as Record<string, string | undefined>)[column];
    if (cell === undefined) continue;
    const found = ODD_CHARACTER.exec(cell);
    if (!found) continue;
    const code = found[0].charCodeAt(0);
    const message =
      code === 0xfffd
        ? notValidMessage(cell, encoding)
        : `holds a control character (${controlName(code)}), which is not text. Delete it, or export the file again from the program that made it`;
    return { column, message };
  }
  return undefined;
}
