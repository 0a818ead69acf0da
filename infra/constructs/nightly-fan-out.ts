import { type CfnResource, Duration, type RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { DeadLetterQueue } from './encrypted-queue.js';
import { ManagedPolicyRole, scheduleRole } from './managed-policy-role.js';

export interface NightlyFanOutProps {
  config: PipelineConfig;
  /** The evaluate function, which runs every step (functions/evaluate/evaluate-handler.ts, `FanOutStep`). */
  evaluate: IFunction;
  messagingKey: IKey;
  alarms: Alarms;
  logsKey: IKey;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The nightly evaluation of everyone fanned out over segments of the applicants (docs/operations.md,
 * "When the nightly pass outgrows one function"): a plan (the date, the facts' generation, the
 * summaries' run), a Distributed Map that runs one evaluate invocation per segment, each writing its
 * part of admin/eligibility.csv, then a finish that puts the parts together. The state machine is
 * always deployed (an operator can start it); the schedule starts it only when the configuration
 * asks for more than one segment, in place of the refresh queue's nightly message.
 */
export class NightlyFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly schedule?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: NightlyFanOutProps) {
    super(scope, id);
    const { config, evaluate } = props;
    const segments = config.evaluate.segments;
    // A throttled segment (the function's reserved concurrency is full) waits and tries again.
    const throttled = { errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(20), maxAttempts: 6 };

    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      lambdaFunction: evaluate,
      payload: sfn.TaskInput.fromObject({ step: 'plan', totalSegments: segments }),
      payloadResponseOnly: true,
    });
    const segment = new tasks.LambdaInvoke(this, 'EvaluateSegment', {
      lambdaFunction: evaluate,
      payload: sfn.TaskInput.fromObject({ step: 'segment', 'plan.$': '$.plan', 'segment.$': '$.segment' }),
      payloadResponseOnly: true,
    }).addRetry(throttled);
    const map = new sfn.DistributedMap(this, 'Segments', {
      itemsPath: '$.segments',
      itemSelector: { 'plan.$': '$.plan', 'segment.$': '$$.Map.Item.Value' },
      // No more at once than the function may run: the rest wait instead of failing.
      maxConcurrency: Math.min(segments, config.evaluate.reservedConcurrency),
      resultPath: sfn.JsonPath.DISCARD,
    }).itemProcessor(segment);
    const finish = new tasks.LambdaInvoke(this, 'Finish', {
      lambdaFunction: evaluate,
      payload: sfn.TaskInput.fromObject({ step: 'finish', 'plan.$': '$.plan' }),
      payloadResponseOnly: true,
    }).addRetry(throttled);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Its grants go to one managed policy (no inline default policy), as for every role here.
    const role = new ManagedPolicyRole(this, 'Role', {
      description: 'Step Functions: the nightly evaluation in segments',
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      role,
      comment: 'Nightly evaluation of everyone, one segment of the applicants per evaluate invocation',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(map).next(finish)),
      // Each step is one function run of at most its timeout; the whole pass is bounded too.
      timeout: Duration.hours(6),
      tracingEnabled: true,
      // Every event, without the states' input and output (they carry no names, but the logs need none).
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const stack = Stack.of(this);
    const functionId = stack.getLogicalId(evaluate.node.defaultChild as CfnResource);
    // The Distributed Map's own policy, which the library attaches to the role: it lets this state
    // machine start, describe and stop its child executions (their ARNs end in the map run's ids).
    const distributedMapPolicy = this.stateMachine.node.findChild('DistributedMapPolicy');
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(this.stateMachine.node.defaultChild as CfnResource)}"}]}]}`;
    Validations.of(distributedMapPolicy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${executions}:*]`,
        reason:
          "The executions of this state machine only: a Distributed Map's child executions are named by its map run.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${executions}/*:*]`,
        reason: "The child executions of this state machine's own map runs only (their ARNs end in the run's id).",
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'aws-cdk-lib attaches the Distributed Map policy to the role itself; it grants only what the map needs on this state machine.',
      },
    );
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          'The :* suffix is the qualifier (version or alias) of the evaluate function only, as LambdaInvoke grants it.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray trace segments and CloudWatch Logs log delivery take no resource ARN (AWS documents both as "*"); the role can invoke only the evaluate function.',
      },
    );

    props.alarms.onFailedExecutions(
      'NightlyFanOut',
      this.stateMachine,
      'The nightly evaluation in segments failed: admin/eligibility.csv is not up to date',
    );

    if (segments > 1) {
      const deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
        key: props.messagingKey,
        removalPolicy: props.removalPolicy,
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'It is a dead-letter queue itself: the schedule parks here the starts it could not deliver (cdk-nag recognises only queues named by another queue or a function).',
      });
      props.alarms.onDeadLetters(
        'NightlyFanOut',
        deadLetterQueue,
        'The nightly evaluation in segments could not be started',
      );
      const role = scheduleRole(this, 'ScheduleRole', 'Nightly evaluation of everyone, in segments');
      props.messagingKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
      this.schedule = new scheduler.Schedule(this, 'Schedule', {
        description: `Nightly evaluation of everyone, in ${segments} segments (${config.deployment})`,
        schedule: scheduler.ScheduleExpression.expression(
          config.evaluate.schedule,
          TimeZone.of(config.scheduleTimeZone),
        ),
        timeWindow: scheduler.TimeWindow.off(),
        target: new StepFunctionsStartExecution(this.stateMachine, {
          role,
          input: scheduler.ScheduleTargetInput.fromObject({}),
          deadLetterQueue,
          retryAttempts: config.scheduleRetry.maximumRetryAttempts,
          maxEventAge: Duration.seconds(config.scheduleRetry.maximumEventAgeSeconds),
        }),
      });
    }
  }
}
