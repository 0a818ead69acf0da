import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSettings } from '../config.js';
import { fromProjectRoot, PROJECT_ROOT } from '../paths.js';
import { RUNTIME_ENVIRONMENT } from '../runtime.js';
import { ManagedPolicyRole } from './managed-policy-role.js';
import { grantTableItems } from './table-grants.js';

/** What every function of a deployment shares: its log group's retention and key, and its removal policy. */
export interface FunctionDefaults {
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the function's log group (the stack's logs key). */
  readonly logsKey: IKey;
  readonly removalPolicy: RemovalPolicy;
}

export interface PipelineFunctionProps {
  /**
   * The handler's folder under functions/, e.g. `ingest`: the entry is its handler.ts (exporting `handler`),
   * and `iecmh-<handler>` the Powertools service name on every log line (POWERTOOLS_SERVICE_NAME).
   */
  readonly handler: string;
  readonly description: string;
  /**
   * Every variable the handler reads; nothing is added implicitly except the service name and log level
   * (Powertools), NODE_OPTIONS for source maps and the process's RUNTIME_ENVIRONMENT (infra/runtime.ts).
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The deployment's limits, concurrency and log level for this function. */
  readonly settings: FunctionSettings;
  readonly defaults: FunctionDefaults;
  /**
   * Where asynchronous invocations (Scheduler, S3 notifications) go once Lambda's own retries are spent.
   * The role is granted sqs:SendMessage on it, and the use of its key.
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * For a function only ever invoked synchronously (by an SQS event source mapping or API Gateway), who
   * invokes it: failures go back to that caller, so an asynchronous dead-letter queue would never be used.
   */
  readonly invokedSynchronouslyBy?: string;
  /**
   * The processor (default ARM64). The reports function runs on x86_64: the headless Chromium it prints
   * report.pdf with (@sparticuz/chromium) ships for x86_64 only.
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Packages installed beside the bundle (npm, from the lock file) instead of bundled: a package that
   * reads its own files at run time, such as @sparticuz/chromium's compressed browser.
   */
  readonly nodeModules?: readonly string[];
}

// esbuild's ESM output has no `require`; some CommonJS dependencies still call it.
const ESM_REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * A Lambda function the way this project builds them: Node 24 on ARM64 (unless `architecture` says
 * otherwise), bundled and minified ESM with source maps, its own KMS-encrypted log group with retention, a
 * concurrency limit, and a role that starts with no permissions at all (only writing to its own log group),
 * so every grant is visible in the stack.
 * The role's permissions live in one customer-managed policy (no inline policies); the `grant*` methods
 * add the narrow permissions this project gives (item-level table actions, objects under named prefixes).
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: ManagedPolicyRole;
  readonly logGroup: logs.LogGroup;
  /** The packages installed beside the bundle rather than bundled (props.nodeModules). */
  readonly nodeModules: readonly string[];

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { settings, defaults } = props;
    this.nodeModules = props.nodeModules ?? [];

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
      removalPolicy: defaults.removalPolicy,
    });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole, whose logs:* grants
    // cover every log group in the account.
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role for: ${props.description}`,
    });
    this.logGroup.grant(this.role, 'logs:CreateLogStream', 'logs:PutLogEvents');

    this.function = new NodejsFunction(this, 'Function', {
      entry: fromProjectRoot(`functions/${props.handler}/handler.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: fromProjectRoot('package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: settings.memorySizeMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      reservedConcurrentExecutions: settings.reservedConcurrency,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `iecmh-${props.handler}`,
        LOG_LEVEL: settings.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...RUNTIME_ENVIRONMENT,
      },
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
        ...(this.nodeModules.length > 0 ? { nodeModules: [...this.nodeModules] } : {}),
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
    // Failed asynchronous events are sent to the encrypted dead-letter queue as this role.
    props.deadLetterQueue?.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Item-level table actions on the table itself, and Query on the source index with `sourceIndex`. */
  grantTableItems(table: dynamodb.ITable, actions: readonly string[], options: { sourceIndex?: boolean } = {}): void {
    grantTableItems(this.role, table, actions, options);
  }

  /**
   * `actions` on the objects under these prefixes of a bucket only, as one statement. With `keysAre`, the
   * wildcard finding for each prefix is acknowledged, saying why its keys cannot be listed in advance.
   */
  grantObjects(sid: string, actions: string[], bucket: s3.Bucket, prefixes: readonly string[], keysAre?: string): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid,
        actions,
        resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    if (keysAre) this.acknowledgeObjectWildcards(bucket, prefixes, keysAre);
  }

  /** s3:ListBucket on a bucket, for keys under these prefixes only. */
  grantListing(sid: string, bucket: s3.Bucket, prefixes: readonly string[]): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
  }

  /** Acknowledges the wildcard finding (AwsSolutions-IAM5) for the objects under each prefix: `keysAre` says why. */
  acknowledgeObjectWildcards(bucket: s3.Bucket, prefixes: readonly string[], keysAre: string): void {
    const bucketId = Stack.of(this).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    for (const prefix of prefixes) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Object keys under ${prefix} ${keysAre}; the wildcard is limited to that one prefix of the ${bucket.node.id} bucket.`,
      });
    }
  }
}
