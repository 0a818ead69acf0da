/**
 * The steps of a job over everyone fanned out over segments (infra/constructs/nightly-fan-out.ts,
 * docs/architecture.md "Fanning out"): `{ "step": "plan", "totalSegments": n, "asOf"?: … }`, then
 * `{ "step": "segment", "plan": …, "segment": i }` for each segment, then `{ "step": "finish", "plan": … }`.
 * The evaluation and the renewal job take the same steps, each with its own plan.
 */
import { z } from 'zod';
import { todayIn } from '#core/dates.js';

/** What every job's plan holds: the date, the ruleset, the facts' generation, the summaries' run, the segments. */
export const FullPassPlan = z.strictObject({
  asOf: z.iso.date(),
  rulesetId: z.string().min(1),
  generation: z.number().int().nonnegative(),
  summaryRun: z.string().min(1),
  totalSegments: z.number().int().positive(),
});

/** The state machine's payloads for a job whose plan step returns plans that `plan` reads back. */
export function fanOutSteps<P extends z.ZodType<{ totalSegments: number }>>(plan: P) {
  return z.discriminatedUnion('step', [
    z.strictObject({
      step: z.literal('plan'),
      asOf: z.iso.date().optional(),
      totalSegments: z.number().int().min(1).max(1000),
    }),
    z.strictObject({ step: z.literal('segment'), plan, segment: z.number().int().nonnegative() }),
    z.strictObject({ step: z.literal('finish'), plan }),
  ]);
}

/** A step as the handler receives it, for a job whose plans are `Plan`. */
export type FanOutStep<Plan> =
  | { step: 'plan'; asOf?: string; totalSegments: number }
  | { step: 'segment'; plan: Plan; segment: number }
  | { step: 'finish'; plan: Plan };

/** A job's three steps, as its service provides them. */
export interface FanOutJob<Plan extends { totalSegments: number }, SegmentResult, FinishResult> {
  plan(asOf: string, totalSegments: number): Promise<Plan>;
  segment(plan: Plan, segment: number): Promise<SegmentResult>;
  finish(plan: Plan): Promise<FinishResult>;
}

/** What the plan step returns: the plan, and the segments the state machine's Distributed Map runs over. */
export interface PlannedFanOut<Plan> {
  plan: Plan;
  segments: number[];
}

/** Runs one step of a job; a segment the plan does not have is refused. */
export async function runFanOutStep<Plan extends { totalSegments: number }, SegmentResult, FinishResult>(
  job: FanOutJob<Plan, SegmentResult, FinishResult>,
  step: FanOutStep<Plan>,
): Promise<PlannedFanOut<Plan> | SegmentResult | FinishResult> {
  if (step.step === 'plan') {
    const plan = await job.plan(step.asOf ?? todayIn(), step.totalSegments);
    return { plan, segments: Array.from({ length: plan.totalSegments }, (_, i) => i) };
  }
  if (step.step === 'segment') {
    if (step.segment >= step.plan.totalSegments) throw new Error(`segment ${step.segment} is not one of the plan's`);
    return job.segment(step.plan, step.segment);
  }
  return job.finish(step.plan);
}

/** True for an event that is a fan-out step (it names its step), as against a job's other payloads. */
export const isFanOutStep = (event: unknown): boolean => typeof event === 'object' && event !== null && 'step' in event;
