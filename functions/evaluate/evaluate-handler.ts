/**
 * The evaluate function: judges applicants on a date and brings admin/eligibility.csv up to date.
 * Triggered by the refresh queue, whose messages from ingest name the people a change reached
 * (`{ "personIds": [...], "sources"?: [...], "asOf"?: "YYYY-MM-DD" }`: only they are evaluated),
 * by the nightly schedule's message `{}` and by any other message (everyone is evaluated), or
 * invoked on demand with `{ "asOf"?: "YYYY-MM-DD" }` (everyone) or a payload naming people.
 * The nightly pass that outgrows one function runs as steps of the fan-out state machine
 * (infra/constructs/nightly-fan-out.ts; the steps: functions/commons/fan-out.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { todayIn } from '#core/dates.js';
import {
  type EvaluateDeps,
  type EvaluateSummary,
  type EvaluationPlan,
  evaluateAll,
  evaluatePlannedSegment,
  finishEvaluation,
  planEvaluation,
} from '#services/evaluate-all.js';
import { type EvaluatePeopleSummary, evaluateEveryone, evaluatePeople } from '#services/evaluate-people.js';
import { AsOfEvent, hasRecords, parseEvent } from '../commons/events.js';
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

/** The refresh queue's messages; their bodies are read as PeopleEvent, anything else asks for everyone. */
const RefreshMessages = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });

/** Whom to evaluate: the people a change reached and the uploads whose change it was (ingest's message). */
export const PeopleEvent = AsOfEvent.extend({
  personIds: z.array(z.string().min(1)),
  sources: z.array(z.string().min(1)).optional(),
  /** The change's or message's notes (STATE#pending) to let go of once its people are summarised. */
  pending: z.array(z.string().min(1)).optional(),
});
export type PeopleEvent = z.infer<typeof PeopleEvent>;

/** What the evaluation's plan step returns and its later steps take back (services/evaluate-all.ts). */
const EvaluationPlanPayload = FullPassPlan;

/** A step of the nightly evaluation fanned out over segments (the state machine's payloads). */
export const EvaluationStep = fanOutSteps(EvaluationPlanPayload);
export type EvaluationStep = FanOutStep<EvaluationPlan>;

export type EvaluateEvent = z.infer<typeof RefreshMessages> | AsOfEvent | PeopleEvent | EvaluationStep;
export type EvaluateResult =
  | EvaluateSummary
  | EvaluatePeopleSummary
  | (EvaluateSummary | EvaluatePeopleSummary)[]
  | EvaluationStepResult;

/** The plan with the segments the state machine maps over; a segment's counts; the finish's export. */
type EvaluationStepResult =
  | PlannedFanOut<EvaluationPlan>
  | { segment: number; applicants: number; eligible: number }
  | { csvKey: string };

/** The evaluation's steps, for runFanOutStep. */
const evaluationSteps = (deps: EvaluateDeps) => ({
  plan: (asOf: string, totalSegments: number) => planEvaluation(deps, asOf, totalSegments),
  segment: (plan: EvaluationPlan, segment: number) => evaluatePlannedSegment(deps, plan, segment),
  finish: (plan: EvaluationPlan) => finishEvaluation(deps, plan),
});

type PeopleByDate = Map<string, { personIds: Set<string>; sources: Set<string>; pending: Set<string> }>;

/** The pending notes the messages name, whatever they ask for (an everyone request names its own). */
function pendingOf(bodies: string[]): string[] {
  const Notes = z.object({ pending: z.array(z.string().min(1)) });
  return bodies.flatMap((body) => {
    try {
      const parsed = Notes.safeParse(JSON.parse(body));
      return parsed.success ? parsed.data.pending : [];
    } catch {
      return [];
    }
  });
}

/** The messages' people grouped by date, or undefined when one of them asks for everyone. */
function peopleOf(bodies: string[]): PeopleByDate | undefined {
  const byDate: PeopleByDate = new Map();
  for (const body of bodies) {
    let parsed: ReturnType<typeof PeopleEvent.safeParse>;
    try {
      parsed = PeopleEvent.safeParse(JSON.parse(body));
    } catch {
      return undefined;
    }
    if (!parsed.success) return undefined;
    const asOf = parsed.data.asOf ?? todayIn();
    const group = byDate.get(asOf) ?? { personIds: new Set(), sources: new Set(), pending: new Set() };
    for (const id of parsed.data.personIds) group.personIds.add(id);
    for (const key of parsed.data.sources ?? []) group.sources.add(key);
    for (const key of parsed.data.pending ?? []) group.pending.add(key);
    byDate.set(asOf, group);
  }
  return byDate;
}

/** Builds the handler around its dependencies (Lambda and the local runner). */
export function makeEvaluateHandler(deps: EvaluateDeps) {
  return pipelineMiddy<EvaluateEvent, EvaluateResult>()
    .use(injectLambdaContext(logger))
    .use(
      parseEvent<EvaluateEvent>(
        'evaluate takes refresh messages, { "asOf"?: "YYYY-MM-DD" }, { "personIds": [...], "asOf"?: "YYYY-MM-DD" } or a fan-out step',
        (event) =>
          hasRecords(event)
            ? RefreshMessages
            : 'personIds' in Object(event)
              ? PeopleEvent
              : isFanOutStep(event)
                ? EvaluationStep
                : AsOfEvent,
      ),
    )
    .handler(async (event) => {
      if ('step' in event) {
        const result = await runFanOutStep(evaluationSteps(deps), event);
        logger.info('evaluation step done', { step: event.step, ...result });
        return result;
      }
      if ('personIds' in event) {
        const summary = await evaluatePeople(
          deps,
          event.asOf ?? todayIn(),
          event.personIds,
          event.sources,
          event.pending,
        );
        logger.info('evaluated', { ...summary });
        return summary;
      }
      const bodies = 'Records' in event ? event.Records.map((r) => r.body) : [];
      const groups = 'Records' in event ? peopleOf(bodies) : undefined;
      if (!groups) {
        // The safety net: a schedule, an operator, an old message or a calendar change judges everyone.
        const asOf = 'Records' in event ? todayIn() : (event.asOf ?? todayIn());
        const pending = pendingOf(bodies);
        // Messages' changes are let go of only once the summaries are marked as no longer current.
        const summary =
          pending.length > 0 ? await evaluateEveryone(deps, asOf, pending) : await evaluateAll(deps, asOf);
        logger.info('evaluated', { ...summary });
        return summary;
      }
      const summaries = [];
      for (const [asOf, { personIds, sources, pending }] of groups) {
        const summary = await evaluatePeople(deps, asOf, [...personIds], [...sources], [...pending]);
        logger.info('evaluated', { ...summary });
        summaries.push(summary);
      }
      return summaries;
    });
}
