import { describe, expect, it } from 'vitest';
import { CsvValueError, csvField, formatNumber, toCsv } from '#core/csv/write.js';
import { isExcelSafe, parseCsv, unsafeCells } from '#test-support/csv.js';

describe('csvField', () => {
  it('leaves plain values as they are', () => {
    expect(csvField('Milwaukee')).toBe('Milwaukee');
    expect(csvField('')).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvField('Family Services, Inc.')).toBe('"Family Services, Inc."');
    expect(csvField('The "Circle"')).toBe('"The ""Circle"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('quotes surrounding spaces so that a reader keeps them', () => {
    expect(csvField(' a@example.org')).toBe('" a@example.org"');
    expect(csvField('a@example.org ')).toBe('"a@example.org "');
  });
});

describe('toCsv', () => {
  it('starts with a UTF-8 byte order mark and ends every record with CRLF', () => {
    // Act
    const text = toCsv(['a', 'b'], [{ a: 1, b: 'x' }]);

    // Assess
    expect(text).toBe('\uFEFFa,b\r\n1,x\r\n');
  });

  it('quotes cells holding a comma, a quote or a line break, doubling inner quotes', () => {
    // Act
    const text = toCsv(['v'], [{ v: 'a,b' }, { v: 'say "hi"' }, { v: 'two\nlines' }, { v: 'cr\rhere' }]);

    // Assess
    expect(text).toBe('\uFEFFv\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n');
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['  =1+1', "'  =1+1"],
    ['\n=HYPERLINK("x")', '"\'\n=HYPERLINK(""x"")"'],
    ['\r\n@x', '"\'\r\n@x"'],
    ['\uFF1D1+1', "'\uFF1D1+1"],
  ])('prefixes the formula-looking text %j with a single quote', (value, expected) => {
    // Act
    const text = toCsv(['v'], [{ v: value }]);

    // Assess
    expect(text).toBe(`\uFEFFv\r\n${expected}\r\n`);
    expect(isExcelSafe(text)).toBe(true);
  });

  it('leaves ordinary text, inner operators and a hyphenated word alone', () => {
    // Act
    const text = toCsv(['v'], [{ v: 'Head Start' }, { v: 'a=b' }, { v: 'K-12' }, { v: "O'Brien" }]);

    // Assess
    expect(text).toBe("\uFEFFv\r\nHead Start\r\na=b\r\nK-12\r\nO'Brien\r\n");
  });

  it('writes empty cells for null and undefined, and true/false for booleans', () => {
    // Act
    const text = toCsv(['a', 'b', 'c', 'd'], [{ a: null, b: undefined, c: true, d: false }]);

    // Assess
    expect(text).toBe('\uFEFFa,b,c,d\r\n,,true,false\r\n');
  });

  it('escapes the header like any other record', () => {
    // Act
    const text = toCsv(['=x', 'a,b'], []);

    // Assess
    expect(text).toBe('\uFEFF\'=x,"a,b"\r\n');
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [0.6, '0.6'],
    [2 / 3, '0.6667'],
    [0.46181189, '0.4618'],
    [1e-7, '0'],
    [1.23e-5, '0'],
    [5e-4, '0.0005'],
    [1e21, '1000000000000000000000'],
    [1 / 0.75, '1.3333'],
  ])('writes %d as %s, never with an exponent', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('refuses NaN and infinities', () => {
    expect(() => formatNumber(Number.NaN)).toThrow(CsvValueError);
    expect(() => formatNumber(Number.POSITIVE_INFINITY)).toThrow(CsvValueError);
  });
});

describe('isExcelSafe', () => {
  it('finds a formula cell hidden after a line break in a quoted field', () => {
    // Prepare
    const text = 'a,b\r\n1,"\n=cmd|\' /C calc\'!A0"\r\n';

    // Act
    const found = unsafeCells(text);

    // Assess
    expect(isExcelSafe(text)).toBe(false);
    expect(found).toEqual([{ record: 2, column: 2, value: "\n=cmd|' /C calc'!A0" }]);
  });

  it('accepts plain negative numbers, which Excel reads as numbers', () => {
    expect(isExcelSafe('a\r\n-0.5\r\n-3\r\n')).toBe(true);
  });

  it('rejects a cell starting with a tab or an at sign', () => {
    expect(isExcelSafe('a\r\n\tx\r\n')).toBe(false);
    expect(isExcelSafe('a\r\n@SUM(1)\r\n')).toBe(false);
  });
});

describe('parseCsv (papaparse, as production reads CSV)', () => {
  it('reads back what toCsv writes', () => {
    // Prepare
    const rows = [{ a: 'x,"y"\r\nz', b: 3 }];

    // Act
    const parsed = parseCsv(toCsv(['a', 'b'], rows));

    // Assess
    expect(parsed).toEqual([
      ['a', 'b'],
      ['x,"y"\r\nz', '3'],
    ]);
  });
});
