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

/** A job over everyone that can run in segments: the evaluation or the renewals. */
export interface FanOutJob {
  /** The function that runs every step (its handler takes functions/commons/fan-out.ts's steps). */
  function: IFunction;
  /** The function's name in descriptions: `evaluate`, `renewals`. */
  functionName: string;
  /** Its settings: the segments, the concurrency the function may run at, the schedule of a run. */
  settings: Pick<PipelineConfig['evaluate'], 'segments' | 'reservedConcurrency' | 'schedule'>;
  /** A run, capitalised: `Nightly evaluation`, `Daily renewal run`. */
  run: string;
  /** Whom a segment judges a slice of: `applicants`, `endorsees`. */
  people: string;
  /** The state of one segment's invocation: `EvaluateSegment`, `RenewSegment`. */
  segmentState: string;
  /** What a failed run leaves stale, for its alarm: `admin/eligibility.csv is`. */
  stale: string;
}

export interface NightlyFanOutProps {
  config: PipelineConfig;
  job: FanOutJob;
  messagingKey: IKey;
  alarms: Alarms;
  logsKey: IKey;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * A job over everyone (the nightly evaluation, the daily renewals) fanned out over segments
 * (docs/operations.md, "When the nightly pass outgrows one function"): a plan (the date, the facts'
 * generation, the summaries' run), a Distributed Map that runs one invocation of the job's function
 * per segment, each writing its parts of the job's exports, then a finish that puts the parts
 * together. The state machine is always deployed (an operator can start it); the schedule starts it
 * only when the configuration asks for more than one segment, in place of the job's own schedule
 * (the evaluation's: the refresh queue's nightly message).
 */
export class NightlyFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly schedule?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: NightlyFanOutProps) {
    super(scope, id);
    const { config, job } = props;
    const fn = job.function;
    const { segments } = job.settings;
    const run = job.run.charAt(0).toLowerCase() + job.run.slice(1);
    // A throttled segment (the function's reserved concurrency is full) waits and tries again.
    const throttled = { errors: ['Lambda.TooManyRequestsException'], interval: Duration.seconds(20), maxAttempts: 6 };

    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ step: 'plan', totalSegments: segments }),
      payloadResponseOnly: true,
    });
    const segment = new tasks.LambdaInvoke(this, job.segmentState, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ step: 'segment', 'plan.$': '$.plan', 'segment.$': '$.segment' }),
      payloadResponseOnly: true,
    }).addRetry(throttled);
    const map = new sfn.DistributedMap(this, 'Segments', {
      itemsPath: '$.segments',
      itemSelector: { 'plan.$': '$.plan', 'segment.$': '$$.Map.Item.Value' },
      // No more at once than the function may run: the rest wait instead of failing.
      maxConcurrency: Math.min(segments, job.settings.reservedConcurrency),
      resultPath: sfn.JsonPath.DISCARD,
    }).itemProcessor(segment);
    const finish = new tasks.LambdaInvoke(this, 'Finish', {
      lambdaFunction: fn,
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
      description: `Step Functions: the ${run} in segments`,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      role,
      comment: `${job.run} of everyone, one segment of the ${job.people} per ${job.functionName} invocation`,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(map).next(finish)),
      // Each step is one function run of at most its timeout; the whole pass is bounded too.
      timeout: Duration.hours(6),
      tracingEnabled: true,
      // Every event, without the states' input and output (they carry no names, but the logs need none).
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const stack = Stack.of(this);
    const functionId = stack.getLogicalId(fn.node.defaultChild as CfnResource);
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
        reason: `The :* suffix is the qualifier (version or alias) of the ${job.functionName} function only, as LambdaInvoke grants it.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `X-Ray trace segments and CloudWatch Logs log delivery take no resource ARN (AWS documents both as "*"); the role can invoke only the ${job.functionName} function.`,
      },
    );

    props.alarms.onFailedExecutions(
      id,
      this.stateMachine,
      `The ${run} in segments failed: ${job.stale} not up to date`,
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
      props.alarms.onDeadLetters(id, deadLetterQueue, `The ${run} in segments could not be started`);
      const role = scheduleRole(this, 'ScheduleRole', `${job.run} of everyone, in segments`);
      props.messagingKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
      this.schedule = new scheduler.Schedule(this, 'Schedule', {
        description: `${job.run} of everyone, in ${segments} segments (${config.deployment})`,
        schedule: scheduler.ScheduleExpression.expression(job.settings.schedule, TimeZone.of(config.scheduleTimeZone)),
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
