/**
 * The benchmark's incremental phase (docs/benchmarks.md): on the evaluated table, one 1,000-row
 * roster of a new training is uploaded, and the people it reaches are evaluated as the refresh
 * queue's messages ask (500 to a message). Every item any read returns is counted (ScannedCount
 * of each Query and Scan, the item of each GetItem, the items of each BatchGetItem), ingest's own
 * lookups included, against the items in the table. The roster is then withdrawn and its people
 * evaluated again, uncounted, so the later phases find the table as it was.
 */
import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import Papa from 'papaparse';
import type { GenerateResult } from '../tools/synthetic/generate.js';
import { meter } from './bench-cost.js';
import { hostedStack, type PhaseResult, peakRssMb, say, seconds, stackModules } from './bench-host.js';
import { firstRosterRows } from './bench-replace.js';

/** The upload key and training of the phase's roster: named after no generated file or training. */
const INCREMENTAL_KEY = 'rosters/bench-incremental-1k.csv';
const INCREMENTAL_TRAINING = 'T-BENCH-INCREMENTAL';
const INCREMENTAL_ROWS = 1_000;

/** Counts the items every read returns, as DynamoDB bills them (what was scanned, not what was kept). */
function countReads<I extends object, O extends object>(client: { middlewareStack: MiddlewareStack<I, O> }) {
  let items = 0;
  const counter: InitializeMiddleware<I, O> = (next) => async (args) => {
    const result = await next(args);
    const out = (result.output ?? {}) as {
      ScannedCount?: number;
      Count?: number;
      Item?: unknown;
      Responses?: Record<string, unknown[]>;
    };
    if (out.ScannedCount !== undefined || out.Count !== undefined) items += out.ScannedCount ?? out.Count ?? 0;
    else if ('Item' in out && out.Item) items += 1;
    else if (out.Responses) for (const list of Object.values(out.Responses)) items += list.length;
    return result;
  };
  // The initialize step sees each command's output as the caller gets it.
  client.middlewareStack.add(counter, { step: 'initialize', name: 'benchReadCounter' });
  return {
    reset: () => {
      items = 0;
    },
    items: () => items,
  };
}

export async function incremental(data: GenerateResult, state: string): Promise<PhaseResult> {
  const {
    LocalQueue,
    s3CreatedEvent,
    s3RemovedEvent,
    makeIngestHandler,
    PutObjectCommand,
    DeleteObjectCommand,
    ScanCommand,
  } = await stackModules();
  const { evaluatePeople } = await import('../shared/services/evaluate-people.js');
  const { evaluateAll } = await import('../shared/services/evaluate-all.js');
  const { refreshRequests } = await import('../shared/services/reach.js');
  const { dynamoTableStore } = await import('../shared/adapters/dynamo/table-store.js');
  const stack = await hostedStack(state);
  try {
    const deps = { ...stack, adminBucket: stack.uploadsBucket };
    // The phase follows a full evaluation (its suggestion table and export); alone, it makes one first.
    if (!(await dynamoTableStore(stack.ddb, stack.tableName).suggestions())) await evaluateAll(deps, data.asOf);
    const reads = countReads(stack.ddb);
    let tableItems = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await stack.ddb.send(
        new ScanCommand({ TableName: stack.tableName, Select: 'COUNT', ExclusiveStartKey: start }),
      );
      tableItems += out.ScannedCount ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);

    // A new training's roster: the first 1,000 roster rows, as attendances of that one training.
    const { header, rows } = await firstRosterRows(
      data.files.filter((f) => f.kind === 'rosters'),
      INCREMENTAL_ROWS,
    );
    const idAt = header.indexOf('training_id');
    const body = Buffer.from(
      `${Papa.unparse([header, ...rows.map((r) => r.map((v, i) => (i === idAt ? INCREMENTAL_TRAINING : v)))], { newline: '\n' })}\n`,
    );
    const outcomes: { reach: { personIds: string[]; everyone: boolean }; pending: string }[] = [];
    const table = dynamoTableStore(stack.ddb, stack.tableName);
    const handler = makeIngestHandler({ ...stack, leaseMs: 0, onIngested: (o) => void outcomes.push(o) });
    const queue = new LocalQueue(handler, { deadLetterDir: `${state}/dead-letter` });
    /** The people reached, and the refresh messages that asked for them (each one evaluate invocation). */
    const evaluateReached = async () => {
      const outcome = outcomes.at(-1);
      if (!outcome) throw new Error('the roster was not ingested');
      if (outcome.reach.everyone) throw new Error('the roster reached everyone: not an incremental change');
      // As the ingest function hands a change over: its refresh messages noted pending, then its own note gone.
      const requests = await refreshRequests(table, { ...outcome, sourceKey: INCREMENTAL_KEY, altered: true });
      await table.clearPending(outcome.pending);
      for (const request of requests) {
        if ('personIds' in request)
          await evaluatePeople(deps, data.asOf, request.personIds, request.sources, request.pending);
      }
      return { people: outcome.reach.personIds.length, messages: requests.length };
    };

    reads.reset();
    const metered = meter(stack);
    const t0 = performance.now();
    const put = await stack.s3.send(
      new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: INCREMENTAL_KEY, Body: body }),
    );
    queue.send(
      JSON.stringify(
        s3CreatedEvent({ bucket: stack.uploadsBucket, key: INCREMENTAL_KEY, size: body.length, etag: put.ETag }),
      ),
    );
    if ((await queue.drain()).deadLettered.length > 0) throw new Error('the roster was dead-lettered');
    const ingestSeconds = seconds(t0);
    const ingestReads = reads.items();
    const ingestUsage = metered.take();
    const t1 = performance.now();
    const { people, messages } = await evaluateReached();
    const evaluateSeconds = seconds(t1);
    const evaluateUsage = metered.take();
    const itemsRead = reads.items();
    say(
      `1,000-row roster: ${people.toLocaleString('en-US')} people reached; items read ${itemsRead.toLocaleString('en-US')} (ingest ${ingestReads.toLocaleString('en-US')}, evaluation ${(itemsRead - ingestReads).toLocaleString('en-US')}) of ${tableItems.toLocaleString('en-US')} in the table; ingest ${ingestSeconds.toFixed(1)} s, evaluation ${evaluateSeconds.toFixed(1)} s`,
    );

    // Leave the table as it was: the roster withdrawn, its people evaluated again.
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: INCREMENTAL_KEY }));
    queue.send(JSON.stringify(s3RemovedEvent({ bucket: stack.uploadsBucket, key: INCREMENTAL_KEY })));
    if ((await queue.drain()).deadLettered.length > 0) throw new Error('the withdrawal was dead-lettered');
    await evaluateReached();
    return {
      table_items: tableItems,
      incremental_items_read: itemsRead,
      incremental_ingest_items_read: ingestReads,
      incremental_people: people,
      incremental_ingest_s: Number(ingestSeconds.toFixed(2)),
      incremental_evaluate_s: Number(evaluateSeconds.toFixed(2)),
      incremental_refresh_messages: messages,
      incremental_ingest_usage: { ...ingestUsage },
      incremental_evaluate_usage: { ...evaluateUsage },
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await stack.close();
  }
}
