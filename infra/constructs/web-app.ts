/**
 * The web app's static files (web/: plain HTML, CSS and ES modules, no build step) in a bucket of their
 * own, served by the reports site's distribution under /app/ (reports-site.ts), with the config.json the
 * app reads at start: how to sign in (the Cognito managed login) and where the API is.
 */
import { DefaultStackSynthesizer, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { fromProjectRoot } from '../paths.js';
import { ManagedPolicyRole } from './managed-policy-role.js';
import type { FunctionDefaults } from './pipeline-function.js';
import { SecureBucket } from './secure-bucket.js';
import type { SignIn } from './sign-in.js';

/** Where the app's files sit in its bucket and on the site: https://<site>/app/index.html. */
export const WEB_APP_PREFIX = 'app/';
/** The API's path on the site; CloudFront forwards it unchanged to the HTTP API. */
export const WEB_API_BASE = '/api';

/** The config.json the app reads at start (web/app.js): the managed login of its client, and the API's path. */
export function webAppConfig(signIn: SignIn, appUrl: string) {
  return {
    auth: { kind: 'cognito', domain: signIn.domainName, clientId: signIn.client.userPoolClientId, redirectUri: appUrl },
    apiBase: WEB_API_BASE,
  };
}

export interface WebAppProps {
  /** Where the bucket's server access logs go. */
  readonly accessLogs: s3.IBucket;
  readonly defaults: FunctionDefaults;
  readonly removalPolicy: RemovalPolicy;
}

export class WebApp extends Construct {
  readonly bucket: SecureBucket;
  /** Present once `deploy` has run: copies web/ and config.json into the bucket at each deployment. */
  deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogs: { bucket: props.accessLogs, prefix: 'web-app/' },
      noncurrentVersionExpiration: Duration.days(7),
      withoutKeyBecause:
        "This bucket holds the web app's static files (web/ in the repository) and its config.json, which every visitor's browser downloads; they hold no data, so SSE-S3 protects them as well as a customer-managed key would, and CloudFront reads them without a key grant.",
    });
  }

  /** Deploys web/ and a config.json for this stack's sign-in into the bucket, under WEB_APP_PREFIX. */
  deploy(signIn: SignIn, appUrl: string, defaults: FunctionDefaults): s3deploy.BucketDeployment {
    // An explicit role (one managed policy, no AWS managed policy) and log group, as for the pipeline's functions.
    const role = new ManagedPolicyRole(this, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Copies the web app's files into its bucket during deployment",
    });
    const logGroup = new logs.LogGroup(this, 'DeployLogGroup', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
      removalPolicy: defaults.removalPolicy,
    });
    logGroup.grant(role, 'logs:CreateLogStream', 'logs:PutLogEvents');
    this.deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [
        s3deploy.Source.asset(fromProjectRoot('web')),
        s3deploy.Source.jsonData('config.json', webAppConfig(signIn, appUrl)),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: WEB_APP_PREFIX,
      // Files of an earlier version that this one no longer has are removed.
      prune: true,
      // Browsers and CloudFront check for a newer copy before each use, so a deployment shows at once.
      cacheControl: [s3deploy.CacheControl.noCache()],
      role,
      logGroup,
      memoryLimit: 256,
    });
    this.acknowledgeDeployment(role);
    return this.deployment;
  }

  private acknowledgeDeployment(role: ManagedPolicyRole): void {
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
    const why =
      "aws-cdk-lib grants the function that copies the web app's files during deployment read on the CDK asset bucket's objects and read-write on the web app bucket's objects, which it copies and prunes";
    for (const finding of [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::${assets}`,
      `Resource::<${bucketId}.Arn>/*`,
    ]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: `${why}; the role touches no other bucket and nothing else.`,
      });
    }
    // The function itself is aws-cdk-lib's (a singleton at the stack's root), run by CloudFormation.
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const what = "The CDK-provided function that copies the web app's files during deployment";
    for (const [id, reason] of [
      [
        'AwsSolutions-L1',
        `${what} runs on the Python runtime aws-cdk-lib chooses for it, with the AWS CLI layer it ships.`,
      ],
      [
        'NIST.800.53.R5-LambdaDLQ',
        `${what} is a CloudFormation custom resource: a failure fails the deployment, which reports it.`,
      ],
      [
        'NIST.800.53.R5-LambdaInsideVPC',
        `${what} only calls S3 over TLS; it reaches no private network resource, so a VPC would add nothing.`,
      ],
      [
        'NIST.800.53.R5-LambdaConcurrency',
        `${what} runs once per deployment, invoked by CloudFormation only; no caller could use up concurrency.`,
      ],
    ] as const) {
      Validations.of(handler).acknowledge({ id, reason });
    }
  }
}
