/** Erasure: after `erase`, a person's id and email are in no byte of the state folder and no object of the buckets. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPersonFile } from '#adapters/dynamo/person-file.js';
import { eraseOnStack } from '#local/erase.js';
import { AUDIT_PK, type ErasureResult } from '#services/erase-people.js';
import { dateCell, ROSTER_HEADER, workbook } from '#test-support/workbooks.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** One of the bundled example applicants, who also attends trainings and receives RSC. */
const PERSON = 'P0000003';
const EMAIL = 'destiny.hoffmann.3@example.org';
/** Someone else, to show the rest of the data is untouched. */
const OTHER = 'P0000004';

let stack: TestStack;
let stateDir: string;
let result: ErasureResult;
let before: { rosterRows: number; otherItems: number; workbookAccepted: number };
/** A workbook naming them and someone else: its cells are compressed, so its bytes never show the id. */
const WORKBOOK_KEY = 'rosters/rosters-extra.xlsx';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file of the state folder that holds `needle`, in any letter case, as text or hex (dynalite's keys). */
function stateFilesHolding(needle: string): string[] {
  const forms = [
    needle.toLowerCase(),
    Buffer.from(needle).toString('hex'),
    Buffer.from(needle.toLowerCase()).toString('hex'),
  ];
  return filesUnder(stateDir).filter((f) => {
    const bytes = readFileSync(f);
    const text = bytes.toString('latin1').toLowerCase();
    return forms.some((form) => text.includes(form)) || bytes.toString('hex').includes(forms[1] as string);
  });
}

async function objectsHolding(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const bucket of [stack.uploadsBucket, stack.reportsBucket]) {
    const out = await stack.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const o of out.Contents ?? []) {
      const body = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      const text = (await body.Body?.transformToString('latin1')) ?? '';
      if (text.toLowerCase().includes(needle.toLowerCase()) || o.Key?.includes(needle))
        found.push(`${bucket}/${o.Key}`);
    }
  }
  return found;
}

async function allItems() {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: stack.ddb }, { TableName: stack.tableName }))
    items.push(...(page.Items ?? []));
  return items;
}

beforeAll(async () => {
  stack = await startTestStack();
  stateDir = stack.stateDir;
  const files: Record<string, Buffer> = {};
  for (const name of readdirSync(EXAMPLES)) {
    const kind = ['applicants', 'rosters', 'rsc', 'endorsements'].find((k) => name.startsWith(k));
    if (kind) files[`${kind}/${name}`] = readFileSync(join(EXAMPLES, name));
  }
  // An upload that cannot be read (a NUL in its header: binary) stored nothing, yet its bytes name them.
  files['rsc/rsc-unreadable.csv'] = Buffer.from(`person_id,session_date\u0000,hours\r\n${PERSON},2026-01-01,1\r\n`);
  files[WORKBOOK_KEY] = await workbook([
    {
      sheet: 'Rosters',
      rows: [
        ROSTER_HEADER,
        ['T-XL', 'Workbook training', dateCell('2026-02-10'), 2, 'Alliance', PERSON],
        ['T-XL', 'Workbook training', dateCell('2026-02-10'), 2, 'Alliance', OTHER],
      ],
    },
  ]);
  const outcomes = await stack.ingest(files);
  const workbookAccepted = outcomes.find((o) => o.receipt.file === 'rosters-extra.xlsx')?.receipt.accepted ?? 0;
  const { runJobs } = await import('#local/jobs.js');
  await runJobs(stack, AS_OF);
  const items = await allItems();
  before = {
    rosterRows: items.filter((i) => i.type === 'attendance' && i.pk === `PERSON#${PERSON}`).length,
    otherItems: items.filter((i) => i.pk === `PERSON#${OTHER}`).length,
    workbookAccepted,
  };
  result = await eraseOnStack(stack, [PERSON, 'P-NOBODY'], AS_OF);
}, 120_000);
afterAll(async () => {
  await stack.destroy();
});

describe('erasing a person', () => {
  it('held them everywhere before (so the checks below can fail)', () => {
    expect(before.rosterRows).toBeGreaterThan(0);
    expect(result.erased).toHaveLength(1);
    expect(result.erased[0]?.sources).toBeGreaterThanOrEqual(3);
  });

  it('leaves their id and email in no object of the buckets', async () => {
    expect(await objectsHolding(PERSON)).toEqual([]);
    expect(await objectsHolding(EMAIL)).toEqual([]);
  });

  it('leaves their id and email in no byte of the state folder (embedded stores included)', () => {
    expect(stateFilesHolding(PERSON)).toEqual([]);
    expect(stateFilesHolding(EMAIL)).toEqual([]);
  });

  it('withdraws a workbook that names them whole, since it cannot be rewritten without them', async () => {
    expect(before.workbookAccepted).toBe(2);
    const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.uploadsBucket, Prefix: WORKBOOK_KEY }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  it('keeps everyone else as they were (but for the withdrawn workbook’s row)', async () => {
    const items = await allItems();
    expect(items.filter((i) => i.pk === `PERSON#${OTHER}`)).toHaveLength(before.otherItems - 1);
    expect(await readPersonFile(stack.ddb, stack.tableName, PERSON)).toBeUndefined();
  });

  it('keeps an audit record with counts and a keyed hash, and nothing personal', async () => {
    const audits = (await allItems()).filter((i) => i.pk === AUDIT_PK);
    expect(audits).toHaveLength(1);
    const text = JSON.stringify(audits[0]);
    expect(text).not.toContain(PERSON);
    expect(text.toLowerCase()).not.toContain(EMAIL);
    expect(audits[0]).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), items: expect.any(Number) });
  });

  it('stores them again from a later upload that names them, with a warning in its receipt', async () => {
    const [outcome] = await stack.ingest({
      'applicants/applicants-again.csv': readFileSync(join(EXAMPLES, 'applicants.csv')),
    });
    expect(outcome?.receipt.warnings.filter((w) => w.includes(PERSON))).toEqual([
      expect.stringMatching(/^person_id P0000003 was erased on \d{4}-\d{2}-\d{2} at their request; .* stored again/),
    ]);
    expect((await stack.partition(`PERSON#${PERSON}`)).map((i) => i.type)).toEqual(['applicant']);
  });

  it('says which ids it knew nothing about', () => {
    expect(result.unknown).toEqual(['P-NOBODY']);
  });
});
