/** The weekly digest: run by EventBridge Scheduler (`{}` or `{ "asOf": "YYYY-MM-DD" }`). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { todayIn } from '#core/dates.js';
import { type DigestDeps, type DigestSummary, sendWeeklyDigest } from '#services/weekly-digest.js';
import { AsOfEvent, parseEvent } from '../commons/events.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

export function makeDigestHandler(deps: DigestDeps) {
  return pipelineMiddy<AsOfEvent, DigestSummary>()
    .use(injectLambdaContext(logger))
    .use(parseEvent('digest takes { "asOf"?: "YYYY-MM-DD" }', AsOfEvent))
    .handler(async (event) => {
      const summary = await sendWeeklyDigest(deps, event.asOf ?? todayIn());
      // Counts only: the digest's people stay in the email.
      logger.info('weekly digest sent', { ...summary });
      return summary;
    });
}
