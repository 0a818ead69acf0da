import { createPublicKey } from 'node:crypto';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { MAX_LINK_EXPIRY_SECONDS } from '../shared/adapters/table-design.js';
import { defaultNotificationSettings, MailSender } from '../shared/core/notify/settings.js';

/** The deployment environments this app knows; one is chosen per `cdk` run. */
export const DEPLOYMENTS = ['dev', 'prod'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

/** Context key (`cdk synth -c deployment=prod`) and environment variable that choose the deployment. */
export const DEPLOYMENT_CONTEXT_KEY = 'deployment';
export const DEPLOYMENT_ENV_VAR = 'IECMH_DEPLOYMENT';

// CloudWatch Logs accepts only these retention periods; checking here fails at synth rather than at deploy.
const retentionDays = z
  .number()
  .int()
  .refine((days) => Object.values(RetentionDays).includes(days), {
    message: 'must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)',
  });

// Scheduler cron: six fields (minutes hours day-of-month month day-of-week year), e.g. cron(0 5 * * ? *).
const cronExpression = z.string().regex(/^cron\((\S+ ){5}\S+\)$/, {
  message: 'must be an EventBridge Scheduler cron(...) expression with six fields',
});

const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']);

/** Whether a PEM text is a public key CloudFront accepts for signed cookies: RSA 2048 or ECDSA P-256. */
function isCloudFrontPublicKey(pem: string): boolean {
  try {
    const key = createPublicKey(pem);
    const details = key.asymmetricKeyDetails;
    return (
      (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048) ||
      (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1')
    );
  } catch {
    return false;
  }
}

/** A custom domain of the reports site; CloudFront reads viewer certificates from us-east-1 only. */
const siteDomain = z
  .object({
    names: z.array(z.string().regex(/^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/)).min(1),
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, {
      message: 'must be the ARN of an ACM certificate in us-east-1 (CloudFront reads certificates from there only)',
    }),
  })
  .strict();

/**
 * Who may read the reports site (CloudFront in front of the reports bucket; docs/operations.md). `public`:
 * anyone with the link, since the reports are made for publication. `signed-in`: the report paths of the
 * distribution open only to CloudFront signed cookies or URLs made with the private key of `publicKeyPem`
 * (the deployment keeps that key; the stack issues none), so policymakers read the reports through the
 * web app, whose API gives short-lived links after checking their sign-in.
 */
const reportsSiteSchema = z.discriminatedUnion('access', [
  z.object({ access: z.literal('public'), domain: siteDomain.optional() }).strict(),
  z
    .object({
      access: z.literal('signed-in'),
      publicKeyPem: z.string().refine(isCloudFrontPublicKey, {
        message: 'must be a PEM public key CloudFront accepts (RSA 2048 or ECDSA P-256)',
      }),
      domain: siteDomain.optional(),
    })
    .strict(),
]);

/** What every function has: limits, a concurrency cap and a log level. */
const functionSettings = {
  timeoutSeconds: z.number().int().min(1).max(900),
  memorySizeMb: z.number().int().min(128).max(10_240),
  /** Function-level concurrency limit (reserved concurrency): caps what one function can take. */
  reservedConcurrency: z.number().int().min(1).max(1000),
  logLevel: logLevelSchema,
};

const configSchema = z
  .object({
    deployment: z.enum(DEPLOYMENTS),
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    /** Optional fixed target; when absent the stack is environment-agnostic (synth needs no credentials). */
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
      .optional(),
    logRetentionDays: retentionDays,
    /** Where alarm notifications go; without it the topic exists and can be subscribed to by hand. */
    alarmEmail: z.email().optional(),
    /** `destroy` suits throw-away environments; `retain` keeps data, keys and logs when the stack goes. */
    removalPolicy: z.enum(['retain', 'destroy']),
    tableDeletionProtection: z.boolean(),
    /** Days before a replaced or deleted object version is removed from the uploads and reports buckets. */
    noncurrentVersionExpirationDays: z.number().int().min(1),
    accessLogExpirationDays: z.number().int().min(1),
    /** Days AWS Backup keeps daily table backups; absent: no backup plan (point-in-time recovery only). */
    tableBackupRetentionDays: z.number().int().min(7).max(3650).optional(),
    /** The association whose rules and reports this deployment serves (ASSOCIATION in the functions). */
    association: z.string().min(1),
    /** IANA time zone the schedules run in: "daily" and "nightly" mean the association's day. */
    scheduleTimeZone: z.string().refine((zone) => Intl.supportedValuesOf('timeZone').includes(zone), {
      message: 'must be an IANA time zone name, e.g. America/Chicago',
    }),
    /** How EventBridge Scheduler retries a failed delivery before it goes to the schedule's dead-letter queue. */
    scheduleRetry: z.object({
      maximumRetryAttempts: z.number().int().min(0).max(185),
      maximumEventAgeSeconds: z.number().int().min(60).max(86_400),
    }),
    ingest: z.object({
      ...functionSettings,
      /** Files per invocation: one CSV can be large, so keep batches small. */
      batchSize: z.number().int().min(1).max(10),
      /** Caps parallel ingests so a burst of uploads does not throttle the table. */
      maxConcurrency: z.number().int().min(2).max(1000),
      /** Receives before a message is parked in the dead-letter queue. */
      maxReceiveCount: z.number().int().min(1).max(1000),
    }),
    /** The refresh queue: ingest asks for an evaluation; the batching window turns several uploads into one. */
    refresh: z.object({
      batchSize: z.number().int().min(1).max(10),
      maxBatchingWindowSeconds: z.number().int().min(0).max(300),
      maxConcurrency: z.number().int().min(2).max(1000),
      maxReceiveCount: z.number().int().min(1).max(1000),
    }),
    /** The evaluate function; `schedule`: the nightly evaluation of everyone (the safety net of incremental evaluation). */
    evaluate: z.object({
      ...functionSettings,
      schedule: cronExpression,
      /**
       * Segments of the nightly evaluation of everyone. 1: one function does it (the schedule sends the
       * refresh queue `{}`); more: the fan-out state machine runs a segment per function and puts the
       * parts together (docs/operations.md, "When the nightly pass outgrows one function").
       */
      segments: z.number().int().min(1).max(100),
    }),
    /** The daily renewal job; `segments` as the evaluation's, for its own fan-out state machine. */
    renewals: z.object({
      ...functionSettings,
      schedule: cronExpression,
      /**
       * Segments of the daily renewal run. 1: one function does it (its schedule invokes it); more: the
       * renewals' fan-out state machine runs a segment per function and puts the parts together.
       */
      segments: z.number().int().min(1).max(100).default(1),
    }),
    reports: z.object({ ...functionSettings, schedule: cronExpression }),
    /** The erasure function an administrator invokes (docs/operations.md). */
    erase: z.object(functionSettings),
    /** The web app's API (docs/web-api.md): settings shared by its four functions, links, throttling. */
    webApi: z.object({
      ...functionSettings,
      // API Gateway waits 30 seconds for an integration: a longer function would answer nobody.
      timeoutSeconds: z.number().int().min(1).max(29),
      /** Lifetime of the presigned download links the API returns. */
      linkExpirySeconds: z.number().int().min(1).max(MAX_LINK_EXPIRY_SECONDS),
      /** Stage-wide throttling: steady requests per second and burst. */
      throttle: z.object({
        rateLimit: z.number().int().min(1).max(10_000),
        burstLimit: z.number().int().min(1).max(5_000),
      }),
    }),
    reportsSite: reportsSiteSchema,
    /** The Cognito user pool people sign in to (infra/constructs/sign-in.ts, docs/operations.md). */
    signIn: z
      .object({
        /** `optional`: each person may turn on an authenticator app; `required`: everyone must. */
        mfa: z.enum(['optional', 'required']),
        /** The managed login's Cognito domain prefix; default `<stack name>-<account>`, lower case. */
        domainPrefix: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
          .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
            message: 'must not contain aws, amazon or cognito (Cognito refuses them)',
          })
          .optional(),
      })
      .strict(),
    /**
     * Emails to administrators (docs/operations.md, "Emails"): SES sends from `sender`, an identity the
     * stack creates and someone must verify, to `administrators`; `digest` is the weekly digest's function.
     */
    notifications: z
      .object({
        sender: MailSender,
        administrators: z.array(z.email()).min(1).max(50),
        digest: z.object({ ...functionSettings, schedule: cronExpression }),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A mapping allowed more concurrent batches than the function may run would throttle, and a throttled
    // SQS batch counts as a receive: messages would reach the dead-letter queue without a real failure.
    const capped = [
      ['ingest', config.ingest.maxConcurrency, config.ingest.reservedConcurrency],
      ['evaluate', config.refresh.maxConcurrency, config.evaluate.reservedConcurrency],
    ] as const;
    for (const [name, mapping, reserved] of capped) {
      if (reserved < mapping) {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'reservedConcurrency'],
          message: `must be at least the event source's maximum concurrency (${mapping})`,
        });
      }
    }
  });

export type PipelineConfig = z.infer<typeof configSchema>;
/** What every function has: limits, a concurrency cap and a log level. */
export type FunctionSettings = Pick<
  PipelineConfig['ingest'],
  'timeoutSeconds' | 'memorySizeMb' | 'reservedConcurrency' | 'logLevel'
>;

const baseIngest = {
  timeoutSeconds: 120,
  memorySizeMb: 1024,
  reservedConcurrency: 5,
  batchSize: 1,
  maxConcurrency: 5,
  maxReceiveCount: 5,
} as const;

/** Settings both deployments share; each adds its log levels. */
const shared = {
  association: 'default',
  scheduleTimeZone: 'America/Chicago',
  scheduleRetry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
  refresh: { batchSize: 10, maxBatchingWindowSeconds: 60, maxConcurrency: 2, maxReceiveCount: 3 },
  // A full evaluation scans and rewrites every applicant: long and memory-hungry, and two at once is plenty.
  // Nightly at 01:00 everyone is evaluated (uploads evaluate the people they reach), before the 02:00 reports.
  evaluate: {
    timeoutSeconds: 600,
    memorySizeMb: 2048,
    reservedConcurrency: 2,
    schedule: 'cron(0 1 * * ? *)',
    segments: 1,
  },
  // Daily at 01:30 in the association's time zone: after the nightly evaluation (01:00) and before the
  // reports (02:00), so that the reports find both jobs' summaries as of the same date and need not
  // judge everyone from the rows (docs/architecture.md, "Summaries").
  renewals: {
    timeoutSeconds: 600,
    memorySizeMb: 2048,
    reservedConcurrency: 1,
    schedule: 'cron(30 1 * * ? *)',
    segments: 1,
  },
  // Nightly at 02:00; a fresh admin/eligibility.csv also rebuilds the reports. 2 GB leaves the headless Chromium
  // that prints report.pdf room beside the population (it wants 1.6 GB or more); printing takes seconds.
  reports: { timeoutSeconds: 600, memorySizeMb: 2048, reservedConcurrency: 2, schedule: 'cron(0 2 * * ? *)' },
  // Erasure rewrites the uploads that hold the person and regenerates the exports: rare, one at a time.
  erase: { timeoutSeconds: 900, memorySizeMb: 2048, reservedConcurrency: 1 },
  // Four functions (reports, uploads, exports, people); a people search reads the whole table.
  webApi: {
    timeoutSeconds: 29,
    memorySizeMb: 1024,
    reservedConcurrency: 5,
    linkExpirySeconds: 300,
    throttle: { rateLimit: 10, burstLimit: 20 },
  },
  // The reports are made for publication; a deployment may put them behind sign-in instead.
  reportsSite: { access: 'public' },
  signIn: { mfa: 'optional' },
} as const;

// Sender, administrators and the digest's schedule default to config/notifications.json; a deployment that
// sends mail sets its own sender and administrators (docs/operations.md, "Emails").
const notificationFile = defaultNotificationSettings();
const notifications = {
  sender: notificationFile.sender,
  administrators: notificationFile.administrators,
  // The digest reads stored results a person at a time: modest memory, weekly, one at a time.
  digest: {
    timeoutSeconds: 300,
    memorySizeMb: 1024,
    reservedConcurrency: 1,
    schedule: notificationFile.digest.schedule,
  },
};

const withLogLevel = (logLevel: z.infer<typeof logLevelSchema>) => ({
  ingest: { ...baseIngest, logLevel },
  evaluate: { ...shared.evaluate, logLevel },
  renewals: { ...shared.renewals, logLevel },
  reports: { ...shared.reports, logLevel },
  erase: { ...shared.erase, logLevel },
  webApi: { ...shared.webApi, logLevel },
  notifications: { ...notifications, digest: { ...notifications.digest, logLevel } },
});

const deployments: Record<Deployment, z.input<typeof configSchema>> = {
  dev: {
    deployment: 'dev',
    stackName: 'IecmhPipeline-dev',
    logRetentionDays: RetentionDays.TWO_WEEKS,
    removalPolicy: 'destroy',
    tableDeletionProtection: false,
    noncurrentVersionExpirationDays: 7,
    accessLogExpirationDays: 30,
    ...shared,
    ...withLogLevel('DEBUG'),
  },
  prod: {
    deployment: 'prod',
    stackName: 'IecmhPipeline-prod',
    logRetentionDays: RetentionDays.ONE_YEAR,
    removalPolicy: 'retain',
    tableDeletionProtection: true,
    noncurrentVersionExpirationDays: 90,
    accessLogExpirationDays: 365,
    tableBackupRetentionDays: 365,
    ...shared,
    ...withLogLevel('INFO'),
  },
};

/** Thrown when the deployment name or its settings are not valid. */
export class PipelineConfigError extends Error {
  override name = 'PipelineConfigError';
}

/**
 * The validated configuration for one deployment.
 * `overrides` lets a caller (a test, or `ALARM_EMAIL` in the app) adjust a field and still be validated.
 */
export function loadConfig(deployment: string, overrides: Partial<z.input<typeof configSchema>> = {}): PipelineConfig {
  const known = z.enum(DEPLOYMENTS).safeParse(deployment);
  if (!known.success) {
    throw new PipelineConfigError(
      `Unknown deployment "${deployment}" (from context "${DEPLOYMENT_CONTEXT_KEY}" or ${DEPLOYMENT_ENV_VAR}); expected one of: ${DEPLOYMENTS.join(', ')}`,
    );
  }
  const parsed = configSchema.safeParse({ ...deployments[known.data], ...overrides });
  if (!parsed.success) {
    throw new PipelineConfigError(`Invalid configuration for "${deployment}":\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The CDK removal policy for stateful resources in this deployment. */
export function removalPolicyOf(config: PipelineConfig): RemovalPolicy {
  return config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
