/**
 * Whom a change reaches, and the evaluate handler's two paths (docs/architecture.md, "Incremental
 * evaluation"): a refresh message naming people evaluates only them; any other message, everyone.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvaluateHandler } from '#functions/evaluate/evaluate-handler.js';
import { localContext } from '#local/queue.js';
import { ELIGIBILITY_KEY } from '#services/evaluate-all.js';
import { csvRecords } from '../support/csv.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = `person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,county
WI-001,Ana,Lopez,ana@example.org,IFA,2026-03-02,cda,30,3,yes,2027-06-30,Dane
WI-002,Ben,Xiong,ben@example.org,IFA,2026-03-02,cda,30,3,yes,2027-06-30,Dane
WI-003,Cora,Nguyen,cora@example.org,IFA,2026-03-02,cda,30,3,yes,2027-06-30,Dane
`;
const ROSTER_HEADER =
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,person_id,email,first_name,last_name,completed';
const SERIES = 'T-01,Foundations,2026-02-10,30,1A.1;1B.2,no,no';
const OTHER = 'T-02,Equity,2026-03-14,3,1E.1,yes,no';

const messages = (...bodies: unknown[]): SQSEvent =>
  ({ Records: bodies.map((b, i) => ({ messageId: String(i), body: JSON.stringify(b) })) }) as unknown as SQSEvent;

describe('incremental evaluation', () => {
  let stack: TestStack;
  let deps: Parameters<typeof makeEvaluateHandler>[0];
  const eligibility = async () => {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: ELIGIBILITY_KEY }));
    return csvRecords(await out.Body?.transformToString('utf-8'));
  };
  const evaluate = (event: unknown) =>
    makeEvaluateHandler(deps)(event as SQSEvent, localContext('iecmh-evaluate')) as Promise<unknown>;

  beforeAll(async () => {
    stack = await startTestStack();
    deps = { ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket };
    await stack.ingest({ 'applicants/2026.csv': APPLICANTS });
    await stack.ingest({ 'rosters/spring.csv': `${ROSTER_HEADER}\n${OTHER},WI-003,,Cora,Nguyen,yes\n` });
    await evaluate({ asOf: '2026-11-30' });
  }, 60_000);
  afterAll(() => stack.destroy());

  it('a roster reaches the people its rows name, by id and by email alone', async () => {
    const [outcome] = await stack.ingest({
      'rosters/series.csv': `${ROSTER_HEADER}\n${SERIES},WI-001,,Ana,Lopez,yes\n${SERIES},,ben@example.org,Ben,Xiong,yes\n`,
    });
    expect(outcome?.reach).toEqual({ personIds: ['WI-001', 'WI-002'], everyone: false });
  });

  it('a refresh message naming people evaluates them alone and changes their rows of the export', async () => {
    const before = await eligibility();
    const summaries = await evaluate(
      messages({ personIds: ['WI-001'], sources: ['rosters/series.csv'], asOf: '2026-11-30' }),
    );
    expect(summaries).toEqual([expect.objectContaining({ people: 1, applicants: 1 })]);
    const after = await eligibility();
    expect(after.map((r) => r.person_id)).toEqual(['WI-001', 'WI-002', 'WI-003']);
    // Ana's 30 hours now count and make her eligible; Ben's row is as it was, though his roster row
    // is stored (he was not asked about).
    expect([before[0]?.eligible, after[0]?.eligible]).toEqual(['false', 'true']);
    expect(Number(after[0]?.training_hours)).toBe(30);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
  });

  it('a withdrawal reaches the people the withdrawn rows named', async () => {
    const [outcome] = await stack.withdraw(['rosters/series.csv']);
    expect(outcome?.reach).toEqual({ personIds: ['WI-001', 'WI-002'], everyone: false });
  });

  it('a roster describing a training another roster describes reaches everyone', async () => {
    const [outcome] = await stack.ingest({ 'rosters/copy.csv': `${ROSTER_HEADER}\n${OTHER},WI-001,,Ana,Lopez,yes\n` });
    expect(outcome?.reach.everyone).toBe(true);
  });

  it('a message without people (an older message, the nightly schedule) evaluates everyone', async () => {
    const summaries = await evaluate(messages({ reason: 'ingested' }));
    expect(summaries).toEqual(expect.objectContaining({ applicants: 3, scan: expect.anything() }));
  });
});
