/**
 * The evaluate function: judges every applicant on a date and exports admin/eligibility.csv.
 * Triggered by the refresh queue after an ingest (SQS) or invoked on demand with `{ "asOf": "YYYY-MM-DD" }`.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { todayIn } from '#core/dates.js';
import { type EvaluateDeps, type EvaluateSummary, evaluateAll } from '#services/evaluate-all.js';
import { AsOfEvent, hasRecords, parseEvent } from '../commons/events.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

/** Messages from the refresh queue only say "data changed"; their bodies are not read. */
const RefreshMessages = z.object({ Records: z.array(z.object({ messageId: z.string() })) });

export type EvaluateEvent = z.infer<typeof RefreshMessages> | AsOfEvent;

/** Builds the handler around its dependencies (Lambda and the local runner). */
export function makeEvaluateHandler(deps: EvaluateDeps) {
  return pipelineMiddy<EvaluateEvent, EvaluateSummary>()
    .use(injectLambdaContext(logger))
    .use(
      parseEvent<EvaluateEvent>('evaluate takes refresh messages or { "asOf"?: "YYYY-MM-DD" }', (event) =>
        hasRecords(event) ? RefreshMessages : AsOfEvent,
      ),
    )
    .handler(async (event) => {
      // After a change everyone is judged again as of today.
      const asOf = 'Records' in event ? todayIn() : (event.asOf ?? todayIn());
      const summary = await evaluateAll(deps, asOf);
      logger.info('evaluated', { ...summary });
      return summary;
    });
}
