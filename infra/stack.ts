import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '../shared/adapters/table-design.js';
import { type PipelineConfig, removalPolicyOf } from './config.js';
import { Alarms } from './constructs/alarms.js';
import { configureCdkProvidedFunctions } from './constructs/cdk-provided-functions.js';
import { Erasure } from './constructs/erasure.js';
import { buildFrontDoor } from './constructs/front-door.js';
import { Keys } from './constructs/keys.js';
import { NightlyFanOut } from './constructs/nightly-fan-out.js';
import { Notifications } from './constructs/notifications.js';
import { type FunctionDefaults, PipelineFunction } from './constructs/pipeline-function.js';
import { PipelineTable } from './constructs/pipeline-table.js';
import { QueueWorker } from './constructs/queue-worker.js';
import { ReportsJob } from './constructs/reports-job.js';
import type { ReportsSite } from './constructs/reports-site.js';
import { ScheduledJob } from './constructs/scheduled-job.js';
import { SecureBucket } from './constructs/secure-bucket.js';
import type { SignIn } from './constructs/sign-in.js';
import { CHANGE_EXPORT, DATA_READ_WRITE, NAMED_BY_RUN, tableActions } from './constructs/table-grants.js';
import { guardUploadsBucket } from './constructs/uploads-bucket-policy.js';
import type { WebApi } from './constructs/web-api.js';
import type { WebApp } from './constructs/web-app.js';

export interface PipelineStackProps extends StackProps {
  readonly config: PipelineConfig;
}

/**
 * The endorsement pipeline: administrators upload CSVs to the uploads bucket, each upload is queued and
 * ingested into the table; an ingest that changed data asks (through the refresh queue) for an evaluation,
 * which writes admin/eligibility.csv; that export, and a nightly schedule, rebuild the reports in the
 * reports bucket, which policymakers read on the reports site (CloudFront). Renewals run daily. People sign
 * in (Cognito) to the web app on the same site, whose API does for administrators what the buckets and
 * `iecmh` do (docs/web-api.md). Everything is encrypted with customer-managed keys: one for data at rest, one
 * for messages, one for logs and one for the published reports.
 *
 * Each part is a construct (infra/constructs/) that owns its resources, grants and alarms; this file wires
 * them together. The keys and the table keep fixed logical IDs (a replaced key or table loses its data).
 */
export class PipelineStack extends Stack {
  /** Encrypts data at rest: the uploads bucket and the table. */
  readonly dataKey: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messagingKey: kms.Key;
  /** Encrypts the CloudWatch log groups (function logs may quote data). */
  readonly logsKey: kms.Key;
  /** Encrypts the reports bucket; the reports site's distribution may decrypt with it. */
  readonly reportsKey: kms.Key;
  readonly accessLogs: SecureBucket;
  readonly uploads: SecureBucket;
  readonly reports: SecureBucket;
  readonly table: dynamodb.Table;
  /** Present when the deployment keeps AWS Backup copies of the table. */
  readonly tableBackupPlan?: backup.BackupPlan;
  readonly alarmTopic: sns.Topic;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDeadLetterQueue: sqs.Queue;
  readonly ingest: PipelineFunction;
  readonly refreshQueue: sqs.Queue;
  readonly refreshDeadLetterQueue: sqs.Queue;
  readonly evaluate: PipelineFunction;
  readonly evaluateSchedule: scheduler.Schedule;
  /** The nightly evaluation in segments (infra/constructs/nightly-fan-out.ts). */
  readonly nightlyFanOut: sfn.StateMachine;
  readonly renewals: PipelineFunction;
  readonly renewalsDeadLetterQueue: sqs.Queue;
  readonly renewalsSchedule: scheduler.Schedule;
  /** The daily renewal run in segments (infra/constructs/nightly-fan-out.ts). */
  readonly renewalsFanOut: sfn.StateMachine;
  readonly erasure: Erasure;
  readonly reportsBuilder: PipelineFunction;
  readonly reportsDeadLetterQueue: sqs.Queue;
  readonly reportsSchedule: scheduler.Schedule;
  readonly reportsSite: ReportsSite;
  readonly signIn: SignIn;
  readonly webApi: WebApi;
  readonly webApp: WebApp;
  /** The SES sender and the weekly digest (docs/operations.md, "Emails"). */
  readonly notifications: Notifications;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { deployment, association } = config;
    const removalPolicy = removalPolicyOf(config);

    // --- Keys and storage ------------------------------------------------------------------------------
    const keys = new Keys(this, 'Keys', { deployment, removalPolicy });
    this.dataKey = keys.data;
    this.messagingKey = keys.messaging;
    this.logsKey = keys.logs;
    this.reportsKey = keys.reports;
    const messagingKey = this.messagingKey;
    this.accessLogs = new SecureBucket(this, 'AccessLogsBucket', {
      removalPolicy,
      noncurrentVersionExpiration: Duration.days(1),
      expiration: Duration.days(config.accessLogExpirationDays),
    });
    const dataBucket = (id: string, logPrefix: string, encryptionKey: kms.IKey) =>
      new SecureBucket(this, id, {
        encryptionKey,
        serverAccessLogs: { bucket: this.accessLogs, prefix: logPrefix },
        removalPolicy,
        noncurrentVersionExpiration: Duration.days(config.noncurrentVersionExpirationDays),
      });
    this.uploads = dataBucket('UploadsBucket', 'uploads/', this.dataKey);
    // Through the key's alias, so that the key's policy can name the reports site's distribution (keys.ts).
    this.reports = dataBucket('ReportsBucket', 'reports/', keys.reportsByAlias);
    const { table, backupPlan } = new PipelineTable(this, 'Storage', { dataKey: this.dataKey, removalPolicy, config });
    this.table = table;
    this.tableBackupPlan = backupPlan;
    const uploads = this.uploads;

    // --- Alarms go to one topic; each part below adds its own ------------------------------------------
    const alarms = new Alarms(this, 'Alarms', { deployment, messagingKey, email: config.alarmEmail });
    this.alarmTopic = alarms.topic;

    const defaults: FunctionDefaults = { logRetention: config.logRetentionDays, logsKey: this.logsKey, removalPolicy };
    // What the functions that judge people read: the table, and the association whose rules apply.
    const judging = { TABLE_NAME: table.tableName, ASSOCIATION: association };

    // --- Refresh: refresh queue -> evaluate -> evaluations in the table and admin/eligibility.csv --------
    const evaluate = new QueueWorker(this, 'Evaluate', {
      messagingKey,
      alarms,
      deadLetterAlarm: 'Evaluation requests failed repeatedly and are parked in the dead-letter queue',
      maxReceiveCount: config.refresh.maxReceiveCount,
      // Messages name the people a change reached (a window of them is one evaluation); nightly, everyone.
      // In segments, the fan-out state machine's schedule starts the nightly pass instead (below).
      schedule:
        config.evaluate.segments === 1
          ? { description: 'Nightly evaluation of everyone', expression: config.evaluate.schedule, config }
          : undefined,
      eventSource: {
        batchSize: config.refresh.batchSize,
        maxBatchingWindow: Duration.seconds(config.refresh.maxBatchingWindowSeconds),
        maxConcurrency: config.refresh.maxConcurrency,
      },
      function: {
        handler: 'evaluate',
        description: 'Evaluates every applicant and exports admin/eligibility.csv to the uploads bucket',
        environment: { ...judging, ADMIN_BUCKET: uploads.bucketName },
        settings: config.evaluate,
        defaults,
        invokedSynchronouslyBy:
          'the refresh queue event source mapping (failed batches go to the refresh dead-letter queue)',
      },
    });

    // The nightly pass in segments, one evaluate invocation each, when one function no longer suffices.
    const nightly = new NightlyFanOut(this, 'NightlyFanOut', {
      config,
      job: {
        function: evaluate.function.function,
        functionName: 'evaluate',
        settings: config.evaluate,
        run: 'Nightly evaluation',
        people: 'applicants',
        segmentState: 'EvaluateSegment',
        stale: 'admin/eligibility.csv is',
      },
      messagingKey,
      alarms,
      logsKey: this.logsKey,
      logRetention: config.logRetentionDays,
      removalPolicy,
    });

    // --- Ingest: uploads bucket -> ingest queue -> ingest -> table; data changed -> refresh queue --------
    const ingest = new QueueWorker(this, 'Ingest', {
      messagingKey,
      alarms,
      deadLetterAlarm: 'Uploads failed ingest repeatedly and are parked in the dead-letter queue',
      maxReceiveCount: config.ingest.maxReceiveCount,
      eventSource: {
        batchSize: config.ingest.batchSize,
        maxConcurrency: config.ingest.maxConcurrency,
        reportBatchItemFailures: true,
      },
      function: {
        handler: 'ingest',
        description: 'Ingests uploaded CSVs (applicants, rosters, RSC, endorsements) into the table',
        environment: { TABLE_NAME: table.tableName, REFRESH_QUEUE_URL: evaluate.queue.queueUrl },
        settings: config.ingest,
        defaults,
        invokedSynchronouslyBy:
          'the ingest queue event source mapping (failed messages go to the ingest dead-letter queue)',
      },
    });
    // New versions and deletions go to ingest, which syncs the key. Prefix only: S3 suffix filters are case-sensitive.
    for (const prefix of UPLOAD_PREFIXES) {
      for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
        uploads.addEventNotification(event, new SqsDestination(ingest.queue), { prefix });
      }
    }
    // Ingest reads the version an event names (and the earlier receipt on withdrawal) and writes receipts.
    // Without ListBucket, S3 answers a deleted key with AccessDenied instead of NoSuchKey; ingest then lists
    // the key's own prefix to tell a withdrawal from a permissions fault.
    const inputs = [...UPLOAD_PREFIXES, RECEIPTS_PREFIX];
    ingest.function.grantObjects('ReadUploadedInputs', ['s3:GetObject'], uploads, inputs);
    ingest.function.grantListing('SeeDeletedInputs', uploads, UPLOAD_PREFIXES);
    ingest.function.grantObjects('WriteReceipts', ['s3:PutObject'], uploads, [RECEIPTS_PREFIX]);
    ingest.function.grantTableItems(table, tableActions('ingest'), { sourceIndex: true });
    this.dataKey.grant(ingest.function.role, ...DATA_READ_WRITE);
    // One message per file that changed data.
    evaluate.grantSendMessages(ingest.function, 'RequestEvaluation');
    ingest.function.acknowledgeObjectWildcards(uploads, UPLOAD_PREFIXES, 'are not known until upload time');
    ingest.function.acknowledgeObjectWildcards(uploads, [RECEIPTS_PREFIX], 'are named after the uploads they record');

    evaluate.function.grantTableItems(table, tableActions('evaluate'));
    evaluate.function.grantObjects('ChangeExports', CHANGE_EXPORT, uploads, [ADMIN_PREFIX], NAMED_BY_RUN);
    this.dataKey.grant(evaluate.function.role, ...DATA_READ_WRITE);

    // --- Renewals: daily schedule -> renewals -> table and admin/ CSVs ----------------------------------
    const renewals = new ScheduledJob(this, 'Renewals', {
      description: 'Daily renewal run',
      // In segments, the renewals' fan-out state machine's schedule starts the run instead (below).
      schedule: config.renewals.segments === 1 ? config.renewals.schedule : undefined,
      messagingKey,
      alarms,
      deadLetterAlarm: 'A renewal run could not be delivered or failed after retries',
      config,
      function: {
        handler: 'renewals',
        description: 'Daily renewal job: renewal status, outreach lists and admin/ renewal CSVs',
        environment: { ...judging, ADMIN_BUCKET: uploads.bucketName },
        settings: config.renewals,
        defaults,
      },
    });
    renewals.function.grantTableItems(table, tableActions('renewals'));
    // Its segments write parts of the exports, which the finish reads back and deletes once put together.
    renewals.function.grantObjects('WriteRenewalExports', CHANGE_EXPORT, uploads, [ADMIN_PREFIX], NAMED_BY_RUN);
    this.dataKey.grant(renewals.function.role, ...DATA_READ_WRITE);
    // The daily run in segments, one renewals invocation each, when one function no longer suffices.
    const renewalsFanOut = new NightlyFanOut(this, 'RenewalsFanOut', {
      config,
      job: {
        function: renewals.function.function,
        functionName: 'renewals',
        settings: config.renewals,
        run: 'Daily renewal run',
        people: 'endorsees',
        segmentState: 'RenewSegment',
        stale: 'admin/renewals.csv and admin/outreach.csv are',
      },
      messagingKey,
      alarms,
      logsKey: this.logsKey,
      logRetention: config.logRetentionDays,
      removalPolicy,
    });

    // --- Erasure: an administrator's invocation -> uploads rewritten, items deleted, exports regenerated ---
    this.erasure = new Erasure(this, 'Erasure', {
      makeFunction: (scope, environment) =>
        new PipelineFunction(scope, 'Handler', {
          handler: 'erase',
          description: 'Erases people on request: their rows in the uploads, their items, the exports that named them',
          environment: { ...environment, ...judging, UPLOADS_BUCKET: uploads.bucketName },
          settings: config.erase,
          defaults,
          invokedSynchronouslyBy: 'an administrator (aws lambda invoke; docs/operations.md)',
        }),
      table,
      uploads,
      dataKey: this.dataKey,
      removalPolicy,
      warnOfErasedIn: [ingest.function],
    });

    // --- Reports: nightly schedule and each new admin/eligibility.csv -> reports bucket ------------------
    const reports = new ReportsJob(this, 'Reports', {
      config,
      defaults,
      removalPolicy,
      messagingKey,
      alarms,
      judging,
      table,
      dataKey: this.dataKey,
      reports: this.reports,
      reportsKey: this.reportsKey,
      uploads,
    });

    // --- Front door: reports site and web app (CloudFront), web API (JWT), sign-in (Cognito) -------------
    const door = buildFrontDoor(this, {
      ...{ config, defaults, alarms, removalPolicy, uploads, table, judging, dataKey: this.dataKey },
      ...{ accessLogs: this.accessLogs, reports: this.reports, reportsKey: this.reportsKey },
      eraseFunction: this.erasure.function,
    });
    ({ site: this.reportsSite, signIn: this.signIn, webApi: this.webApi, webApp: this.webApp } = door);

    // --- Emails to administrators (SES): rejected rows after ingest; the weekly digest ------------------
    this.notifications = new Notifications(this, 'Notifications', {
      ...{ config, defaults, messagingKey, alarms, table, dataKey: this.dataKey, uploads },
      ...{ ingest: ingest.function, appUrl: this.reportsSite.appUrl },
    });

    // Whatever IAM allows, nobody but these pipeline roles writes the exports and the receipts.
    const eraser = this.erasure.function.role;
    guardUploadsBucket(uploads, {
      exports: [evaluate.function.role, renewals.function.role, eraser],
      receipts: [ingest.function.role, eraser],
    });

    // Last, so it sees every function CDK has added for the constructs above.
    configureCdkProvidedFunctions(this, defaults, uploads);

    // The parts, by the names the tests use.
    this.ingestQueue = ingest.queue;
    this.ingestDeadLetterQueue = ingest.deadLetterQueue;
    this.ingest = ingest.function;
    this.refreshQueue = evaluate.queue;
    this.refreshDeadLetterQueue = evaluate.deadLetterQueue;
    this.evaluate = evaluate.function;
    this.evaluateSchedule = (evaluate.schedule ?? nightly.schedule) as scheduler.Schedule;
    this.nightlyFanOut = nightly.stateMachine;
    this.renewals = renewals.function;
    this.renewalsDeadLetterQueue = renewals.deadLetterQueue;
    this.renewalsSchedule = (renewals.schedule ?? renewalsFanOut.schedule) as scheduler.Schedule;
    this.renewalsFanOut = renewalsFanOut.stateMachine;
    this.reportsBuilder = reports.function;
    this.reportsDeadLetterQueue = reports.deadLetterQueue;
    this.reportsSchedule = reports.schedule as scheduler.Schedule;

    new CfnOutput(this, 'UploadsBucketName', { value: uploads.bucketName });
    new CfnOutput(this, 'ReportsBucketName', { value: this.reports.bucketName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EraseFunctionName', { value: this.erasure.function.function.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', { value: ingest.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ReportsSiteUrl', { value: this.reportsSite.url });
    new CfnOutput(this, 'WebAppUrl', { value: this.reportsSite.appUrl });
    new CfnOutput(this, 'SignInUrl', { value: this.signIn.signInUrl });
    new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.signIn.client.userPoolClientId });
  }
}
