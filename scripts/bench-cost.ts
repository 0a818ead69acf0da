/**
 * The benchmark's cost on paper (docs/benchmarks.md, "Cost in AWS"): what the work of a phase would
 * be billed in AWS at the on-demand prices of config/bench/aws-prices.json.
 *
 * - DynamoDB: every request asks for its consumed capacity (ReturnConsumedCapacity TOTAL), which
 *   the emulator works out as DynamoDB does for the table (reads by 4 KB, eventually consistent at
 *   half a unit; writes by 1 KB). Its figure leaves out the bySource index, so each item put or
 *   deleted with an index key (`sv`) adds one write unit, as DynamoDB bills the index entry (a
 *   delete names only the key: every deleted item is taken to have had one, an upper bound).
 * - S3: requests by price class (PUT, COPY, POST, LIST and multipart parts; GET and HEAD; DELETE is free).
 * - Lambda and SQS: estimated from the phase's seconds at the function's memory and the messages
 *   sent; this machine is not a Lambda, so those are the roughest figures here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import { z } from 'zod';

const PriceSchema = z.object({
  region: z.string(),
  checked: z.string(),
  dynamodb: z.object({
    source: z.string(),
    perMillionWriteRequestUnits: z.number().positive(),
    perMillionReadRequestUnits: z.number().positive(),
  }),
  s3: z.object({
    source: z.string(),
    perThousandPutCopyPostList: z.number().positive(),
    perThousandGetAndOther: z.number().positive(),
  }),
  lambda: z.object({
    source: z.string(),
    perGbSecond: z.number().positive(),
    perMillionRequests: z.number().positive(),
  }),
  sqs: z.object({ source: z.string(), perMillionRequests: z.number().positive() }),
  stepFunctions: z.object({ source: z.string(), perThousandStateTransitions: z.number().positive() }),
});
export type Prices = z.infer<typeof PriceSchema>;

export function loadPrices(path = resolve(import.meta.dirname, '..', 'config', 'bench', 'aws-prices.json')): Prices {
  return PriceSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** What one piece of work used, in the units AWS bills. */
export interface Usage {
  readUnits: number;
  writeUnits: number;
  s3PutClass: number;
  s3GetClass: number;
  /** Lambda invocations and GB-seconds (seconds × memory). */
  lambdaRequests: number;
  lambdaGbSeconds: number;
  sqsRequests: number;
}

export const noUsage = (): Usage => ({
  readUnits: 0,
  writeUnits: 0,
  s3PutClass: 0,
  s3GetClass: 0,
  lambdaRequests: 0,
  lambdaGbSeconds: 0,
  sqsRequests: 0,
});

export function addUsage(...all: Partial<Usage>[]): Usage {
  const sum = noUsage();
  for (const u of all) for (const k of Object.keys(sum) as (keyof Usage)[]) sum[k] += u[k] ?? 0;
  return sum;
}

/** Dollars for a usage at the given prices. */
export function dollars(u: Usage, p: Prices): number {
  return (
    (u.readUnits / 1e6) * p.dynamodb.perMillionReadRequestUnits +
    (u.writeUnits / 1e6) * p.dynamodb.perMillionWriteRequestUnits +
    (u.s3PutClass / 1e3) * p.s3.perThousandPutCopyPostList +
    (u.s3GetClass / 1e3) * p.s3.perThousandGetAndOther +
    (u.lambdaRequests / 1e6) * p.lambda.perMillionRequests +
    u.lambdaGbSeconds * p.lambda.perGbSecond +
    (u.sqsRequests / 1e6) * p.sqs.perMillionRequests
  );
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const S3_PUT_CLASS = /^(Put|Copy|Post|List|CreateMultipartUpload|UploadPart|CompleteMultipartUpload)/;
const S3_GET_CLASS = /^(Get|Head)/;

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const unitsOf = (c: Capacity) => (Array.isArray(c) ? c : c ? [c] : []).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0);

/** Index entries a write request puts or deletes (see the header). */
function indexWrites(command: string, input: Record<string, unknown>): number {
  const hasIndexKey = (item: unknown) => typeof item === 'object' && item !== null && 'sv' in item;
  if (command === 'PutItem') return hasIndexKey(input.Item) ? 1 : 0;
  if (command === 'DeleteItem') return 1;
  if (command !== 'BatchWriteItem') return 0;
  let n = 0;
  for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>)) {
    for (const r of requests as { PutRequest?: { Item: unknown }; DeleteRequest?: unknown }[]) {
      if (r.DeleteRequest || hasIndexKey(r.PutRequest?.Item)) n++;
    }
  }
  return n;
}

type Client = { middlewareStack: MiddlewareStack<object, object> };

/** Meters the billable work the two clients send from now on; `take()` returns it and starts again. */
export function meter(clients: { ddb: unknown; s3: unknown }) {
  let usage = noUsage();
  const dynamo: InitializeMiddleware<object, object> = (next, context) => async (args) => {
    const command = (context.commandName ?? '').replace(/Command$/, '');
    const input = args.input as Record<string, unknown>;
    const metered = READS.has(command) || WRITES.has(command);
    if (metered) input.ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    if (metered) {
      const units = unitsOf((result.output as { ConsumedCapacity?: Capacity }).ConsumedCapacity);
      if (READS.has(command)) usage.readUnits += units;
      else usage.writeUnits += units + indexWrites(command, input);
    }
    return result;
  };
  const s3: InitializeMiddleware<object, object> = (next, context) => async (args) => {
    const command = (context.commandName ?? '').replace(/Command$/, '');
    if (S3_PUT_CLASS.test(command)) usage.s3PutClass++;
    else if (S3_GET_CLASS.test(command)) usage.s3GetClass++;
    return next(args);
  };
  (clients.ddb as Client).middlewareStack.add(dynamo, { step: 'initialize', name: 'benchCostMeter' });
  (clients.s3 as Client).middlewareStack.add(s3, { step: 'initialize', name: 'benchCostMeter' });
  return {
    take(): Usage {
      const taken = usage;
      usage = noUsage();
      return taken;
    },
  };
}

/** One function invocation's Lambda usage: `seconds` at `memoryMb`. */
export const lambdaUsage = (seconds: number, memoryMb: number, invocations = 1): Partial<Usage> => ({
  lambdaRequests: invocations,
  lambdaGbSeconds: (seconds * memoryMb) / 1024,
});

/** The phases' figures the cost on paper is made from (bench-phases.ts, bench-incremental.ts). */
export interface CostInputs {
  incremental: {
    ingestUsage: Usage;
    evaluateUsage: Usage;
    ingestSeconds: number;
    evaluateSeconds: number;
    refreshMessages: number;
  };
  evaluate: { usage: Usage; seconds: number };
  renewals: { usage: Usage; seconds: number };
  reports: { usage: Usage; seconds: number };
  /** The bare Scan of the table: what each job read before it read summaries. */
  scan: { usage: Usage };
}

/** Memory of each function, from the deployment's configuration (infra/config.ts). */
export interface FunctionMemory {
  ingest: number;
  evaluate: number;
  renewals: number;
  reports: number;
}

/** An SQS message costs a send, a receive and a delete. */
const SQS_PER_MESSAGE = 3;

/**
 * Usage per 1,000-row upload and per nightly run, before and after issue 16:
 * - upload, after: the ingest, then the evaluation of the people it reaches (one invocation per refresh message);
 * - upload, before: the same ingest, then a full evaluation (every upload re-evaluated everyone);
 * - nightly, after: the full evaluation, the renewal job and the reports as measured;
 * - nightly, before: the same, with the reports reading the whole table (as the bare Scan) instead of summaries.
 */
export function costUsage(c: CostInputs, memory: FunctionMemory) {
  const ingest = addUsage(c.incremental.ingestUsage, lambdaUsage(c.incremental.ingestSeconds, memory.ingest), {
    sqsRequests: SQS_PER_MESSAGE,
  });
  const reached = addUsage(
    c.incremental.evaluateUsage,
    lambdaUsage(c.incremental.evaluateSeconds, memory.evaluate, c.incremental.refreshMessages),
    { sqsRequests: SQS_PER_MESSAGE * c.incremental.refreshMessages },
  );
  const fullEvaluation = addUsage(c.evaluate.usage, lambdaUsage(c.evaluate.seconds, memory.evaluate));
  const renewals = addUsage(c.renewals.usage, lambdaUsage(c.renewals.seconds, memory.renewals));
  const reports = addUsage(c.reports.usage, lambdaUsage(c.reports.seconds, memory.reports));
  const reportsFromRows = { ...reports, readUnits: c.scan.usage.readUnits };
  return {
    uploadBefore: addUsage(ingest, fullEvaluation, { sqsRequests: SQS_PER_MESSAGE }),
    uploadAfter: addUsage(ingest, reached),
    // The reports run the upload's new admin/eligibility.csv starts: the evaluation kept the summaries
    // current, so it reads them (the reports phase runs after the upload and its withdrawal), not the rows.
    uploadReports: reports,
    nightlyBefore: addUsage(fullEvaluation, renewals, reportsFromRows),
    nightlyAfter: addUsage(fullEvaluation, renewals, reports),
  };
}
