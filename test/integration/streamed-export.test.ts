/**
 * The large admin exports are streamed to S3 (putCsvStream): the records are made as the upload reads
 * them, in multipart parts, and the object that arrives is exactly the CSV that toCsv would have built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ObjectStore } from '#adapters/s3/object-store.js';
import { csvRecords, toCsv } from '#core/csv/write.js';
import { type EmbeddedStack, startEmbeddedStack } from '#local/embedded.js';

let dir: string;
let stack: EmbeddedStack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-stream-'));
  stack = await startEmbeddedStack(dir);
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const COLUMNS = ['person_id', 'last_name', 'note'];
const person = (i: number) => ({
  person_id: `P${i}`,
  last_name: `Müller-${i}`,
  note: i % 7 === 0 ? '=1+1, "quoted"' : '',
});

/** The names of the S3 commands sent from now on (a middleware under `name`). */
function recordCommands(name: string): string[] {
  const commands: string[] = [];
  stack.s3.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name },
  );
  return commands;
}

describe('streamed CSV exports', () => {
  it('writes an export of several 5 MiB parts as exactly the CSV toCsv builds, reading rows only as it goes', async () => {
    // Prepare: about 12 MB of records, so the upload takes three parts.
    const rows = 420_000;
    let made = 0;
    function* people() {
      for (let i = 0; i < rows; i++) {
        made++;
        yield person(i);
      }
    }
    const store = s3ObjectStore(stack.s3, stack.uploadsBucket);
    const commands = recordCommands('recordCommands');

    // Act
    const records = csvRecords(COLUMNS, people());
    const madeBeforeUpload = made;
    await store.putCsvStream('admin/streamed.csv', records);

    // Assess
    expect(madeBeforeUpload).toBe(0);
    expect(made).toBe(rows);
    const stored = await store.readText('admin/streamed.csv');
    const expected = toCsv(
      COLUMNS,
      Array.from({ length: rows }, (_, i) => person(i)),
    );
    expect(Buffer.byteLength(expected)).toBeGreaterThan(10 * 1024 * 1024);
    expect(stored === expected).toBe(true);
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');
  });
  it('writes an export smaller than one part in a single PutObject, byte for byte', async () => {
    // Prepare: some 50 KB of records, with non-ASCII names.
    const store = s3ObjectStore(stack.s3, stack.uploadsBucket);
    const commands = recordCommands('recordSmallCommands');
    const people = Array.from({ length: 2_000 }, (_, i) => person(i));

    // Act
    await store.putCsvStream('admin/small.csv', csvRecords(COLUMNS, people));

    // Assess
    expect(await store.readText('admin/small.csv')).toBe(toCsv(COLUMNS, people));
    expect(commands).toContain('PutObjectCommand');
    expect(commands).not.toContain('CreateMultipartUploadCommand');
  });
});
