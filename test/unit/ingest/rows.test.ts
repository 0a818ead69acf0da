import { describe, expect, it } from 'vitest';
import { parseDate } from '#core/dates.js';
import { ApplicantRow, EndorsementRow, RosterRow, RscRow } from '#core/ingest/schemas.js';

const applicant = {
  person_id: 'P0001',
  first_name: 'Ana',
  last_name: 'Lopez',
  email: ' Ana.Lopez@Example.org ',
  category: 'Infant Family Specialist',
  education: "Bachelor's",
  work_experience_months: '30',
  county: 'Dane County',
};

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((i) => `${String(i.path[0])}: ${i.message}`);
}

describe('applicant rows', () => {
  it('maps a valid row, lower-casing the email and resolving category and county', () => {
    const r = ApplicantRow.parse(applicant);
    expect(r).toMatchObject({
      personId: 'P0001',
      email: 'ana.lopez@example.org',
      category: 'IFS',
      education: 'bachelor',
    });
    expect(r.county).toBe('55025');
    expect(r).toMatchObject({ references: 0, examPassed: false, codeOfEthicsSigned: false, raceEthnicity: [] });
  });

  it('rejects an unknown category, naming the value', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, category: 'Wizard' }))).toEqual([
      'category: "Wizard" is not an endorsement category; use a code such as IFS or a full name',
    ]);
  });

  it('rejects an invalid email', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, email: 'ana at example' }))[0]).toMatch(/not a valid email/);
  });

  it('rejects an absurdly long name', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, last_name: 'x'.repeat(5000) }))).toEqual([
      'last_name: is 5,000 characters long; at most 100 are allowed',
    ]);
  });

  it('keeps a name that looks like a spreadsheet formula as plain text', () => {
    const r = ApplicantRow.parse({ ...applicant, first_name: '=HYPERLINK("http://x","y")', last_name: '@SUM(A1:A2)' });
    expect(r.firstName).toBe('=HYPERLINK("http://x","y")');
    expect(r.lastName).toBe('@SUM(A1:A2)');
  });

  it('reads several SPD-15 categories joined by ; in any case', () => {
    const r = ApplicantRow.parse({ ...applicant, race_ethnicity: 'white; HISPANIC OR LATINO' });
    expect(r.raceEthnicity).toEqual(['White', 'Hispanic or Latino']);
  });

  it('rejects a race or ethnicity that is not an SPD-15 category', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, race_ethnicity: 'Martian' }))[0]).toMatch(/not an SPD-15/);
  });

  it('reads a county by FIPS code and refuses one outside Wisconsin', () => {
    expect(ApplicantRow.parse({ ...applicant, county: '55078' }).county).toBe('55078');
    expect(messages(ApplicantRow.safeParse({ ...applicant, county: 'Cook' }))[0]).toMatch(/not a Wisconsin county/);
  });

  it('reads yes/no, y/n, true/false and 1/0 and refuses anything else', () => {
    for (const [text, value] of [
      ['Yes', true],
      ['n', false],
      ['TRUE', true],
      ['0', false],
    ] as const) {
      expect(ApplicantRow.parse({ ...applicant, exam_passed: text }).examPassed).toBe(value);
    }
    expect(messages(ApplicantRow.safeParse({ ...applicant, exam_passed: 'maybe' }))[0]).toMatch(/not yes or no/);
  });

  it('rejects a negative or fractional number of months and references', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, work_experience_months: '-3' }))[0]).toMatch(/negative/);
    expect(messages(ApplicantRow.safeParse({ ...applicant, references: '2.5' }))[0]).toMatch(/not a whole number/);
  });

  it('names every required cell that is empty', () => {
    expect(messages(ApplicantRow.safeParse({ ...applicant, first_name: '  ', county: '' }))).toEqual([
      'first_name: is required but empty',
      'county: is required but empty',
    ]);
  });
});

describe('dates', () => {
  it('reads YYYY-MM-DD and US M/D/YYYY', () => {
    expect(parseDate('2026-03-31')).toBe('2026-03-31');
    expect(parseDate('3/5/2026')).toBe('2026-03-05');
  });

  it('refuses dates that do not exist', () => {
    expect(parseDate('2026-02-30')).toBeUndefined();
    expect(parseDate('2/29/2025')).toBeUndefined();
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('2026-13-01')).toBeUndefined();
  });

  it('explains an impossible date differently from text that is no date at all', () => {
    const row = { person_id: 'P1', hours: '1' };
    expect(messages(RscRow.safeParse({ ...row, session_date: '2026-02-30' }))).toEqual([
      'session_date: "2026-02-30" is not a real date',
    ]);
    expect(messages(RscRow.safeParse({ ...row, session_date: 'next Tuesday' }))[0]).toMatch(/write YYYY-MM-DD/);
  });
});

describe('roster rows', () => {
  const row = { training_id: 'T-1', training_date: '2026-01-10', hours: '3', person_id: 'P1' };

  it('treats a blank completed as completed and normalises competency codes', () => {
    const r = RosterRow.parse({ ...row, competencies: '1f.3.; 1A.1 ;1F.3', completed: '' });
    expect(r.completed).toBe(true);
    expect(r.competencies).toEqual(['1F.3', '1A.1']);
  });

  it('rejects negative, zero and non-numeric hours', () => {
    expect(messages(RosterRow.safeParse({ ...row, hours: '-2' }))[0]).toMatch(/negative/);
    expect(messages(RosterRow.safeParse({ ...row, hours: '0' }))[0]).toMatch(/more than 0/);
    expect(messages(RosterRow.safeParse({ ...row, hours: 'three' }))[0]).toMatch(/not a number of hours/);
  });

  it('identifies the attendee by person_id when given, dropping the email', () => {
    const r = RosterRow.parse({ ...row, email: 'a@example.org' });
    expect(r.personId).toBe('P1');
    expect(r.email).toBeUndefined();
  });

  it('identifies the attendee by email (case and spaces ignored) when there is no person_id', () => {
    const r = RosterRow.parse({ ...row, person_id: '', email: '  A@Example.ORG ' });
    expect(r.personId).toBeUndefined();
    expect(r.email).toBe('a@example.org');
  });

  it('rejects an attendee with neither person_id nor email', () => {
    expect(messages(RosterRow.safeParse({ ...row, person_id: '' }))[0]).toMatch(/neither a person_id nor an email/);
  });

  it('rejects a competency that is not a code', () => {
    expect(messages(RosterRow.safeParse({ ...row, competencies: 'attachment' }))[0]).toMatch(/not a competency code/);
  });
});

describe('endorsement rows', () => {
  it('accepts a category in any letter case and an optional county', () => {
    const r = EndorsementRow.parse({ person_id: 'P9', category: 'imhm-c', endorsed_on: '1/2/2020' });
    expect(r).toMatchObject({ category: 'IMHM-C', endorsedOn: '2020-01-02', county: undefined });
  });
});
