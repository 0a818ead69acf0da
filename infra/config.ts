import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

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
    ingest: z.object({
      timeoutSeconds: z.number().int().min(1).max(900),
      memorySizeMb: z.number().int().min(128).max(10_240),
      /** Files per invocation: one CSV can be large, so keep batches small. */
      batchSize: z.number().int().min(1).max(10),
      /** Caps parallel ingests so a burst of uploads does not throttle the table. */
      maxConcurrency: z.number().int().min(2).max(1000),
      /** Receives before a message is parked in the dead-letter queue. */
      maxReceiveCount: z.number().int().min(1).max(1000),
      logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    }),
  })
  .strict();

export type PipelineConfig = z.infer<typeof configSchema>;

const baseIngest = {
  timeoutSeconds: 120,
  memorySizeMb: 1024,
  batchSize: 1,
  maxConcurrency: 5,
  maxReceiveCount: 5,
} as const;

const deployments: Record<Deployment, z.input<typeof configSchema>> = {
  dev: {
    deployment: 'dev',
    stackName: 'IecmhPipeline-dev',
    logRetentionDays: RetentionDays.TWO_WEEKS,
    removalPolicy: 'destroy',
    tableDeletionProtection: false,
    noncurrentVersionExpirationDays: 7,
    accessLogExpirationDays: 30,
    ingest: { ...baseIngest, logLevel: 'DEBUG' },
  },
  prod: {
    deployment: 'prod',
    stackName: 'IecmhPipeline-prod',
    logRetentionDays: RetentionDays.ONE_YEAR,
    removalPolicy: 'retain',
    tableDeletionProtection: true,
    noncurrentVersionExpirationDays: 90,
    accessLogExpirationDays: 365,
    ingest: { ...baseIngest, logLevel: 'INFO' },
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
