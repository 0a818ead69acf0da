/** The ingest function: SQS messages carrying S3 upload events, each file ingested, failures reported per message. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Clients } from '#adapters/clients.js';
import type { IngestProgress } from '#core/ingest/ingest.js';
import { type IngestOutcome, ingestObject } from '#services/ingest-object.js';
import { notifyRejectedRows, type ReceiptNotifier } from '#services/notify-receipt.js';
import { logger, logTo } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';
import { MalformedMessageError, objectsInMessage } from '../commons/s3-events.js';

export interface IngestHandlerDeps extends Clients {
  tableName: string;
  /** Called after each file (the local runner collects receipts; Lambda only logs). */
  onIngested?: (outcome: IngestOutcome) => void | Promise<void>;
  onProgress?: (file: string, progress: IngestProgress) => void;
  /** See IngestDeps.leaseMs: in Lambda, the invocation's remaining time; the local runner, which delivers one message at a time, passes 0. */
  leaseMs?: number;
  /** See IngestDeps.keyedHash: receipts warn when an upload names someone erased. */
  keyedHash?: (personId: string) => Promise<string>;
  /** Emails the administrators about a receipt with rejected rows (SES in AWS, the outbox locally); never fails the ingest. */
  notifier?: ReceiptNotifier;
}

/** Builds the handler around its dependencies, so Lambda and the local runner run the same code. */
export function makeIngestHandler(deps: IngestHandlerDeps) {
  /**
   * A source's lease lasts as long as this invocation can (plus a margin): a function that times
   * out mid-file holds nobody up after it is gone.
   */
  const recordHandler =
    (context: Context) =>
    async (record: SQSRecord): Promise<void> => {
      const { messageId } = record;
      let refs: ReturnType<typeof objectsInMessage>;
      try {
        refs = objectsInMessage(record);
      } catch (err) {
        if (err instanceof MalformedMessageError) logger.warn('message rejected', { messageId, reason: err.message });
        throw err;
      }
      const leaseMs = deps.leaseMs ?? context.getRemainingTimeInMillis() + 5_000;
      const log = logTo(logger, { messageId });
      for (const ref of refs) {
        let outcome: Awaited<ReturnType<typeof ingestObject>>;
        try {
          outcome = await ingestObject({ ...deps, leaseMs, log }, ref);
        } catch (err) {
          // The message goes back to the queue (and in the end to the dead-letter queue): say why, without the key's contents.
          logger.error('upload not ingested; the message will be retried', {
            messageId,
            key: ref.key,
            error: err as Error,
          });
          throw err;
        }
        if (outcome) await deps.onIngested?.(outcome);
        if (outcome && deps.notifier) await notifyRejectedRows({ log, ...deps.notifier }, outcome);
      }
    };
  return pipelineMiddy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event, context) => {
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, recordHandler(context), processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    });
}
