import { CfnOutput, CfnResource, Duration, type RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { RECEIPTS_PREFIX, TABLE_KEYS, UPLOAD_PREFIXES } from '../shared/adapters/table-design.js';
import { type PipelineConfig, removalPolicyOf } from './config.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { SecureBucket } from './constructs/secure-bucket.js';

export interface PipelineStackProps extends StackProps {
  readonly config: PipelineConfig;
}

/** What the ingest function may do to the table: item reads and writes, no Scan, no deletes, no table admin. */
const INGEST_TABLE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

/**
 * The endorsement pipeline: administrators upload CSVs to the uploads bucket, each upload is queued and
 * ingested into the table, and reports go to a separate reports bucket. Everything is encrypted with
 * customer-managed keys: one for data at rest, one for messages.
 *
 * Later functions (evaluate, renewals, reports), schedules and an API build on the public members.
 */
export class PipelineStack extends Stack {
  readonly config: PipelineConfig;
  /** Encrypts data at rest: the buckets and the table. */
  readonly dataKey: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messagingKey: kms.Key;
  readonly accessLogs: SecureBucket;
  readonly uploads: SecureBucket;
  readonly reports: SecureBucket;
  readonly table: dynamodb.Table;
  readonly alarmTopic: sns.Topic;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDeadLetterQueue: sqs.Queue;
  readonly ingest: PipelineFunction;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const removalPolicy = removalPolicyOf(config);

    // --- Encryption and storage -------------------------------------------------------------------
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts the IECMH endorsement pipeline's buckets and table (${config.deployment})`,
      alias: `alias/${this.stackName}-data`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // A second key for queues and the alarm topic: S3 and CloudWatch must be allowed to use the key of
    // the messages they send, and those grants belong on a key that cannot decrypt the data. (With one
    // key, the grant to S3 that names the uploads bucket would also make the key and bucket depend on
    // each other.)
    this.messagingKey = new kms.Key(this, 'MessagingKey', {
      description: `Encrypts the IECMH endorsement pipeline's queues and alarm topic (${config.deployment})`,
      alias: `alias/${this.stackName}-messaging`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.accessLogs = new SecureBucket(this, 'AccessLogsBucket', {
      removalPolicy,
      noncurrentVersionExpiration: Duration.days(1),
      expiration: Duration.days(config.accessLogExpirationDays),
    });

    const dataBucket = (id: string, logPrefix: string) =>
      new SecureBucket(this, id, {
        encryptionKey: this.dataKey,
        serverAccessLogs: { bucket: this.accessLogs, prefix: logPrefix },
        removalPolicy,
        noncurrentVersionExpiration: Duration.days(config.noncurrentVersionExpirationDays),
      });
    this.uploads = dataBucket('UploadsBucket', 'uploads/');
    this.reports = dataBucket('ReportsBucket', 'reports/');

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: config.tableDeletionProtection,
      removalPolicy,
    });

    // --- Alarms go to one topic ---------------------------------------------------------------------
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `IECMH pipeline alarms (${config.deployment})`,
      masterKey: this.messagingKey,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it needs to use the key.
    this.messagingKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    }

    // --- Ingest: uploads bucket -> queue -> ingest function -> table ------------------------------
    const ingestTimeout = Duration.seconds(config.ingest.timeoutSeconds);
    this.ingestDeadLetterQueue = new sqs.Queue(this, 'IngestDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.messagingKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.messagingKey,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout, so retries
      // of a throttled batch do not make messages visible again while they are still being processed.
      visibilityTimeout: Duration.seconds(ingestTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.ingestDeadLetterQueue, maxReceiveCount: config.ingest.maxReceiveCount },
      removalPolicy,
    });
    for (const prefix of UPLOAD_PREFIXES) {
      this.uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(this.ingestQueue), {
        prefix,
        suffix: '.csv',
      });
    }

    this.ingest = new PipelineFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      description: 'Ingests uploaded CSVs (applicants, rosters, RSC, endorsements) into the table',
      environment: {
        TABLE_NAME: this.table.tableName,
        UPLOADS_BUCKET: this.uploads.bucketName,
        POWERTOOLS_SERVICE_NAME: 'iecmh-ingest',
        LOG_LEVEL: config.ingest.logLevel,
      },
      timeout: ingestTimeout,
      memorySizeMb: config.ingest.memorySizeMb,
      logRetention: config.logRetentionDays,
      removalPolicy,
    });
    this.ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: config.ingest.batchSize,
        maxConcurrency: config.ingest.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.grantIngest(this.ingest.role);

    // --- Alarms -----------------------------------------------------------------------------------
    this.alarmWhenAboveZero(
      'IngestDeadLetterQueueNotEmptyAlarm',
      'Uploads failed ingest repeatedly and are parked in the dead-letter queue',
      this.ingestDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    );
    this.alarmWhenAboveZero(
      'IngestErrorsAlarm',
      'The ingest function reported errors',
      this.ingest.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );

    // Last, so it sees every function CDK has added for the constructs above.
    this.configureCdkProvidedFunctions(removalPolicy);

    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucketName });
    new CfnOutput(this, 'ReportsBucketName', { value: this.reports.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', { value: this.ingestDeadLetterQueue.queueUrl });
  }

  /**
   * Least privilege for ingest: read the input prefixes, write receipts, item-level table access and the
   * key operations those need. Queue consumption is granted by the event source.
   */
  private grantIngest(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadUploadedInputs',
        // GetObjectVersion: ingest reads the exact version named in the S3 event.
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: UPLOAD_PREFIXES.map((prefix) => this.uploads.arnForObjects(`${prefix}*`)),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReceipts',
        actions: ['s3:PutObject'],
        resources: [this.uploads.arnForObjects(`${RECEIPTS_PREFIX}*`)],
      }),
    );
    this.table.grant(role, ...INGEST_TABLE_ACTIONS);
    // Decrypt: uploaded objects and table items. GenerateDataKey: new receipts. Encrypt and DescribeKey:
    // DynamoDB's customer-managed-key encryption on the caller's behalf. (The event source grants
    // Decrypt on the messaging key.)
    this.dataKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey');

    for (const prefix of [...UPLOAD_PREFIXES, RECEIPTS_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.uploads.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}*]`,
        reason: `Object keys under ${prefix} are not known until upload time; the wildcard is limited to that one prefix of the uploads bucket.`,
      });
    }
  }

  /** An alarm to the alarm topic when the metric is above zero; no data (quiet queues, idle functions) is fine. */
  alarmWhenAboveZero(id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `${description} (${this.config.deployment})`,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    return alarm;
  }

  /**
   * CDK adds its own singleton functions (S3 notification configuration; emptying buckets in destroyable
   * deployments). Their code and roles are not ours to change, but their logs get a retention period, and
   * the one finding about them is acknowledged on them alone.
   */
  private configureCdkProvidedFunctions(removalPolicy: RemovalPolicy): void {
    const ours = new Set<IConstruct>(
      this.node
        .findAll()
        .filter((c): c is PipelineFunction => c instanceof PipelineFunction)
        .map((c) => c.function.node.defaultChild as IConstruct),
    );
    const cdkProvided = this.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function')
      .filter((c) => !ours.has(c));
    if (cdkProvided.length > 0) {
      const logGroup = new logs.LogGroup(this, 'CdkProvidedFunctionsLogGroup', {
        retention: this.config.logRetentionDays,
        removalPolicy,
      });
      for (const fn of cdkProvided) {
        fn.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
      }
    }

    const notificationsHandler = this.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK-provided function that applies the uploads bucket notification configuration during deployment; aws-cdk-lib creates its role, so it cannot be given explicit log permissions.',
      });
    }
  }
}
