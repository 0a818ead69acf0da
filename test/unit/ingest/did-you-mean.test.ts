import { describe, expect, it } from 'vitest';
import { matchHeader, missingColumnsHint } from '#core/ingest/columns.js';
import { edits, nearMiss } from '#core/ingest/near-miss.js';
import { EndorsementRow } from '#core/ingest/schemas.js';
import { categorySuggestion, countySuggestion, raceEthnicitySuggestion } from '#core/ingest/value-suggestions.js';

const names = (...labels: string[]) => labels.map((l) => ({ folded: l.toLowerCase(), label: l, key: l }));

describe('the near-miss matcher', () => {
  it('suggests the one name within two edits of a long word', () => {
    expect(nearMiss(['milwakee'], names('Milwaukee', 'Marathon'))).toBe('Milwaukee');
    expect(nearMiss(['mlwakee'], names('Milwaukee', 'Marathon'))).toBe('Milwaukee');
  });

  it('counts two neighbouring letters swapped as one edit', () => {
    expect(edits('asain', 'asian')).toBe(1);
    expect(edits('asain', 'asina')).toBe(2);
    expect(edits('milwakee', 'milwaukee')).toBe(1);
  });

  it('allows one edit from four letters and none below', () => {
    expect(nearMiss(['dne'], names('Dane'))).toBe('Dane');
    expect(nearMiss(['daen'], names('Dane'))).toBe('Dane');
    expect(nearMiss(['dnea'], names('Dane'))).toBeUndefined();
    expect(nearMiss(['ifx'], names('IFA'))).toBeUndefined();
  });

  it('suggests nothing when two names are as near', () => {
    expect(nearMiss(['rusk'], names('Rusk', 'Rusk2'))).toBe('Rusk');
    expect(nearMiss(['polks'], names('Polka', 'Polky'))).toBeUndefined();
  });

  it('does not count two labels of one thing as a tie', () => {
    const sameThing = [
      { folded: 'dane', label: 'Dane', key: '55025' },
      { folded: 'danecounty', label: 'Dane', key: '55025' },
    ];
    expect(nearMiss(['dane', 'danecnty'], sameThing)).toBe('Dane');
  });
});

describe('headers almost right', () => {
  it('reads a header decorated with a unit, a # or punctuation as the column, and says so', () => {
    const m = matchHeader('rsc', ['Person #', 'Session Date:', 'Hours [h]']);
    expect(m.missingRequired).toEqual([]);
    expect(m.index.get('person_id')).toBe(0);
    expect(m.index.get('hours')).toBe(2);
    expect(m.label.get('hours')).toBe('Hours [h]');
    expect(m.warnings).toEqual([
      'columns read as ours: "Person #" as person_id, "Session Date:" as session_date, "Hours [h]" as hours; rename to be sure',
    ]);
  });

  it('reads "Work Experience (months)" as work_experience_months', () => {
    const header = ['person_id', 'first_name', 'last_name', 'email', 'category', 'education', 'county'];
    const m = matchHeader('applicants', [...header, 'Work Experience (months)']);
    expect(m.missingRequired).toEqual([]);
    expect(m.index.get('work_experience_months')).toBe(header.length);
    expect(m.warnings[0]).toMatch(/"Work Experience \(months\)" as work_experience_months/);
  });

  it('prefers the column named exactly over a decorated one, wherever it stands', () => {
    const m = matchHeader('rsc', ['person_id', 'session_date', 'Hours (DEI)', 'hours']);
    expect(m.index.get('hours')).toBe(3);
    expect(m.warnings).toEqual(['column "Hours (DEI)" reads as hours, which column 4 gives already; it is ignored']);
  });

  it('does not use a misspelt header but suggests the column it nearly names', () => {
    const m = matchHeader('rsc', ['person_id', 'sesion date', 'hours', 'Notes']);
    expect(m.index.get('session_date')).toBe(-1);
    expect(m.missingRequired).toEqual(['session_date']);
    expect(m.warnings).toEqual(['unknown columns ignored: "sesion date" (did you mean "session_date"?), "Notes"']);
    expect(missingColumnsHint(m)).toBe(' For "sesion date": did you mean "session_date"?');
  });

  it('suggests only columns the file does not have already', () => {
    const m = matchHeader('rsc', ['person_id', 'session_date', 'hours', 'hour']);
    expect(m.warnings).toEqual(['unknown column ignored: "hour"']);
  });
});

describe('values almost right', () => {
  it('suggests the county a shortened or misspelt name means', () => {
    expect(countySuggestion('Dane Cnty')).toBe('Dane');
    expect(countySuggestion('Dane Co.')).toBe('Dane');
    expect(countySuggestion('Milwakee County')).toBe('Milwaukee');
    expect(countySuggestion('Springfield')).toBeUndefined();
    expect(countySuggestion('55999')).toBeUndefined();
  });

  it('suggests a category by code or name, and an SPD-15 category', () => {
    expect(categorySuggestion('Infant Family Specialst')).toBe('Infant Family Specialist');
    expect(categorySuggestion('IMHSS')).toBe('IMHS');
    expect(categorySuggestion('XYZ')).toBeUndefined();
    expect(raceEthnicitySuggestion('Hispanc or Latino')).toBe('Hispanic or Latino');
  });

  it('keeps the row rejected and puts the suggestion in its message', () => {
    const r = EndorsementRow.safeParse({
      person_id: 'P1',
      category: 'IFS',
      endorsed_on: '2026-01-05',
      county: 'Dane Cnty',
      race_ethnicity: 'Asain',
    });
    expect(r.success).toBe(false);
    const messages = (r.error?.issues ?? []).map((i) => i.message);
    expect(messages).toEqual([
      '"Dane Cnty" is not a Wisconsin county name or 5-digit FIPS code; did you mean "Dane"?',
      '"Asain" is not an SPD-15 category; did you mean "Asian"?',
    ]);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(300);
  });
});
