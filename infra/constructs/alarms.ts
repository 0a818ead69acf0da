import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PipelineFunction } from './pipeline-function.js';

export interface AlarmsProps {
  readonly deployment: string;
  /** Encrypts the topic. */
  readonly messagingKey: IKey;
  /** Subscribed to the topic; without it the topic can be subscribed to by hand. */
  readonly email?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarm topic and the alarms that notify it, each when its metric is above zero. The other parts of
 * the stack add their alarms here (`onErrors`, `onDeadLetters`, ...), so every alarm sits under this one
 * construct, next to the topic it notifies.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  private readonly deployment: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.deployment = props.deployment;
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `IECMH pipeline alarms (${props.deployment})`,
      masterKey: props.messagingKey,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it needs to use the key.
    props.messagingKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /** `<name>DeadLetterQueueNotEmptyAlarm`: a message or run was parked in the queue. */
  onDeadLetters(name: string, queue: IQueue, description: string): cloudwatch.Alarm {
    const metric = queue.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    return this.whenAboveZero(`${name}DeadLetterQueueNotEmptyAlarm`, description, metric);
  }

  /** `<name>ErrorsAlarm`: the function reported errors. */
  onErrors(name: string, fn: PipelineFunction): cloudwatch.Alarm {
    const metric = fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    return this.whenAboveZero(`${name}ErrorsAlarm`, `The ${name} function reported errors`, metric);
  }

  /** `<name>FailedAlarm`: an execution of the state machine failed, timed out or was aborted. */
  onFailedExecutions(name: string, machine: sfn.IStateMachine, description: string): cloudwatch.Alarm {
    const metric = new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: machine.metricFailed({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        timedOut: machine.metricTimedOut({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        aborted: machine.metricAborted({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      },
      period: FIVE_MINUTES,
    });
    return this.whenAboveZero(`${name}FailedAlarm`, description, metric);
  }

  /** `<name>ServerErrorsAlarm`: the API answered with server errors (5xx). */
  onServerErrors(name: string, stage: IHttpStage, description: string): cloudwatch.Alarm {
    const metric = stage.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    return this.whenAboveZero(`${name}ServerErrorsAlarm`, description, metric);
  }

  /** An alarm to the topic when the metric is above zero; no data (quiet queues, idle functions) is fine. */
  whenAboveZero(id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `${description} (${this.deployment})`,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    return alarm;
  }
}
