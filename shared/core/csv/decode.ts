/**
 * Streaming text decoding for files that come straight from Excel: UTF-8 with or without BOM,
 * UTF-16 with BOM, or Windows-1252. Line ends are normalised to "\n".
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A file that cannot be read as text at all (a spreadsheet, a PDF, binary data). */
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

function startsWith(buf: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

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

/**
 * Decodes a byte stream into text chunks. The encoding is decided from the first bytes
 * (BOM, binary signatures) and then from UTF-8 validity: the first invalid UTF-8 sequence
 * switches the rest of the file to Windows-1252 (Excel's "CSV (Comma delimited)" on Windows).
 */
export class TextStreamDecoder {
  encoding: Encoding | undefined;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingCr = false;
  private utf16: TextDecoder | undefined;
  bytesRead = 0;

  /** Decodes one chunk; returns text with "\n" line ends (may be empty). */
  write(chunk: Uint8Array): string {
    this.bytesRead += chunk.length;
    let buf = chunk;
    if (this.pending.length > 0) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = new Uint8Array(0);
    }
    if (this.encoding === undefined) {
      // Wait for enough bytes to recognise a BOM or a signature.
      if (buf.length < 4) {
        this.pending = buf;
        return '';
      }
      buf = this.detect(buf);
    }
    return this.normalise(this.decode(buf, false));
  }

  /** Flushes what is left at the end of the stream. */
  end(): string {
    let buf = this.pending;
    this.pending = new Uint8Array(0);
    if (this.encoding === undefined) {
      if (buf.length === 0) {
        this.encoding = 'utf-8';
        return this.normalise('', true);
      }
      buf = this.detect(buf);
    }
    return this.normalise(this.decode(buf, true), true);
  }

  private detect(buf: Uint8Array): Uint8Array {
    for (const sig of SIGNATURES) {
      if (startsWith(buf, sig.bytes)) throw new UnreadableFileError(`This file is ${sig.what}.`);
    }
    if (startsWith(buf, [0xef, 0xbb, 0xbf])) {
      this.encoding = 'utf-8';
      return buf.subarray(3);
    }
    if (startsWith(buf, [0xff, 0xfe])) {
      this.encoding = 'utf-16le';
      this.utf16 = new TextDecoder('utf-16le');
      return buf.subarray(2);
    }
    if (startsWith(buf, [0xfe, 0xff])) {
      this.encoding = 'utf-16be';
      this.utf16 = new TextDecoder('utf-16be');
      return buf.subarray(2);
    }
    // NUL bytes never occur in text CSV in the 8-bit encodings: this is binary data.
    const probe = buf.subarray(0, 8192);
    if (probe.includes(0)) {
      throw new UnreadableFileError('This file holds binary data, not CSV text. Export it from Excel as "CSV UTF-8".');
    }
    this.encoding = 'utf-8';
    return buf;
  }

  private decode(buf: Uint8Array, final: boolean): string {
    if (this.utf16) return this.utf16.decode(buf, { stream: !final });
    if (this.encoding === 'windows-1252')
      return iconv.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.length), 'win1252');
    const tail = final ? 0 : incompleteUtf8Tail(buf);
    const body = tail > 0 ? buf.subarray(0, buf.length - tail) : buf;
    if (tail > 0) this.pending = Uint8Array.from(buf.subarray(buf.length - tail));
    if (isUtf8(body)) return Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8');
    // Not UTF-8: from here on the file is Windows-1252 (bytes already decoded were valid UTF-8).
    this.encoding = 'windows-1252';
    const all = tail > 0 ? buf : body;
    this.pending = new Uint8Array(0);
    return iconv.decode(Buffer.from(all.buffer, all.byteOffset, all.length), 'win1252');
  }

  /** "\r\n" and lone "\r" become "\n"; a "\r" at a chunk's end waits for the next chunk. */
  private normalise(text: string, final = false): string {
    let t = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = false;
    if (!final && t.endsWith('\r')) {
      this.pendingCr = true;
      t = t.slice(0, -1);
    }
    return t.indexOf('\r') === -1 ? t : t.replace(/\r\n?/g, '\n');
  }
}
