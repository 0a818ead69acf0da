import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ELIGIBILITY_KEY as ELIGIBILITY_EXPORT_KEY,
  MAX_LINK_EXPIRY_SECONDS,
  REPORT_PREFIXES,
  UPLOAD_PREFIXES,
} from '#adapters/table-design.js';
import { loadConfig } from '#infra/config.js';
import type { PipelineFunction } from '#infra/constructs/pipeline-function.js';
import type { PipelineStack } from '#infra/stack.js';
import { ELIGIBILITY_KEY } from '#services/evaluate-all.js';
import { LATEST_PREFIX, RUNS_PREFIX } from '#services/publish-reports.js';
import { arn, expectedGrants, scheduleRole } from './expected-grants.js';
import { grantsOf, logicalIdOf, type SynthesizedPipeline, statementsOf, synthPipeline } from './synth.js';

type Resource = { Properties: Record<string, unknown> };

// One synth of the production deployment, shared by every test in this file.
let synth: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  synth = synthPipeline('prod');
  ({ stack, template } = synth);
});
const config = loadConfig('prod');

// --- How resources appear in the template ---------------------------------------------------------
const resource = (construct: IConstruct) => template.toJSON().Resources[logicalIdOf(construct)] as Resource;

describe('IAM: every function and scheduler role', () => {
  it.each([
    'ingest',
    'evaluate',
    'renewals',
    'reports builder',
    'erase',
    'web reports',
    'web uploads',
    'web exports',
    'web people',
    'renewals schedule',
    'reports schedule',
    'evaluate schedule',
  ])('%s role has exactly its expected permissions', (name) => {
    const [, role, expected] = expectedGrants(stack).find(([n]) => n === name) ?? [];
    if (!role || !expected) throw new Error(`no expectations for ${name}`);
    expect(grantsOf(template, role)).toEqual([...expected].sort());
  });

  it('has no inline policies, no AWS managed policies and no wildcard action; data wildcards only within a named prefix', () => {
    for (const [name, role] of expectedGrants(stack)) {
      const { Properties } = resource(role);
      expect({ name, inline: Properties.Policies, managed: Properties.ManagedPolicyArns }).toEqual({ name });
      const statements = statementsOf(template, role);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        for (const target of [statement.Resource].flat()) {
          expect(target).not.toBe('*');
          const text = JSON.stringify(target);
          if (!text.includes('*')) continue;
          // Bucket objects under one named prefix, or the qualifiers of one named function.
          expect(text).toMatch(/^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["\w+","Arn"\]\},"(\/[a-z-]+\/\*|:\*)"\]\]\}$/);
        }
      }
    }
  });

  it('lets the web reports function list only the report prefixes, and the uploads function list only the kind prefixes', () => {
    const list = statementsOf(template, stack.webApi.functions.reports.role).find((s) => s.Action === 's3:ListBucket');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['reports/*', 'latest/*'] } });
    const versions = statementsOf(template, stack.webApi.functions.uploads.role).find(
      (s) => s.Action === 's3:ListBucketVersions',
    );
    expect(versions?.Condition).toEqual({ StringLike: { 's3:prefix': UPLOAD_PREFIXES.map((p) => `${p}*`) } });
  });

  it('keeps each function away from the data it must not touch', () => {
    const touches = (role: IConstruct, construct: IConstruct) =>
      JSON.stringify(statementsOf(template, role)).includes(`"${logicalIdOf(construct)}"`);
    // Ingest: not the reports bucket. Evaluate and renewals: not the reports bucket either.
    for (const fn of [stack.ingest, stack.evaluate, stack.renewals])
      expect(touches(fn.role, stack.reports)).toBe(false);
    // Reports builder: the table (read only) and the reports bucket, never the uploads/admin bucket.
    expect(touches(stack.reportsBuilder.role, stack.uploads)).toBe(false);
    // The web functions: reports (any signed-in person) reach neither the table nor the uploads bucket;
    // exports neither the table nor the reports; people neither bucket.
    const web = stack.webApi.functions;
    expect(touches(web.reports.role, stack.table)).toBe(false);
    expect(touches(web.reports.role, stack.uploads)).toBe(false);
    const readerActions = statementsOf(template, web.reports.role).flatMap((s) => [s.Action].flat());
    expect(readerActions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    expect(touches(web.exports.role, stack.table)).toBe(false);
    expect(touches(web.exports.role, stack.reports)).toBe(false);
    for (const bucket of [stack.uploads, stack.reports]) expect(touches(web.people.role, bucket)).toBe(false);
    for (const fn of Object.values(web)) expect(touches(fn.role, stack.messagingKey)).toBe(false);
  });
});

describe('functions', () => {
  const fnCases = (): [string, PipelineFunction, Record<string, unknown>][] => [
    [
      'evaluate',
      stack.evaluate,
      {
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        ADMIN_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        ASSOCIATION: config.association,
        POWERTOOLS_SERVICE_NAME: 'iecmh-evaluate',
      },
    ],
    [
      'renewals',
      stack.renewals,
      {
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        ADMIN_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        ASSOCIATION: config.association,
        POWERTOOLS_SERVICE_NAME: 'iecmh-renewals',
      },
    ],
    [
      'reports',
      stack.reportsBuilder,
      {
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        REPORTS_BUCKET: { Ref: logicalIdOf(stack.reports) },
        ASSOCIATION: config.association,
        RELEASE_NOISE_KEY_ID: { 'Fn::GetAtt': ['ReleaseNoiseKey', 'Arn'] },
        POWERTOOLS_SERVICE_NAME: 'iecmh-reports',
      },
    ],
    [
      'erase',
      stack.erasure.function,
      {
        AUDIT_KEY_ID: arn(stack.erasure.auditKey),
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        UPLOADS_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        ASSOCIATION: config.association,
        POWERTOOLS_SERVICE_NAME: 'iecmh-erase',
      },
    ],
    [
      'web uploads',
      stack.webApi.functions.uploads,
      {
        UPLOADS_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        POWERTOOLS_SERVICE_NAME: 'iecmh-web-uploads',
      },
    ],
    [
      'web exports',
      stack.webApi.functions.exports,
      {
        UPLOADS_BUCKET: { Ref: logicalIdOf(stack.uploads) },
        LINK_EXPIRY_SECONDS: String(config.webApi.linkExpirySeconds),
        POWERTOOLS_SERVICE_NAME: 'iecmh-web-exports',
      },
    ],
    [
      'web people',
      stack.webApi.functions.people,
      {
        TABLE_NAME: { Ref: logicalIdOf(stack.table) },
        ASSOCIATION: config.association,
        ERASE_FUNCTION_NAME: { Ref: logicalIdOf(stack.erasure.function.function) },
        POWERTOOLS_SERVICE_NAME: 'iecmh-web-people',
      },
    ],
  ];

  it.each(['evaluate', 'renewals', 'reports', 'erase', 'web uploads', 'web exports', 'web people'])(
    '%s receives exactly the environment it needs',
    (name) => {
      const [, fn, variables] = fnCases().find(([n]) => n === name) ?? [];
      if (!fn) throw new Error(`no expectations for ${name}`);
      expect(resource(fn.function).Properties.Environment).toEqual({
        Variables: { ...variables, LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps', MALLOC_ARENA_MAX: '2' },
      });
    },
  );

  it('gives every function a concurrency limit, and evaluate its long timeout and large memory', () => {
    const functions = [stack.ingest, stack.evaluate, stack.renewals, stack.reportsBuilder, stack.erasure.function];
    for (const fn of [...functions, ...Object.values(stack.webApi.functions)]) {
      expect(resource(fn.function).Properties.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(1);
    }
    expect(resource(stack.evaluate.function).Properties).toMatchObject({ Timeout: 600, MemorySize: 2048 });
  });

  it('starts every function with two malloc arenas, as the benchmark runs the jobs', () => {
    const functions = [stack.ingest, stack.evaluate, stack.renewals, stack.reportsBuilder, stack.erasure.function];
    for (const fn of [...functions, ...Object.values(stack.webApi.functions)]) {
      const { Variables } = resource(fn.function).Properties.Environment as { Variables: Record<string, unknown> };
      expect(Variables.MALLOC_ARENA_MAX).toBe('2');
    }
  });

  it('sends failed asynchronous runs of renewals and reports to their dead-letter queues', () => {
    expect(resource(stack.renewals.function).Properties.DeadLetterConfig).toEqual({
      TargetArn: arn(stack.renewalsDeadLetterQueue),
    });
    expect(resource(stack.reportsBuilder.function).Properties.DeadLetterConfig).toEqual({
      TargetArn: arn(stack.reportsDeadLetterQueue),
    });
  });

  it('web reports receives the reports bucket, the link expiry and where signing out leads', () => {
    const { Variables } = resource(stack.webApi.functions.reports.function).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Variables).toEqual({
      REPORTS_BUCKET: { Ref: logicalIdOf(stack.reports) },
      LINK_EXPIRY_SECONDS: String(config.webApi.linkExpirySeconds),
      SIGN_OUT_URL: expect.anything(),
      POWERTOOLS_SERVICE_NAME: 'iecmh-web-reports',
      LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      MALLOC_ARENA_MAX: '2',
    });
    // The managed login's logout, for the web app's client, back to the app.
    const signOut = JSON.stringify(Variables.SIGN_OUT_URL);
    expect(signOut).toContain('/logout?client_id=');
    expect(signOut).toContain(logicalIdOf(stack.signIn.client));
    expect(signOut).toContain('/app/index.html');
  });

  it('link expiry stays within what the handlers accept', () => {
    expect(MAX_LINK_EXPIRY_SECONDS).toBe(900);
    for (const fn of [stack.webApi.functions.reports, stack.webApi.functions.exports]) {
      const seconds = Number(
        (resource(fn.function).Properties.Environment as { Variables: Record<string, string> }).Variables
          .LINK_EXPIRY_SECONDS,
      );
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(MAX_LINK_EXPIRY_SECONDS);
    }
  });
});

describe('refresh queue and evaluation', () => {
  it('is encrypted with the messaging key, TLS-only, with a dead-letter queue after the configured receives', () => {
    for (const queue of [stack.refreshQueue, stack.refreshDeadLetterQueue]) {
      expect(resource(queue).Properties.KmsMasterKeyId).toEqual(arn(stack.messagingKey));
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    expect(resource(stack.refreshQueue).Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: arn(stack.refreshDeadLetterQueue),
      maxReceiveCount: config.refresh.maxReceiveCount,
    });
  });

  it('keeps a message invisible for six evaluate timeouts plus the batching window', () => {
    expect(resource(stack.refreshQueue).Properties.VisibilityTimeout).toBe(6 * 600 + 60);
  });

  it('batches refresh requests into one evaluation per window', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(stack.refreshQueue),
      FunctionName: { Ref: logicalIdOf(stack.evaluate.function) },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 60,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });
});

describe('schedules', () => {
  it.each([
    [
      'renewals',
      () => stack.renewalsSchedule,
      () => stack.renewals,
      () => stack.renewalsDeadLetterQueue,
      'cron(30 1 * * ? *)',
    ],
    [
      'reports',
      () => stack.reportsSchedule,
      () => stack.reportsBuilder,
      () => stack.reportsDeadLetterQueue,
      'cron(0 2 * * ? *)',
    ],
  ])(
    '%s runs daily in America/Chicago, on time, with retries and a dead-letter queue',
    (_n, schedule, fn, dlq, cron) => {
      expect(resource(schedule()).Properties).toEqual({
        Description: expect.any(String),
        ScheduleExpression: cron,
        ScheduleExpressionTimezone: 'America/Chicago',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: arn(fn().function),
          RoleArn: arn(scheduleRole(schedule())),
          Input: '{}',
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: arn(dlq()) },
        },
      });
    },
  );

  it('evaluates everyone nightly in America/Chicago: `{}` on the refresh queue, before the reports', () => {
    expect(resource(stack.evaluateSchedule).Properties).toEqual({
      Description: expect.any(String),
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: 'America/Chicago',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: arn(stack.refreshQueue),
        RoleArn: arn(scheduleRole(stack.evaluateSchedule)),
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: arn(stack.refreshDeadLetterQueue) },
      },
    });
  });

  it('lets only this account’s default schedule group assume the scheduler roles', () => {
    for (const schedule of [stack.renewalsSchedule, stack.reportsSchedule, stack.evaluateSchedule]) {
      const trust = resource(scheduleRole(schedule)).Properties.AssumeRolePolicyDocument as {
        Statement: { Principal: unknown; Condition: { StringEquals: Record<string, unknown> } }[];
      };
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0]?.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
      expect(Object.keys(trust.Statement[0]?.Condition.StringEquals ?? {}).sort()).toEqual([
        'aws:SourceAccount',
        'aws:SourceArn',
      ]);
    }
  });
});

describe('reports triggers', () => {
  it('rebuilds the reports when admin/eligibility.csv is written, and only then', () => {
    expect(ELIGIBILITY_EXPORT_KEY).toBe(ELIGIBILITY_KEY);
    const [notifications, ...others] = Object.values(
      template.findResources('Custom::S3BucketNotifications'),
    ) as Resource[];
    if (!notifications) throw new Error('the uploads bucket has no notification configuration');
    expect(others).toEqual([]);
    const { LambdaFunctionConfigurations } = notifications.Properties.NotificationConfiguration as {
      LambdaFunctionConfigurations: unknown[];
    };
    expect(LambdaFunctionConfigurations).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'admin/eligibility.csv' }] } },
        LambdaFunctionArn: arn(stack.reportsBuilder.function),
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: arn(stack.reportsBuilder.function),
      Principal: 's3.amazonaws.com',
      SourceArn: arn(stack.uploads),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('uses the prefixes the reports code writes and reads', () => {
    expect([...REPORT_PREFIXES].sort()).toEqual([LATEST_PREFIX, RUNS_PREFIX].sort());
  });
});
