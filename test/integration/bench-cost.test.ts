/**
 * The benchmark's cost on paper (scripts/bench-cost.ts, docs/benchmarks.md "Cost in AWS"): the meter
 * counts what DynamoDB and S3 would bill for requests sent to the embedded stack, and dollars follow
 * config/bench/aws-prices.json.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costUsage, dollars, loadPrices, meter, noUsage } from '../../scripts/bench-cost.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.destroy());

describe('the cost meter', () => {
  it('bills a small item written with an index key twice (table and index) and a small page read as half a unit', async () => {
    const metered = meter(stack);
    // 20 small items in the bySource index (they carry `sv`), 5 without.
    const items = Array.from({ length: 25 }, (_, i) => ({
      pk: 'PERSON#meter',
      sk: `ITEM#${String(i).padStart(2, '0')}`,
      ...(i < 20 ? { sv: 'SV#meter#1#0' } : {}),
    }));
    await stack.ddb.send(
      new BatchWriteCommand({ RequestItems: { [stack.tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    await stack.ddb.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'PERSON#meter' },
      }),
    );
    const put = await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'meter.txt', Body: 'x' }));
    expect(put.ETag).toBeDefined();
    await (
      await stack.s3.send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'meter.txt' }))
    ).Body?.transformToString();

    const usage = metered.take();
    expect(usage).toMatchObject({ writeUnits: 25 + 20, readUnits: 0.5, s3PutClass: 1, s3GetClass: 1 });
    // Taken: the meter starts again from nothing.
    expect(metered.take()).toEqual(noUsage());
  });
});

describe('dollars and the before/after usage', () => {
  const prices = loadPrices();

  it('prices each unit at its per-million or per-thousand rate', () => {
    const million = { ...noUsage(), readUnits: 1e6, writeUnits: 1e6, sqsRequests: 1e6, lambdaRequests: 1e6 };
    expect(dollars(million, prices)).toBeCloseTo(
      prices.dynamodb.perMillionReadRequestUnits +
        prices.dynamodb.perMillionWriteRequestUnits +
        prices.sqs.perMillionRequests +
        prices.lambda.perMillionRequests,
      9,
    );
    const thousand = { ...noUsage(), s3PutClass: 1e3, s3GetClass: 1e3, lambdaGbSeconds: 1 };
    expect(dollars(thousand, prices)).toBeCloseTo(
      prices.s3.perThousandPutCopyPostList + prices.s3.perThousandGetAndOther + prices.lambda.perGbSecond,
      9,
    );
  });

  it('makes an upload before the change cost a full evaluation, and after it the reached people only', () => {
    const reads = (readUnits: number) => ({ ...noUsage(), readUnits });
    const usage = costUsage(
      {
        incremental: {
          ingestUsage: reads(10),
          evaluateUsage: reads(20),
          ingestSeconds: 2,
          evaluateSeconds: 1,
          refreshMessages: 2,
        },
        evaluate: { usage: reads(1_000), seconds: 10 },
        renewals: { usage: reads(900), seconds: 10 },
        reports: { usage: reads(50), seconds: 5 },
        scan: { usage: reads(800) },
      },
      { ingest: 1024, evaluate: 2048, renewals: 2048, reports: 2048 },
    );
    expect(usage.uploadAfter).toMatchObject({
      readUnits: 30,
      lambdaRequests: 3,
      lambdaGbSeconds: 2 + 2,
      sqsRequests: 9,
    });
    expect(usage.uploadBefore).toMatchObject({ readUnits: 1_010, lambdaRequests: 2, lambdaGbSeconds: 2 + 20 });
    expect(usage.nightlyAfter.readUnits).toBe(1_950);
    expect(usage.nightlyBefore.readUnits).toBe(2_700);
  });
});
