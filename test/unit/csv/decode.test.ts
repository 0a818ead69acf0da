import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { TextStreamDecoder, UnreadableFileError } from '#core/csv/decode.js';
import { decodeAll } from '#test-support/chunks.js';

const SAMPLE = 'name,note\r\nRenée Müller,“quoted” — €5\r\nZoë,naïve\r\n';

describe('TextStreamDecoder', () => {
  it('decodes UTF-8 without a BOM and normalises CRLF to LF', () => {
    const d = new TextStreamDecoder();
    const text = decodeAll(d, Buffer.from(SAMPLE, 'utf8'), 1024);
    expect(text).toBe(SAMPLE.replace(/\r\n/g, '\n'));
    expect(d.encoding).toBe('utf-8');
  });

  it('drops a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n', 'utf8')]);
    expect(decodeAll(new TextStreamDecoder(), bytes, 1024)).toBe('a,b\n');
  });

  it('keeps multi-byte characters whole when every chunk is a single byte', () => {
    const d = new TextStreamDecoder();
    expect(decodeAll(d, Buffer.from(SAMPLE, 'utf8'), 1)).toBe(SAMPLE.replace(/\r\n/g, '\n'));
    expect(d.encoding).toBe('utf-8');
  });

  it('reads Windows-1252 (euro sign, curly quotes, dashes), which latin1 would get wrong', () => {
    const bytes = iconv.encode(SAMPLE, 'win1252');
    const d = new TextStreamDecoder();
    expect(decodeAll(d, bytes, 5)).toBe(SAMPLE.replace(/\r\n/g, '\n'));
    expect(d.encoding).toBe('windows-1252');
  });

  it('reads UTF-16 with a byte-order mark (Excel "Unicode text")', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\r\nZoë,1\r\n', 'utf16le')]);
    expect(decodeAll(new TextStreamDecoder(), bytes, 3)).toBe('a,b\nZoë,1\n');
  });

  it('joins a CR and an LF that arrive in different chunks into one line end', () => {
    const d = new TextStreamDecoder();
    const text = d.write(Buffer.from('a,b\r')) + d.write(Buffer.from('\nc,d\r')) + d.end();
    expect(text).toBe('a,b\nc,d\n');
  });

  it('refuses an xlsx workbook renamed .csv with a message saying what to do', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(() => decodeAll(new TextStreamDecoder(), zip, 64)).toThrow(UnreadableFileError);
    expect(() => decodeAll(new TextStreamDecoder(), zip, 64)).toThrow(/Save As/);
  });

  it('refuses binary data holding NUL bytes', () => {
    const bin = Buffer.from([0x01, 0x02, 0x00, 0x41, 0x42, 0x43, 0x00, 0x00]);
    expect(() => decodeAll(new TextStreamDecoder(), bin, 64)).toThrow(/binary/);
  });
});
