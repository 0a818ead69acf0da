/**
 * The erasure function, invoked by an administrator (docs/operations.md):
 * `{ "personIds": ["P0000003"], "asOf"?: "YYYY-MM-DD" }`. It erases, regenerates the
 * administrators' exports, and answers with counts and keyed hashes; no id reaches a log line.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { todayIn } from '#core/dates.js';
import { type EraseDeps, type ErasureResult, erasePeople } from '#services/erase-people.js';
import { type EvaluateDeps, evaluateAll } from '#services/evaluate-all.js';
import { evaluatePeople } from '#services/evaluate-people.js';
import { renewalsAll } from '#services/renewals-all.js';
import { AsOfEvent, parseEvent } from '../commons/events.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

const EraseEvent = AsOfEvent.extend({
  personIds: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
});
export type EraseEvent = z.infer<typeof EraseEvent>;

export type EraseHandlerDeps = EraseDeps & EvaluateDeps;

export interface EraseResponse extends Omit<ErasureResult, 'unknown'> {
  /** How many of the ids given matched nothing (the caller knows which it sent; the log does not). */
  unknown: number;
  unknownIds: string[];
}

export function makeEraseHandler(deps: EraseHandlerDeps) {
  return pipelineMiddy<EraseEvent, EraseResponse>()
    .use(injectLambdaContext(logger))
    .use(parseEvent('erase needs { "personIds": ["..."] }', EraseEvent))
    .handler(async (event) => {
      const asOf = event.asOf ?? todayIn();
      const result = await erasePeople(deps, event.personIds, async (request) => {
        // The people it reached are evaluated again (everyone where it reached everyone).
        if ('personIds' in request) await evaluatePeople(deps, asOf, request.personIds, request.sources);
        else await evaluateAll(deps, asOf);
        await renewalsAll(deps, asOf);
      });
      logger.info('erasure done', {
        // Hashes and counts only: file names (in mentions) can carry a person's name.
        erased: result.erased.map(({ mentions, ...counts }) => ({ ...counts, mentions: mentions.length })),
        unknown: result.unknown.length,
      });
      return { erased: result.erased, unknown: result.unknown.length, unknownIds: result.unknown };
    });
}
