/**
 * Applicants' fact caches (shared/adapters/dynamo/fact-cache.ts; docs/architecture.md, "Incremental
 * evaluation"): an evaluation of the people a change reached starts from each one's cache and reads
 * only what the change can have altered, and the caches stay what a whole read of each person gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS_SK, readFactCache, writeFactCache } from '#adapters/dynamo/fact-cache.js';
import { type EvaluateDeps, evaluateAll } from '#services/evaluate-all.js';
import { evaluatePeople } from '#services/evaluate-people.js';
import { factCaches } from '../support/fact-caches.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';
const APPLICANTS = `person_id,first_name,last_name,email,category,application_date,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,county
WI-001,Ana,Lopez,ana@example.org,IFA,2026-03-02,cda,30,3,yes,2027-06-30,Dane
WI-002,Ben,Xiong,ben@example.org,IFA,2026-03-02,cda,30,3,yes,2027-06-30,Dane
`;
const ROSTER_HEADER =
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,person_id,email,first_name,last_name,completed';
/** Twelve trainings Ana attended over the years: her history. */
const HISTORY = 12;
const history = Array.from(
  { length: HISTORY },
  (_, i) =>
    `T-${String(i + 1).padStart(2, '0')},Course ${i + 1},2025-0${(i % 9) + 1}-10,2,1A.1,no,no,WI-001,,Ana,Lopez,yes`,
);
const roster = (trainingId: string, ...people: string[]) =>
  `${ROSTER_HEADER}\n${people.map((p) => `${trainingId},New course,2026-10-01,3,1B.2,no,no,${p},,Someone,Else,yes`).join('\n')}\n`;

describe('fact caches', () => {
  let stack: TestStack;
  let deps: EvaluateDeps;
  const evaluationOf = async (id: string) =>
    (await stack.items()).find((i) => i.pk === `PERSON#${id}` && i.sk === 'EVALUATION');

  beforeAll(async () => {
    stack = await startTestStack();
    deps = { ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket };
    await stack.ingest({ 'applicants/2026.csv': APPLICANTS });
    await stack.ingest({ 'rosters/history.csv': `${ROSTER_HEADER}\n${history.join('\n')}\n` });
    await evaluateAll(deps, AS_OF);
  }, 60_000);
  afterAll(() => stack.destroy());

  it('after a full pass, every applicant has one, holding what a whole read of them gives', async () => {
    const { stored, wholeRead } = await factCaches(stack);
    expect(Object.keys(stored).sort()).toEqual(['WI-001', 'WI-002']);
    expect(stored).toEqual(wholeRead);
  });

  it('a second full pass with nothing changed rewrites no cache', async () => {
    const before = await readFactCache(stack.ddb, stack.tableName, 'WI-001');
    await evaluateAll(deps, AS_OF);
    expect((await readFactCache(stack.ddb, stack.tableName, 'WI-001'))?.rev).toBe(before?.rev);
  });

  it("a new training's roster is evaluated from the cache and the rows of that training, not the history", async () => {
    await stack.ingest({ 'rosters/new.csv': roster('T-NEW', 'WI-001') });
    const summary = await evaluatePeople(deps, AS_OF, ['WI-001'], ['rosters/new.csv']);
    // The suggestion table, the roster's record, the cache, the new row, the email's owner, the new
    // training's description: fewer items than Ana's history alone.
    expect('itemsRead' in summary && summary.itemsRead).toBeLessThan(HISTORY);
    const incremental = await evaluationOf('WI-001');
    expect(incremental?.trainingHours).toBe(HISTORY * 2 + 3);
    await evaluateAll(deps, AS_OF);
    expect(await evaluationOf('WI-001')).toEqual(incremental);
    const { stored, wholeRead } = await factCaches(stack);
    expect(stored).toEqual(wholeRead);
  });

  it('two evaluations of one person at once leave a cache holding both changes', async () => {
    await stack.ingest({ 'rosters/one.csv': roster('T-ONE', 'WI-002') });
    await stack.ingest({ 'rosters/two.csv': roster('T-TWO', 'WI-002') });
    await Promise.all([
      evaluatePeople(deps, AS_OF, ['WI-002'], ['rosters/one.csv']),
      evaluatePeople(deps, AS_OF, ['WI-002'], ['rosters/two.csv']),
    ]);
    const { stored, wholeRead } = await factCaches(stack);
    expect(stored['WI-002']).toBe(wholeRead['WI-002']);
    expect(stored['WI-002']).toContain('T-ONE');
    expect(stored['WI-002']).toContain('T-TWO');
  });

  it('a cache written since it was read is not overwritten', async () => {
    const seen = await readFactCache(stack.ddb, stack.tableName, 'WI-002');
    if (!seen) throw new Error('no cache');
    expect(await writeFactCache(stack.ddb, stack.tableName, 'WI-002', seen.text, { rev: seen.rev - 1 })).toBe(false);
    expect(await readFactCache(stack.ddb, stack.tableName, 'WI-002')).toEqual(seen);
  });

  it('an applicant whose profile is withdrawn loses their cache', async () => {
    const [outcome] = await stack.ingest({ 'applicants/2026.csv': APPLICANTS.split('\n').slice(0, 2).join('\n') });
    expect(outcome?.reach.personIds).toContain('WI-002');
    await evaluatePeople(deps, AS_OF, outcome?.reach.personIds ?? [], ['applicants/2026.csv']);
    const items = await stack.items();
    expect(items.some((i) => i.pk === 'PERSON#WI-002' && i.sk === FACTS_SK)).toBe(false);
    expect(items.some((i) => i.pk === 'PERSON#WI-001' && i.sk === FACTS_SK)).toBe(true);
  });
});
