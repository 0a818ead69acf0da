/** Warnings about accepted rows (docs/input-files.md, "Warnings"): each row below stays accepted. */
import { describe, expect, it } from 'vitest';
import { ingestFile } from '#core/ingest/ingest.js';
import { defaultPlausibility, PlausibilitySchema } from '#core/ingest/plausibility.js';
import type { FileFacts } from '#core/ingest/row-checks.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { InputKind } from '#core/model.js';
import { chunksOf } from '#test-support/chunks.js';

const TODAY = '2026-06-15';

async function ingest(kind: InputKind, lines: string[], today = TODAY) {
  const stored: InputRecord[] = [];
  let facts: FileFacts | undefined;
  const receipt = await ingestFile({
    kind,
    file: `${kind}.csv`,
    source: chunksOf(`${lines.join('\n')}\n`),
    sink: async (r) => void stored.push(...r),
    today,
    onFacts: (f) => {
      facts = f;
    },
  });
  return { receipt, stored, facts: facts as FileFacts };
}

const APPLICANTS = 'person_id,first_name,last_name,email,category,education,work_experience_months,county';
const applicant = (id: string, first: string, last: string, email: string, county = 'Dane') =>
  `${id},${first},${last},${email},IFS,bachelor,24,${county}`;
const ROSTER = 'training_id,training_title,training_date,hours,person_id,first_name,last_name,completed';
const RSC = 'person_id,session_date,hours';

describe('one person_id with different names', () => {
  it('warns, names both rows, and says the latest row counts', async () => {
    const { receipt, stored } = await ingest('applicants', [
      APPLICANTS,
      applicant('P1', 'Dana', 'Roberts', 'dana@example.org'),
      applicant('P2', 'Lee', 'Chang', 'lee@example.org'),
      applicant('P1', 'Dana', 'Robertson', 'dana@example.org'),
    ]);
    expect(receipt.accepted).toBe(3);
    expect(receipt.warnings).toEqual([
      'a person_id is given different names in this file: P1: "Dana Roberts" on line 2, "Dana Robertson" on line 4. The latest row for a person_id counts (as a correction added at the end of the file would), and is stored. If these are different people, give each their own person_id.',
    ]);
    expect(stored.map((r) => ('personId' in r.record ? r.record.personId : undefined))).toEqual(['P1', 'P2', 'P1']);
  });

  it('does not warn when names differ only in letter case or spacing', async () => {
    const { receipt } = await ingest('applicants', [
      APPLICANTS,
      applicant('P1', 'Dana', 'Roberts', 'dana@example.org'),
      applicant('P1', 'DANA', ' roberts ', 'dana@example.org'),
    ]);
    expect(receipt.warnings).toEqual([]);
  });

  it('in a roster, says the roster names are not what counts', async () => {
    const { receipt } = await ingest('rosters', [
      ROSTER,
      'T1,Intro,2026-03-02,3,P1,Dana,Roberts,yes',
      'T2,Next,2026-03-09,3,P1,Dan,Roberts,yes',
    ]);
    expect(receipt.warnings.join('\n')).toMatch(/P1: "Dana Roberts" on line 2, "Dan Roberts" on line 3/);
    expect(receipt.warnings.join('\n')).toMatch(/A roster's names are not stored/);
  });
});

describe('one email for two person_ids', () => {
  it('warns with both ids and says which one email-only roster rows are credited to', async () => {
    const { receipt, facts } = await ingest('applicants', [
      APPLICANTS,
      applicant('P2', 'Lee', 'Chang', 'shared@example.org'),
      applicant('P1', 'Dana', 'Roberts', 'shared@example.org'),
    ]);
    expect(receipt.accepted).toBe(2);
    expect(receipt.warnings).toHaveLength(1);
    expect(receipt.warnings[0]).toMatch(
      /^an email is given to more than one person_id: shared@example.org: P2 on line 2, P1 on line 3\./,
    );
    expect(receipt.warnings[0]).toMatch(/credited to the person_id that sorts first/);
    expect(facts.emails.get('shared@example.org')).toBe('P1');
  });
});

describe('one training_id described differently', () => {
  it('warns with each description and the one that counts (the latest row)', async () => {
    const { receipt, facts } = await ingest('rosters', [
      ROSTER,
      'T1,Intro,2026-03-02,3,P1,,,yes',
      'T1,Intro,2026-03-02,6,P2,,,yes',
      'T1,Intro,2026-03-02,6,P3,,,yes',
    ]);
    expect(receipt.accepted).toBe(3);
    expect(receipt.warnings).toEqual([
      'a training_id is described differently on its rows: T1 (line 2: 3 hours; line 3: 6 hours; counted: line 4, 6 hours). One training has one date, hours and title: the latest row describing it counts for every attendee of it, so all are credited the same. Correct the other rows if the latest is wrong.',
    ]);
    expect(facts.trainings.get('T1')?.hours).toBe(6);
  });

  it('names each part that differs: date and title', async () => {
    const { receipt } = await ingest('rosters', [
      ROSTER,
      'T1,Intro,2026-03-02,3,P1,,,yes',
      'T1,Intro II,2026-03-03,3,P2,,,yes',
    ]);
    expect(receipt.warnings[0]).toMatch(
      /T1 \(line 2: on 2026-03-02, "Intro"; line 3: on 2026-03-03, "Intro II"; counted: line 3/,
    );
  });
});

describe('implausible values', () => {
  it('warns of dates after today, in every kind that dates a row', async () => {
    const roster = await ingest('rosters', [ROSTER, 'T1,Intro,2028-01-05,3,P1,,,yes', 'T2,Old,2026-06-15,3,P1,,,yes']);
    expect(roster.receipt.accepted).toBe(2);
    expect(roster.receipt.warnings).toEqual([
      'a row gives a date after today (2026-06-15): line 2 (training_date 2028-01-05). It is stored as given, and a run sees each only from its date; check the year.',
    ]);
    const rsc = await ingest('rsc', [RSC, 'P1,2026-06-16,1']);
    expect(rsc.receipt.warnings[0]).toMatch(/line 2 \(session_date 2026-06-16\)/);
    const endorsements = await ingest('endorsements', ['person_id,category,endorsed_on', 'P1,IFS,2027-01-01']);
    expect(endorsements.receipt.warnings[0]).toMatch(/line 2 \(endorsed_on 2027-01-01\)/);
  });

  it('does not look at dates when no today is given (a dry run of the core alone)', async () => {
    const receipt = await ingestFile({ kind: 'rsc', file: 'rsc.csv', source: chunksOf(`${RSC}\nP1,2099-01-01,1\n`) });
    expect(receipt.warnings).toEqual([]);
  });

  it('warns of a training of more than 12 hours on its one date', async () => {
    const { receipt } = await ingest('rosters', [
      ROSTER,
      'T9,Week,2026-01-05,40,P1,,,yes',
      'T9,Week,2026-01-05,40,P2,,,yes',
    ]);
    expect(receipt.accepted).toBe(2);
    expect(receipt.warnings).toEqual([
      'a training gives more than 12 hours on its one date: T9 (40 hours on 2026-01-05, line 3). Stored as given: if a training ran over several days that is fine; otherwise correct the hours.',
    ]);
  });

  it('accepts an RSC session of more than 12 hours with a warning, and rejects one longer than a day', async () => {
    const { receipt } = await ingest('rsc', [RSC, 'P1,2026-01-05,14', 'P2,2026-01-05,25']);
    expect(receipt.accepted).toBe(1);
    expect(receipt.errors).toEqual([{ line: 3, column: 'hours', message: '"25" is more than 24 hours' }]);
    expect(receipt.warnings.join('\n')).toMatch(
      /an RSC session is longer than 12 hours: line 2 \(P1, 14 hours on 2026-01-05\)/,
    );
  });

  it('warns when one person is credited more than 12 hours on one date across rows', async () => {
    const { receipt } = await ingest('rosters', [
      ROSTER,
      'T1,Morning,2026-03-02,8,P1,,,yes',
      'T2,Afternoon,2026-03-02,6,P1,,,yes',
      'T2,Afternoon,2026-03-02,6,P2,,,yes',
      'T3,Unfinished,2026-03-02,6,P2,,,no',
    ]);
    expect(receipt.warnings).toEqual([
      'one person is credited more than 12 hours on one date: P1 on 2026-03-02 (14 hours: T1, T2). Stored as given; check the dates and hours.',
    ]);
    const rsc = await ingest('rsc', [RSC, 'P1,2026-01-05,7', 'P1,2026-01-05,7', 'P1,2026-01-05,6']);
    // The same session twice is one session: 7 + 6 hours.
    expect(rsc.receipt.warnings).toEqual([
      'one person is credited more than 12 hours on one date: P1 on 2026-01-05 (13 hours of RSC: lines 2, 4). Stored as given; check the dates and hours.',
    ]);
  });

  it('names an attendee given only by email by that email, and keeps them apart from person_ids', async () => {
    const { receipt } = await ingest('rosters', [
      'training_id,training_title,training_date,hours,email,person_id,first_name,last_name,completed',
      'T1,Morning,2026-03-02,8,kim@example.org,,,,yes',
      'T2,Afternoon,2026-03-02,6,kim@example.org,,,,yes',
      'T2,Afternoon,2026-03-02,6,,P1,Kim,Lee,yes',
      'T1,Morning,2026-03-02,8,,P1,Kim,Lee,no',
    ]);
    expect(receipt.warnings).toEqual([
      'one person is credited more than 12 hours on one date: kim@example.org on 2026-03-02 (14 hours: T1, T2). Stored as given; check the dates and hours.',
    ]);
  });

  it('reads its thresholds from config/ingest/plausibility.json, validated', () => {
    expect(defaultPlausibility()).toMatchObject({
      maxTrainingHoursPerDay: 12,
      maxRscSessionHours: 12,
      maxHoursPerPersonPerDay: 12,
    });
    expect(PlausibilitySchema.safeParse({ ...defaultPlausibility(), maxRscSessionHours: -1 }).success).toBe(false);
  });

  it('uses thresholds given in place of the shipped ones', async () => {
    const receipt = await ingestFile({
      kind: 'rsc',
      file: 'rsc.csv',
      source: chunksOf(`${RSC}\nP1,2026-01-05,3\n`),
      plausibility: { ...defaultPlausibility(), maxRscSessionHours: 2 },
    });
    expect(receipt.warnings[0]).toMatch(/longer than 2 hours/);
  });
});

describe('counties outside the association state', () => {
  it('accepts a county named with its state, or by its FIPS code, stored as its FIPS code, with one warning', async () => {
    const { receipt, stored } = await ingest('applicants', [
      APPLICANTS,
      applicant('P1', 'Ann', 'A', 'a@example.org', '"Winona County, MN"'),
      applicant('P2', 'Bo', 'B', 'b@example.org', '17097'),
      applicant('P3', 'Cy', 'C', 'c@example.org', 'Dane'),
      applicant('P4', 'Di', 'D', 'd@example.org', '"Dane County, WI"'),
    ]);
    expect(receipt.accepted).toBe(4);
    expect(stored.map((r) => (r.kind === 'applicants' ? r.record.county : ''))).toEqual([
      '27169',
      '17097',
      '55025',
      '55025',
    ]);
    expect(receipt.warnings).toEqual([
      `2 rows name counties outside the association's state: Winona County, MN (27169) on line 2; Lake County, IL (17097) on line 3. They are accepted, stored with the county's FIPS code and counted in reports as "Outside Wisconsin"; if the person lives in the state, correct the county.`,
    ]);
  });

  it('still rejects a value that is no county anywhere, with a suggestion where one is near', async () => {
    const { receipt } = await ingest('applicants', [
      APPLICANTS,
      applicant('P1', 'Ann', 'A', 'a@example.org', '"Winonna County, MN"'),
      applicant('P2', 'Bo', 'B', 'b@example.org', 'Winona'),
      applicant('P3', 'Cy', 'C', 'c@example.org', 'Dane Cnty'),
      applicant('P4', 'Di', 'D', 'd@example.org', '99999'),
    ]);
    expect(receipt.accepted).toBe(0);
    expect(receipt.errors.map((e) => e.message)).toEqual([
      '"Winonna County, MN" is not a Wisconsin county name or 5-digit FIPS code; did you mean "Winona County, MN"?',
      '"Winona" is not a Wisconsin county name or 5-digit FIPS code; a county of another state is written with its state ("Winona County, MN") or as its 5-digit FIPS code',
      '"Dane Cnty" is not a Wisconsin county name or 5-digit FIPS code; did you mean "Dane"?',
      '"99999" is not a Wisconsin county name or 5-digit FIPS code',
    ]);
  });

  it('asks for the FIPS code when a state has two counties of that name', async () => {
    const { receipt } = await ingest('applicants', [
      APPLICANTS,
      applicant('P1', 'Ann', 'A', 'a@example.org', '"Richmond, VA"'),
    ]);
    expect(receipt.errors[0]?.message).toMatch(
      /VA has 2 counties of that name: write the 5-digit FIPS code \(51159 or 51760\)/,
    );
  });
});

describe('what the file names, for the check against other files', () => {
  it('keeps the latest row of each person, email and training', async () => {
    const { facts } = await ingest('rosters', [
      ROSTER,
      'T1,Intro,2026-03-02,3,P1,Dana,Roberts,yes',
      'T1,Intro,2026-03-02,4,P1,Dana,Robertson,yes',
    ]);
    expect(facts.people.get('P1')).toEqual({ firstName: 'Dana', lastName: 'Robertson' });
    expect(facts.trainings.get('T1')).toMatchObject({ hours: 4, date: '2026-03-02', title: 'Intro' });
    expect(facts.emails.size).toBe(0);
  });
});
