import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriter, WriteFailedError } from '#adapters/dynamo/batch-writer.js';
import { type BatchWriteFault, faultyBatchWrites } from '../support/faults.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.destroy();
});

/**
 * The embedded DynamoDB never throttles, so this wraps the real client to inject faults: its first
 * `faultyRequests` BatchWriteItem attempts write only part of the batch and return the rest as
 * UnprocessedItems (as DynamoDB does under load), or throw a throttling error.
 */
const flakyClient = (stack: TestStack, faultyRequests: number, mode: BatchWriteFault) =>
  faultyBatchWrites(stack.ddb, (attempt) => (attempt <= faultyRequests ? mode : undefined));

const item = (i: number) => ({ pk: `P#${i}`, sk: 'X', n: i });
const noWait = { sleep: async () => undefined };

describe('BatchWriter', () => {
  it('writes in requests of 25 and, without faults, one request per 25 items', async () => {
    const writer = new BatchWriter(stack.ddb, stack.tableName, noWait);
    for (let i = 0; i < 100; i++) await writer.put(item(i));
    const stats = await writer.flush();
    expect(stats).toMatchObject({ items: 100, requests: 4, retries: 0 });
    const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT' }));
    expect(out.Count).toBe(100);
  });

  it('asks to be waited for only on the put that sends a request, and that wait ends once a request is free', async () => {
    const writer = new BatchWriter(stack.ddb, stack.tableName, { ...noWait, concurrency: 1 });
    const waits = Array.from({ length: 50 }, (_, i) => writer.put(item(i)));
    // The 25th put sent the first request; the 50th waits for it before sending the second.
    expect(waits.map((w, i) => (w === undefined ? '' : String(i + 1))).filter(Boolean)).toEqual(['25', '50']);
    await Promise.all(waits);
    expect(writer.stats.requests).toBe(2);
    expect(await writer.flush()).toMatchObject({ items: 50, requests: 2 });
    const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT' }));
    expect(out.Count).toBe(50);
  });

  it('retries UnprocessedItems until every item is stored, once', async () => {
    const delays: number[] = [];
    const writer = new BatchWriter(flakyClient(stack, 6, 'unprocessed'), stack.tableName, {
      sleep: async (ms) => void delays.push(ms),
      random: () => 1,
      baseDelayMs: 10,
      maxDelayMs: 40,
      concurrency: 1,
    });
    for (let i = 0; i < 60; i++) await writer.put(item(i));
    const stats = await writer.flush();
    expect(stats.retries).toBeGreaterThan(0);
    // capped exponential: 20, 40, 40, ... with random() = 1
    expect(Math.max(...delays)).toBe(40);
    const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName }));
    expect(out.Items?.map((i) => i.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('backs off and retries when DynamoDB throttles whole requests', async () => {
    const writer = new BatchWriter(flakyClient(stack, 3, 'throttle'), stack.tableName, noWait);
    for (let i = 0; i < 25; i++) await writer.put(item(i));
    const stats = await writer.flush();
    expect(stats).toMatchObject({ throttles: 3, retries: 3 });
  });

  it('gives up with a clear error when items stay unprocessed', async () => {
    const writer = new BatchWriter(flakyClient(stack, 1000, 'unprocessed'), stack.tableName, {
      ...noWait,
      maxAttempts: 4,
    });
    for (let i = 0; i < 25; i++) await writer.put(item(i));
    await expect(writer.flush()).rejects.toThrow(WriteFailedError);
  });

  it('keeps the last of two items with the same key in one request (BatchWriteItem refuses duplicates)', async () => {
    const writer = new BatchWriter(stack.ddb, stack.tableName, noWait);
    await writer.put({ pk: 'P#1', sk: 'X', n: 1 });
    await writer.put({ pk: 'P#1', sk: 'X', n: 2 });
    await writer.flush();
    const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName }));
    expect(out.Items).toEqual([{ pk: 'P#1', sk: 'X', n: 2 }]);
  });
});
