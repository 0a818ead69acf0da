/**
 * Excel workbooks (.xlsx) as input, built by write-excel-file (a maintained .xlsx writer) the way a
 * spreadsheet holds them: dates as date cells (a number of days shown with a date format), hours and
 * months as numbers, ids with leading zeros as text, an instructions sheet before the data, a blank
 * row, a bad row. Each comes with what its receipt must say (docs/input-files.md, "Excel workbooks").
 */
import writeXlsxFile from 'write-excel-file/node';

type Cell = string | number | boolean | null | { value: Date; format: string };

/** A date cell as Excel writes one: the day as a number, shown as m/d/yyyy. */
export const dateCell = (iso: string): Cell => ({ value: new Date(`${iso}T00:00:00Z`), format: 'mm/dd/yyyy' });

export async function workbook(sheets: { sheet: string; rows: Cell[][] }[]): Promise<Buffer> {
  return writeXlsxFile(sheets.map((s) => ({ sheet: s.sheet, data: s.rows }))).toBuffer();
}

export const APPLICANT_HEADER = [
  'Person ID',
  'First Name',
  'Last Name',
  'Email',
  'Category',
  'Application Date',
  'Education',
  'Work Experience Months',
  'County',
];

export const ROSTER_HEADER = ['Training ID', 'Training Title', 'Training Date', 'Hours', 'Provider', 'Person ID'];

/** Applicants on the first sheet (no sheet is named after the kind); ids are text with leading zeros. */
export function applicantsSheet(): Cell[][] {
  return [
    APPLICANT_HEADER,
    ['00042', 'Renée', 'Chávez', '00042@example.org', 'IFA', dateCell('2026-03-02'), 'cda', 30, 'Dane'],
    ['00043', 'José', 'Muñoz', '00043@example.org', 'IFA', dateCell('2026-11-12'), 'cda', 30, 'Dane'],
  ];
}

/**
 * A roster on a sheet named after the kind in another letter case, behind an instructions sheet.
 * Row 4 is blank; row 5 is bad (its hours are words). 0.1+0.2 hours is stored as 0.30000000000000004
 * and shown as 0.3, the value meant. 4 March is written with a date cell, so it can never be read as
 * 3 April.
 */
export function rosterSheets(): { sheet: string; rows: Cell[][] }[] {
  return [
    { sheet: 'Instructions', rows: [['Fill in the ROSTERS sheet'], ['Training Date: a date cell']] },
    {
      sheet: 'ROSTERS',
      rows: [
        ROSTER_HEADER,
        ['T-0304', 'Attachment basics', dateCell('2026-03-04'), 1.5, 'Alliance', '00042'],
        ['T-0304', 'Attachment basics', dateCell('2026-03-04'), 0.1 + 0.2, 'Alliance', '00043'],
        [null, null, null, null, null, null],
        ['T-0304', 'Attachment basics', dateCell('2026-03-04'), 'six', 'Alliance', '00042'],
      ],
    },
  ];
}
