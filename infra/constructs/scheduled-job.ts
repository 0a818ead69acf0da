import { type CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { DeadLetterQueue } from './encrypted-queue.js';
import { type ManagedPolicyRole, scheduleRole } from './managed-policy-role.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';

export interface ScheduledJobProps {
  readonly function: Omit<PipelineFunctionProps, 'deadLetterQueue' | 'invokedSynchronouslyBy'>;
  /** What a run is, e.g. "Daily renewal run". */
  readonly description: string;
  /**
   * A Scheduler cron(...) expression, in the deployment's time zone; none when something else starts
   * the runs (the renewals' fan-out state machine, when they run in segments).
   */
  readonly schedule?: string;
  readonly messagingKey: IKey;
  /** Alarms on the function's errors and on any run in the dead-letter queue. */
  readonly alarms: Alarms;
  /** What a run in the dead-letter queue means, for its alarm. */
  readonly deadLetterAlarm: string;
  readonly config: Pick<PipelineConfig, 'deployment' | 'scheduleTimeZone' | 'scheduleRetry'>;
}

/**
 * A function run by an EventBridge Scheduler schedule in the configured time zone, exactly on time, with
 * the configured retries; runs the scheduler could not deliver or Lambda could not complete go to the
 * job's dead-letter queue, and both failures and errors raise alarms (named after the job's id). The
 * schedule's role may invoke that function and send to that queue, nothing else. A job given no
 * schedule keeps its function, queue and alarms: something else starts it (a fan-out state machine).
 */
export class ScheduledJob extends Construct {
  readonly function: PipelineFunction;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly schedule?: scheduler.Schedule;

  readonly scheduleRole?: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { config, messagingKey: key } = props;
    const stack = Stack.of(this);
    const { removalPolicy } = props.function.defaults;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', { key, removalPolicy });
    this.function = new PipelineFunction(this, 'Handler', {
      ...props.function,
      deadLetterQueue: this.deadLetterQueue,
    });
    props.alarms.onDeadLetters(id, this.deadLetterQueue, props.deadLetterAlarm);
    props.alarms.onErrors(id, this.function);
    if (props.schedule === undefined) return;

    const role = scheduleRole(this, 'ScheduleRole', props.description);
    this.scheduleRole = role;
    // Delivering to the encrypted dead-letter queue needs the messaging key.
    key.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `${props.description} (${config.deployment})`,
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.of(config.scheduleTimeZone)),
      timeWindow: scheduler.TimeWindow.off(),
      target: new LambdaInvoke(this.function.function, {
        role,
        // The handlers read `{}` as "as of today".
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: config.scheduleRetry.maximumRetryAttempts,
        maxEventAge: Duration.seconds(config.scheduleRetry.maximumEventAgeSeconds),
      }),
    });
    const functionId = stack.getLogicalId(this.function.function.node.defaultChild as CfnResource);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: `The :* suffix is the qualifier (version or alias) of the ${id} function only, as LambdaInvoke grants it; the role can invoke no other function.`,
    });
  }
}
