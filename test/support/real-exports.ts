/**
 * Input files made the way the tools people use write them (issue 12's list of everyday exports
 * that were misread): Excel's "CSV UTF-8" with a name pasted from Word, "CSV (Macintosh)",
 * "CSV (MS-DOS)", a European Excel's semicolons and day-first dates, unquoted commas, thousands
 * separators, a stray quote, a header of many unknown columns, a NUL deep in the file, headers
 * and a county written almost right. Each comes with what its receipt must say.
 * docs/input-files.md is the rule they are held to.
 */
import iconv from 'iconv-lite';

export interface ExpectedRejection {
  line: number;
  column?: string;
  message: RegExp;
}

export interface RealExport {
  name: string;
  /** The tool and the way it made the file. */
  madeBy: string;
  bytes: Buffer;
  accepted: number;
  rejected: ExpectedRejection[];
  /** When the file is refused whole. */
  unusable?: RegExp;
  warning?: RegExp;
  encoding?: string;
  /** Names that must reach the administrators' exports exactly so. */
  names?: string[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

const APPLICANTS =
  'Person ID,First Name,Last Name,Email,Category,Application Date,Education,Work Experience Months,County';
const applicant = (id: string, first: string, last: string, date = '3/2/2026') =>
  `${id},${first},${last},${id.toLowerCase()}@example.org,IFA,${date},cda,30,Dane`;

const PEOPLE: [string, string][] = [
  ['Renée', 'Chávez'],
  ['José', 'Muñoz'],
  ['Zoë', 'Lefèvre'],
  ['François', 'Côté'],
];

function peopleRows(prefix: string): string[] {
  return PEOPLE.map(([first, last], i) => applicant(`${prefix}-${i + 1}`, first, last));
}

const ROSTER = 'Training ID,Training Title,Training Date,Hours,Provider,Person ID';

export function realExports(): RealExport[] {
  const wordPaste = Buffer.concat([
    BOM,
    Buffer.from(crlf([APPLICANTS, ...peopleRows('WP').slice(0, 2)]), 'utf8'),
    // Line 4: a surname pasted from Word in Windows-1252 (’ is 0x92), inside a UTF-8 file.
    iconv.encode(`${applicant('WP-9', 'Sean', 'O’Brien')}\r\n`, 'win1252'),
    Buffer.from(crlf(peopleRows('WP').slice(2)), 'utf8'),
  ]);

  const strayQuote = [APPLICANTS];
  for (let i = 1; i <= 200; i++) strayQuote.push(applicant(`SQ-${i}`, i === 50 ? '"Bobby" Smith' : 'Ana', 'Ruiz'));

  const nul = [ROSTER];
  for (let i = 1; i <= 600; i++) nul.push(`T-NUL,Infant Mental Health 101,2026-02-10,2,Alliance,NU-${i}`);
  const nulBytes = Buffer.from(crlf(nul), 'utf8');
  const nulAt = nulBytes.indexOf('NU-500');
  nulBytes[nulAt + 2] = 0; // "NU\0500" on line 501, beyond the first 20 KB

  const wideHeader = `${APPLICANTS},${Array.from({ length: 100_000 }, (_, i) => `Extra ${i}`).join(',')}`;

  return [
    {
      name: 'rosters-capacitacion.csv',
      madeBy: 'Excel "CSV UTF-8": a Spanish-language training whose id has Ó',
      bytes: Buffer.concat([
        BOM,
        Buffer.from(crlf([ROSTER, 'CAPACITACIÓN-2026-01,Apego seguro,2026-02-10,6,Alianza,WP-1']), 'utf8'),
      ]),
      accepted: 1,
      rejected: [],
    },
    {
      name: 'applicants-word-paste.csv',
      madeBy: 'Excel "CSV UTF-8" with one surname pasted from Word in Windows-1252',
      bytes: wordPaste,
      accepted: 4,
      rejected: [{ line: 4, column: 'Last Name', message: /not valid UTF-8.*CSV UTF-8/ }],
      encoding: 'utf-8',
      names: ['Renée Chávez', 'José Muñoz', 'Zoë Lefèvre', 'François Côté'],
    },
    {
      name: 'applicants-mac.csv',
      madeBy: 'Excel for Mac "CSV (Macintosh)": MacRoman, CR line ends',
      bytes: iconv.encode(`${[APPLICANTS, ...peopleRows('MAC')].join('\r')}\r`, 'macintosh'),
      accepted: 4,
      rejected: [],
      encoding: 'macintosh',
      names: ['Renée Chávez', 'José Muñoz'],
    },
    {
      name: 'applicants-msdos.csv',
      madeBy: 'Excel "CSV (MS-DOS)": code page 437, CR LF',
      bytes: iconv.encode(crlf([APPLICANTS, ...peopleRows('DOS')]), 'cp437'),
      accepted: 4,
      rejected: [],
      encoding: 'cp437',
      names: ['Renée Chávez', 'José Muñoz'],
    },
    {
      name: 'rosters-unquoted-commas.csv',
      madeBy: 'a hand-edited CSV: a provider with a comma and hours with a decimal comma, unquoted',
      bytes: Buffer.from(
        crlf([
          ROSTER,
          'T-1,Reflective Practice,2026-02-10,2,Dana Roberts, LCSW,WP-1',
          'T-2,Attachment,2026-02-11,1,5,Alliance,WP-1',
          'T-3,Trauma,2026-02-12,3,Alliance,WP-1',
        ]),
      ),
      accepted: 1,
      rejected: [
        { line: 2, message: /cells but the header has .*quotes/ },
        { line: 3, message: /cells but the header has .*quotes/ },
      ],
    },
    {
      name: 'rosters-thousands.csv',
      madeBy: 'Excel "CSV (Comma delimited)" of a sheet with a thousands-separator number format',
      bytes: Buffer.from(
        crlf([ROSTER, 'T-4,Series,2026-02-10,"1,000",Alliance,WP-1', 'T-5,Series,2026-02-10,"1,5",Alliance,WP-1']),
      ),
      accepted: 1,
      rejected: [{ line: 2, column: 'Hours', message: /"1000" is more than 200 hours/ }],
    },
    {
      name: 'rsc-european.csv',
      madeBy: 'Excel in a Spanish locale: semicolons, day-first dates, decimal commas',
      bytes: Buffer.from(
        crlf([
          'Person ID;Session Date;Hours;Provider Name',
          'WP-1;12/11/2026;1,5;Dana Roberts, LCSW',
          'WP-1;25/11/2026;1;Dana Roberts, LCSW',
        ]),
      ),
      accepted: 2,
      rejected: [],
      warning: /day-first .* line 3/,
    },
    {
      name: 'rsc-european-unsettled.csv',
      madeBy: 'Excel in a Spanish locale, every date with a day of 12 or less',
      bytes: Buffer.from(crlf(['Person ID;Session Date;Hours', 'WP-2;12/11/2026;1', 'WP-2;2026-11-03;1'])),
      accepted: 1,
      rejected: [{ line: 2, column: 'Session Date', message: /could be 2026-11-12 .* or 2026-12-11 .*YYYY-MM-DD/ }],
    },
    {
      name: 'applicants-stray-quote.csv',
      madeBy: 'a CSV typed by hand: a nickname in quotes at the start of a cell',
      bytes: Buffer.from(crlf(strayQuote)),
      accepted: 199,
      rejected: [{ line: 51, message: /quote/ }],
    },
    {
      name: 'applicants-wide-header.csv',
      madeBy: 'an export with 100,000 columns the pipeline does not know',
      bytes: Buffer.from(crlf([wideHeader, applicant('WH-1', 'Ana', 'Ruiz')])),
      accepted: 1,
      rejected: [],
      warning: /more unknown columns/,
    },
    {
      name: 'applicants-decorated-headers.csv',
      madeBy: 'a form tool that adds units to headers and writes "Cnty" after a county',
      bytes: Buffer.from(
        crlf([
          APPLICANTS.replace('Work Experience Months', 'Work Experience (months)'),
          applicant('DH-1', 'Ana', 'Ruiz'),
          applicant('DH-2', 'Lee', 'Park').replace(/Dane$/, 'Dane Cnty'),
        ]),
      ),
      accepted: 1,
      rejected: [
        { line: 3, column: 'County', message: /^"Dane Cnty" is not a Wisconsin county.*; did you mean "Dane"\?$/ },
      ],
      warning: /"Work Experience \(months\)" as work_experience_months/,
    },
    {
      name: 'applicants-misspelt-header.csv',
      madeBy: 'a header typed by hand with a required column misspelt',
      bytes: Buffer.from(
        crlf([
          APPLICANTS.replace('Work Experience Months', 'Work Experiance Months'),
          applicant('MH-1', 'Ana', 'Ruiz'),
        ]),
      ),
      accepted: 0,
      rejected: [],
      unusable:
        /missing required column work_experience_months\..* For "Work Experiance Months": did you mean "work_experience_months"\?/,
    },
    {
      name: 'rosters-nul.csv',
      madeBy: 'an export with a NUL byte 20 KB in',
      bytes: nulBytes,
      accepted: 599,
      rejected: [{ line: 501, column: 'Person ID', message: /control character/ }],
    },
  ];
}
