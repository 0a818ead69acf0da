/**
 * A local stand-in for the SQS queue between the uploads bucket and the ingest function:
 * batches, partial batch failures, redelivery up to maxReceiveCount, then a dead-letter folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsRecord } from './s3-events.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface QueueOptions {
  batchSize?: number;
  maxReceiveCount?: number;
  /** A Lambda-style timeout per invocation; none by default (a local run has no deadline). */
  timeoutMs?: number;
  /** Where messages that kept failing are kept, one JSON file each, for replay. */
  deadLetterDir: string;
}

interface Message {
  body: string;
  receiveCount: number;
}

export interface DrainResult {
  delivered: number;
  failedAttempts: number;
  deadLettered: string[];
}

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:iecmh-ingest-local';

/**
 * The remaining time a local invocation without a deadline reports: the longest delay a Node timer
 * accepts (about 24.8 days), so code that plans for "the rest of the invocation" (a source's lease)
 * still gets a valid delay. middy arms no timer outside Lambda (functions/commons/middy.ts).
 */
export const NO_DEADLINE_MS = 2 ** 31 - 1;

/**
 * A Lambda context for local invocations (only what handlers and Powertools read). Locally there
 * is no deadline unless `timeoutMs` gives one, counted from now as Lambda counts its timeout.
 */
export function localContext(functionName: string, timeoutMs: number = NO_DEADLINE_MS): Context {
  const deadline = performance.now() + Math.min(timeoutMs, NO_DEADLINE_MS);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - performance.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export class LocalQueue {
  private messages: Message[] = [];
  private readonly batchSize: number;
  private readonly maxReceiveCount: number;

  constructor(
    private readonly handler: SqsHandler,
    private readonly options: QueueOptions,
  ) {
    this.batchSize = options.batchSize ?? 1;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
  }

  send(body: string): void {
    this.messages.push({ body, receiveCount: 0 });
  }

  /** Delivers every message until each succeeded or went to the dead-letter folder. */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { delivered: 0, failedAttempts: 0, deadLettered: [] };
    while (this.messages.length > 0) {
      const batch = this.messages.splice(0, this.batchSize);
      for (const m of batch) m.receiveCount++;
      const records = batch.map((m) => sqsRecord(m.body, m.receiveCount, QUEUE_ARN));
      let failedIds: Set<string>;
      try {
        const response = await this.handler({ Records: records }, localContext('iecmh-ingest', this.options.timeoutMs));
        failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failedIds = new Set(records.map((r) => r.messageId)); // a thrown handler fails the whole batch
      }
      records.forEach((r, i) => {
        const m = batch[i] as Message;
        if (!failedIds.has(r.messageId)) {
          result.delivered++;
          return;
        }
        result.failedAttempts++;
        if (m.receiveCount < this.maxReceiveCount) this.messages.push(m);
        else result.deadLettered.push(this.deadLetter(m));
      });
    }
    return result;
  }

  private deadLetter(m: Message): string {
    mkdirSync(this.options.deadLetterDir, { recursive: true });
    const file = join(this.options.deadLetterDir, `${Date.now()}-${crypto.randomUUID()}.json`);
    writeFileSync(file, JSON.stringify({ receiveCount: m.receiveCount, body: JSON.parse(m.body) }, null, 2));
    return file;
  }
}
