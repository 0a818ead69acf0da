import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource, type SqsEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import type { Alarms } from './alarms.js';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.js';
import { PipelineFunction, type PipelineFunctionProps } from './pipeline-function.js';

export interface QueueWorkerProps {
  /** Names the queues `<queueName>Queue` and `<queueName>DeadLetterQueue`. */
  readonly queueName: string;
  readonly functionId: string;
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
}

/**
 * A function fed by its own queue: the queue, its dead-letter queue, the function, the event source
 * mapping (which grants the function what consuming needs) and their alarms. Like every part of the stack it builds its
 * resources in `scope` itself, not under a construct of its own, so they keep the logical IDs they were
 * deployed with.
 */
export class QueueWorker {
  readonly queue: EncryptedQueue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly function: PipelineFunction;
  private readonly messagingKey: IKey;

  constructor(scope: Construct, props: QueueWorkerProps) {
    const { removalPolicy } = props.function.defaults;
    const key = props.messagingKey;
    this.messagingKey = key;
    this.deadLetterQueue = new DeadLetterQueue(scope, `${props.queueName}DeadLetterQueue`, { key, removalPolicy });
    const batchingWindowSeconds = props.eventSource.maxBatchingWindow?.toSeconds() ?? 0;
    this.queue = new EncryptedQueue(scope, `${props.queueName}Queue`, {
      key,
      removalPolicy,
      // AWS's guidance for Lambda event sources: at least six times the function timeout (plus the batching
      // window), so retries of a throttled batch do not make messages visible while still being processed.
      visibilityTimeout: Duration.seconds(props.function.settings.timeoutSeconds * 6 + batchingWindowSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    this.function = new PipelineFunction(scope, props.functionId, props.function);
    this.function.function.addEventSource(new SqsEventSource(this.queue, props.eventSource));
    props.alarms.onDeadLetters(props.queueName, this.deadLetterQueue, props.deadLetterAlarm);
    props.alarms.onErrors(props.functionId, this.function);
  }

  /** Lets another function send to this worker's queue: SendMessage only, and the key operations it needs. */
  grantSendMessages(sender: PipelineFunction, sid: string): void {
    sender.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    this.messagingKey.grant(sender.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}
