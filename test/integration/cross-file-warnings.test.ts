/**
 * Receipts warn when a file conflicts with another current upload (docs/input-files.md, "Warnings"),
 * and what counts is what the warning says: one training is credited the same to all its attendees.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPersonFile } from '#adapters/dynamo/person-file.js';
import { loadPopulation } from '#adapters/dynamo/population.js';
import { PROFILE_SOURCES_KEY } from '#adapters/dynamo/profile-sources.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = 'person_id,first_name,last_name,email,category,education,work_experience_months,county';
const applicants = (...rows: string[]) => [APPLICANTS, ...rows].join('\n');
const ENDORSEMENTS = 'person_id,category,endorsed_on,first_name,last_name,email';
const endorsements = (...rows: string[]) => [ENDORSEMENTS, ...rows].join('\n');
const ROSTER = 'training_id,training_title,training_date,hours,person_id,email,completed';
const roster = (...rows: string[]) => [ROSTER, ...rows].join('\n');

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

describe('a file against the other current uploads', () => {
  it('warns of a person_id named differently in another upload, naming that upload', async () => {
    await stack.ingest({
      'applicants/spring.csv': applicants('P1,Dana,Roberts,dana@example.org,IFS,bachelor,24,Dane'),
    });
    const [outcome] = await stack.ingest({
      'endorsements/current.csv': endorsements('P1,IFS,2025-05-01,Dana,Robertson,dana@example.org'),
    });
    expect(outcome?.receipt.accepted).toBe(1);
    expect(outcome?.receipt.warnings).toEqual([
      'a person_id is named differently in other uploads: P1: "Dana Robertson" here, "Dana Roberts" in applicants/spring.csv. Of two uploads of one kind, the one whose name sorts last counts; eligibility.csv shows the applicant name, renewals.csv the endorsement name. If these are different people, give each their own person_id.',
    ]);
  });

  it('reads people by key from the uploads that hold profiles, also on a table from before that registry, and not from a withdrawn one', async () => {
    await stack.ingest({
      'applicants/spring.csv': applicants('P1,Dana,Roberts,dana@example.org,IFS,bachelor,24,Dane'),
      'endorsements/current.csv': endorsements('P2,IFS,2025-05-01,Lee,Chang,lee@example.org'),
    });
    // A table written before the registry: it has none, and is given one from the source records.
    await stack.ddb.send(new DeleteCommand({ TableName: stack.tableName, Key: PROFILE_SOURCES_KEY }));
    const rosterNaming = (first: string) =>
      ['training_id,training_title,training_date,hours,person_id,first_name,last_name,completed']
        .concat([`T1,Intro,2026-03-02,3,P1,${first},Roberts,yes`, 'T1,Intro,2026-03-02,3,P2,Leo,Chang,yes'])
        .join('\n');
    const [first] = await stack.ingest({ 'rosters/r.csv': rosterNaming('Dana') });
    expect(first?.receipt.warnings).toEqual([
      expect.stringMatching(
        /^a person_id is named differently in other uploads: P2: "Leo Chang" here, "Lee Chang" in endorsements\/current.csv\./,
      ),
    ]);
    // Withdrawn, the endorsements file's profiles no longer count.
    await stack.withdraw(['endorsements/current.csv']);
    const [again] = await stack.ingest({ 'rosters/r.csv': rosterNaming('Dina') });
    expect(again?.receipt.warnings).toEqual([
      expect.stringMatching(
        /^a person_id is named differently in other uploads: P1: "Dina Roberts" here, "Dana Roberts" in applicants\/spring.csv\./,
      ),
    ]);
  });

  it('warns of an email another upload gives to another person_id, and links email-only roster rows to one of them', async () => {
    await stack.ingest({ 'applicants/a.csv': applicants('P2,Lee,Chang,shared@example.org,IFS,bachelor,24,Dane') });
    const [outcome] = await stack.ingest({
      'applicants/b.csv': applicants('P1,Dana,Roberts,shared@example.org,IFS,bachelor,24,Dane'),
    });
    expect(outcome?.receipt.warnings).toEqual([
      expect.stringMatching(
        /^an email is given to another person_id in other uploads: shared@example.org: P1 here, P2 in applicants\/a.csv \(email-only roster rows go to P1\)\./,
      ),
    ]);
    await stack.ingest({ 'rosters/r.csv': roster('T1,Intro,2026-03-02,3,,shared@example.org,yes') });
    expect((await readPersonFile(stack.ddb, stack.tableName, 'P1'))?.attendance.map((a) => a.trainingId)).toEqual([
      'T1',
    ]);
    expect((await readPersonFile(stack.ddb, stack.tableName, 'P2'))?.attendance).toEqual([]);
  });

  it('warns of a training described differently in another roster, and credits every attendee the same hours', async () => {
    await stack.ingest({ 'rosters/a.csv': roster('T1,Intro,2026-03-02,3,P1,,yes') });
    const [outcome] = await stack.ingest({ 'rosters/b.csv': roster('T1,Intro,2026-03-02,6,P2,,yes') });
    expect(outcome?.receipt.warnings).toEqual([
      "a training_id is described differently in other uploads: T1: 6 hours here, 3 hours in rosters/a.csv; attendees are credited as this file describes it. One training has one date, hours and title: of the rosters describing it, the one whose name sorts last counts for every attendee; suggestions show the calendar's description where the calendar lists it. Correct the file that is wrong.",
    ]);
    const { population } = await loadPopulation(stack.ddb, stack.tableName);
    expect(population.attendance.get('P:P1')?.map((a) => a.hours)).toEqual([6]);
    expect(population.attendance.get('P:P2')?.map((a) => a.hours)).toEqual([6]);
    expect((await readPersonFile(stack.ddb, stack.tableName, 'P1'))?.attendance.map((a) => a.hours)).toEqual([6]);
  });

  it('credits the latest row of one file for every attendee, whatever order the writes finish in', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `T1,Intro,2026-03-02,${i < 119 ? 3 : 6},P${i},,yes`);
    const [outcome] = await stack.ingest({ 'rosters/a.csv': roster(...rows) });
    expect(outcome?.receipt.warnings.join('\n')).toMatch(/counted: line 121, 6 hours/);
    const { population } = await loadPopulation(stack.ddb, stack.tableName);
    const hours = new Set([...population.attendance.values()].flat().map((a) => a.hours));
    expect([...hours]).toEqual([6]);
  });

  it('does not warn about the file against its own earlier version, nor when nothing conflicts', async () => {
    await stack.ingest({ 'rosters/a.csv': roster('T1,Intro,2026-03-02,3,P1,,yes') });
    const [again] = await stack.ingest({ 'rosters/a.csv': roster('T1,Intro,2026-03-02,4,P1,,yes') });
    expect(again?.receipt.warnings).toEqual([]);
    const [other] = await stack.ingest({ 'rosters/b.csv': roster('T1,Intro,2026-03-02,4,P2,,yes') });
    expect(other?.receipt.warnings).toEqual([]);
  });

  it('forgets who an upload gave an email to when the upload is withdrawn', async () => {
    await stack.ingest({ 'applicants/a.csv': applicants('P2,Lee,Chang,shared@example.org,IFS,bachelor,24,Dane') });
    await stack.withdraw(['applicants/a.csv']);
    const [outcome] = await stack.ingest({
      'applicants/b.csv': applicants('P1,Dana,Roberts,shared@example.org,IFS,bachelor,24,Dane'),
    });
    expect(outcome?.receipt.warnings).toEqual([]);
  });
});
