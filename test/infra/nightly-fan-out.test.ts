/**
 * The nightly evaluation and the daily renewals fanned out over segments
 * (infra/constructs/nightly-fan-out.ts, docs/operations.md "When the nightly pass outgrows one
 * function"): each state machine always deployed, scheduled in place of its job's own schedule
 * (the evaluation's: the refresh queue's nightly message) only when the configuration asks for segments.
 */

import { Match } from 'aws-cdk-lib/assertions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infra/config.js';
import {
  grantLines,
  grantsOf,
  logicalIdOf,
  NAG_PACKS,
  type NagPackName,
  nagFindings,
  type SynthesizedPipeline,
  synthPipeline,
} from './synth.js';

let single: SynthesizedPipeline;
let fanned: SynthesizedPipeline;
beforeAll(() => {
  single = synthPipeline('dev');
  const dev = loadConfig('dev');
  fanned = synthPipeline('dev', {
    evaluate: { ...dev.evaluate, segments: 4 },
    renewals: { ...dev.renewals, segments: 3 },
  });
});

/** Each job's state machine, the function whose steps it runs, and its segment's state. */
const JOBS = [
  {
    job: 'evaluation',
    machine: (s: SynthesizedPipeline) => s.stack.nightlyFanOut,
    fn: (s: SynthesizedPipeline) => s.stack.evaluate,
    segmentState: 'EvaluateSegment',
  },
  {
    job: 'renewals',
    machine: (s: SynthesizedPipeline) => s.stack.renewalsFanOut,
    fn: (s: SynthesizedPipeline) => s.stack.renewals,
    segmentState: 'RenewSegment',
  },
];

/** The targets of every schedule in the template, as JSON. */
const scheduleTargets = (s: SynthesizedPipeline) =>
  Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((r) =>
    JSON.stringify(r.Properties.Target.Arn),
  );

/** The state machine's definition as Step Functions reads it (the template joins it from parts). */
function definitionOf(
  s: SynthesizedPipeline,
  stateMachine: sfn.StateMachine = s.stack.nightlyFanOut,
): {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
} {
  const machine = s.template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(stateMachine)];
  if (!machine) throw new Error('no such fan-out state machine in the template');
  const body = (machine.Properties as { DefinitionString: { 'Fn::Join': [string, unknown[]] } }).DefinitionString;
  // Function ARNs are references in the template: each becomes a placeholder string.
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'ARN')).join('');
  return JSON.parse(text);
}

describe.each(JOBS)('the $job fan-out state machine', ({ machine, fn, segmentState }) => {
  it('plans, runs each segment in a Distributed Map, then puts the parts together', () => {
    const definition = definitionOf(single, machine(single));
    expect(definition.StartAt).toBe('Plan');
    const { Plan, Segments, Finish } = definition.States as Record<string, Record<string, never>>;
    expect(Plan).toMatchObject({ Next: 'Segments', Parameters: { step: 'plan', totalSegments: 1 } });
    expect(Segments).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.segments',
      ItemSelector: { 'plan.$': '$.plan', 'segment.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } },
      ResultPath: null,
      Next: 'Finish',
    });
    const segment = (Segments as unknown as { ItemProcessor: { States: Record<string, { Parameters: unknown }> } })
      .ItemProcessor.States[segmentState];
    expect(segment?.Parameters).toMatchObject({
      step: 'segment',
      'plan.$': '$.plan',
      'segment.$': '$.segment',
    });
    expect(Finish).toMatchObject({ End: true, Parameters: { step: 'finish', 'plan.$': '$.plan' } });
  });

  it('logs every event without the data, into an encrypted log group, and is traced', () => {
    const resource = single.template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(machine(single))];
    expect(resource?.Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it("may invoke its job's function and nothing else of this stack", () => {
    const target = { 'Fn::GetAtt': [logicalIdOf(fn(single).function), 'Arn'] };
    const invoke = grantsOf(single.template, machine(single).role).filter((g) => g.startsWith('lambda:'));
    expect(invoke).toEqual(
      grantLines(['lambda:InvokeFunction'], [target, { 'Fn::Join': ['', [target, ':*']] }]).sort(),
    );
  });

  it('is not scheduled while its job is one segment', () => {
    expect(scheduleTargets(single).some((t) => t.includes(logicalIdOf(machine(single))))).toBe(false);
  });
});

describe('the nightly evaluation fan-out', () => {
  it('is not scheduled while the nightly pass is one segment: the refresh queue gets `{}` as before', () => {
    expect(scheduleTargets(single).filter((t) => t.includes(logicalIdOf(single.stack.refreshQueue)))).toHaveLength(1);
  });

  it('with segments, starts at the nightly hour in place of the queue message, no more segments at once than evaluate may run', () => {
    fanned.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'America/Chicago',
      Target: { Arn: { Ref: logicalIdOf(fanned.stack.nightlyFanOut) }, Input: '{}' },
    });
    expect(scheduleTargets(fanned).filter((t) => t.includes(logicalIdOf(fanned.stack.refreshQueue)))).toEqual([]);
    const definition = definitionOf(fanned);
    expect(definition.States.Plan).toMatchObject({ Parameters: { step: 'plan', totalSegments: 4 } });
    expect(definition.States.Segments).toMatchObject({ MaxConcurrency: 2 });
    // The schedule's role may start this state machine only.
    fanned.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: { Ref: logicalIdOf(fanned.stack.nightlyFanOut) },
          }),
        ]),
      },
    });
  });
});

describe('the daily renewals fan-out', () => {
  it('is not scheduled while the renewals are one segment: their schedule invokes the function as before', () => {
    const fnId = logicalIdOf(single.stack.renewals.function);
    expect(scheduleTargets(single).filter((t) => t.includes(fnId))).toHaveLength(1);
  });

  it('with segments, starts at the daily hour in place of the function, no more segments at once than renewals may run', () => {
    fanned.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 1 * * ? *)',
      ScheduleExpressionTimezone: 'America/Chicago',
      Target: { Arn: { Ref: logicalIdOf(fanned.stack.renewalsFanOut) }, Input: '{}' },
    });
    const fnId = logicalIdOf(fanned.stack.renewals.function);
    expect(scheduleTargets(fanned).filter((t) => t.includes(fnId))).toEqual([]);
    const definition = definitionOf(fanned, fanned.stack.renewalsFanOut);
    expect(definition.States.Plan).toMatchObject({ Parameters: { step: 'plan', totalSegments: 3 } });
    expect(definition.States.Segments).toMatchObject({ MaxConcurrency: 1 });
    fanned.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: { Ref: logicalIdOf(fanned.stack.renewalsFanOut) },
          }),
        ]),
      },
    });
  });

  it('may read back and delete the parts its segments write under admin/', () => {
    const s3 = grantsOf(single.template, single.stack.renewals.role).filter((g) => g.startsWith('s3:'));
    expect(s3.map((g) => g.split(' ')[0])).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
  });
});

describe('both fan-outs with segments', () => {
  it.each(Object.keys(NAG_PACKS) as NagPackName[])('with segments, %s reports nothing unacknowledged', (pack) => {
    expect(nagFindings(fanned.app, pack)).toEqual([]);
  });
});
