/**
 * Streaming text decoding for files that come straight from Excel: UTF-8 with or without BOM,
 * UTF-16 with BOM, Windows-1252, MacRoman ("CSV (Macintosh)") and code pages 437/850 ("CSV
 * (MS-DOS)"). Line ends are normalised to "\n". How the encoding is decided, once per file and
 * never switched: docs/input-files.md, "Encodings".
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import {
  type CodePage,
  chooseCodePage,
  HIGH_HALF,
  kindTable,
  type LineEnds,
  OEM_UNSETTLED,
  readsAsCodePage,
  UNKNOWN_HIGH_HALF,
  utf8Evidence,
  utf8SequenceAt,
} from './detect.js';
import { hasC1OrReplacement, hasControlBytes, ODD_CHARACTER } from './odd-characters.js';

/**
 * The encoding a file was read in. 'unknown-8bit': not UTF-8, and no code page clearly read it,
 * but rows had been handed on before that was known; its non-ASCII bytes read as U+FFFD.
 */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | CodePage | 'unknown-8bit';

/** A file that cannot be read as text at all (a spreadsheet, a PDF, binary data, an encoding that cannot be told). */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

const SIGNATURES: { bytes: number[]; what: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'an Excel workbook (.xlsx) or another zip file, not CSV. Open it in Excel and use File > Save As > "CSV UTF-8 (Comma delimited)"',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old Excel workbook (.xls), not CSV. Open it in Excel and use File > Save As > "CSV UTF-8 (Comma delimited)"',
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document, not CSV' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive, not CSV; unpack it first' },
];

/**
 * How many bytes from the first non-ASCII one the decision looks at. Exactly this many (or up to
 * the end of the file), however the stream is cut, so the decision depends only on the bytes.
 */
export const LOOKAHEAD_BYTES = 1 << 20;

/**
 * A first look, this many bytes from the first non-ASCII one: when they are all valid UTF-8, the
 * file is UTF-8 without holding a full LOOKAHEAD_BYTES (rows flow on sooner). Also how much of a
 * file's ASCII start is held back, so that a file refused for its encoding is refused before any
 * of its rows was read.
 */
export const FIRST_LOOK_BYTES = 64 * 1024;

/** The first line is searched for NUL up to this many bytes: a header holding one is binary data. */
const HEADER_SCAN_BYTES = 8192;

const EMPTY = new Uint8Array(0);

const NOTES: Partial<Record<Encoding, string>> = {
  macintosh:
    'the file was read as MacRoman, the encoding of Excel\'s "CSV (Macintosh)"; check that accented names read right, and save as "CSV UTF-8 (Comma delimited)" next time',
  cp437:
    'the file was read as the MS-DOS code page 437 of Excel\'s "CSV (MS-DOS)"; check that accented names read right, and save as "CSV UTF-8 (Comma delimited)" next time',
  cp850:
    'the file was read as the MS-DOS code page 850 of Excel\'s "CSV (MS-DOS)"; check that accented names read right, and save as "CSV UTF-8 (Comma delimited)" next time',
  'unknown-8bit':
    'the file is not UTF-8, and its encoding could not be told from its characters (Windows-1252, MacRoman and the MS-DOS code pages read it about as well); rows holding characters outside plain ASCII were rejected. Save it as "CSV UTF-8 (Comma delimited)" and upload it again',
};

const REFUSED =
  'This file is not UTF-8, and it is not clear which older encoding it uses (Windows-1252, MacRoman or an MS-DOS code page), so accented names could be read wrongly. Open it in Excel and use File > Save As > "CSV UTF-8 (Comma delimited)", then upload it again.';

const BINARY = 'This file holds binary data, not CSV text. Export it from Excel as "CSV UTF-8".';

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return Buffer.concat([a, b]);
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);

/** Length of an incomplete UTF-8 sequence at the end of a buffer (0 to 3 bytes). */
function incompleteUtf8Tail(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = buf[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Up to `cap`, how often `byte` occurs in `buf`. */
function countUpTo(buf: Uint8Array, byte: number, cap: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i !== -1 && n < cap; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

/**
 * Decodes a byte stream into text chunks. The encoding is decided once: from a BOM; else, while
 * every byte is ASCII (which reads the same in all of them), not yet; at the first non-ASCII byte,
 * from up to LOOKAHEAD_BYTES held from there: UTF-8 when its multi-byte sequences are mostly
 * valid (or the first FIRST_LOOK_BYTES all are), else the code page that reads them as text
 * (detect.ts), else the file is refused. The file's first FIRST_LOOK_BYTES of ASCII are held back
 * too, so that a refusal comes before any row was read; past them, a file that cannot be told has
 * its non-ASCII bytes rejected instead ('unknown-8bit'). Bytes not valid in the decided encoding
 * become U+FFFD, for the rows holding them to be rejected (odd-characters.ts); in a code page, so
 * does a valid UTF-8 sequence (UTF-8 text pasted into the file), which would otherwise read as
 * `Ã©`. `oddSeen` tells the caller when rows need that check at all.
 */
export class TextStreamDecoder {
  encoding: Encoding | undefined;
  /** What the receipt should say about the decision (a file read as MacRoman, say). */
  readonly notes: string[] = [];
  /** True once decoded text held U+FFFD or a control character: rows must then be checked. */
  oddSeen = false;
  bytesRead = 0;

  private phase: 'start' | 'ascii' | 'lookahead' | 'decided' = 'start';
  /** Bytes not yet decoded: the first bytes (BOM not yet known) or a sequence cut by a chunk's end. */
  private pending: Uint8Array = EMPTY;
  /**
   * Bytes held until the decision: from the first non-ASCII byte on; and while `holdingStart`, the
   * file's first ASCII bytes before it too (up to FIRST_LOOK_BYTES), so that a file whose encoding
   * cannot be told is refused before any of its rows was read.
   */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private holdingStart = true;
  /** Where in the held bytes the first non-ASCII byte is. */
  private sampleStart = 0;
  /** Whether the first look (FIRST_LOOK_BYTES) is still to come, and whether it was all valid UTF-8. */
  private firstLook = true;
  private looksUtf8 = false;
  /** The byte before the first non-ASCII one: the context of the first scored character. */
  private lastAscii = 0x0a;
  /** In the ASCII text before the decision, up to 2: line feeds and carriage returns. */
  private lf = 0;
  private cr = 0;
  /** Bytes of the first line searched for NUL so far; -1 once the line ended or the search stopped. */
  private headerScanned = 0;
  private highHalf: Uint16Array | undefined;
  /** In a code page: the last byte decoded, the context of a UTF-8 sequence at the next chunk's start. */
  private lastByte = 0x0a;
  private utf16: TextDecoder | undefined;
  private pendingCr = false;
  /** Bytes before the first non-ASCII one. */
  private asciiBytes = 0;

  /** Decodes one chunk; returns text with "\n" line ends (may be empty). */
  write(chunk: Uint8Array): string {
    this.bytesRead += chunk.length;
    let buf: Uint8Array;
    if (this.phase === 'start') {
      buf = concat(this.pending, chunk);
      this.pending = EMPTY;
      // Wait for enough bytes to recognise a BOM or a signature.
      if (buf.length < 4) {
        this.pending = Buffer.from(buf);
        return '';
      }
      buf = this.start(buf);
    } else {
      this.scanHeader(chunk);
      buf = concat(this.pending, chunk);
      this.pending = EMPTY;
    }
    return this.out(this.step(buf, false));
  }

  /** Flushes what is left at the end of the stream. */
  end(): string {
    let buf = this.pending;
    this.pending = EMPTY;
    if (this.phase === 'start') buf = this.start(buf);
    const text = this.step(buf, true);
    // A file of ASCII alone is UTF-8.
    if (this.phase === 'ascii') this.encoding = 'utf-8';
    return this.out(text, true);
  }

  private step(buf: Uint8Array, final: boolean): string {
    switch (this.phase) {
      case 'decided':
        return this.decode(buf, final);
      case 'ascii':
        return this.ascii(buf, final);
      default:
        this.hold(buf);
        return this.ready(final) ? this.decide(final) : '';
    }
  }

  /** Signatures and byte-order marks; returns the bytes after a BOM. */
  private start(buf: Uint8Array): Uint8Array {
    for (const sig of SIGNATURES) {
      if (buf.length >= sig.bytes.length && startsWith(buf, sig.bytes)) {
        throw new UnreadableFileError(`This file is ${sig.what}.`);
      }
    }
    let rest = buf;
    if (startsWith(buf, [0xff, 0xfe]) || startsWith(buf, [0xfe, 0xff])) {
      this.encoding = buf[0] === 0xff ? 'utf-16le' : 'utf-16be';
      this.utf16 = new TextDecoder(this.encoding);
      this.phase = 'decided';
      this.holdingStart = false;
      this.headerScanned = -1;
      return buf.subarray(2);
    }
    if (startsWith(buf, [0xef, 0xbb, 0xbf])) {
      this.encoding = 'utf-8';
      this.phase = 'decided';
      this.holdingStart = false;
      rest = buf.subarray(3);
    } else this.phase = 'ascii';
    this.scanHeader(rest);
    return rest;
  }

  /**
   * NUL never occurs in a text header: a first line holding one (within its first 8 KB) is binary
   * data, or UTF-16 without a BOM, refused whole. A NUL further on costs only its row.
   */
  private scanHeader(buf: Uint8Array): void {
    if (this.headerScanned < 0) return;
    const limit = Math.min(buf.length, HEADER_SCAN_BYTES - this.headerScanned);
    let end = limit;
    const lf = buf.indexOf(0x0a);
    const cr = buf.indexOf(0x0d);
    if (lf >= 0 && lf < end) end = lf;
    if (cr >= 0 && cr < end) end = cr;
    const nul = buf.indexOf(0);
    if (nul >= 0 && nul < end) throw new UnreadableFileError(BINARY);
    this.headerScanned =
      end < limit || this.headerScanned + limit >= HEADER_SCAN_BYTES ? -1 : this.headerScanned + limit;
  }

  /**
   * Before the decision: ASCII text passes at once (after the file's first MB); from the first
   * non-ASCII byte on, bytes are held.
   */
  private ascii(buf: Uint8Array, final: boolean): string {
    let at = -1;
    if (!isAscii(buf)) {
      at = 0;
      while ((buf[at] as number) < 0x80) at++;
    }
    const head = at < 0 ? buf : buf.subarray(0, at);
    if (head.length > 0) {
      this.lastAscii = head[head.length - 1] as number;
      if (this.lf < 2) this.lf += countUpTo(head, 0x0a, 2 - this.lf);
      if (this.cr < 2) this.cr += countUpTo(head, 0x0d, 2 - this.cr);
    }
    this.asciiBytes += head.length;
    if (this.holdingStart) {
      this.hold(buf);
      if (at >= 0) {
        this.phase = 'lookahead';
        this.sampleStart = this.asciiBytes;
        return this.step(EMPTY, final);
      }
      if (!final && this.asciiBytes <= FIRST_LOOK_BYTES) return '';
      // The file's first 64 KB are ASCII: handed on, and the decision (if any) comes later.
      this.holdingStart = false;
      return this.asciiText(this.takeHeld());
    }
    const text = this.asciiText(head);
    if (at < 0) return text;
    this.phase = 'lookahead';
    this.sampleStart = 0;
    const rest = this.step(buf.subarray(at), final);
    return rest === '' ? text : text + rest;
  }

  private asciiText(bytes: Uint8Array): string {
    if (!this.oddSeen && hasControlBytes(bytes)) this.oddSeen = true;
    return asBuffer(bytes).toString('latin1');
  }

  private takeHeld(): Uint8Array {
    const all = this.held.length === 1 ? (this.held[0] as Uint8Array) : Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    return all;
  }

  private hold(buf: Uint8Array): void {
    if (buf.length === 0) return;
    // Not copied: a stream hands over each chunk's memory (Node's streams never reuse it).
    this.held.push(buf);
    this.heldBytes += buf.length;
  }

  /** Decides the encoding from the held bytes, then decodes them. */
  /**
   * Whether the held bytes suffice for the decision: the end of the file, LOOKAHEAD_BYTES past the
   * first non-ASCII byte, or a first look that is all valid UTF-8. Which bytes decide never depends
   * on how the stream was cut: the first look is taken, once, when more than FIRST_LOOK_BYTES are
   * held before the end, and only those bytes count.
   */
  private ready(final: boolean): boolean {
    if (final) return true;
    const ahead = this.heldBytes - this.sampleStart;
    if (this.firstLook) {
      if (ahead <= FIRST_LOOK_BYTES) return false;
      this.firstLook = false;
      const all = this.takeHeld();
      this.hold(all);
      const e = utf8Evidence(
        all.subarray(this.sampleStart, this.sampleStart + FIRST_LOOK_BYTES),
        false,
        this.lastAscii,
      );
      if (e.valid > 0 && e.invalid === 0 && e.implausible === 0) {
        this.looksUtf8 = true;
        return true;
      }
    }
    return ahead > LOOKAHEAD_BYTES;
  }

  private decide(final: boolean): string {
    const all = this.takeHeld();
    const sample = all.subarray(this.sampleStart, this.sampleStart + LOOKAHEAD_BYTES);
    const atEnd = final && all.length - this.sampleStart <= LOOKAHEAD_BYTES;
    this.phase = 'decided';
    this.holdingStart = false;
    const evidence = this.looksUtf8 ? undefined : utf8Evidence(sample, atEnd, this.lastAscii);
    // Mostly valid UTF-8, and characters that text holds: UTF-8.
    if (
      evidence === undefined ||
      (evidence.valid > 0 && evidence.valid >= evidence.invalid && 2 * evidence.implausible < evidence.valid)
    ) {
      this.encoding = 'utf-8';
      return this.decode(all, final);
    }
    const lf = this.lf + countUpTo(sample, 0x0a, Number.POSITIVE_INFINITY);
    const cr = this.cr + countUpTo(sample, 0x0d, Number.POSITIVE_INFINITY);
    const lineEnds: LineEnds = cr > 0 && lf === 0 ? 'cr' : cr > 0 ? 'crlf' : 'lf';
    const choice = chooseCodePage(sample, this.lastAscii, lineEnds);
    this.lastByte = this.lastAscii;
    if (choice.codePage) {
      this.encoding = choice.codePage;
      this.highHalf = choice.unsettled ? OEM_UNSETTLED : HIGH_HALF[choice.codePage];
    } else if (this.asciiBytes <= FIRST_LOOK_BYTES || Math.max(this.lf, this.cr) < 2) {
      // The file's start is still held (or nothing past its header was handed on): it can be refused whole.
      throw new UnreadableFileError(REFUSED);
    } else {
      // Rows before this point were already read; the rows with non-ASCII bytes are rejected instead.
      this.encoding = 'unknown-8bit';
      this.highHalf = UNKNOWN_HIGH_HALF;
    }
    const note = NOTES[this.encoding];
    if (note) this.notes.push(note);
    return this.decode(all, final);
  }

  private decode(buf: Uint8Array, final: boolean): string {
    if (this.utf16) {
      const text = this.utf16.decode(buf, { stream: !final });
      if (!this.oddSeen && ODD_CHARACTER.test(text)) this.oddSeen = true;
      return text;
    }
    if (this.highHalf) return this.decodeCodePage(buf, final);
    // UTF-8: Node replaces each invalid sequence with U+FFFD, as the WHATWG decoder does.
    const tail = final ? 0 : incompleteUtf8Tail(buf);
    if (tail > 0) this.pending = Buffer.from(buf.subarray(buf.length - tail));
    const body = tail > 0 ? buf.subarray(0, buf.length - tail) : buf;
    if (!this.oddSeen && (hasControlBytes(body) || !isUtf8(body) || hasC1OrReplacement(body))) this.oddSeen = true;
    return asBuffer(body).toString('utf8');
  }

  /**
   * An 8-bit code page, where an undefined byte reads as U+FFFD, and so does a valid UTF-8
   * sequence (UTF-8 text pasted into the file) unless its bytes read better as the code page's
   * characters (detect.ts, readsAsCodePage).
   */
  private decodeCodePage(buf: Uint8Array, final: boolean): string {
    const high = this.highHalf as Uint16Array;
    const out = new Uint16Array(buf.length);
    let n = 0;
    let i = 0;
    for (; i < buf.length; i++) {
      const b = buf[i] as number;
      if (b < 0x80) {
        out[n++] = b;
        continue;
      }
      const seq = b >= 0xc2 && b <= 0xf4 ? utf8SequenceAt(buf, i) : 0;
      // A sequence, or the start of one, at the chunk's end waits for the byte after it.
      if (seq !== 0 && !final && (seq < 0 || i + seq >= buf.length)) {
        this.pending = Buffer.from(buf.subarray(i));
        break;
      }
      if (seq > 0) {
        const before = i > 0 ? (buf[i - 1] as number) : this.lastByte;
        const after = i + seq < buf.length ? (buf[i + seq] as number) : 0x0a;
        if (!readsAsCodePage(buf, i, seq, kindTable(high), before, after)) {
          out[n++] = 0xfffd;
          this.oddSeen = true;
          i += seq - 1;
          continue;
        }
      }
      const c = high[b - 0x80] as number;
      if (c === 0xfffd) this.oddSeen = true;
      out[n++] = c;
    }
    if (i > 0) this.lastByte = buf[i - 1] as number;
    if (!this.oddSeen && hasControlBytes(buf.subarray(0, i))) this.oddSeen = true;
    return Buffer.from(out.buffer, 0, n * 2).toString('utf16le');
  }

  /** "\r\n" and lone "\r" become "\n"; a "\r" at a chunk's end waits for the next chunk. */
  private out(text: string, final = false): string {
    let t = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = false;
    if (!final && t.endsWith('\r')) {
      this.pendingCr = true;
      t = t.slice(0, -1);
    }
    return t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n');
  }
}
