/** The renewal job: run daily by EventBridge Scheduler (`{}` or `{ "asOf": "YYYY-MM-DD" }`). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { todayIn } from '#core/dates.js';
import { type RenewalDeps, type RenewalSummary, renewalsAll } from '#services/renewals-all.js';
import { AsOfEvent, parseEvent } from '../commons/events.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

export function makeRenewalsHandler(deps: RenewalDeps) {
  return pipelineMiddy<AsOfEvent, RenewalSummary>()
    .use(injectLambdaContext(logger))
    .use(parseEvent('renewals takes { "asOf"?: "YYYY-MM-DD" }', AsOfEvent))
    .handler(async (event) => {
      const summary = await renewalsAll(deps, event.asOf ?? todayIn());
      logger.info('renewals computed', { ...summary });
      return summary;
    });
}
