/**
 * Rows holding what is not text (U+FFFD where the file's bytes were not valid in its encoding,
 * control characters) are rejected with their line, column and a message saying what to do; every
 * other row of the file is read as the person meant it (docs/input-files.md, "Encodings").
 * End to end through ingestFile, with files made as the programs that write them do.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { hasControlBytes, oddCharacterProblem } from '#core/csv/odd-characters.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import { chunksOf } from '#test-support/chunks.js';

describe('hasControlBytes', () => {
  // The check reads four bytes at a time from the first aligned word: a control byte must be found
  // wherever it falls (before that word, inside one, or in the bytes after the last whole word).
  it('finds a control byte at every position, whatever the alignment and length', () => {
    const memory = new Uint8Array(64).fill(0x41);
    for (let offset = 0; offset < 4; offset++) {
      for (let length = 1; length <= 40; length++) {
        for (let at = 0; at < length; at++) {
          for (const control of [0x00, 0x08, 0x0b, 0x1f, 0x7f]) {
            const bytes = memory.subarray(offset, offset + length);
            bytes[at] = control;
            expect(hasControlBytes(bytes), `offset ${offset}, length ${length}, at ${at}`).toBe(true);
            bytes[at] = 0x41;
          }
        }
      }
    }
  });

  it('finds none in text, tabs, line ends and non-ASCII bytes included', () => {
    const text = Buffer.from('name\tcity\r\nJosé,Zoë\n  ~ ¿\u00a0', 'utf8');
    const memory = new Uint8Array(text.length + 4);
    for (let offset = 0; offset < 4; offset++) {
      memory.set(text, offset);
      for (let length = 0; length <= text.length; length++) {
        expect(hasControlBytes(memory.subarray(offset, offset + length))).toBe(false);
      }
    }
  });
});

describe('oddCharacterProblem', () => {
  it('finds nothing in text, tabs and line breaks included', () => {
    expect(oddCharacterProblem({ a: 'Renée', b: 'two\nlines\tand a tab', c: undefined }, 'utf-8')).toBeUndefined();
    expect(oddCharacterProblem(['Zoë', '“quoted” — €5'], 'windows-1252')).toBeUndefined();
  });

  it("names the first odd cell and says what to do, in the words of the file's encoding", () => {
    expect(oddCharacterProblem({ first_name: 'Pat', last_name: 'O\uFFFDBrien' }, 'utf-8')).toEqual({
      column: 'last_name',
      message: expect.stringMatching(
        /^"O\uFFFDBrien" holds a character that is not valid UTF-8 .*curly apostrophe from Word.*"CSV UTF-8 \(Comma delimited\)"$/,
      ),
    });
    expect(oddCharacterProblem(['ok', 'Chlo\uFFFD'], 'windows-1252')?.message).toMatch(
      /not valid in the file's encoding \(Windows-1252; UTF-8 text pasted/,
    );
    expect(oddCharacterProblem(['x\uFFFD'], 'macintosh')?.message).toMatch(/\(MacRoman;/);
    expect(oddCharacterProblem(['x\uFFFD'], 'unknown-8bit')?.message).toMatch(/could not be told/);
    expect(oddCharacterProblem(['ok', 'Chlo\uFFFD'], 'windows-1252')?.column).toBe('1');
  });

  it.each([
    ['\u0000', 'NUL'],
    ['\u001b', 'ESC'],
    ['\u007f', 'DEL'],
    ['\u0085', 'U+0085'],
    ['\u0002', 'U+0002'],
  ])('rejects the control character %j as %s, without quoting it', (c, name) => {
    const problem = oddCharacterProblem({ hours: `1${c}5` }, 'utf-8');
    expect(problem).toEqual({
      column: 'hours',
      message: `holds a control character (${name}), which is not text. Delete it, or export the file again from the program that made it`,
    });
    expect(problem?.message).not.toContain(c);
  });
});

const HEADER = 'person_id,first_name,last_name,email,category,education,work_experience_months,county';
const row = (id: string, first: string, last: string) =>
  `${id},${first},${last},${id.toLowerCase()}@example.org,Infant Family Associate,bachelor,24,Dane`;

async function ingest(bytes: Uint8Array, chunkSize = 64 * 1024) {
  const stored: InputRecord[] = [];
  const receipt = await ingestFile({
    kind: 'applicants',
    file: 'applicants.csv',
    source: chunksOf(bytes, chunkSize),
    sink: async (records) => {
      stored.push(...records);
    },
  });
  const names = stored.map((s) => {
    const r = s.record as { firstName: string; lastName: string };
    return `${r.firstName} ${r.lastName}`;
  });
  return { receipt, names };
}

describe('ingest: the receipt says how the file was read, and rejects only the odd rows', () => {
  const names = [row('P1', 'Renée', 'Chávez'), row('P2', 'José', 'Muñoz'), row('P3', 'Zoë', 'Müller')];

  it('a UTF-8 file with a BOM and one row pasted from Word in Windows-1252: that line rejected, the rest right', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${HEADER}\r\n${names.join('\r\n')}\r\n`, 'utf8'),
      iconv.encode(`${row('P4', 'Siobhan', 'O’Brien')}\r\n`, 'win1252'),
      Buffer.from(`${row('P5', 'Chloé', 'Núñez')}\r\n`, 'utf8'),
    ]);
    const { receipt, names: read } = await ingest(bytes, 5);
    expect(receipt).toMatchObject({ encoding: 'utf-8', rows: 5, accepted: 4, rejected: 1, unusable: false });
    expect(receipt.errors).toEqual([
      {
        line: 5,
        column: 'last_name',
        message: expect.stringMatching(/^"O\uFFFDBrien" holds a character that is not valid UTF-8/),
      },
    ]);
    expect(read).toEqual(['Renée Chávez', 'José Muñoz', 'Zoë Müller', 'Chloé Núñez']);
    expect(receipt.warnings.join(' ')).not.toMatch(/MacRoman|code page/);
  });

  it('a Windows-1252 file (Excel\'s "CSV (Comma delimited)") with one UTF-8 row: that line rejected, never Ã©', async () => {
    const bytes = Buffer.concat([
      iconv.encode(`${HEADER}\r\n${names.join('\r\n')}\r\n${row('P4', 'Siobhan', 'O’Brien')}\r\n`, 'win1252'),
      Buffer.from(`${row('P5', 'Chloé', 'Núñez')}\r\n`, 'utf8'),
    ]);
    const { receipt, names: read } = await ingest(bytes, 7);
    expect(receipt).toMatchObject({ encoding: 'windows-1252', accepted: 4, rejected: 1 });
    expect(receipt.errors).toEqual([
      {
        line: 6,
        column: 'first_name',
        message: expect.stringMatching(/not valid in the file's encoding \(Windows-1252/),
      },
    ]);
    expect(read).toEqual(['Renée Chávez', 'José Muñoz', 'Zoë Müller', 'Siobhan O’Brien']);
  });

  it('a MacRoman file with CR line ends (Excel\'s "CSV (Macintosh)"): read right, with a warning', async () => {
    const bytes = iconv.encode(`${HEADER}\r${names.join('\r')}\r`, 'macintosh');
    const { receipt, names: read } = await ingest(bytes);
    expect(receipt).toMatchObject({ encoding: 'macintosh', accepted: 3, rejected: 0, errors: [] });
    expect(read).toEqual(['Renée Chávez', 'José Muñoz', 'Zoë Müller']);
    expect(receipt.warnings).toContainEqual(expect.stringMatching(/read as MacRoman/));
  });

  it('a code page 437 file (Excel\'s "CSV (MS-DOS)"): read right, with a warning', async () => {
    const bytes = iconv.encode(`${HEADER}\r\n${names.join('\r\n')}\r\n`, 'cp437');
    const { receipt, names: read } = await ingest(bytes);
    expect(receipt).toMatchObject({ encoding: 'cp437', accepted: 3 });
    expect(read).toEqual(['Renée Chávez', 'José Muñoz', 'Zoë Müller']);
    expect(receipt.warnings).toContainEqual(expect.stringMatching(/code page 437/));
  });

  it('a file whose encoding cannot be told is refused whole with what to do', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\r\n${names[0]?.replace(/[éá]/g, 'e')}\r\n`),
      Buffer.from([0x20, 0x81, 0x20, 0x8d, 0x0d, 0x0a]),
    ]);
    const { receipt, names: read } = await ingest(bytes);
    expect(receipt).toMatchObject({ unusable: true, accepted: 0 });
    expect(receipt.errors).toEqual([
      { line: 0, column: '', message: expect.stringMatching(/CSV UTF-8 \(Comma delimited\)/) },
    ]);
    expect(read).toEqual([]);
  });

  it('a NUL byte at 20 KB: its row rejected with line and column, every other row read', async () => {
    const filler = Array.from({ length: 300 }, (_, i) => row(`Q${i}`, 'Pat', 'Smith'));
    const before = `${HEADER}\r\n${filler.join('\r\n')}\r\n`;
    expect(before.length).toBeGreaterThan(20 * 1024);
    const bytes = Buffer.from(`${before}${row('P9', 'Pat\u0000', 'Jones')}\r\n${names.join('\r\n')}\r\n`, 'utf8');
    const { receipt, names: read } = await ingest(bytes, 4096);
    expect(receipt).toMatchObject({ encoding: 'utf-8', rows: 304, accepted: 303, rejected: 1 });
    expect(receipt.errors).toEqual([
      { line: 302, column: 'first_name', message: expect.stringMatching(/^holds a control character \(NUL\)/) },
    ]);
    expect(read.slice(-3)).toEqual(['Renée Chávez', 'José Muñoz', 'Zoë Müller']);
  });

  it('an odd character in a column the pipeline ignores does not cost the row', async () => {
    const text = `${HEADER},notes\r\n${row('P1', 'Pat', 'Smith')},bell\u0007\r\n`;
    const { receipt } = await ingest(Buffer.from(text, 'utf8'));
    expect(receipt).toMatchObject({ accepted: 1, rejected: 0 });
  });
});
