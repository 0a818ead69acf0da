/** Handlers parse their events with schemas before any work: a bad event is refused saying why, and touches no store. */
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '#functions/commons/events.js';
import { objectsInMessage } from '#functions/commons/s3-events.js';
import type { EraseHandlerDeps } from '#functions/erase/erase-handler.js';
import { makeEraseHandler } from '#functions/erase/erase-handler.js';
import { makeEvaluateHandler } from '#functions/evaluate/evaluate-handler.js';
import { type IngestHandlerDeps, makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { makeRenewalsHandler } from '#functions/renewals/renewals-handler.js';
import { makeReportsHandler } from '#functions/reports/reports-handler.js';
import { localContext } from '#local/queue.js';
import { s3CreatedEvent, sqsRecord } from '#local/s3-events.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:test';
/** Dependencies that throw when a handler reads anything but `known` (a client, a bucket, a table). */
function untouchable(known: Record<string, unknown> = {}): never {
  return new Proxy(known, {
    get: (target, name) => {
      if (typeof name === 'symbol' || name in target || name === 'then') return target[name as string];
      throw new Error(`the handler read deps.${name}`);
    },
  }) as never;
}

describe('S3 event notifications inside SQS messages', () => {
  it('reads the objects a notification announces, decoding keys once', () => {
    const body = JSON.stringify(s3CreatedEvent({ bucket: 'b', key: 'rosters/a b%.csv', size: 1, versionId: 'v1' }));
    expect(objectsInMessage(sqsRecord(body, 1, QUEUE))).toEqual([
      { bucket: 'b', key: 'rosters/a b%.csv', versionId: 'v1' },
    ]);
  });

  it('reads nothing from S3 test events and from notifications of other kinds', () => {
    const test = { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' };
    const restored = s3CreatedEvent({ bucket: 'b', key: 'rosters/a.csv', size: 1 });
    (restored.Records[0] as { eventName: string }).eventName = 'ObjectRestore:Completed';
    expect(objectsInMessage(sqsRecord(JSON.stringify(test), 1, QUEUE))).toEqual([]);
    expect(objectsInMessage(sqsRecord(JSON.stringify(restored), 1, QUEUE))).toEqual([]);
  });

  it('fails only the malformed messages of a batch, each as an item failure, without quoting the body', async () => {
    const good = sqsRecord(JSON.stringify({ Event: 's3:TestEvent' }), 1, QUEUE);
    const notJson = sqsRecord('Ann Example.csv', 1, QUEUE);
    const notS3 = sqsRecord(JSON.stringify({ reason: 'ingested' }), 1, QUEUE);
    const noKey = sqsRecord(
      JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }] }),
      1,
      QUEUE,
    );
    expect(() => objectsInMessage(notJson)).toThrow(`message ${notJson.messageId}: the body is not JSON`);
    expect(() => objectsInMessage(notS3)).toThrow(/is not an S3 event notification:\n.*\n.*at Records/);
    expect(() => objectsInMessage(noKey)).toThrow(/at Records\[0\]\.s3\.object/);

    const handler = makeIngestHandler(untouchable({ leaseMs: 0 }) as IngestHandlerDeps);
    const response = await handler({ Records: [good, notJson, notS3, noKey] }, localContext('iecmh-ingest'));
    expect(response.batchItemFailures).toEqual([notJson, notS3, noKey].map((r) => ({ itemIdentifier: r.messageId })));
  });
});

describe('the { asOf? } payload of the jobs', () => {
  const jobs = {
    evaluate: makeEvaluateHandler(untouchable()),
    renewals: makeRenewalsHandler(untouchable()),
    reports: makeReportsHandler(untouchable()),
  };

  it.each(Object.entries(jobs))('%s refuses a date that does not exist, and an unknown key', async (_, handler) => {
    const call = handler as (event: unknown, context: unknown) => Promise<unknown>;
    await expect(call({ asOf: '2026-02-30' }, localContext('job'))).rejects.toThrow(/Invalid ISO date\n.*at asOf/);
    await expect(call({ asof: '2026-01-31' }, localContext('job'))).rejects.toThrow(InvalidEventError);
    await expect(call({ asof: '2026-01-31' }, localContext('job'))).rejects.toThrow('Unrecognized key: "asof"');
  });

  it('erase needs person ids, and takes the same as-of date', async () => {
    const handler = makeEraseHandler(untouchable() as EraseHandlerDeps);
    await expect(handler({} as never, localContext('iecmh-erase'))).rejects.toThrow(
      /^erase needs.*\n.*\n.*at personIds/,
    );
    await expect(handler({ personIds: ['P1'], asOf: '2026-13-01' }, localContext('iecmh-erase'))).rejects.toThrow(
      /at asOf/,
    );
  });
});

describe('the fan-out steps of evaluate and renewals (functions/commons/fan-out.ts)', () => {
  const plan = { asOf: '2026-11-01', rulesetId: 'r', generation: 0, summaryRun: 'run', totalSegments: 2 };
  const steppers = { evaluate: makeEvaluateHandler(untouchable()), renewals: makeRenewalsHandler(untouchable()) };

  it.each(Object.entries(steppers))('%s refuses a step it does not know, a plan cut short or padded', async (_, h) => {
    const call = h as (event: unknown, context: unknown) => Promise<unknown>;
    await expect(call({ step: 'merge', plan }, localContext('job'))).rejects.toThrow(InvalidEventError);
    const { summaryRun: _run, ...short } = plan;
    await expect(call({ step: 'finish', plan: short }, localContext('job'))).rejects.toThrow(/at plan\.summaryRun/);
    await expect(call({ step: 'finish', plan: { ...plan, names: [] } }, localContext('job'))).rejects.toThrow(
      'Unrecognized key: "names"',
    );
    await expect(call({ step: 'segment', plan, segment: -1 }, localContext('job'))).rejects.toThrow(/at segment/);
    await expect(call({ step: 'plan', totalSegments: 0 }, localContext('job'))).rejects.toThrow(/at totalSegments/);
  });
});
