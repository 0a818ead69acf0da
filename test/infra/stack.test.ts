import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, REPORT_PREFIXES, UPLOAD_PREFIXES } from '#adapters/table-design.js';
import { loadConfig } from '#infra/config.js';
import type { PipelineStack } from '#infra/stack.js';
import {
  acknowledgements,
  logicalIdOf,
  NAG_PACKS,
  type NagPackName,
  nagFindings,
  type SynthesizedPipeline,
  statementsOf,
  synthPipeline,
} from './synth.js';

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string };

// One synth of the production deployment, shared by every test in this file.
let synth: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  synth = synthPipeline('prod');
  ({ stack, template } = synth);
});

const BUCKETS = ['accessLogs', 'uploads', 'reports'] as const;
const DATA_BUCKETS = ['uploads', 'reports'] as const;

const denyWithoutTls = Match.objectLike({
  Effect: 'Deny',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

function bucket(name: (typeof BUCKETS)[number]): Resource {
  const resource = template.toJSON().Resources[logicalIdOf(stack[name])] as Resource | undefined;
  if (!resource) throw new Error(`bucket ${name} is not in the template`);
  return resource;
}

function ingestStatements(): Statement[] {
  return statementsOf(template, stack.ingest.role);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

describe('buckets', () => {
  it.each(BUCKETS)('%s bucket blocks all public access', (name) => {
    expect(bucket(name).Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it.each(BUCKETS)('%s bucket denies requests without TLS', (name) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(stack[name]) },
      PolicyDocument: { Statement: Match.arrayWith([denyWithoutTls]) },
    });
  });

  it('uploads bucket is encrypted with the customer-managed data key', () => {
    expect(bucket('uploads').Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(stack.dataKey), 'Arn'] },
          },
        },
      ],
    });
  });

  it("reports bucket is encrypted with the reports' own key, named by the alias the stack gives it", () => {
    // The alias ARN, not the key's: the key's policy names the distribution that reads this bucket (reports-site.ts).
    const aliasArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':kms:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':alias/PipelineUnderTest-reports',
        ],
      ],
    };
    expect(bucket('reports').Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: aliasArn },
        },
      ],
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/PipelineUnderTest-reports',
      TargetKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.reportsKey), 'Arn'] },
    });
  });

  it('access-log bucket uses SSE-S3, the only encryption S3 server access logging can deliver to', () => {
    expect(bucket('accessLogs').Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it.each(BUCKETS)('%s bucket is versioned and expires noncurrent versions and incomplete uploads', (name) => {
    const { Properties } = bucket(name);
    expect(Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = (Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) } }),
    );
  });

  it.each(DATA_BUCKETS)('%s bucket writes server access logs to the access-log bucket', (name) => {
    expect(bucket(name).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(stack.accessLogs) },
      LogFilePrefix: `${name}/`,
    });
  });

  it('keeps every bucket when the production stack is deleted', () => {
    for (const name of BUCKETS) expect(bucket(name).DeletionPolicy).toBe('Retain');
  });
});

describe('keys', () => {
  it('rotates all four encryption keys (data, messaging, logs, reports); the two HMAC keys (erasure audit, release noise) sign only', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as Resource[];
    const encryption = keys.filter((key) => key.Properties.KeySpec === undefined);
    expect(encryption).toHaveLength(4);
    for (const key of encryption) expect(key.Properties.EnableKeyRotation).toBe(true);
    // KMS rotates no HMAC key; one hashes person ids for the erasure audit record, the other keys the release noise.
    expect(keys.filter((key) => key.Properties.KeySpec !== undefined).map((key) => key.Properties)).toEqual([
      expect.objectContaining({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      expect.objectContaining({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    ]);
  });

  it("lets CloudWatch Logs use the logs key only for this account's log groups", () => {
    const key = template.toJSON().Resources[logicalIdOf(stack.logsKey)] as Resource;
    const statements = (key.Properties.KeyPolicy as { Statement: Statement[] & { Principal?: unknown }[] }).Statement;
    const forLogs = statements.find((statement) => statement.Sid === 'AllowCloudWatchLogsForThisAccountsLogGroups');
    expect(forLogs).toMatchObject({
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() } },
    });
    // The data, messaging and reports keys are not opened to CloudWatch Logs.
    for (const other of [stack.dataKey, stack.messagingKey, stack.reportsKey]) {
      const policy = JSON.stringify((template.toJSON().Resources[logicalIdOf(other)] as Resource).Properties.KeyPolicy);
      expect(policy).not.toContain('logs.');
    }
  });
});

describe('table', () => {
  it('has pk/sk string keys, on-demand billing, point-in-time recovery and the data key', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'sv', AttributeType: 'S' },
      ],
      // Which items each version of each upload supplied: a replacement or withdrawal reads only its own.
      GlobalSecondaryIndexes: [
        {
          IndexName: 'bySource',
          KeySchema: [{ AttributeName: 'sv', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.dataKey), 'Arn'] },
      },
      DeletionProtectionEnabled: true,
    });
  });

  it('is backed up daily by AWS Backup into a vault encrypted with the data key, kept a year', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [logicalIdOf(stack.dataKey), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 4 * * ? *)',
            ScheduleExpressionTimezone: 'America/Chicago',
            Lifecycle: { DeleteAfterDays: 365 },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::GetAtt': [logicalIdOf(stack.table), 'Arn'] }] },
    });
  });
});

describe('ingest queue', () => {
  it('parks a message in the dead-letter queue after the configured number of receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack.ingestDeadLetterQueue), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('keeps a message invisible for at least six times the function timeout', () => {
    const queue = template.toJSON().Resources[logicalIdOf(stack.ingestQueue)] as Resource;
    const fn = template.toJSON().Resources[logicalIdOf(stack.ingest.function)] as Resource;
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (fn.Properties.Timeout as number));
  });

  it.each([
    ['ingest queue', () => stack.ingestQueue],
    ['dead-letter queue', () => stack.ingestDeadLetterQueue],
  ])('%s is encrypted with the messaging key and denies requests without TLS', (_name, queue) => {
    const queueId = logicalIdOf(queue());
    expect((template.toJSON().Resources[queueId] as Resource).Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack.messagingKey), 'Arn'],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([denyWithoutTls]) },
    });
  });

  it('sends every key created or removed under an input prefix to the ingest queue, whatever its extension', () => {
    // S3 suffix filters are case-sensitive: `.csv` would keep `Rosters.CSV` from ingest, which
    // decides by the extension in any letter case (shared/core/ingest/file-types.ts).
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications')) as Resource[];
    expect(notifications).toHaveLength(1);
    const config = notifications[0]?.Properties.NotificationConfiguration as {
      QueueConfigurations: { Events: string[]; Filter: unknown; QueueArn: unknown }[];
    };
    expect(config.QueueConfigurations).toEqual(
      UPLOAD_PREFIXES.flatMap((prefix) =>
        ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'].map((event) => ({
          Events: [event],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
          QueueArn: { 'Fn::GetAtt': [logicalIdOf(stack.ingestQueue), 'Arn'] },
        })),
      ),
    );
    expect(notifications[0]?.Properties.BucketName).toEqual({ Ref: logicalIdOf(stack.uploads) });
  });

  it('feeds the ingest function in small batches with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.ingestQueue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(stack.ingest.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('ingest function', () => {
  it('runs Node 24 on ARM64 with JSON logs into its own log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(stack.ingest.logGroup) } },
    });
  });

  it('receives exactly the environment it needs', () => {
    const fn = template.toJSON().Resources[logicalIdOf(stack.ingest.function)] as Resource;
    expect(fn.Properties.Environment).toEqual({
      Variables: {
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        REFRESH_QUEUE_URL: { Ref: logicalIdOf(stack.refreshQueue) },
        // Receipts warn when an upload names someone erased: the audit record's keyed hash.
        AUDIT_KEY_ID: { 'Fn::GetAtt': [logicalIdOf(stack.erasure.auditKey), 'Arn'] },
        // The rejected-rows email (docs/operations.md, "Emails"): who sends, who gets it, where the receipts are.
        MAIL_FROM: loadConfig('prod').notifications.sender.address,
        MAIL_FROM_NAME: loadConfig('prod').notifications.sender.name,
        ADMIN_EMAILS: loadConfig('prod').notifications.administrators.join(','),
        APP_URL: stack.resolve(stack.reportsSite.appUrl),
        UPLOADS_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        POWERTOOLS_SERVICE_NAME: 'iecmh-ingest',
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        MALLOC_ARENA_MAX: '2',
      },
    });
  });

  it('has a role with no AWS managed policies and no inline policies', () => {
    const role = template.toJSON().Resources[logicalIdOf(stack.ingest.role)] as Resource;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('is granted no service-wide wildcard actions', () => {
    const actions = ingestStatements().flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('reads only the input prefixes and receipts, lists only the input prefixes, and writes only receipts', () => {
    const uploadsArn = { 'Fn::GetAtt': [logicalIdOf(stack.uploads), 'Arn'] };
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [uploadsArn, `/${prefix}*`]] });
    const s3 = ingestStatements().filter((statement) => actionsOf(statement).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    const read = s3.find((statement) => actionsOf(statement).includes('s3:GetObject'));
    const list = s3.find((statement) => actionsOf(statement).includes('s3:ListBucket'));
    const write = s3.find((statement) => actionsOf(statement).includes('s3:PutObject'));
    expect(read?.Resource).toHaveLength(UPLOAD_PREFIXES.length + 1);
    expect(read?.Resource).toEqual(expect.arrayContaining([...UPLOAD_PREFIXES, RECEIPTS_PREFIX].map(objects)));
    // Listing tells a deleted upload (withdrawal) from a refused read; only the input prefixes.
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': UPLOAD_PREFIXES.map((p) => `${p}*`) } });
    expect(write?.Resource).toEqual(objects(RECEIPTS_PREFIX));
  });

  it('has no access to the reports bucket', () => {
    expect(JSON.stringify(ingestStatements())).not.toContain(logicalIdOf(stack.reports));
  });

  it('may only read and write items in the table and query the source index, without Scan', () => {
    const table = { 'Fn::GetAtt': [logicalIdOf(stack.table), 'Arn'] };
    const dynamo = ingestStatements().filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const onTable = dynamo.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(table));
    expect(onTable.flatMap(actionsOf).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const onIndex = dynamo.filter((s) => !onTable.includes(s));
    expect(onIndex).toEqual([
      expect.objectContaining({ Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [table, '/index/bySource']] } }),
    ]);
  });
});

describe('logs', () => {
  it('every log group has the configured retention and is encrypted with the logs key', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    expect(groups.length).toBeGreaterThanOrEqual(7);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack.logsKey), 'Arn'] });
    }
  });

  it('every function, including those CDK adds, logs to a log group of this stack', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Resource[];
    const groupIds = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const fn of functions) {
      const { LogGroup } = fn.Properties.LoggingConfig as { LogGroup: { Ref: string } };
      expect(groupIds).toContain(LogGroup.Ref);
    }
  });
});

describe('alarms', () => {
  const topicRef = () => [{ Ref: logicalIdOf(stack.alarmTopic) }];

  it.each([
    ['ingest', () => stack.ingestDeadLetterQueue],
    ['refresh', () => stack.refreshDeadLetterQueue],
    ['renewals', () => stack.renewalsDeadLetterQueue],
    ['reports', () => stack.reportsDeadLetterQueue],
  ])('alarms when the %s dead-letter queue holds any message', (_name, queue) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue()), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: topicRef(),
    });
  });

  it.each([
    ['ingest', () => stack.ingest],
    ['evaluate', () => stack.evaluate],
    ['renewals', () => stack.renewals],
    ['reports', () => stack.reportsBuilder],
    ['web reports', () => stack.webApi.functions.reports],
    ['web uploads', () => stack.webApi.functions.uploads],
    ['web exports', () => stack.webApi.functions.exports],
    ['web people', () => stack.webApi.functions.people],
  ])('alarms when the %s function reports errors', (_name, fn) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(fn().function) } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: topicRef(),
    });
  });

  it('sends alarms to a topic encrypted with the messaging key that denies requests without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.messagingKey), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: topicRef(),
      PolicyDocument: { Statement: Match.arrayWith([denyWithoutTls]) },
    });
  });
});

describe('cdk-nag', () => {
  it.each(Object.keys(NAG_PACKS) as NagPackName[])('%s reports no unacknowledged errors or warnings', (pack) => {
    const findings = nagFindings(synth.app, pack);
    if (findings.length > 0) console.error(`${pack} findings:\n${findings.join('\n')}`);
    expect(findings).toEqual([]);
  });

  it('acknowledges only the expected findings, each with a specific reason', () => {
    const recorded = acknowledgements(synth.app);
    const objects = (bucket: IConstruct, prefixes: readonly string[]) =>
      prefixes.map((prefix) => `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${prefix}*]`);
    expect(recorded.map(({ id }) => id).sort()).toEqual(
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        'NIST.800.53.R5-IAMNoInlinePolicy',
        ...objects(stack.uploads, [...UPLOAD_PREFIXES, RECEIPTS_PREFIX]),
        ...objects(stack.uploads, [ADMIN_PREFIX]), // evaluate
        ...objects(stack.uploads, [ADMIN_PREFIX]), // renewals
        ...objects(stack.reports, REPORT_PREFIXES), // reports builder
        ...objects(stack.reports, REPORT_PREFIXES), // web reports
        ...objects(stack.uploads, [...UPLOAD_PREFIXES, RECEIPTS_PREFIX]), // web uploads: sign under a kind, receipts
        ...objects(stack.uploads, [ADMIN_PREFIX]), // web exports
        ...objects(stack.uploads, [...UPLOAD_PREFIXES, RECEIPTS_PREFIX, ADMIN_PREFIX]), // erase
        ...[stack.renewals, stack.reportsBuilder, stack.notifications.digest.function].map(
          (fn) => `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn.function)}.Arn>:*]`,
        ),
        // Ten functions: none in a VPC; seven invoked only synchronously (the four web functions by API
        // Gateway, erase by an administrator or the people function).
        ...Array.from({ length: 10 }, () => 'NIST.800.53.R5-LambdaInsideVPC'),
        ...Array.from({ length: 7 }, () => 'NIST.800.53.R5-LambdaDLQ'),
        // Five buckets: single-region; the access-log bucket, CloudFront's log bucket and the web app's
        // public files use SSE-S3.
        ...['accessLogs', 'uploads', 'reports', 'cloudfront logs', 'web app'].map(
          () => 'NIST.800.53.R5-S3BucketReplicationEnabled',
        ),
        ...['accessLogs', 'cloudfront logs', 'web app'].map(() => 'NIST.800.53.R5-S3DefaultEncryptionKMS'),
        // The function aws-cdk-lib provides to copy the web app's files: its role's grants, its runtime and setup.
        ...['Action::s3:Abort*', 'Action::s3:DeleteObject*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*']
          .concat(['Action::s3:List*', `Resource::<${logicalIdOf(stack.webApp.bucket)}.Arn>/*`])
          .concat(['Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'])
          .map((finding) => `AwsSolutions-IAM5[${finding}]`),
        'AwsSolutions-L1',
        // The two fan-outs (infra/constructs/nightly-fan-out.ts): invoking their function's versions
        // (evaluate, renewals), X-Ray and log delivery ("*" by AWS's design), and the Distributed Map's
        // policy on the state machine's own executions, which aws-cdk-lib attaches inline.
        ...[
          { fn: stack.evaluate, machine: stack.nightlyFanOut },
          { fn: stack.renewals, machine: stack.renewalsFanOut },
        ].flatMap(({ fn, machine }) => [
          `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn.function)}.Arn>:*]`,
          'AwsSolutions-IAM5[Resource::*]',
          ...['', '/*'].map(
            (run) =>
              `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalIdOf(machine)}"}]}]}${run}:*]`,
          ),
          'NIST.800.53.R5-IAMNoInlinePolicy',
        ]),
        'NIST.800.53.R5-LambdaDLQ',
        'NIST.800.53.R5-LambdaInsideVPC',
        'NIST.800.53.R5-LambdaConcurrency',
        // MFA offered, not required (infra/config.ts, signIn.mfa).
        'AwsSolutions-COG2',
        // The reports site: published aggregates, static files only, the default certificate (no custom domain).
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR4',
      ].sort(),
    );
    for (const { reason } of recorded) expect(reason.length).toBeGreaterThan(60);
  });
});
