import { GetObjectCommand } from '@aws-sdk/client-s3';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factIdentity } from '#adapters/dynamo/codecs.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = [
  'Person ID,First Name,Last Name,Email,Category,Education,Work Experience Months,County,Race_Ethnicity',
  'P1,Ana,Lopez,Ana.Lopez@example.org,IFS,bachelor,30,Dane,Hispanic or Latino;White',
  'P2,=HYPERLINK("http://evil"),Berg,bo@example.org,Infant Mental Health Specialist,master,40,55079,',
  'P3,Cy,Doe,not-an-email,IFS,bachelor,30,Dane,',
].join('\r\n');

const ROSTER_A = [
  'training_id,training_title,training_date,hours,competencies,dei,person_id,email,completed',
  'T1,"Attachment, part 1",2026-01-10,6,1A.1;1F.3,no,P1,,yes',
  'T2,Equity in practice,2026-02-10,3,1H.1,yes,,ANA.LOPEZ@EXAMPLE.ORG ,',
  'T2,Equity in practice,2026-02-10,3,1H.1,yes,,walk.in@example.org,yes',
].join('\n');

/** Shares T1's row with ROSTER_A (an overlapping export) and adds T3. */
const ROSTER_B = [
  'training_id,training_title,training_date,hours,competencies,dei,person_id,email,completed',
  'T1,"Attachment, part 1",2026-01-10,6,1A.1;1F.3,no,P1,,yes',
  'T3,Reflective practice,2026-03-01,4,1E.1,no,P1,,no',
].join('\n');

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

const keys = (items: Record<string, unknown>[]) => items.map((i) => `${i.pk} ${i.sk}`).sort();

describe('ingest through the embedded stack (S3 event in an SQS message, real SDK clients)', () => {
  it('stores accepted rows, rejects the rest with reasons, and writes the receipt to S3', async () => {
    const [outcome] = await stack.ingest({ 'applicants/applicants 2026.csv': APPLICANTS });

    expect(outcome?.receipt).toMatchObject({ file: 'applicants 2026.csv', rows: 3, accepted: 2, rejected: 1 });
    expect(outcome?.receipt.errors).toEqual([
      { line: 4, column: 'Email', message: '"not-an-email" is not a valid email address' },
    ]);
    const [p1] = await stack.partition('PERSON#P1');
    expect(p1).toMatchObject({ email: 'ana.lopez@example.org', category: 'IFS', county: '55025' });
    expect(p1?.raceEthnicity).toEqual(['Hispanic or Latino', 'White']);
    const [p2] = await stack.partition('PERSON#P2');
    expect(p2?.firstName).toBe('=HYPERLINK("http://evil")');

    const stored = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'receipts/applicants/applicants 2026.csv.json' }),
    );
    expect(JSON.parse(await (stored.Body?.transformToString() ?? ''))).toEqual(outcome?.receipt);
  });

  it('stores nothing twice when the same file arrives again or its event is delivered three times', async () => {
    await stack.ingest({ 'rosters/roster-a.csv': ROSTER_A });
    const once = await stack.items();
    await stack.ingest({ 'rosters/roster-a.csv': ROSTER_A }, { times: 3 });
    const after = await stack.items();
    expect(keys(after)).toEqual(keys(once));
    expect(stack.outcomes.every((o) => o.receipt.accepted === 3)).toBe(true);
  });

  it('keeps an overlapping roster row once per person, training and source (so either file can be withdrawn)', async () => {
    await stack.ingest({ 'rosters/roster-a.csv': ROSTER_A, 'rosters/roster-b.csv': ROSTER_B });
    const p1 = await stack.partition('PERSON#P1');
    expect(p1.map((i) => factIdentity(String(i.sk))).sort()).toEqual(['ATT#T1#C', 'ATT#T1#C', 'ATT#T3#N']);
    expect(new Set(p1.map((i) => String(i.sk).split('#').at(-1))).size).toBe(2);
  });

  it('keeps an attendee known only by email, case-insensitively, for linking when the person arrives', async () => {
    await stack.ingest({ 'rosters/roster-a.csv': ROSTER_A });
    const facts = async (pk: string) => (await stack.partition(pk)).map((i) => factIdentity(String(i.sk)));
    expect(await facts('EMAIL#ana.lopez@example.org')).toEqual(['ATT#T2#C']);
    expect(await facts('EMAIL#walk.in@example.org')).toEqual(['ATT#T2#C']);
  });

  it('describes each training once however many attendees it has', async () => {
    await stack.ingest({ 'rosters/roster-a.csv': ROSTER_A });
    const trainings = (await stack.items()).filter((i) => i.type === 'training');
    expect(trainings.map((t) => t.trainingId).sort()).toEqual(['T1', 'T2']);
    expect(trainings.find((t) => t.trainingId === 'T2')).toMatchObject({ dei: true, hours: 3, competencies: ['1H.1'] });
  });

  it('reads a Windows-1252 file from Excel and a key with spaces and parentheses', async () => {
    const rsc = iconv.encode(
      'Person ID,Session Date,Hours,Provider Name\r\nP1,3/4/2026,1.5,Zoë “Z” Müller\r\n',
      'win1252',
    );
    const [outcome] = await stack.ingest({ 'rsc/RSC log (March) – 2026.csv': rsc });
    expect(outcome?.receipt).toMatchObject({
      accepted: 1,
      encoding: 'windows-1252',
      file: 'RSC log (March) – 2026.csv',
    });
    const [session] = await stack.partition('PERSON#P1');
    expect(session).toMatchObject({ providerName: 'Zoë “Z” Müller', sessionDate: '2026-03-04', hours: 1.5 });
  });

  it('stores nothing from an unusable file and still leaves a receipt', async () => {
    const [outcome] = await stack.ingest({ 'endorsements/endorsees.csv': Buffer.from('PK\x03\x04junk', 'latin1') });
    expect(outcome?.receipt).toMatchObject({ unusable: true, rows: 0, accepted: 0 });
    expect((await stack.items()).filter((i) => i.type !== 'receipt')).toEqual([]);
  });

  describe('decides by the extension in any letter case (the bucket sends every key under an input prefix)', () => {
    it('reads Rosters.CSV and a tab-delimited .TXT saved from Excel', async () => {
      const tabbed = APPLICANTS.replaceAll(',', '\t').replace('Hispanic or Latino;White', 'White');
      const [roster, applicants] = await stack.ingest({
        'rosters/Rosters.CSV': ROSTER_A,
        'applicants/Applicants Export.TXT': tabbed,
      });
      expect(roster?.receipt).toMatchObject({ file: 'Rosters.CSV', kind: 'rosters', rows: 3, unusable: false });
      expect(applicants?.receipt).toMatchObject({ file: 'Applicants Export.TXT', accepted: 2, unusable: false });
      expect(await stack.partition('PERSON#P1')).not.toEqual([]);
    });

    it('gives a macro-enabled workbook and a file of another type a receipt saying why they were not read, and stores nothing', async () => {
      const outcomes = await stack.ingest({
        'endorsements/endorsees.XLSM': Buffer.from('PK\x03\x04junk', 'latin1'),
        'rosters/notes.pdf': APPLICANTS,
      });
      expect(outcomes.map((o) => [o.receipt.file, o.receipt.unusable, o.receipt.accepted])).toEqual([
        ['endorsees.XLSM', true, 0],
        ['notes.pdf', true, 0],
      ]);
      expect(outcomes[0]?.receipt.errors).toEqual([
        {
          line: 0,
          column: '',
          message:
            'Macro-enabled Excel workbooks (.xlsm) cannot be read. In Excel use File > Save As > "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)" and use that file instead.',
        },
      ]);
      // A text file of another type is not read as CSV, even though it would parse.
      expect(outcomes[1]?.receipt.errors[0]?.message).toMatch(
        /^A file whose name ends in "\.pdf" is not read as input/,
      );
      const stored = await stack.s3.send(
        new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'receipts/rosters/notes.pdf.json' }),
      );
      expect(JSON.parse(await (stored.Body?.transformToString() ?? ''))).toEqual(outcomes[1]?.receipt);
      expect((await stack.items()).filter((i) => String(i.pk).startsWith('PERSON#'))).toEqual([]);
    });

    it('ignores the empty object the S3 console makes for a folder', async () => {
      expect(await stack.ingest({ 'rosters/': '' })).toEqual([]);
      expect(await stack.items()).toEqual([]);
    });
  });

  it('ignores objects outside the input prefixes', async () => {
    const outcomes = await stack.ingest({ 'misc/notes.csv': 'a,b\n1,2\n' });
    expect(outcomes).toEqual([]);
    expect(await stack.items()).toEqual([]);
  });
});
