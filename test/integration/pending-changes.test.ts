/**
 * A change is pending from before its first fact until the evaluation of every refresh message it
 * sent has summarised its people (docs/architecture.md, "Summaries"): while it is, the reports
 * read the rows; a retried ingest notes the same messages, so nothing is left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { rulesetFor } from '#core/rules/registry.js';
import { requestAfter } from '#local/jobs.js';
import { evaluateEveryone, evaluatePeople } from '#services/evaluate-people.js';
import { refreshRequests } from '#services/reach.js';
import { renewalsAll } from '#services/renewals-all.js';
import { summariesCurrent } from '#services/report-summaries.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';
const APPLICANTS = `person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,county
WI-001,Ana,Lopez,ana@example.org,IFA,2026-03-02,bachelor,30,3,yes,2027-06-30,Dane
WI-002,Ben,Xiong,ben@example.org,IFA,2026-03-02,bachelor,30,3,yes,2027-06-30,Dane
`;
const ROSTER = `training_id,training_title,training_date,hours,competencies,dei,rsc_topic,person_id,email,first_name,last_name,completed
T-01,Foundations,2026-02-10,30,1A.1;1B.2,no,no,WI-001,,Ana,Lopez,yes
T-01,Foundations,2026-02-10,30,1A.1;1B.2,no,no,WI-002,,Ben,Xiong,yes
`;

let stack: TestStack;
const deps = () => ({ ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket });
const table = () => dynamoTableStore(stack.ddb, stack.tableName);
const current = async () => (await summariesCurrent(table(), AS_OF, rulesetFor(AS_OF).id)) !== undefined;

beforeAll(async () => {
  stack = await startTestStack();
  await evaluateEveryone(
    deps(),
    AS_OF,
    requestAfter(await stack.ingest({ 'applicants/a.csv': APPLICANTS }, { pending: true })).pending ?? [],
  );
  await renewalsAll(deps(), AS_OF);
});
afterAll(async () => stack?.destroy());

describe('a change pending until its people are summarised', () => {
  it('is noted while stored, handed over as one note per refresh message, and let go of message by message', async () => {
    expect(await current()).toBe(true);
    const [outcome] = await stack.ingest({ 'rosters/r.csv': ROSTER }, { pending: true });
    if (!outcome) throw new Error('not ingested');
    expect(await current()).toBe(false);

    // As the ingest function hands it over (twice: a retried ingest notes the same messages).
    const change = { ...outcome, sourceKey: 'rosters/r.csv', altered: true };
    const requests = await refreshRequests(table(), change);
    expect(await refreshRequests(table(), change)).toEqual(requests);
    await table().clearPending(outcome.pending);
    expect(requests.map((r) => r.pending)).toEqual([[`MSG#${outcome.pending.slice('CHANGE#'.length)}#0`]]);
    expect(await current()).toBe(false);

    const [request] = requests;
    if (!request || !('personIds' in request)) throw new Error('the roster reached everyone');
    await evaluatePeople(deps(), AS_OF, request.personIds, request.sources, request.pending);
    expect(await table().anyPending()).toBe(false);
    expect(await current()).toBe(true);
  });

  it('asks for no message, and leaves no note, when the change altered nothing', async () => {
    const requests = await refreshRequests(table(), {
      reach: { personIds: [], everyone: false },
      sourceKey: 'rosters/empty.csv',
      pending: 'CHANGE#rosters/empty.csv#v1',
      altered: false,
    });
    expect(requests).toEqual([]);
    expect(await table().anyPending()).toBe(false);
  });
});
