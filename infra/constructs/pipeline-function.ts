import { type Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fromProjectRoot, PROJECT_ROOT } from '../paths.js';
import { ManagedPolicyRole } from './managed-policy-role.js';

export interface PipelineFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/ingest/handler.ts` (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Every variable the handler reads; nothing is added implicitly except NODE_OPTIONS for source maps. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySizeMb: number;
  /** Function-level concurrency limit: caps what one function can take from the account and the table. */
  readonly reservedConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the function's log group (the stack's logs key). */
  readonly logsKey: IKey;
  readonly removalPolicy: RemovalPolicy;
  /**
   * Where asynchronous invocations (Scheduler, S3 notifications) go once Lambda's own retries are spent.
   * The role is granted sqs:SendMessage on it; the queue's key must be granted by the caller.
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * For a function only ever invoked synchronously (by an SQS event source mapping or API Gateway), who
   * invokes it: failures go back to that caller, so an asynchronous dead-letter queue would never be used.
   */
  readonly invokedSynchronouslyBy?: string;
}

// esbuild's ESM output has no `require`; some CommonJS dependencies still call it.
const ESM_REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * A Lambda function the way this project builds them: Node 24 on ARM64, bundled and minified ESM with
 * source maps, its own KMS-encrypted log group with retention, a concurrency limit, and a role that starts
 * with no permissions at all (only writing to its own log group), so every grant is visible in the stack.
 * The role's permissions live in one customer-managed policy (no inline policies).
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: ManagedPolicyRole;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy,
    });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole, whose logs:* grants
    // cover every log group in the account.
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role for: ${props.description}`,
    });
    this.logGroup.grant(this.role, 'logs:CreateLogStream', 'logs:PutLogEvents');

    this.function = new NodejsFunction(this, 'Function', {
      entry: fromProjectRoot(props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: fromProjectRoot('package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySizeMb,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too, so the code runs against the versions it was tested with.
        bundleAwsSDK: true,
      },
    });

    Validations.of(this).acknowledge({
      id: 'NIST.800.53.R5-LambdaInsideVPC',
      reason:
        'The function only calls AWS service APIs (S3, DynamoDB, SQS) over TLS, authorised by IAM; it reaches no private network resource, so a VPC would add NAT or endpoint costs without narrowing access.',
    });
    if (props.invokedSynchronouslyBy) {
      Validations.of(this).acknowledge({
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: `Invoked only synchronously, by ${props.invokedSynchronouslyBy}, so an asynchronous-invocation dead-letter queue would never receive anything.`,
      });
    }
  }
}
