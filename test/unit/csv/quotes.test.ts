/**
 * Quote problems cost only the line where they start (docs/contract.md, "Input files": every row is
 * stored or rejected with its line): the parser rejects that line and reads on from the next one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvParseOptions, CsvRecordParser, quoteMessage } from '#core/csv/parse.js';

function parseInPieces(text: string, size: number, options: CsvParseOptions = {}) {
  const p = new CsvRecordParser(options);
  const records = [];
  for (let i = 0; i < text.length; i += size) records.push(...p.push(text.slice(i, i + size)).records);
  records.push(...p.end().records);
  return records;
}

/** Each record as [line, cells] or [line, 'rejected']. */
const summary = (records: ReturnType<typeof parseInPieces>) =>
  records.map((r) => [r.line, r.problem === undefined ? r.fields : 'rejected']);

const HEADER = 'person_id,first_name,last_name,email';
const person = (i: number) => `P${i},"First ${i}",Last,p${i}@example.org`;

describe('a quote problem costs only its own line', () => {
  it('"Bobby" Smith at line 3 of 200 rows: line 3 rejected, the other 199 rows read', () => {
    const rows = Array.from({ length: 200 }, (_, i) =>
      i === 1 ? 'P2,"Bobby" Smith,Jones,b@example.org' : person(i + 1),
    );
    const text = [HEADER, ...rows].join('\n'); // the decoder has turned CR LF into LF
    for (const size of [7, 256, 64 * 1024]) {
      const records = parseInPieces(`${text}\n`, size);
      expect(records).toHaveLength(201);
      const bad = records.filter((r) => r.problem !== undefined);
      expect(bad.map((r) => r.line)).toEqual([3]);
      expect(bad[0]?.problem).toBe(
        'a quote opens here ("Bobby" Smith) and does not close before the next comma: put the whole value in quotes and double the inner quotes ("""Bobby"" Smith"), or remove the quotes',
      );
      expect(records.at(-1)).toMatchObject({ line: 201, fields: ['P200', 'First 200', 'Last', 'p200@example.org'] });
    }
  });

  it('a quote that never closes near the start: its line rejected, the rest read (the bound, made small)', () => {
    const rows = Array.from({ length: 500 }, (_, i) => (i === 2 ? 'P3,"Ann,Lee,a@example.org' : `P${i + 1},Ann,Lee,x`));
    const text = `${[HEADER, ...rows].join('\n')}\n`;
    for (const size of [5, 100, 4096]) {
      const records = parseInPieces(text, size, { maxSpanChars: 300 });
      expect(records).toHaveLength(501);
      expect(records.filter((r) => r.problem).map((r) => r.line)).toEqual([4]);
      expect(records[3]?.problem).toMatch(
        /^a quote opens here \("Ann,Lee,a@example.org\) and does not close within the next 300 characters/,
      );
      expect(records[4]).toMatchObject({ line: 5, fields: ['P4', 'Ann', 'Lee', 'x'] });
    }
  });

  it('the same quote with the default bound: the file ends before it closes, and only its line is lost', () => {
    const text = `${HEADER}\nP1,Ann,Lee,x\nP2,"Bo,Lee,x\nP3,Cy,Lee,x\nP4,Di,Lee,x\n`;
    expect(summary(parseInPieces(text, 3))).toEqual([
      [1, HEADER.split(',')],
      [2, ['P1', 'Ann', 'Lee', 'x']],
      [3, 'rejected'],
      [4, ['P3', 'Cy', 'Lee', 'x']],
      [5, ['P4', 'Di', 'Lee', 'x']],
    ]);
  });

  it.each([
    ['with a line end', '\n'],
    ['without one', ''],
  ])('an unclosed quote on the last line (%s) rejects that line only', (_name, end) => {
    const records = parseInPieces(`${HEADER}\nP1,Ann,Lee,x\nP2,"Bo,Lee,x${end}`, 4);
    expect(summary(records)).toEqual([
      [1, HEADER.split(',')],
      [2, ['P1', 'Ann', 'Lee', 'x']],
      [3, 'rejected'],
    ]);
    expect(records[2]?.problem).toMatch(/a quote opens here \("Bo,Lee,x\) and is never closed/);
  });

  it('a quoted cell with line breaks stays one record, and the lines after it keep their numbers', () => {
    const text = `${HEADER}\nP1,"Ann\nMarie\n(Annie)",Lee,x\nP2,"Bo ""B"" Lee",Lee,y\nP3,Cy,Lee,z\n`;
    for (const size of [1, 5, 1000]) {
      expect(summary(parseInPieces(text, size))).toEqual([
        [1, HEADER.split(',')],
        [2, ['P1', 'Ann\nMarie\n(Annie)', 'Lee', 'x']],
        [5, ['P2', 'Bo "B" Lee', 'Lee', 'y']],
        [6, ['P3', 'Cy', 'Lee', 'z']],
      ]);
    }
  });

  it('a bad quote inside a cell with line breaks rejects the first line; the next lines are read on their own', () => {
    const text = 'id,note,n\n1,"line one\nsaid "hi" there",3\n2,ok,4\n';
    expect(summary(parseInPieces(text, 6))).toEqual([
      [1, ['id', 'note', 'n']],
      [2, 'rejected'],
      [3, ['said "hi" there"', '3']],
      [4, ['2', 'ok', '4']],
    ]);
  });

  it('a rejected line keeps its text as its one cell, so erasure can still search it', () => {
    const records = parseInPieces('a,b\n"P1 "x,2\nP3,4\n', 3);
    expect(records[1]).toMatchObject({ line: 2, fields: ['"P1 "x,2'] });
  });

  it('reads a file the same whatever the piece size, quotes and bounds (lines rejected, cells and numbers)', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'a,', 'b\n', '""'), { maxLength: 400 })
      .map((parts) => `h1,h2\n${parts.join('')}`);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 4, max: 60 }), (t, size, span) => {
        const options = { maxSpanChars: span, maxLineChars: span * 3 };
        const whole = summary(parseInPieces(t, t.length + 1, options));
        expect(summary(parseInPieces(t, size, options))).toEqual(whole);
        // No line is read twice: records come in order and the lines they span do not overlap.
        let next = 1;
        for (const r of parseInPieces(t, size, options)) {
          expect(r.line).toBeGreaterThanOrEqual(next);
          next = r.line + (r.problem ? 1 : 1 + r.fields.join('').split('\n').length - 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('stays linear when every line opens a quote that never closes (each line read about once)', () => {
    const line = 'P1,"Bobby" Smith,"never closed,x\n';
    const text = `${HEADER}\n${line.repeat(60_000)}`; // 2 MB, 60,000 bad lines
    const started = performance.now();
    const records = parseInPieces(text, 64 * 1024);
    const seconds = (performance.now() - started) / 1000;
    expect(records.filter((r) => r.problem)).toHaveLength(60_000);
    // Reading on from each bad line through the rest of its 64 KB chunk takes about 30 s.
    expect(seconds).toBeLessThan(6);
  });

  it('a line longer than the line bound is rejected the same whether it arrives whole or in pieces', () => {
    const text = `a,b\n1,2\n3,${'x'.repeat(500)}\n4,5\n`;
    for (const size of [7, 100, text.length]) {
      expect(summary(parseInPieces(text, size, { maxLineChars: 200 }))).toEqual([
        [1, ['a', 'b']],
        [2, ['1', '2']],
        [3, 'rejected'],
        [4, ['4', '5']],
      ]);
    }
  });
});

describe('quote messages', () => {
  it('quote the value that opens the bad quote, and say how to write it', () => {
    expect(quoteMessage('P1,"Bobby" Smith,x', ',')).toContain('("""Bobby"" Smith")');
    expect(quoteMessage('P1;x;"Bobby" Smith', ';')).toMatch(/does not close before the end of the line/);
    expect(quoteMessage('P1\t"Bo" B\tx', '\t')).toMatch(/before the next tab/);
    expect(quoteMessage(`P1,"${'long '.repeat(30)}`, ',')).toMatch(
      /^a quote opens here \("(long ){7}l\.\.\.\) and is never closed/,
    );
  });
});
