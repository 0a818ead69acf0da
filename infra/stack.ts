import {
  ArnFormat,
  CfnOutput,
  CfnResource,
  Duration,
  type RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination, SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { SOURCE_INDEX } from '../shared/adapters/dynamo/codecs.js';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, TABLE_KEYS, UPLOAD_PREFIXES } from '../shared/adapters/table-design.js';
import { type PipelineConfig, removalPolicyOf } from './config.js';
import { Erasure } from './constructs/erasure.js';
import { ManagedPolicyRole } from './constructs/managed-policy-role.js';
import { PipelineFunction, type PipelineFunctionProps } from './constructs/pipeline-function.js';
import { SecureBucket } from './constructs/secure-bucket.js';
import { grantTableItems } from './constructs/table-grants.js';

export interface PipelineStackProps extends StackProps {
  readonly config: PipelineConfig;
}

/** What the ingest function may do to the table: item reads and writes, no Scan, no deletes, no table admin. */
const INGEST_TABLE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

/** What evaluate may do to the table: read everyone (Scan) and write evaluations. */
const EVALUATE_TABLE_ACTIONS = ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'];
/** What renewals may do to the table: read everyone (Scan) and write renewal records. */
const RENEWALS_TABLE_ACTIONS = ['dynamodb:Scan', 'dynamodb:BatchWriteItem'];
/** What the reports builder may do to the table: read only. */
const REPORTS_TABLE_ACTIONS = ['dynamodb:Scan'];

/** The evaluation export in the uploads (administrators') bucket; writing it rebuilds the reports. */
export const ELIGIBILITY_EXPORT_KEY = `${ADMIN_PREFIX}eligibility.csv`;
/** Prefixes of the reports bucket: dated runs and the copy of the latest run. */
export const REPORT_PREFIXES = ['reports/', 'latest/'] as const;

/**
 * The endorsement pipeline: administrators upload CSVs to the uploads bucket, each upload is queued and
 * ingested into the table; an ingest that changed data asks (through the refresh queue) for an evaluation,
 * which writes admin/eligibility.csv; that export, and a nightly schedule, rebuild the reports in the
 * reports bucket, which policymakers fetch through an IAM-authorised HTTP API. Renewals run daily.
 * Everything is encrypted with customer-managed keys: one for data at rest, one for messages, one for logs.
 */
export class PipelineStack extends Stack {
  readonly config: PipelineConfig;
  /** Encrypts data at rest: the buckets and the table. */
  readonly dataKey: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messagingKey: kms.Key;
  /** Encrypts the CloudWatch log groups (function logs may quote data). */
  readonly logsKey: kms.Key;
  readonly accessLogs: SecureBucket;
  readonly uploads: SecureBucket;
  readonly reports: SecureBucket;
  readonly table: dynamodb.Table;
  readonly alarmTopic: sns.Topic;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDeadLetterQueue: sqs.Queue;
  readonly ingest: PipelineFunction;
  readonly refreshQueue: sqs.Queue;
  readonly refreshDeadLetterQueue: sqs.Queue;
  readonly evaluate: PipelineFunction;
  readonly renewals: PipelineFunction;
  readonly erasure: Erasure;
  /** Receives renewal runs the scheduler could not deliver or Lambda could not complete. */
  readonly renewalsDeadLetterQueue: sqs.Queue;
  readonly renewalsSchedule: scheduler.Schedule;
  readonly reportsBuilder: PipelineFunction;
  /** Receives report runs the scheduler could not deliver or Lambda could not complete. */
  readonly reportsDeadLetterQueue: sqs.Queue;
  readonly reportsSchedule: scheduler.Schedule;
  readonly reportsApiFunction: PipelineFunction;
  readonly reportsApi: apigw.HttpApi;
  readonly reportsApiStage: apigw.HttpStage;
  readonly reportsApiAccessLogs: logs.LogGroup;
  /** Present when the deployment keeps AWS Backup copies of the table. */
  readonly tableBackupPlan?: backup.BackupPlan;

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
    // A third key for log groups: CloudWatch Logs must be allowed to use it, and that belongs on a key that
    // cannot decrypt the data or the messages.
    this.logsKey = new kms.Key(this, 'LogsKey', {
      description: `Encrypts the IECMH endorsement pipeline's log groups (${config.deployment})`,
      alias: `alias/${this.stackName}-logs`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

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
    // Which items each version of each upload supplied: replacing or withdrawing a file costs its own rows.
    this.table.addGlobalSecondaryIndex({
      indexName: SOURCE_INDEX.name,
      partitionKey: { name: SOURCE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.tableBackupPlan = this.backUpTable(removalPolicy);

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
    // New versions and deletions go to ingest, which syncs the key. Prefix only: S3 suffix filters are case-sensitive.
    for (const prefix of UPLOAD_PREFIXES) {
      for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
        this.uploads.addEventNotification(event, new SqsDestination(this.ingestQueue), { prefix });
      }
    }

    // --- Refresh: an ingest that changed data -> refresh queue -> one evaluation per batching window ---
    const evaluateTimeout = Duration.seconds(config.evaluate.timeoutSeconds);
    this.refreshDeadLetterQueue = this.deadLetterQueue('RefreshDeadLetterQueue', removalPolicy);
    this.refreshQueue = this.encryptedQueue('RefreshQueue', removalPolicy, {
      // Six times the function timeout plus the batching window (AWS's guidance for Lambda event sources).
      visibilityTimeout: Duration.seconds(evaluateTimeout.toSeconds() * 6 + config.refresh.maxBatchingWindowSeconds),
      deadLetterQueue: { queue: this.refreshDeadLetterQueue, maxReceiveCount: config.refresh.maxReceiveCount },
    });

    this.ingest = this.pipelineFunction('Ingest', 'ingest', removalPolicy, {
      entry: 'functions/ingest/handler.ts',
      serviceName: 'iecmh-ingest',
      description: 'Ingests uploaded CSVs (applicants, rosters, RSC, endorsements) into the table',
      environment: {
        TABLE_NAME: this.table.tableName,
        UPLOADS_BUCKET: this.uploads.bucketName,
        REFRESH_QUEUE_URL: this.refreshQueue.queueUrl,
      },
      timeout: ingestTimeout,
      invokedSynchronouslyBy:
        'the ingest queue event source mapping (failed messages go to the ingest dead-letter queue)',
    });
    this.ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: config.ingest.batchSize,
        maxConcurrency: config.ingest.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.grantIngest(this.ingest.role);

    // --- Evaluate: refresh queue -> evaluate -> evaluations in the table and admin/eligibility.csv ------
    this.evaluate = this.pipelineFunction('Evaluate', 'evaluate', removalPolicy, {
      entry: 'functions/evaluate/handler.ts',
      serviceName: 'iecmh-evaluate',
      description: 'Evaluates every applicant and exports admin/eligibility.csv to the uploads bucket',
      environment: {
        TABLE_NAME: this.table.tableName,
        ADMIN_BUCKET: this.uploads.bucketName,
        ASSOCIATION: config.association,
      },
      timeout: evaluateTimeout,
      invokedSynchronouslyBy:
        'the refresh queue event source mapping (failed batches go to the refresh dead-letter queue)',
    });
    this.evaluate.function.addEventSource(
      new SqsEventSource(this.refreshQueue, {
        // Messages only say "data changed": a window of them makes one evaluation of everyone.
        batchSize: config.refresh.batchSize,
        maxBatchingWindow: Duration.seconds(config.refresh.maxBatchingWindowSeconds),
        maxConcurrency: config.refresh.maxConcurrency,
      }),
    );
    grantTableItems(this.evaluate.role, this.table, EVALUATE_TABLE_ACTIONS);
    this.grantObjectWrites(this.evaluate.role, 'WriteEligibilityExport', this.uploads, [ADMIN_PREFIX]);
    this.dataKey.grant(this.evaluate.role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey');

    // --- Renewals: daily schedule -> renewals -> table and admin/ CSVs --------------------------------
    this.renewalsDeadLetterQueue = this.deadLetterQueue('RenewalsDeadLetterQueue', removalPolicy);
    this.renewals = this.pipelineFunction('Renewals', 'renewals', removalPolicy, {
      entry: 'functions/renewals/handler.ts',
      serviceName: 'iecmh-renewals',
      description: 'Daily renewal job: renewal status, outreach lists and admin/ renewal CSVs',
      environment: {
        TABLE_NAME: this.table.tableName,
        ADMIN_BUCKET: this.uploads.bucketName,
        ASSOCIATION: config.association,
      },
      deadLetterQueue: this.renewalsDeadLetterQueue,
    });
    grantTableItems(this.renewals.role, this.table, RENEWALS_TABLE_ACTIONS);
    this.grantObjectWrites(this.renewals.role, 'WriteRenewalExports', this.uploads, [ADMIN_PREFIX]);
    this.dataKey.grant(this.renewals.role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey');
    this.renewalsSchedule = this.scheduleFunction(
      'RenewalsSchedule',
      'Daily renewal run',
      this.renewals,
      config.renewals.schedule,
      this.renewalsDeadLetterQueue,
    );

    // --- Erasure: an administrator's invocation -> uploads rewritten, items deleted, exports regenerated ---
    this.erasure = new Erasure(this, 'Erasure', {
      makeFunction: (environment) =>
        this.pipelineFunction('Erase', 'erase', removalPolicy, {
          entry: 'functions/erase/handler.ts',
          serviceName: 'iecmh-erase',
          description: 'Erases people on request: their rows in the uploads, their items, the exports that named them',
          environment: {
            ...environment,
            TABLE_NAME: this.table.tableName,
            UPLOADS_BUCKET: this.uploads.bucketName,
            ASSOCIATION: config.association,
          },
          invokedSynchronouslyBy: 'an administrator (aws lambda invoke; docs/operations.md)',
        }),
      table: this.table,
      uploads: this.uploads,
      dataKey: this.dataKey,
      removalPolicy,
      warnOfErasedIn: [this.ingest],
    });

    // --- Reports: nightly schedule and each new admin/eligibility.csv -> reports bucket ---------------
    this.reportsDeadLetterQueue = this.deadLetterQueue('ReportsDeadLetterQueue', removalPolicy);
    this.reportsBuilder = this.pipelineFunction('Reports', 'reports', removalPolicy, {
      entry: 'functions/reports/handler.ts',
      serviceName: 'iecmh-reports',
      description: 'Builds the policymaker reports from the table into the reports bucket',
      environment: {
        TABLE_NAME: this.table.tableName,
        REPORTS_BUCKET: this.reports.bucketName,
        ASSOCIATION: config.association,
      },
      deadLetterQueue: this.reportsDeadLetterQueue,
    });
    grantTableItems(this.reportsBuilder.role, this.table, REPORTS_TABLE_ACTIONS);
    this.grantObjectWrites(this.reportsBuilder.role, 'WriteReports', this.reports, REPORT_PREFIXES);
    // Decrypt and DescribeKey: reading the table. GenerateDataKey: writing SSE-KMS report objects.
    this.dataKey.grant(this.reportsBuilder.role, 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey');
    this.reportsSchedule = this.scheduleFunction(
      'ReportsSchedule',
      'Nightly report run',
      this.reportsBuilder,
      config.reports.schedule,
      this.reportsDeadLetterQueue,
    );
    // Only the notification reaches the function; it is given no access to the uploads bucket's objects.
    this.uploads.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new LambdaDestination(this.reportsBuilder.function),
      {
        prefix: ELIGIBILITY_EXPORT_KEY,
      },
    );

    // --- Reports API: IAM-authorised HTTP API -> presigned links to report objects ---------------------
    this.reportsApiFunction = this.pipelineFunction('ReportsApiHandler', 'reportsApi', removalPolicy, {
      entry: 'functions/reports-api/handler.ts',
      serviceName: 'iecmh-reports-api',
      description: 'Lists published reports and returns short-lived download links',
      environment: {
        REPORTS_BUCKET: this.reports.bucketName,
        LINK_EXPIRY_SECONDS: String(config.reportsApi.linkExpirySeconds),
      },
      invokedSynchronouslyBy: 'API Gateway (errors are returned to the caller)',
    });
    this.grantReportsApi(this.reportsApiFunction.role);
    this.reportsApiAccessLogs = new logs.LogGroup(this, 'ReportsApiAccessLogs', {
      retention: config.logRetentionDays,
      encryptionKey: this.logsKey,
      removalPolicy,
    });
    this.reportsApi = new apigw.HttpApi(this, 'ReportsApi', {
      description: `IECMH endorsement reports for policymakers (${config.deployment}); IAM-signed requests only`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    this.reportsApiStage = this.reportsApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.reportsApi.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.reportsApiAccessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            caller: '$context.identity.caller',
            userArn: '$context.identity.userArn',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const reportsIntegration = new HttpLambdaIntegration('ReportsApiIntegration', this.reportsApiFunction.function);
    for (const path of ['/reports', '/reports/{proxy+}']) {
      this.reportsApi.addRoutes({
        path,
        methods: [apigw.HttpMethod.GET],
        integration: reportsIntegration,
        authorizer: new HttpIamAuthorizer(),
      });
    }

    // --- Alarms -----------------------------------------------------------------------------------
    const deadLetterQueues: [string, sqs.Queue, string][] = [
      [
        'Ingest',
        this.ingestDeadLetterQueue,
        'Uploads failed ingest repeatedly and are parked in the dead-letter queue',
      ],
      [
        'Refresh',
        this.refreshDeadLetterQueue,
        'Evaluation requests failed repeatedly and are parked in the dead-letter queue',
      ],
      ['Renewals', this.renewalsDeadLetterQueue, 'A renewal run could not be delivered or failed after retries'],
      ['Reports', this.reportsDeadLetterQueue, 'A report run could not be delivered or failed after retries'],
    ];
    for (const [name, queue, description] of deadLetterQueues) {
      this.alarmWhenAboveZero(
        `${name}DeadLetterQueueNotEmptyAlarm`,
        description,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      );
    }
    const functions: [string, PipelineFunction][] = [
      ['Ingest', this.ingest],
      ['Evaluate', this.evaluate],
      ['Renewals', this.renewals],
      ['Reports', this.reportsBuilder],
      ['ReportsApi', this.reportsApiFunction],
    ];
    for (const [name, fn] of functions) {
      this.alarmWhenAboveZero(
        `${name}ErrorsAlarm`,
        `The ${name} function reported errors`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      );
    }
    this.alarmWhenAboveZero(
      'ReportsApiServerErrorsAlarm',
      'The reports API answered with server errors',
      this.reportsApiStage.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    );

    // Last, so it sees every function CDK has added for the constructs above.
    this.configureCdkProvidedFunctions(removalPolicy);

    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucketName });
    new CfnOutput(this, 'ReportsBucketName', { value: this.reports.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EraseFunctionName', { value: this.erasure.function.function.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', { value: this.ingestDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'ReportsApiUrl', { value: this.reportsApiStage.url });
  }

  /**
   * Least privilege for ingest: read the input prefixes, write receipts, item-level table access and the
   * key operations those need. Queue consumption is granted by the event source.
   */
  private grantIngest(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadUploadedInputs',
        // Ingest reads the current version of the key an event names (and its earlier receipt on withdrawal).
        actions: ['s3:GetObject'],
        resources: [...UPLOAD_PREFIXES, RECEIPTS_PREFIX].map((prefix) => this.uploads.arnForObjects(`${prefix}*`)),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SeeDeletedInputs',
        // Without ListBucket, S3 answers a deleted key with AccessDenied instead of NoSuchKey; ingest
        // then lists the key's own prefix to tell a withdrawal from a permissions fault.
        actions: ['s3:ListBucket'],
        resources: [this.uploads.bucketArn],
        conditions: { StringLike: { 's3:prefix': UPLOAD_PREFIXES.map((prefix) => `${prefix}*`) } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReceipts',
        actions: ['s3:PutObject'],
        resources: [this.uploads.arnForObjects(`${RECEIPTS_PREFIX}*`)],
      }),
    );
    grantTableItems(role, this.table, INGEST_TABLE_ACTIONS, { sourceIndex: true });
    // Decrypt: uploaded objects and table items. GenerateDataKey: new receipts. Encrypt and DescribeKey:
    // DynamoDB's customer-managed-key encryption on the caller's behalf. (The event source grants
    // Decrypt on the messaging key.)
    this.dataKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey');
    // One message per file that changed data; only SendMessage, and the messaging key operations it needs.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RequestEvaluation',
        actions: ['sqs:SendMessage'],
        resources: [this.refreshQueue.queueArn],
      }),
    );
    this.messagingKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');

    this.acknowledgeObjectWildcards(role, this.uploads, UPLOAD_PREFIXES, 'are not known until upload time');
    this.acknowledgeObjectWildcards(role, this.uploads, [RECEIPTS_PREFIX], 'are named after the uploads they record');
  }

  /**
   * The reports API lists and signs links to published reports: list the two report prefixes, read objects
   * under them, and decrypt them (a presigned GET of an SSE-KMS object is authorised as this role). No table,
   * no uploads bucket.
   */
  private grantReportsApi(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListReports',
        actions: ['s3:ListBucket'],
        resources: [this.reports.bucketArn],
        conditions: { StringLike: { 's3:prefix': REPORT_PREFIXES.map((prefix) => `${prefix}*`) } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadReports',
        actions: ['s3:GetObject'],
        resources: REPORT_PREFIXES.map((prefix) => this.reports.arnForObjects(`${prefix}*`)),
      }),
    );
    this.dataKey.grant(role, 'kms:Decrypt');
    this.acknowledgeObjectWildcards(role, this.reports, REPORT_PREFIXES, 'are named by run date and report file');
  }

  /** s3:PutObject under the given prefixes only, with the IAM5 findings for those prefixes acknowledged. */
  private grantObjectWrites(role: iam.IRole, sid: string, bucket: s3.Bucket, prefixes: readonly string[]): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['s3:PutObject'],
        resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    this.acknowledgeObjectWildcards(role, bucket, prefixes, 'are named by the run that writes them');
  }

  private acknowledgeObjectWildcards(
    role: iam.IRole,
    bucket: s3.Bucket,
    prefixes: readonly string[],
    why: string,
  ): void {
    const bucketId = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of prefixes) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object keys under ${prefix} ${why}; the wildcard is limited to that one prefix of the ${bucket.node.id} bucket.`,
      });
    }
  }

  /** A function of this stack with the deployment's settings for it (limits, concurrency, logs). */
  private pipelineFunction(
    id: string,
    settings: 'ingest' | 'evaluate' | 'renewals' | 'reports' | 'erase' | 'reportsApi',
    removalPolicy: RemovalPolicy,
    props: Pick<PipelineFunctionProps, 'entry' | 'description' | 'environment'> & {
      readonly serviceName: string;
    } & Partial<Pick<PipelineFunctionProps, 'timeout' | 'deadLetterQueue' | 'invokedSynchronouslyBy'>>,
  ): PipelineFunction {
    const config = this.config[settings];
    const { serviceName: _, ...functionProps } = props;
    const fn = new PipelineFunction(this, id, {
      ...functionProps,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        LOG_LEVEL: config.logLevel,
      },
      timeout: props.timeout ?? Duration.seconds(config.timeoutSeconds),
      memorySizeMb: config.memorySizeMb,
      reservedConcurrency: config.reservedConcurrency,
      logRetention: this.config.logRetentionDays,
      logsKey: this.logsKey,
      removalPolicy,
    });
    if (props.deadLetterQueue) {
      // The function role sends failed asynchronous events to the encrypted dead-letter queue.
      this.messagingKey.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    return fn;
  }

  private encryptedQueue(id: string, removalPolicy: RemovalPolicy, props: sqs.QueueProps = {}): sqs.Queue {
    return new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.messagingKey,
      enforceSSL: true,
      removalPolicy,
      ...props,
    });
  }

  private deadLetterQueue(id: string, removalPolicy: RemovalPolicy): sqs.Queue {
    return this.encryptedQueue(id, removalPolicy, { retentionPeriod: Duration.days(14) });
  }

  /**
   * An EventBridge Scheduler schedule that invokes a function in the configured time zone, exactly on time,
   * with the configured retries and the function's dead-letter queue. Its role may invoke that function and
   * send to that queue, nothing else.
   */
  private scheduleFunction(
    id: string,
    description: string,
    fn: PipelineFunction,
    expression: string,
    deadLetterQueue: sqs.Queue,
  ): scheduler.Schedule {
    const role = new ManagedPolicyRole(this, `${id}Role`, {
      description: `EventBridge Scheduler: ${description}`,
      // Only schedules of this account's default group may assume it (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': this.account,
            'aws:SourceArn': this.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    // Delivering to the encrypted dead-letter queue needs the messaging key.
    this.messagingKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
    const schedule = new scheduler.Schedule(this, id, {
      description: `${description} (${this.config.deployment})`,
      schedule: scheduler.ScheduleExpression.expression(expression, TimeZone.of(this.config.scheduleTimeZone)),
      timeWindow: scheduler.TimeWindow.off(),
      target: new LambdaInvoke(fn.function, {
        role,
        // The handlers read `{}` as "as of today".
        input: scheduler.ScheduleTargetInput.fromObject({}),
        deadLetterQueue,
        retryAttempts: this.config.scheduleRetry.maximumRetryAttempts,
        maxEventAge: Duration.seconds(this.config.scheduleRetry.maximumEventAgeSeconds),
      }),
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.function.node.defaultChild as CfnResource)}.Arn>:*]`,
      reason: `The :* suffix is the qualifier (version or alias) of the ${fn.node.id} function only, as LambdaInvoke grants it; the role can invoke no other function.`,
    });
    return schedule;
  }

  /**
   * Daily AWS Backup copies of the table, kept longer than point-in-time recovery's 35 days and outside the
   * table (so they survive its deletion). Only where configured: a throw-away deployment relies on PITR.
   */
  private backUpTable(removalPolicy: RemovalPolicy): backup.BackupPlan | undefined {
    const retentionDays = this.config.tableBackupRetentionDays;
    if (retentionDays === undefined) {
      Validations.of(this.table).acknowledge({
        id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
        reason: `The ${this.config.deployment} deployment is throw-away (destroyed with the stack); point-in-time recovery covers it, and vault recovery points would block its teardown.`,
      });
      return undefined;
    }
    const vault = new backup.BackupVault(this, 'BackupVault', { encryptionKey: this.dataKey, removalPolicy });
    const plan = new backup.BackupPlan(this, 'TableBackupPlan', {
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'DailyTableBackup',
          // Between the nightly reports and the morning renewals.
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4' }),
          scheduleExpressionTimezone: TimeZone.of(this.config.scheduleTimeZone),
          deleteAfter: Duration.days(retentionDays),
        }),
      ],
    });
    const selection = plan.addSelection('Table', { resources: [backup.BackupResource.fromDynamoDbTable(this.table)] });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'AWS Backup service role for the table backup selection: the AWS-maintained backup policy is the documented way to let AWS Backup snapshot DynamoDB tables, and the selection names this table only.',
    });
    return plan;
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
        encryptionKey: this.logsKey,
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
    // The bucket's notification construct attaches its s3:PutBucketNotification grant to that role inline.
    const notifications = this.uploads.node.tryFindChild('Notifications');
    if (notifications) {
      Validations.of(notifications).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          'aws-cdk-lib attaches this inline policy (s3:PutBucketNotification on the uploads bucket only) to the role of its own notification-configuration function; the policy is not ours to turn into a managed one.',
      });
    }
  }
}
