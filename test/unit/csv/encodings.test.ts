/**
 * The encoding of a file is decided once, from its evidence, and never switched (docs/input-files.md,
 * "Encodings"). Files are made the way the program that writes them does: iconv-lite encodes the
 * text in the code page Excel's "CSV (Comma delimited)", "CSV (Macintosh)" or "CSV (MS-DOS)" uses.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FIRST_LOOK_BYTES, LOOKAHEAD_BYTES, TextStreamDecoder, UnreadableFileError } from '#core/csv/decode.js';
import { decodeAll } from '#test-support/chunks.js';
import { Random } from '#tools/synthetic/random.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NAMES = 'name,city\r\nRenée Chávez,Wausau\r\nJosé Muñoz,Eau Claire\r\nZoë Müller,La Crosse\r\n';
/** A name pasted from Word into a UTF-8 file: its apostrophe is the Windows-1252 byte 0x92. */
const OBRIEN_1252 = iconv.encode('Siobhan O’Brien,Madison\r\n', 'win1252');

function decode(bytes: Uint8Array, size = 64 * 1024) {
  const decoder = new TextStreamDecoder();
  const text = decodeAll(decoder, bytes, size);
  return { text, decoder, lines: text.split('\n') };
}

describe('a UTF-8 file with a few bytes that are not UTF-8 stays UTF-8', () => {
  const tail = Buffer.from('Chloé Núñez,Green Bay\r\n', 'utf8');

  it.each([
    ['with a BOM', true],
    ['without a BOM', false],
  ])('%s: the other accented names read right, the odd line holds U+FFFD', (_name, bom) => {
    const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(NAMES, 'utf8'), OBRIEN_1252, tail]);
    for (const size of [1, 7, 64 * 1024]) {
      const { text, decoder, lines } = decode(bytes, size);
      expect(decoder.encoding).toBe('utf-8');
      expect(text).toContain('Renée Chávez,Wausau\nJosé Muñoz,Eau Claire\nZoë Müller,La Crosse\n');
      expect(lines[4]).toBe('Siobhan O\uFFFDBrien,Madison');
      expect(lines[5]).toBe('Chloé Núñez,Green Bay');
      expect(text).not.toMatch(/Ã|Â/);
      expect(decoder.oddSeen).toBe(true);
    }
  });
});

describe('8-bit files are read in the code page that reads their letters as words', () => {
  it('reads a whole Windows-1252 file right, Word punctuation included', () => {
    const text = `${NAMES}Siobhan O’Brien,“Madison” – WI\r\n`;
    const { text: read, decoder } = decode(iconv.encode(text, 'win1252'), 5);
    expect(read).toBe(text.replace(/\r\n/g, '\n'));
    expect(decoder.encoding).toBe('windows-1252');
    expect(decoder.notes).toEqual([]);
    expect(decoder.oddSeen).toBe(false);
  });

  it('reads a file whose only non-ASCII character is the apostrophe of O’Brien as Windows-1252', () => {
    const { text, decoder } = decode(iconv.encode('name,city\r\nSiobhan O’Brien,Madison\r\n', 'win1252'));
    expect(text).toBe('name,city\nSiobhan O’Brien,Madison\n');
    expect(decoder.encoding).toBe('windows-1252');
  });

  it('reads Excel\'s "CSV (Macintosh)" (MacRoman, CR line ends) right, never as RenŽe, and says so', () => {
    const text = 'name,city\rRenée Chávez,Wausau\rJosé Muñoz,Eau Claire\r';
    const bytes = iconv.encode(text, 'macintosh');
    expect(bytes.includes(0x8e)).toBe(true); // é in MacRoman; Ž in Windows-1252
    const { text: read, decoder } = decode(bytes, 3);
    expect(read).toBe(text.replace(/\r/g, '\n'));
    expect(read).not.toContain('Ž');
    expect(decoder.encoding).toBe('macintosh');
    expect(decoder.notes).toEqual([expect.stringMatching(/MacRoman.*CSV \(Macintosh\).*CSV UTF-8/)]);
  });

  it('reads MacRoman by its letters even with CRLF line ends', () => {
    const { text, decoder } = decode(iconv.encode(NAMES, 'macintosh'));
    expect(text).toBe(NAMES.replace(/\r\n/g, '\n'));
    expect(decoder.encoding).toBe('macintosh');
  });

  it('reads Excel\'s "CSV (MS-DOS)" (code page 437, CRLF) right, never as Ren‚e, and says so', () => {
    const bytes = iconv.encode(NAMES, 'cp437');
    expect(bytes.includes(0x82)).toBe(true); // é in code page 437; ‚ in Windows-1252
    const { text, decoder } = decode(bytes, 2);
    expect(text).toBe(NAMES.replace(/\r\n/g, '\n'));
    expect(text).not.toContain('‚');
    expect(decoder.encoding).toBe('cp437');
    expect(decoder.notes).toEqual([expect.stringMatching(/code page 437.*CSV \(MS-DOS\)/)]);
  });

  it('tells code page 850 from 437 by the capitals 850 has where 437 has box drawing', () => {
    const text = `${NAMES}Ángel Álvarez,Óscar Íñiguez\r\n`;
    const { text: read, decoder } = decode(iconv.encode(text, 'cp850'));
    expect(read).toBe(text.replace(/\r\n/g, '\n'));
    expect(decoder.encoding).toBe('cp850');
  });

  it('rejects rather than guesses a byte on which 437 and 850 differ when the sample does not settle it', () => {
    const bytes = Buffer.concat([
      iconv.encode(NAMES, 'cp437'),
      Buffer.from('a'.repeat(LOOKAHEAD_BYTES)),
      Buffer.from([0xb5, 0x0d, 0x0a]),
    ]);
    const { lines, decoder } = decode(bytes);
    expect(decoder.encoding).toBe('cp437');
    expect(lines[1]).toBe('Renée Chávez,Wausau');
    expect(lines[4]?.endsWith('\uFFFD')).toBe(true); // ╡ in 437, Á in 850
  });

  it('in a Windows-1252 file, a UTF-8 row reads as U+FFFD (rejected), never as Ã©, and the other rows stay right', () => {
    const bytes = Buffer.concat([iconv.encode(NAMES, 'win1252'), Buffer.from('Chloé Núñez,Green Bay\r\n', 'utf8')]);
    const { text, decoder, lines } = decode(bytes, 1);
    expect(decoder.encoding).toBe('windows-1252');
    expect(lines.slice(0, 4)).toEqual(NAMES.split('\r\n').slice(0, 4));
    expect(lines[4]).toBe('Chlo\uFFFD N\uFFFD\uFFFDez,Green Bay');
    expect(text).not.toContain('Ã');
  });

  it('reads the bytes Windows-1252 leaves undefined as U+FFFD', () => {
    const bytes = Buffer.concat([iconv.encode(NAMES, 'win1252'), Buffer.from([0x41, 0x81, 0x42, 0x0a])]);
    const { lines } = decode(bytes);
    expect(lines[4]).toBe('A\uFFFDB');
  });
});

describe('the decision waits for the first non-ASCII byte, however far in', () => {
  const ascii = Buffer.from(`name,city\r\n${'Pat Smith,Madison\r\n'.repeat(Math.ceil((2 * 1024 * 1024) / 19))}`);

  it('a UTF-8 name after 2 MB of ASCII: UTF-8', () => {
    const bytes = Buffer.concat([ascii, Buffer.from('Renée Chávez,Wausau\r\n', 'utf8')]);
    const { lines, decoder } = decode(bytes);
    expect(decoder.encoding).toBe('utf-8');
    expect(lines.at(-2)).toBe('Renée Chávez,Wausau');
  });

  it('a Windows-1252 name after 2 MB of ASCII: Windows-1252, not misread as UTF-8 or MacRoman', () => {
    const bytes = Buffer.concat([ascii, iconv.encode('Renée Chávez,Wausau\r\n', 'win1252')]);
    const { lines, decoder } = decode(bytes, 256 * 1024);
    expect(decoder.encoding).toBe('windows-1252');
    expect(lines.at(-2)).toBe('Renée Chávez,Wausau');
  });

  it('a first 64 KB of valid UTF-8 decides UTF-8; a Windows-1252 row after it is only that row', () => {
    const utf8Rows = Buffer.from('Renée Chávez,Wausau\r\n'.repeat(Math.ceil(FIRST_LOOK_BYTES / 21)), 'utf8');
    const bytes = Buffer.concat([Buffer.from('name,city\r\n'), utf8Rows, OBRIEN_1252, Buffer.from('Zoë,X\r\n')]);
    for (const size of [1000, 64 * 1024, bytes.length]) {
      const { lines, decoder } = decode(bytes, size);
      expect(decoder.encoding).toBe('utf-8');
      expect(lines.at(-3)).toBe('Siobhan O\uFFFDBrien,Madison');
      expect(lines.at(-2)).toBe('Zoë,X');
    }
  });

  it('a first 64 KB that is not all valid UTF-8 waits for the full look-ahead', () => {
    const rows = iconv.encode('Renée Chávez,Wausau\r\n'.repeat(Math.ceil((2 * FIRST_LOOK_BYTES) / 21)), 'win1252');
    const bytes = Buffer.concat([Buffer.from('name,city\r\n'), rows, Buffer.from('Zoë,X\r\n', 'utf8')]);
    const { lines, decoder } = decode(bytes, 4096);
    expect(decoder.encoding).toBe('windows-1252');
    expect(lines[1]).toBe('Renée Chávez,Wausau');
    expect(lines.at(-2)).toBe('Zo\uFFFD,X');
  });

  it('a file of ASCII alone is UTF-8', () => {
    const { decoder } = decode(ascii);
    expect(decoder.encoding).toBe('utf-8');
    expect(decoder.oddSeen).toBe(false);
  });
});

describe('a file whose code page cannot be told', () => {
  // Lone bytes that no code page reads as part of a word (undefined in Windows-1252).
  const unclear = Buffer.from([0x20, 0x81, 0x20, 0x8d, 0x0d, 0x0a]);

  it('is refused whole, with what to do, when its first MB holds the first non-ASCII byte', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\r\nP1,2\r\n'), unclear]);
    expect(() => decode(bytes)).toThrow(UnreadableFileError);
    expect(() => decode(bytes, 1)).toThrow(/not clear which older encoding.*"CSV UTF-8 \(Comma delimited\)"/);
  });

  it('after rows were handed on (past the first 64 KB), has its non-ASCII bytes read as U+FFFD (their rows rejected) and a note', () => {
    const rows = 'P1,2\r\n'.repeat(FIRST_LOOK_BYTES / 6 + 1);
    const bytes = Buffer.concat([Buffer.from(`a,b\r\n${rows}`), unclear]);
    const { lines, decoder } = decode(bytes);
    expect(decoder.encoding).toBe('unknown-8bit');
    expect(lines.at(-2)).toBe(' \uFFFD \uFFFD');
    expect(decoder.notes).toEqual([expect.stringMatching(/could not be told.*CSV UTF-8/)]);
  });
});

describe('binary files are still refused from their first line; a NUL further on is only its row', () => {
  it('UTF-16 without a BOM (NUL in the header)', () => {
    expect(() => decode(Buffer.from('name,city\r\nZoë,X\r\n', 'utf16le'))).toThrow(/binary/);
  });

  it('a NUL at 20 KB reaches the text (for its row to be rejected), the file is read', () => {
    const head = Buffer.from(`name,city\r\n${'Pat Smith,Madison\r\n'.repeat(1200)}`);
    const bytes = Buffer.concat([head, Buffer.from('Pat\0Smith,Madison\r\nRenée,Wausau\r\n')]);
    expect(head.length).toBeGreaterThan(20 * 1024);
    const { lines, decoder } = decode(bytes, 4096);
    expect(lines[1201]).toBe('Pat\0Smith,Madison');
    expect(lines[1202]).toBe('Renée,Wausau');
    expect(decoder.oddSeen).toBe(true);
  });
});

describe('chunk boundaries never change the text', () => {
  const FILES: Record<string, Buffer> = {
    'UTF-8, emoji and a BOM': Buffer.concat([BOM, Buffer.from(`${NAMES}😀 “x” 中文,€\r\n`, 'utf8')]),
    'UTF-8 with a Windows-1252 row and a cut sequence': Buffer.concat([
      Buffer.from(NAMES, 'utf8'),
      OBRIEN_1252,
      Buffer.from([0xe2, 0x80, 0x0a, 0xf0, 0x9f, 0x98, 0x41, 0x0a, 0xed, 0xa0, 0x80, 0x0a]),
      Buffer.from('Chloé\r\n', 'utf8'),
    ]),
    'Windows-1252 with a UTF-8 row': Buffer.concat([
      iconv.encode(`${NAMES}“Ok” – O’Brien\r\n`, 'win1252'),
      Buffer.from('Chloé 😀,x\r\n', 'utf8'),
      iconv.encode('Müller é\r\n', 'win1252'),
    ]),
    MacRoman: iconv.encode(`${NAMES}O’Brien “x”\r`.replace(/\r\n/g, '\r'), 'macintosh'),
    'code page 437': iconv.encode(NAMES, 'cp437'),
    'Windows-1252 past the first look, after 70 KB of ASCII': Buffer.concat([
      Buffer.from('Pat Smith,Madison\r\n'.repeat(3800)),
      iconv.encode(`${NAMES}O’Brien\r\n`.repeat(1500), 'win1252'),
    ]),
    'UTF-8 past the look-ahead': Buffer.concat([
      Buffer.from('a,b\n'),
      Buffer.from('é'.repeat(LOOKAHEAD_BYTES / 2 - 1), 'utf8'),
      Buffer.from([0xc3]),
      Buffer.from('\u00a9,x\n', 'utf8'),
    ]),
  };

  for (const [name, bytes] of Object.entries(FILES)) {
    it(`${name}: 1-byte chunks and random chunkings decode as the whole file does`, () => {
      const whole = decode(bytes, bytes.length);
      const random = new Random(`chunks ${name}`);
      const sizes = bytes.length > 100_000 ? [4093, 65536] : [1, 2, 3, 5];
      for (const size of sizes) {
        const cut = decode(bytes, size);
        expect(cut.text).toBe(whole.text);
        expect(cut.decoder.encoding).toBe(whole.decoder.encoding);
      }
      for (let round = 0; round < 20; round++) {
        const decoder = new TextStreamDecoder();
        let text = '';
        for (let at = 0; at < bytes.length; ) {
          const n = random.int(1, bytes.length > 100_000 ? 300_000 : 12);
          text += decoder.write(bytes.subarray(at, at + n));
          at += n;
        }
        text += decoder.end();
        expect(text).toBe(whole.text);
        expect(decoder.encoding).toBe(whole.decoder.encoding);
      }
    });
  }

  it('random mixtures of encodings, controls and binary decode (or are refused) alike however they are cut', () => {
    const random = new Random('mixtures');
    const pieces = [
      () => Buffer.from('Pat Smith,Madison\r\n'),
      () => Buffer.from('Renée Chávez, “x” 😀\n', 'utf8'),
      () => iconv.encode('José Muñoz, O’Brien – 5°\r\n', random.pick(['win1252', 'macintosh', 'cp437', 'cp850'])),
      () => Buffer.from([random.int(0, 255), random.int(0, 255), random.int(0x80, 255)]),
      () => Buffer.from([0x41, random.pick([0, 7, 0x1b, 0x7f]), 0x0a]),
      () => Buffer.from('a'.repeat(random.int(1, 70_000))),
    ];
    const outcome = (bytes: Buffer, size: () => number) => {
      const decoder = new TextStreamDecoder();
      let text = '';
      try {
        for (let at = 0; at < bytes.length; ) {
          const n = size();
          text += decoder.write(bytes.subarray(at, at + n));
          at += n;
        }
        text += decoder.end();
      } catch (err) {
        return { error: (err as Error).message };
      }
      return { text, encoding: decoder.encoding, odd: decoder.oddSeen, notes: decoder.notes };
    };
    for (let file = 0; file < 60; file++) {
      const parts = Array.from({ length: random.int(1, 12) }, () => (random.pick(pieces) as () => Buffer)());
      const bytes = Buffer.concat([Buffer.from('name,city\r\n'), ...parts]);
      const whole = outcome(bytes, () => bytes.length);
      expect(
        outcome(bytes, () => random.int(1, 9)),
        `file ${file}`,
      ).toEqual(whole);
      expect(
        outcome(bytes, () => random.int(1, 100_000)),
        `file ${file}`,
      ).toEqual(whole);
    }
  });

  it('the UTF-8 file with a Windows-1252 row decodes as the WHATWG decoder does', () => {
    const bytes = FILES['UTF-8 with a Windows-1252 row and a cut sequence'] as Buffer;
    expect(decode(bytes, 1).text).toBe(new TextDecoder().decode(bytes).replace(/\r\n/g, '\n'));
  });
});
