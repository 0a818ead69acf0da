/**
 * The renewal job: run daily by EventBridge Scheduler (`{}` or `{ "asOf": "YYYY-MM-DD" }`). A run
 * that outgrows one function runs as steps of its fan-out state machine
 * (infra/constructs/nightly-fan-out.ts; the steps: functions/commons/fan-out.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { todayIn } from '#core/dates.js';
import {
  finishRenewals,
  planRenewals,
  type RenewalDeps,
  type RenewalPlan,
  type RenewalSummary,
  renewalsAll,
  renewPlannedSegment,
} from '#services/renewals-all.js';
import { AsOfEvent, parseEvent } from '../commons/events.js';
import {
  type FanOutStep,
  FullPassPlan,
  fanOutSteps,
  isFanOutStep,
  type PlannedFanOut,
  runFanOutStep,
} from '../commons/fan-out.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

/**
 * What the renewal job's plan step returns and its later steps take back (services/renewals-all.ts):
 * a full pass's plan, and whether it judges from the endorsees' summaries.
 */
const RenewalPlanPayload = FullPassPlan.extend({ fromSummaries: z.boolean().optional() });

/** A step of the renewal job fanned out over segments (the state machine's payloads). */
export const RenewalStep = fanOutSteps(RenewalPlanPayload);
export type RenewalStep = FanOutStep<RenewalPlan>;

export type RenewalsEvent = AsOfEvent | RenewalStep;

/** The plan with the segments the state machine maps over; a segment's counts; the finish's exports. */
type RenewalStepResult =
  | PlannedFanOut<RenewalPlan>
  | Awaited<ReturnType<typeof renewPlannedSegment>>
  | Awaited<ReturnType<typeof finishRenewals>>;

export type RenewalsResult = RenewalSummary | RenewalStepResult;

/** The renewal job's steps, for runFanOutStep. */
const renewalSteps = (deps: RenewalDeps) => ({
  plan: (asOf: string, totalSegments: number) => planRenewals(deps, asOf, totalSegments),
  segment: (plan: RenewalPlan, segment: number) => renewPlannedSegment(deps, plan, segment),
  finish: (plan: RenewalPlan) => finishRenewals(deps, plan),
});

export function makeRenewalsHandler(deps: RenewalDeps) {
  return pipelineMiddy<RenewalsEvent, RenewalsResult>()
    .use(injectLambdaContext(logger))
    .use(
      parseEvent<RenewalsEvent>('renewals takes { "asOf"?: "YYYY-MM-DD" } or a fan-out step', (event) =>
        isFanOutStep(event) ? RenewalStep : AsOfEvent,
      ),
    )
    .handler(async (event) => {
      if ('step' in event) {
        const result = await runFanOutStep(renewalSteps(deps), event);
        logger.info('renewal step done', { step: event.step, ...result });
        return result;
      }
      const summary = await renewalsAll(deps, event.asOf ?? todayIn());
      logger.info('renewals computed', { ...summary });
      return summary;
    });
}
