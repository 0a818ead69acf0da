/**
 * The ingest path under faults: throttling, a function that dies mid-file and is delivered again,
 * an event delivered three times, S3 reads that break part-way. After recovery the stored items
 * must equal a clean run's: no row lost, none doubled, receipts true.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clients } from '#adapters/clients.js';
import { makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { type EmbeddedStack, startEmbeddedStack } from '#local/embedded.js';
import { LocalQueue } from '#local/queue.js';
import { replayDeadLetters } from '#local/replay.js';
import { s3CreatedEvent } from '#local/s3-events.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { dyingDynamo, flakyS3, throttlingDynamo } from '../support/faults.js';

const dirs: string[] = [];
const stacks: EmbeddedStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'iecmh-faults-'));
  dirs.push(d);
  return d;
};

/** A small realistic dataset: every kind of file, a few thousand rows. */
async function dataset(): Promise<Record<string, Buffer>> {
  const dir = temp();
  const g = await generateDataset({ people: 150, seed: 'faults', out: dir, files: { rosters: 2 } });
  return Object.fromEntries(g.files.map((f) => [`${f.kind}/${f.name}`, readFileSync(f.path)]));
}

interface Run {
  stack: EmbeddedStack;
  outcomes: IngestOutcome[];
  deadLettered: string[];
  attempts: number;
}

/** Uploads the files and delivers their events (each `times` times) through the queue to a handler on `wrap`ped clients. */
async function ingest(
  files: Record<string, Buffer>,
  wrap: (c: Clients) => Clients = (c) => c,
  options: { times?: number; maxReceiveCount?: number } = {},
): Promise<Run> {
  const state = temp();
  const stack = await startEmbeddedStack(state);
  stacks.push(stack);
  const outcomes: IngestOutcome[] = [];
  const handler = makeIngestHandler({ ...stack, ...wrap(stack), onIngested: (o) => void outcomes.push(o) });
  const queue = new LocalQueue(handler, {
    deadLetterDir: join(state, 'dead-letter'),
    maxReceiveCount: options.maxReceiveCount ?? 3,
    batchSize: 2,
  });
  for (const [key, body] of Object.entries(files)) {
    const put = await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: key, Body: body }));
    const event = JSON.stringify(
      s3CreatedEvent({ bucket: stack.uploadsBucket, key, size: body.length, etag: put.ETag }),
    );
    for (let i = 0; i < (options.times ?? 1); i++) queue.send(event);
  }
  const drained = await queue.drain();
  return { stack, outcomes, deadLettered: drained.deadLettered, attempts: drained.delivered + drained.failedAttempts };
}

/** Every stored item, without the per-run receipt metadata, as sorted JSON lines. */
async function itemSet(stack: EmbeddedStack): Promise<string[]> {
  const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName }));
  return (out.Items ?? [])
    .map(({ ingestedAt: _a, etag: _e, versionId: _v, ...rest }) =>
      JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)))),
    )
    .sort();
}

function receiptsOf(run: Run) {
  return Object.fromEntries(run.outcomes.map((o) => [o.receipt.file, o.receipt]));
}

describe('ingest under faults ends where a clean run ends', () => {
  it('throttling for a stretch of requests: retried, nothing lost or doubled', async () => {
    const files = await dataset();
    const clean = await ingest(files);
    let stats = { throttled: 0 };
    const faulty = await ingest(files, (c) => {
      const t = throttlingDynamo(c.ddb, 3, 40);
      stats = t.stats;
      return { ...c, ddb: t.client };
    });
    expect(stats.throttled).toBe(38);
    expect(await itemSet(faulty.stack)).toEqual(await itemSet(clean.stack));
    expect(receiptsOf(faulty)).toEqual(receiptsOf(clean));
  });

  it('a function that dies in the middle of a file is delivered again and finishes the file', async () => {
    const files = await dataset();
    const clean = await ingest(files);
    let stats = { died: 0 };
    const faulty = await ingest(files, (c) => {
      const d = dyingDynamo(c.ddb, 30);
      stats = d.stats;
      return { ...c, ddb: d.client };
    });
    expect(stats.died).toBe(1);
    expect(faulty.attempts).toBe(Object.keys(files).length + 1);
    expect(faulty.deadLettered).toEqual([]);
    expect(await itemSet(faulty.stack)).toEqual(await itemSet(clean.stack));
    expect(receiptsOf(faulty)).toEqual(receiptsOf(clean));
  });

  it('the same S3 event delivered three times stores each row once', async () => {
    const files = await dataset();
    const clean = await ingest(files);
    const faulty = await ingest(files, undefined, { times: 3 });
    expect(faulty.outcomes).toHaveLength(3 * Object.keys(files).length);
    expect(await itemSet(faulty.stack)).toEqual(await itemSet(clean.stack));
  });

  it('S3 reads that break part-way are retried from the start of the file', async () => {
    const files = await dataset();
    const clean = await ingest(files);
    let stats = { broken: 0 };
    const faulty = await ingest(files, (c) => {
      const f = flakyS3(c.s3, 2, 20_000);
      stats = f.stats;
      return { ...c, s3: f.client };
    });
    expect(stats.broken).toBe(2);
    expect(await itemSet(faulty.stack)).toEqual(await itemSet(clean.stack));
    expect(receiptsOf(faulty)).toEqual(receiptsOf(clean));
  });

  it('a file that keeps failing goes to the dead-letter queue after maxReceiveCount deliveries, and one command replays it', async () => {
    const files = await dataset();
    const [key, body] = Object.entries(files).find(([k]) => k.startsWith('rsc/')) as [string, Buffer];
    let logged = '';
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        logged += String(chunk);
        return true;
      }),
    );
    const run = await ingest({ [key]: body }, (c) => ({ ...c, s3: flakyS3(c.s3, 1000, 1000).client }), {
      maxReceiveCount: 4,
    }).finally(() => {
      for (const spy of spies) spy.mockRestore();
    });
    expect(run.attempts).toBe(4);
    // Each failed delivery says, at ERROR, which upload failed and why (not just that a message went back).
    const errors = logged
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: string; key?: string; error?: { message: string } })
      .filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(4);
    for (const e of errors) expect(e).toMatchObject({ key, error: { message: expect.any(String) } });
    expect(run.deadLettered).toHaveLength(1);
    const dead = JSON.parse(readFileSync(run.deadLettered[0] as string, 'utf8'));
    expect(dead.receiveCount).toBe(4);
    expect(dead.body.Records[0].s3.object.key).toBe(key);
    expect(readdirSync(join(run.deadLettered[0] as string, '..'))).toHaveLength(1);

    // Once S3 reads work again, one command replays it and the dead-letter folder empties.
    const replay = await replayDeadLetters(run.stack);
    expect(replay).toEqual({ replayed: 1, succeeded: 1, stillFailing: [] });
    expect(readdirSync(join(run.deadLettered[0] as string, '..'))).toHaveLength(0);
    const clean = await ingest({ [key]: body });
    expect(await itemSet(run.stack)).toEqual(await itemSet(clean.stack));
  });
});
