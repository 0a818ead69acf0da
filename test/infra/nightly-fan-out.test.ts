/**
 * The nightly evaluation fanned out over segments (infra/constructs/nightly-fan-out.ts,
 * docs/operations.md "When the nightly pass outgrows one function"): always deployed, scheduled
 * in place of the refresh queue's nightly message only when the configuration asks for segments.
 */
import { Match } from 'aws-cdk-lib/assertions';
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
  fanned = synthPipeline('dev', { evaluate: { ...dev.evaluate, segments: 4 } });
});

/** The state machine's definition as Step Functions reads it (the template joins it from parts). */
function definitionOf(s: SynthesizedPipeline): {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
} {
  const machine = s.template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(s.stack.nightlyFanOut)];
  if (!machine) throw new Error('no nightly fan-out state machine in the template');
  const body = (machine.Properties as { DefinitionString: { 'Fn::Join': [string, unknown[]] } }).DefinitionString;
  // Function ARNs are references in the template: each becomes a placeholder string.
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'ARN')).join('');
  return JSON.parse(text);
}

describe('the nightly fan-out state machine', () => {
  it('plans, evaluates each segment in a Distributed Map, then puts the parts together', () => {
    const definition = definitionOf(single);
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
      .ItemProcessor.States.EvaluateSegment;
    expect(segment?.Parameters).toMatchObject({
      step: 'segment',
      'plan.$': '$.plan',
      'segment.$': '$.segment',
    });
    expect(Finish).toMatchObject({ End: true, Parameters: { step: 'finish', 'plan.$': '$.plan' } });
  });

  it('logs every event without the data, into an encrypted log group, and is traced', () => {
    single.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('may invoke the evaluate function and nothing else of this stack', () => {
    const evaluate = { 'Fn::GetAtt': [logicalIdOf(single.stack.evaluate.function), 'Arn'] };
    const invoke = grantsOf(single.template, single.stack.nightlyFanOut.role).filter((g) => g.startsWith('lambda:'));
    expect(invoke).toEqual(
      grantLines(['lambda:InvokeFunction'], [evaluate, { 'Fn::Join': ['', [evaluate, ':*']] }]).sort(),
    );
  });

  it('is not scheduled while the nightly pass is one segment: the refresh queue gets `{}` as before', () => {
    expect(single.stack.evaluateSchedule).toBeDefined();
    const targets = Object.values(single.template.findResources('AWS::Scheduler::Schedule')).map((r) =>
      JSON.stringify(r.Properties.Target.Arn),
    );
    expect(targets.some((t) => t.includes(logicalIdOf(single.stack.nightlyFanOut)))).toBe(false);
  });

  it('with segments, starts at the nightly hour in place of the queue message, no more segments at once than evaluate may run', () => {
    fanned.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'America/Chicago',
      Target: { Arn: { Ref: logicalIdOf(fanned.stack.nightlyFanOut) }, Input: '{}' },
    });
    const targets = Object.values(fanned.template.findResources('AWS::Scheduler::Schedule')).map((r) =>
      JSON.stringify(r.Properties.Target.Arn),
    );
    expect(targets.filter((t) => t.includes(logicalIdOf(fanned.stack.refreshQueue)))).toEqual([]);
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

  it.each(Object.keys(NAG_PACKS) as NagPackName[])('with segments, %s reports nothing unacknowledged', (pack) => {
    expect(nagFindings(fanned.app, pack)).toEqual([]);
  });
});
