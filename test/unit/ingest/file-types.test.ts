import { describe, expect, it } from 'vitest';
import { extensionOf, inputFileType, unreadTypeReceipt } from '#core/ingest/file-types.js';

describe('inputFileType: one rule for validate, run and the ingest function', () => {
  it.each([
    'applicants.csv',
    'Rosters-fall.CSV',
    'rsc.Csv',
    'endorsements.txt',
    'Applicants Export.TXT',
    'rosters/2026/fall.csv',
    'rosters.tar.csv',
    'Rosters-fall.XLSX',
    'applicants.xlsx',
  ])('reads %s (the extension in any letter case)', (name) => {
    expect(inputFileType(name).readable).toBe(true);
  });

  it('says a macro-enabled workbook is not read and what to do instead', () => {
    const type = inputFileType('Rosters-fall.XLSM');
    expect(type).toMatchObject({ readable: false, extension: '.xlsm' });
    expect(type.readable ? '' : type.reason).toBe(
      'Macro-enabled Excel workbooks (.xlsm) cannot be read. In Excel use File > Save As > "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)" and use that file instead.',
    );
  });

  it.each([
    [
      'notes.pdf',
      'A file whose name ends in ".pdf" is not read as input. Only .csv and .txt files (comma- or tab-delimited text) and .xlsx Excel workbooks',
    ],
    ['rosters.csv.bak', 'ends in ".bak"'],
    ['applicants', 'The file name has no extension'],
    ['.csv', 'The file name has no extension'],
    ['applicants.csv ', 'ends in ".csv "'],
    ['old.XLS', 'Excel 97-2003 workbooks (.xls) cannot be read.'],
  ])('does not read %s, and says why', (name, reason) => {
    const type = inputFileType(name);
    expect(type.readable).toBe(false);
    expect(type.readable ? '' : type.reason).toContain(reason);
  });

  it('takes the extension of the last segment of a key only', () => {
    expect(extensionOf('rosters/v1.2/fall')).toBe('');
    expect(extensionOf('rosters/fall.CSV')).toBe('.csv');
  });

  it('gives a file it does not read a receipt that rejects it whole, with one error at line 0', () => {
    expect(unreadTypeReceipt('rosters', 'fall.xlsx', 'why')).toEqual({
      file: 'fall.xlsx',
      kind: 'rosters',
      rows: 0,
      accepted: 0,
      rejected: 0,
      errors: [{ line: 0, column: '', message: 'why' }],
      warnings: [],
      unusable: true,
    });
  });
});
