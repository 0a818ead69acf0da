/**
 * `iecmh person` finds an id typed in another letter case or normal form (docs/input-files.md: identifiers
 * compare after NFC normalisation), and asks which one is meant when several stored ids match.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPersonFile, personIdsIgnoringCase } from '#adapters/dynamo/person-file.js';
import { personRun } from '../support/cli.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const NINEZ = 'WI-NI\u00d1EZ-01';
const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  'WI-000123,Ada,Upper,ada@example.org,IFA,cda,0,Dane',
  'AB-1,Bo,Upper,bo.upper@example.org,IFA,cda,0,Dane',
  'ab-1,Bo,Lower,bo.lower@example.org,IFA,cda,0,Dane',
  `${NINEZ},Cy,Accent,cy@example.org,IFA,cda,0,Dane`,
].join('\n');

let stack: TestStack;
let stateDir: string;
beforeAll(async () => {
  stack = await startTestStack();
  stateDir = stack.stateDir;
  const [outcome] = await stack.ingest({ 'applicants/applicants.csv': APPLICANTS });
  expect(outcome?.receipt.accepted).toBe(4);
});
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

describe('findPersonFile (shared/adapters/dynamo)', () => {
  const find = (id: string) => findPersonFile(stack.ddb, stack.tableName, id);

  it('reads the exact id without looking further', async () => {
    const found = await find('ab-1');
    expect(found.matches).toEqual(['ab-1']);
    expect(found.file?.applicant?.lastName).toBe('Lower');
  });

  it('finds the one stored id equal to the given one ignoring letter case', async () => {
    const found = await find('wi-000123');
    expect(found.matches).toEqual(['WI-000123']);
    expect(found.file?.personId).toBe('WI-000123');
    expect(found.file?.applicant?.firstName).toBe('Ada');
  });

  it('finds an id typed decomposed (NFD) and in lower case', async () => {
    const typed = NINEZ.normalize('NFD').toLowerCase();
    expect(typed).not.toBe(NINEZ.toLowerCase());
    const found = await find(typed);
    expect(found.file?.personId).toBe(NINEZ);
  });

  it('lists every match and reads none when several ids differ only in letter case', async () => {
    const found = await find('Ab-1');
    expect(found).toEqual({ matches: ['AB-1', 'ab-1'] });
    expect(await personIdsIgnoringCase(stack.ddb, stack.tableName, 'AB-1')).toEqual(['AB-1', 'ab-1']);
  });

  it('finds nothing for an id nobody has in any letter case', async () => {
    expect(await find('wi-000124')).toEqual({ matches: [] });
  });
});

describe('iecmh person', () => {
  beforeAll(async () => {
    // The command starts its own embedded stack on the same state folder.
    await stack.close();
  });

  const person = (args: string[]) => personRun([...args, '--as-of', '2026-06-30'], stateDir);

  it('shows WI-000123 for wi-000123, and says which id it shows', async () => {
    const { code, stdout, stderr } = await person(['wi-000123']);
    expect(code).toBe(0);
    expect(stderr).toBe('No person_id wi-000123 exactly; showing WI-000123.\n');
    expect(stdout).toContain('(WI-000123)');
  });

  it('gives scripts the stored id and the id as typed', async () => {
    const { code, stdout } = await person(['wi-000123', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ personId: 'WI-000123', requestedId: 'wi-000123' });
  });

  it('exits 2 listing the ids when several match ignoring letter case', async () => {
    const { code, stdout, stderr } = await person(['Ab-1']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('person_id Ab-1 matches 2 people when letter case is ignored: AB-1, ab-1.');
  });

  it('exits 1 when no one has the id in any letter case', async () => {
    const { code, stderr } = await person(['WI-999999']);
    expect(code).toBe(1);
    expect(stderr).toContain('No one with person_id WI-999999 is on file (in any letter case).');
  });
});
