/**
 * Erasure leaves no byte behind in the embedded stack's state folder: DeleteItem and DeleteObject,
 * then compactEmbeddedStack, and the marker is in no file (nor file name) under the folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactEmbeddedStack, filesHolding, finishInterruptedRewrite } from '#local/compact.js';
import { type EmbeddedStack, startEmbeddedStack } from '#local/embedded.js';

// Letters that occur nowhere else in the data, so that nothing else in a file can spell them.
const ID = 'ZQXERASED7J4K';
const EMAIL = 'zqx.erased@marker.example';
const OTHERS = 600;

let dir: string;
let stack: EmbeddedStack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-erase-'));
  stack = await startEmbeddedStack(dir);
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const T = () => stack.tableName;
const otherKey = (i: number) => ({ pk: `PERSON#P${i}`, sk: `APPLICANT#applicants/a${i % 3}.csv` });
const theirKeys = [0, 1, 2, 3].map((k) => ({ pk: `PERSON#${ID}`, sk: `ATT#T${k}#C#rosters/r.csv` }));

async function writeEveryone(): Promise<void> {
  for (let i = 0; i < OTHERS; i += 25) {
    const puts = [];
    for (let j = i; j < Math.min(OTHERS, i + 25); j++) {
      puts.push({ PutRequest: { Item: { ...otherKey(j), email: `p${j}@example.org`, first: `Name${j}` } } });
    }
    await stack.ddb.send(new BatchWriteCommand({ RequestItems: { [T()]: puts } }));
  }
  for (const key of theirKeys) {
    await stack.ddb.send(new PutCommand({ TableName: T(), Item: { ...key, email: EMAIL, note: `attended as ${ID}` } }));
  }
  // Someone else's item that held the email for a while (a roster row that reached them by email).
  await stack.ddb.send(new PutCommand({ TableName: T(), Item: { ...otherKey(7), email: EMAIL } }));
  await stack.ddb.send(new PutCommand({ TableName: T(), Item: { ...otherKey(7), email: 'p7@example.org' } }));

  const roster = `training_id,person_id,email\nT1,${ID},${EMAIL}\nT1,P1,p1@example.org\n`;
  await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/r.csv', Body: roster }));
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/q.csv', Body: roster, Metadata: { note: ID } }),
  );
  await stack.s3.send(new PutObjectCommand({ Bucket: stack.reportsBucket, Key: `exports/${ID}.json`, Body: '{}' }));
}

async function eraseEveryItemAndObject(): Promise<void> {
  for (const key of theirKeys) await stack.ddb.send(new DeleteCommand({ TableName: T(), Key: key }));
  // One source rewritten without them (an overwrite), one deleted, one export deleted.
  const rewritten = 'training_id,person_id,email\nT1,P1,p1@example.org\n';
  await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/r.csv', Body: rewritten }));
  await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/q.csv' }));
  await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.reportsBucket, Key: `exports/${ID}.json` }));
}

const where = async () =>
  (await filesHolding(dir, [ID, EMAIL])).map((h) => `${h.file.split('/')[0]}: ${h.needle} (${h.form})`);

describe('erasure leaves no byte behind in the state folder', () => {
  it('the search sees what is written: the DynamoDB log and the S3 files hold the marker', async () => {
    await writeEveryone();
    const hits = await filesHolding(dir, [ID, EMAIL]);
    // dynalite's keys spell the partition key in hex; its values hold it as written.
    expect(hits).toContainEqual(
      expect.objectContaining({ file: expect.stringMatching(/^dynamodb\/.*\.log$/), form: 'hex' }),
    );
    expect(hits).toContainEqual(
      expect.objectContaining({ file: expect.stringMatching(/^dynamodb\/.*\.log$/), needle: EMAIL, form: 'as given' }),
    );
    expect(hits).toContainEqual(
      expect.objectContaining({ file: 's3/iecmh-uploads/rosters/q.csv._S3rver_metadata.json', needle: ID }),
    );
    expect(hits).toContainEqual(
      expect.objectContaining({
        file: `s3/iecmh-reports/exports/${ID}.json._S3rver_object`,
        form: 'as given, in the name',
      }),
    );
  });

  it('after DeleteItem the deleted values are still in the DynamoDB files; S3 deletes and overwrites leave nothing', async () => {
    await eraseEveryItemAndObject();
    for (const key of theirKeys) {
      expect((await stack.ddb.send(new GetCommand({ TableName: T(), Key: key }))).Item).toBeUndefined();
    }
    const left = await where();
    expect(left.filter((h) => h.startsWith('s3'))).toEqual([]);
    expect(left).toContain(`dynamodb: ${ID} (as given)`);
    expect(left).toContain(`dynamodb: ${EMAIL} (as given)`);
  });

  it('after compactEmbeddedStack the marker is in no byte and no name under the state folder', async () => {
    await compactEmbeddedStack(stack);
    expect(await where()).toEqual([]);
    // The search is conclusive: the rewritten tables are not compressed, so everyone else's email is seen.
    const emails = Array.from({ length: OTHERS }, (_, i) => `p${i}@example.org`);
    const seen = new Set((await filesHolding(join(dir, 'dynamodb'), emails)).map((h) => h.needle));
    expect(seen.size).toBe(OTHERS);
    // Nothing beside the database is left over from the rewrite.
    expect(readdirSync(dir).sort()).toEqual(['dynamodb', 's3']);
  });

  it('everyone else is still there, byte for byte, and the stack works on', async () => {
    const items = (await stack.ddb.send(new ScanCommand({ TableName: T() }))).Items ?? [];
    expect(items).toHaveLength(OTHERS);
    expect((await stack.ddb.send(new GetCommand({ TableName: T(), Key: otherKey(7) }))).Item).toEqual({
      ...otherKey(7),
      email: 'p7@example.org',
    });
    expect((await stack.ddb.send(new GetCommand({ TableName: T(), Key: otherKey(599) }))).Item).toMatchObject({
      first: 'Name599',
    });
    const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'rosters/r.csv' }));
    expect(await object.Body?.transformToString()).toBe('training_id,person_id,email\nT1,P1,p1@example.org\n');
    await stack.ddb.send(new PutCommand({ TableName: T(), Item: { pk: 'PERSON#P9999', sk: 'NEW', x: 1 } }));
    expect(
      (await stack.ddb.send(new GetCommand({ TableName: T(), Key: { pk: 'PERSON#P9999', sk: 'NEW' } }))).Item,
    ).toEqual({ pk: 'PERSON#P9999', sk: 'NEW', x: 1 });
  });

  it('a later erasure, a restart and a second compaction keep everyone else and nobody erased', async () => {
    await stack.ddb.send(new PutCommand({ TableName: T(), Item: { ...theirKeys[0], email: EMAIL } }));
    await stack.ddb.send(new DeleteCommand({ TableName: T(), Key: theirKeys[0] }));
    await compactEmbeddedStack(stack);
    await stack.close();
    stack = await startEmbeddedStack(dir);
    expect(await where()).toEqual([]);
    expect((await stack.ddb.send(new ScanCommand({ TableName: T() }))).Items).toHaveLength(OTHERS + 1);
  });
});

describe('finishInterruptedRewrite', () => {
  const files = (root: string) =>
    readdirSync(root)
      .sort()
      .map((d) => `${d}:${readdirSync(join(root, d)).join(',')}`);
  const layout = (root: string, dirs: Record<string, string>) => {
    for (const [name, marker] of Object.entries(dirs)) {
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, marker), '');
    }
  };
  it.each([
    ['stopped while copying', { db: 'old', 'db.compacting': 'partial' }, ['db:old']],
    ['stopped between the two renames', { 'db.erased': 'old', 'db.compacting': 'copy' }, ['db:copy']],
    ['stopped before deleting the old files', { db: 'copy', 'db.erased': 'old' }, ['db:copy']],
    ['copy lost after the first rename', { 'db.erased': 'old' }, ['db:old']],
    ['not interrupted', { db: 'old' }, ['db:old']],
  ])('%s', (_name, dirs, expected) => {
    const root = mkdtempSync(join(tmpdir(), 'iecmh-rewrite-'));
    try {
      layout(root, dirs);
      finishInterruptedRewrite(join(root, 'db'));
      expect(files(root)).toEqual(expected);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('does nothing when there is no database yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'iecmh-rewrite-'));
    finishInterruptedRewrite(join(root, 'db'));
    expect(existsSync(join(root, 'db'))).toBe(false);
    rmSync(root, { recursive: true, force: true });
  });
});
