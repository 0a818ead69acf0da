import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordParser, detectDelimiter } from '#core/csv/parse.js';

function parseInPieces(text: string, size: number) {
  const p = new CsvRecordParser();
  const records = [];
  const problems = [];
  for (let i = 0; i < text.length; i += size) {
    const c = p.push(text.slice(i, i + size));
    records.push(...c.records);
    problems.push(...c.problems);
  }
  const last = p.end();
  records.push(...last.records);
  problems.push(...last.problems);
  return { records, problems, delimiter: p.delimiter };
}

const FILE = ['id,title,hours', '1,"Intro, part 1",3', '', '2,"Two', 'lines",4', ',,', '3,plain,5', ''].join('\n');

describe('CsvRecordParser', () => {
  it('gives every record its first line, whatever the line breaks inside quoted cells and the piece size', () => {
    const cell = fc.stringMatching(/^[a-z ,"\n]{0,6}$/);
    const rows = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 50 }), (data, size) => {
        const quote = (c: string) => (/[,"\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
        let line = 2;
        const expected: [number, ...string[]][] = [[1, 'a', 'b']];
        const text = ['a,b', ...data.map((r) => r.map(quote).join(','))].join('\n');
        for (const r of data) {
          if (r.some((c) => c.trim() !== '')) expected.push([line, ...r]);
          line += 1 + r.join('').split('\n').length - 1;
        }
        const { records } = parseInPieces(text, size);
        expect(records.map((r) => [r.line, ...r.fields])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each([1, 3, 7, 1000])('gives each record the line it starts on, fed %i characters at a time', (size) => {
    const { records } = parseInPieces(FILE, size);
    expect(records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'id', 'title', 'hours'],
      [2, '1', 'Intro, part 1', '3'],
      [4, '2', 'Two\nlines', '4'],
      [7, '3', 'plain', '5'],
    ]);
  });

  it('skips blank lines and rows of empty cells', () => {
    const { records } = parseInPieces('a,b\n\n , \n,,\n1,2\n', 4);
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads a last line with no line end', () => {
    const { records } = parseInPieces('a,b\n1,2', 2);
    expect(records.at(-1)?.fields).toEqual(['1', '2']);
  });

  it('reads a semicolon-delimited export', () => {
    const { records, delimiter } = parseInPieces('a;b;c\n1;"x;y";3\n', 5);
    expect(delimiter).toBe(';');
    expect(records[1]?.fields).toEqual(['1', 'x;y', '3']);
  });

  it('reports a quote that is never closed at the line where it opens', () => {
    const { problems } = parseInPieces('a,b\n1,2\n3,"oops\n4,5\n', 6);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/never closed/) }]);
  });

  it('rejects a line longer than the limit without holding it, and reads on', () => {
    const p = new CsvRecordParser({ maxLineChars: 1000 });
    const records = [...p.push('a,b\n1,"').records];
    for (let i = 0; i < 20; i++) records.push(...p.push('x'.repeat(100)).records);
    records.push(...p.push('\n2,3\n').records, ...p.end().records);
    expect(records.map((r) => [r.line, r.problem === undefined ? r.fields : 'rejected'])).toEqual([
      [1, ['a', 'b']],
      [2, 'rejected'],
      [3, ['2', '3']],
    ]);
    expect(records[1]?.problem).toMatch(/more than 1,000 characters long and was not read/);
  });

  it('guesses the delimiter from the header, ignoring separators inside quotes', () => {
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
});
