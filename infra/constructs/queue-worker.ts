import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource, type SqsEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.js';
import { scheduleRole } from './managed-policy-role.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';

/** A schedule that puts a message on the worker's queue, e.g. the nightly evaluation of everyone. */
export interface QueueWorkerSchedule {
  /** What a run is, e.g. "Nightly evaluation of everyone". */
  readonly description: string;
  /** A Scheduler cron(...) expression, in the deployment's time zone. */
  readonly expression: string;
  /** The message body (default `{}`: the evaluate handler reads it as "everyone, as of today"). */
  readonly message?: Record<string, unknown>;
  readonly config: Pick<PipelineConfig, 'deployment' | 'scheduleTimeZone' | 'scheduleRetry'>;
}

export interface QueueWorkerProps {
  readonly function: Omit<PipelineFunctionProps, 'deadLetterQueue'>;
  /** Encrypts both queues. */
  readonly messagingKey: IKey;
  /** Receives before a message is parked in the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** How the function reads the queue: batch size, batching window, concurrency, partial failures. */
  readonly eventSource: SqsEventSourceProps;
  /** Alarms on the function's errors and on any message in the dead-letter queue. */
  readonly alarms: Alarms;
  /** What a message in the dead-letter queue means, for its alarm. */
  readonly deadLetterAlarm: string;
  /** A schedule sending the queue a message (what it could not deliver goes to the dead-letter queue). */
  readonly schedule?: QueueWorkerSchedule;
}

/**
 * A function fed by its own queue: the queue, its dead-letter queue, the function, the event source
 * mapping (which grants the function what consuming needs) and their alarms (named after the worker's id).
 */
export class QueueWorker extends Construct {
  readonly queue: EncryptedQueue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly function: PipelineFunction;
  readonly schedule?: scheduler.Schedule;
  private readonly messagingKey: IKey;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const { removalPolicy } = props.function.defaults;
    const key = props.messagingKey;
    this.messagingKey = key;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', { key, removalPolicy });
    const batchingWindowSeconds = props.eventSource.maxBatchingWindow?.toSeconds() ?? 0;
    this.queue = new EncryptedQueue(this, 'Queue', {
      key,
      removalPolicy,
      // AWS's guidance for Lambda event sources: at least six times the function timeout (plus the batching
      // window), so retries of a throttled batch do not make messages visible while still being processed.
      visibilityTimeout: Duration.seconds(props.function.settings.timeoutSeconds * 6 + batchingWindowSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    this.function = new PipelineFunction(this, 'Handler', props.function);
    this.function.function.addEventSource(new SqsEventSource(this.queue, props.eventSource));
    props.alarms.onDeadLetters(id, this.deadLetterQueue, props.deadLetterAlarm);
    props.alarms.onErrors(id, this.function);
    if (props.schedule) this.schedule = this.scheduled(props.schedule);
  }

  /** The schedule, with a role that may send to this queue and its dead-letter queue, nothing else. */
  private scheduled(s: QueueWorkerSchedule): scheduler.Schedule {
    const role = scheduleRole(this, 'ScheduleRole', s.description);
    // Sending to the queue, and to its dead-letter queue what the scheduler could not deliver: no more
    // (the library's SQS target would also grant the key's GenerateDataKey*, a wildcard action).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn, this.deadLetterQueue.queueArn],
      }),
    );
    this.messagingKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    const { maximumRetryAttempts, maximumEventAgeSeconds } = s.config.scheduleRetry;
    return new scheduler.Schedule(this, 'Schedule', {
      description: `${s.description} (${s.config.deployment})`,
      schedule: scheduler.ScheduleExpression.expression(s.expression, TimeZone.of(s.config.scheduleTimeZone)),
      timeWindow: scheduler.TimeWindow.off(),
      target: {
        bind: () => ({
          arn: this.queue.queueArn,
          role,
          input: scheduler.ScheduleTargetInput.fromObject(s.message ?? {}),
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          retryPolicy: { maximumRetryAttempts, maximumEventAgeInSeconds: maximumEventAgeSeconds },
        }),
      },
    });
  }

  /** Lets another function send to this worker's queue: SendMessage only, and the key operations it needs. */
  grantSendMessages(sender: PipelineFunction, sid: string): void {
    sender.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    this.messagingKey.grant(sender.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}
