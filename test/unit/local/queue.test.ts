/** The local queue delivers to the same middy-wrapped handlers as Lambda, with Lambda's redelivery. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LocalQueue, localContext } from '#local/queue.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-queue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A handler whose first invocation takes `firstMs` and later ones return at once; it counts them. */
function slowFirstHandler(firstMs: number) {
  const calls: Promise<unknown>[] = [];
  const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(async () => {
    const work = sleep(calls.length === 0 ? firstMs : 0);
    calls.push(work);
    await work;
    return { batchItemFailures: [] };
  });
  return { handler, calls };
}

it('an invocation that outlives a Lambda-style timeout is failed by middy and delivered again', async () => {
  const { handler, calls } = slowFirstHandler(400);
  const queue = new LocalQueue(handler, { deadLetterDir: join(dir, 'dlq'), timeoutMs: 100 });
  queue.send('{"Records":[]}');

  expect(await queue.drain()).toEqual({ delivered: 1, failedAttempts: 1, deadLettered: [] });
  expect(calls).toHaveLength(2); // and the first one was still running when the second began
  await Promise.all(calls);
});

it('by default a local invocation is never cut short: the same slow invocation is delivered once', async () => {
  const { handler, calls } = slowFirstHandler(400);
  const queue = new LocalQueue(handler, { deadLetterDir: join(dir, 'dlq') });
  queue.send('{"Records":[]}');

  expect(await queue.drain()).toEqual({ delivered: 1, failedAttempts: 0, deadLettered: [] });
  expect(calls).toHaveLength(1);
});

it('a local context without a timeout reports about 24 days left (a lease for a whole file of any size), not 15 minutes', () => {
  const days = localContext('iecmh-ingest').getRemainingTimeInMillis() / 86_400_000;
  expect(days).toBeGreaterThan(24);
  expect(localContext('iecmh-ingest', 120_000).getRemainingTimeInMillis()).toBeLessThanOrEqual(120_000);
});
