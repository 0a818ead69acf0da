/**
 * The association's training calendar through the pipeline: outreach and eligibility suggest the
 * trainings still ahead with where to register and mark past ones as past; a new version of the
 * calendar replaces the old one and a withdrawn calendar is forgotten, whatever the order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainingKey } from '#adapters/dynamo/codecs.js';
import { loadPopulation } from '#adapters/dynamo/population.js';
import { ELIGIBILITY_KEY, evaluateAll } from '#services/evaluate-all.js';
import { explainPerson } from '#services/explain-person.js';
import { OUTREACH_KEY, renewalsAll } from '#services/renewals-all.js';
import { csvRecords } from '../support/csv.js';
import { readObject } from '../support/outputs.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-12-03';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,county',
  'P-APP,Maria,Gonzalez,maria@example.org,IFS,2026-03-02,bachelor,30,3,yes,2027-06-30,Dane',
].join('\n');
/** An Infant Family Associate endorsed long ago: due 31 December, 28 days after AS_OF, so at risk. */
const ENDORSEMENTS = [
  'person_id,category,endorsed_on,membership_expires_on,first_name,last_name,email',
  'P-END,IFA,2020-01-15,2027-12-31,Lee,Vang,lee@example.org',
].join('\n');
/** Lee met last year's 15 CE hours but has 10 this year and no DEI hour; someone else took the 1F.3 training. */
const ROSTER = [
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,provider,person_id,completed',
  'T-2025,Infant Development,2025-04-10,14,1A.2,no,no,Alliance,P-END,yes',
  'T-2025-DEI,Equity Basics,2025-05-10,1,,yes,no,Alliance,P-END,yes',
  'T-CE,Attachment Basics,2026-02-10,10,1A.1,no,no,Alliance,P-END,yes',
  'T-PAST-1F3,Mandated Reporting,2026-03-01,2,1F.3,no,no,Alliance,P-OTHER,yes',
].join('\n');

const CALENDAR_HEADER =
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,provider,registration_url';
const DEC_DEI =
  'CAL-DEC,Equity in Early Relationships,2026-12-10,3,1G.1,yes,no,Alliance,https://events.example.org/register/dec';
const JAN_1F3 =
  'CAL-JAN,Feeding and Regulation,1/12/2027,3,1F.3,no,no,Alliance,https://events.example.org/register/jan';
/** Past, with its link still on the calendar page: never offered for registration. */
const MAY_DEI = 'CAL-MAY,Cultural Humility,2026-05-01,2,,yes,no,Alliance,https://events.example.org/register/may';
/** The rosters' T-PAST-1F3 as the association officially describes it. */
const OFFICIAL_1F3 = 'T-PAST-1F3,Mandated Reporting for Home Visitors,2026-03-01,2,1F.3,no,no,Alliance,';
const calendar = (...rows: string[]) => [CALENDAR_HEADER, ...rows].join('\n');

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

/** Runs evaluation and renewals as of AS_OF; returns Lee's outreach row and Maria's 1F.3 suggestions. */
async function suggestions() {
  const deps = { ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket };
  await evaluateAll(deps, AS_OF);
  await renewalsAll(deps, AS_OF);
  const outreach = csvRecords(await readObject(stack, stack.uploadsBucket, OUTREACH_KEY));
  const eligibility = csvRecords(await readObject(stack, stack.uploadsBucket, ELIGIBILITY_KEY));
  const maria = eligibility.find((r) => r.person_id === 'P-APP');
  const forCode = maria?.suggested_trainings?.split('; ').find((s) => s.startsWith('1F.3: '));
  return { lee: outreach.find((r) => r.person_id === 'P-END'), maria1F3: forCode };
}

describe('suggestions from the training calendar', () => {
  beforeEach(async () => {
    await stack.ingest({
      'applicants/applicants.csv': APPLICANTS,
      'endorsements/endorsees.csv': ENDORSEMENTS,
      'rosters/spring.csv': ROSTER,
    });
  });

  it('offers what is still ahead first, with its date and where to register, and marks past trainings as past', async () => {
    const [receipt] = await stack.ingest({
      'trainings/calendar.csv': calendar(DEC_DEI, JAN_1F3, MAY_DEI, OFFICIAL_1F3),
    });
    expect(receipt?.receipt).toMatchObject({ kind: 'trainings', rows: 4, accepted: 4, rejected: 0 });

    const { lee, maria1F3 } = await suggestions();

    // Lee needs 5 more CE hours, 1 of them DEI, by 31 December: January's training would not count.
    expect(lee?.suggested_trainings).toBe(
      [
        'CAL-DEC Equity in Early Relationships (3 h, upcoming, 2026-12-10, register at https://events.example.org/register/dec)',
        'CAL-MAY Cultural Humility (2 h, past, 2026-05-01)',
        'T-PAST-1F3 Mandated Reporting for Home Visitors (2 h, past, 2026-03-01)',
      ].join('; '),
    );
    expect(lee).toMatchObject({
      missing: 'needs 5 more CE hours, 1 of them DEI',
      upcoming_training: 'CAL-DEC Equity in Early Relationships',
      upcoming_training_date: '2026-12-10',
      upcoming_training_registration_url: 'https://events.example.org/register/dec',
    });
    expect(maria1F3).toBe(
      '1F.3: CAL-JAN (upcoming, 2027-01-12, register at https://events.example.org/register/jan) T-PAST-1F3 (past, 2026-03-01)',
    );

    const lookup = await explainPerson(stack, 'P-APP');
    const lines = lookup.found === 'one' ? lookup.explanation.lines : [];
    expect(lines).toContain(
      '  - a training that covers it: Feeding and Regulation (CAL-JAN), 2027-01-12 (upcoming), 3 hours, register at https://events.example.org/register/jan',
    );
    expect(lines).toContain(
      '  - a training that covers it: Mandated Reporting for Home Visitors (T-PAST-1F3), 2026-03-01 (past), 2 hours, completed by 1 person',
    );
  });

  it('follows a new version of the calendar, and forgets a withdrawn one', async () => {
    await stack.ingest({ 'trainings/calendar.csv': calendar(DEC_DEI, JAN_1F3, MAY_DEI, OFFICIAL_1F3) });
    await suggestions();

    // December's DEI training moved a week later, without a registration page yet.
    const moved = 'CAL-DEC2,Equity in Early Relationships,2026-12-17,3,1G.1,yes,no,Alliance,';
    const [replaced] = await stack.ingest({ 'trainings/calendar.csv': calendar(moved, JAN_1F3) });
    expect(replaced?.receipt.replaced).toEqual({ forgotten: 3 });
    const after = await suggestions();
    expect(after.lee?.suggested_trainings).toBe(
      'CAL-DEC2 Equity in Early Relationships (3 h, upcoming, 2026-12-17); T-PAST-1F3 Mandated Reporting (2 h, past, 2026-03-01)',
    );
    expect(after.lee).toMatchObject({ upcoming_training_date: '2026-12-17', upcoming_training_registration_url: '' });

    await stack.withdraw(['trainings/calendar.csv']);
    const gone = await suggestions();
    expect(gone.lee).toMatchObject({
      suggested_trainings: 'T-PAST-1F3 Mandated Reporting (2 h, past, 2026-03-01)',
      upcoming_training: '',
      upcoming_training_date: '',
    });
    expect(gone.maria1F3).toBe('1F.3: T-PAST-1F3 (past, 2026-03-01)');
    for (const id of ['CAL-DEC2', 'CAL-JAN', 'T-PAST-1F3']) {
      expect((await stack.partition(trainingKey(id))).filter((i) => i.type === 'calendar')).toEqual([]);
    }
  });
});

describe('two calendars listing one training', () => {
  const titleOf = async () =>
    (await loadPopulation(stack.ddb, stack.tableName)).population.trainings.get('CAL-X')?.title;
  const a = calendar('CAL-X,Title in a,2027-02-01,3,1A.1,no,no,,');
  const b = calendar('CAL-X,Title in b,2027-02-01,3,1A.1,no,no,,');

  it('describe it as the one whose key sorts last, whichever arrived first', async () => {
    await stack.ingest({ 'trainings/b.csv': b });
    await stack.ingest({ 'trainings/a.csv': a });
    expect(await titleOf()).toBe('Title in b');
    await stack.withdraw(['trainings/b.csv']);
    expect(await titleOf()).toBe('Title in a');
  });
});
