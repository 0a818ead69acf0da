/**
 * The reports function: publishes the policymaker reports. Triggered by an EventBridge Scheduler
 * schedule (payload `{}` or `{ "asOf": "YYYY-MM-DD" }`) and by the S3 notification sent when
 * admin/eligibility.csv is written (skipped while changes are still being evaluated: the last
 * evaluation's export sends another).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { todayIn } from '#core/dates.js';
import { ELIGIBILITY_KEY } from '#services/evaluate-all.js';
import { type PublishDeps, type PublishSummary, publishReports } from '#services/publish-reports.js';
import { AsOfEvent, hasRecords, parseEvent } from '../commons/events.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';
import { decodeS3Key, S3Notification } from '../commons/s3-events.js';

export type ReportsEvent = S3Notification | AsOfEvent;

/** What the handler did: the published run, or why nothing was published. */
export type ReportsResult = PublishSummary | { skipped: string };

/** True when an S3 notification says admin/eligibility.csv was (re)written. */
export function announcesEligibility(event: S3Notification): boolean {
  return event.Records.some(
    (r) => r.eventName.startsWith('ObjectCreated') && decodeS3Key(r.s3.object.key) === ELIGIBILITY_KEY,
  );
}

/** Builds the handler around its dependencies (Lambda and the local runner). */
export function makeReportsHandler(deps: PublishDeps, options: { now?: () => Date } = {}) {
  return pipelineMiddy<ReportsEvent, ReportsResult>()
    .use(injectLambdaContext(logger))
    .use(
      parseEvent<ReportsEvent>('reports takes an S3 notification or { "asOf"?: "YYYY-MM-DD" }', (event) =>
        hasRecords(event) ? S3Notification : AsOfEvent,
      ),
    )
    .handler(async (event) => {
      const now = options.now?.() ?? new Date();
      let asOf: string;
      if ('Records' in event) {
        // The notification is filtered to the eligibility export in the stack; anything else is a misrouted event.
        if (!announcesEligibility(event)) {
          logger.warn('reports not published: the S3 event does not announce the eligibility export', {
            keys: event.Records.map((r) => r.s3.object.key),
          });
          return { skipped: 'the S3 event does not announce admin/eligibility.csv' };
        }
        // More of a change's refresh messages are still to be evaluated: the last one's export announces
        // itself again, and the reports then count everyone's summaries instead of reading the rows now.
        if (await dynamoTableStore(deps.ddb, deps.tableName).anyPending()) {
          logger.info('reports not published yet: changes are still being evaluated');
          return { skipped: 'changes are still being evaluated; the last evaluation starts the reports' };
        }
        asOf = todayIn(undefined, now);
      } else {
        asOf = event.asOf ?? todayIn(undefined, now);
      }
      // An earlier release the trend must leave out is worth a warning, not a failed run.
      const log = (message: string, data?: Record<string, unknown>) => logger.warn(message, data ?? {});
      const summary = await publishReports({ log, ...deps }, asOf, { now });
      logger.info('reports published', {
        asOf,
        prefix: summary.prefix,
        files: summary.keys.length,
        seconds: summary.seconds,
        scan: summary.scan,
      });
      return summary;
    });
}
