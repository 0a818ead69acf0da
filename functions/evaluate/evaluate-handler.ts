/**
 * The evaluate function: judges every applicant on a date and exports admin/eligibility.csv.
 * Triggered by the refresh queue after an ingest (SQS) or invoked on demand with `{ "asOf": "YYYY-MM-DD" }`.
 */
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { type EvaluateDeps, type EvaluateSummary, evaluateAll } from '../../shared/services/evaluate-all.js';
import { todayIn } from '../commons/dates.js';
import { logger } from '../commons/logger.js';

const OnDemand = z.object({ asOf: z.iso.date().optional() }).strict();

export type EvaluateEvent = SQSEvent | z.infer<typeof OnDemand>;

/** Builds the handler around its dependencies (Lambda and the local runner). */
export function makeEvaluateHandler(deps: EvaluateDeps) {
  return middy<EvaluateEvent, EvaluateSummary, Error, Context>().handler(async (event) => {
    // Messages from the queue only say "data changed": everyone is judged again as of today.
    const asOf = 'Records' in event ? todayIn() : (OnDemand.parse(event).asOf ?? todayIn());
    const summary = await evaluateAll(deps, asOf);
    logger.info('evaluated', { ...summary });
    return summary;
  });
}
