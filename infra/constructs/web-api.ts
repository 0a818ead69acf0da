/**
 * The web app's API (docs/web-api.md): an HTTP API whose every route sits behind the user pool's JWT
 * authorizer, four functions (one per group of routes, so each holds only what its routes need), a
 * throttled stage with access logs, and alarms. The handlers check the group a route needs
 * (`cognito:groups`); the authorizer makes sure no request without a valid token reaches them.
 */
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, REPORT_PREFIXES, UPLOAD_PREFIXES } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { type FunctionDefaults, PipelineFunction } from './pipeline-function.js';
import type { SignIn } from './sign-in.js';

/** The four functions of the API, by the folder of their handler under functions/. */
export type WebFunctionName = 'reports' | 'uploads' | 'exports' | 'people';

/**
 * Every route of the API (docs/web-api.md, "Routes"), as API Gateway sees it: CloudFront forwards `/api/*`
 * unchanged. No `$default` route: a path not listed here is answered 404 by API Gateway itself.
 */
export const WEB_ROUTES: readonly { method: apigw.HttpMethod; path: string; fn: WebFunctionName }[] = [
  { method: apigw.HttpMethod.GET, path: '/api/me', fn: 'reports' },
  { method: apigw.HttpMethod.GET, path: '/api/reports', fn: 'reports' },
  { method: apigw.HttpMethod.GET, path: '/api/reports/{run}', fn: 'reports' },
  { method: apigw.HttpMethod.POST, path: '/api/uploads', fn: 'uploads' },
  { method: apigw.HttpMethod.GET, path: '/api/uploads', fn: 'uploads' },
  { method: apigw.HttpMethod.DELETE, path: '/api/uploads', fn: 'uploads' },
  { method: apigw.HttpMethod.GET, path: '/api/uploads/receipt', fn: 'uploads' },
  { method: apigw.HttpMethod.GET, path: '/api/exports', fn: 'exports' },
  { method: apigw.HttpMethod.GET, path: '/api/people', fn: 'people' },
  { method: apigw.HttpMethod.GET, path: '/api/people/{id}', fn: 'people' },
  { method: apigw.HttpMethod.POST, path: '/api/people/{id}/erase', fn: 'people' },
];

export interface WebApiProps {
  readonly uploads: s3.Bucket;
  readonly reports: s3.Bucket;
  readonly table: dynamodb.ITable;
  /** Encrypts the table and the uploads bucket. */
  readonly dataKey: IKey;
  /** Encrypts the reports bucket. */
  readonly reportsKey: IKey;
  /** The function POST /api/people/{id}/erase invokes; it does the erasing with its own permissions. */
  readonly eraseFunction: PipelineFunction;
  /** TABLE_NAME and ASSOCIATION, as every function that reads people gets them. */
  readonly judging: Record<string, string>;
  readonly defaults: FunctionDefaults;
  readonly alarms: Alarms;
  readonly config: Pick<PipelineConfig, 'deployment' | 'webApi'>;
  /**
   * The origins the web app runs on, whose browsers post uploads straight to the uploads bucket (CORS).
   * The presigned form is what authorises a post; this only lets the app read S3's answer.
   */
  readonly appOrigins: readonly string[];
}

// Who called, what they asked for and how it ended: the token's subject, never its claims or any body.
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  subject: '$context.authorizer.claims.sub',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

export class WebApi extends Construct {
  readonly functions: Readonly<Record<WebFunctionName, PipelineFunction>>;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** Present once `signInWith` has added the routes. */
  authorizer?: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: WebApiProps) {
    super(scope, id);
    const { config, defaults, uploads, reports, table } = props;
    const make = (name: WebFunctionName, description: string, environment: Record<string, string>) =>
      new PipelineFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        handler: `web-${name}`,
        description,
        environment,
        settings: config.webApi,
        defaults,
        invokedSynchronouslyBy: 'API Gateway (errors are returned to the caller)',
      });
    const linkExpiry = String(config.webApi.linkExpirySeconds);

    // Reading routes (any signed-in person): the report prefixes of the reports bucket, nothing else.
    const reportsFn = make('reports', 'Web API: who is signed in, the published reports and links to them', {
      REPORTS_BUCKET: reports.bucketName,
      LINK_EXPIRY_SECONDS: linkExpiry,
    });
    reportsFn.grantListing('ListReports', reports, REPORT_PREFIXES);
    reportsFn.grantObjects('ReadReports', ['s3:GetObject'], reports, REPORT_PREFIXES, 'are named by run date and file');
    // A presigned GET of an SSE-KMS object is authorised as this role, so the role decrypts.
    props.reportsKey.grant(reportsFn.role, 'kms:Decrypt');

    // Uploads (administrators): sign a POST under a kind's prefix, list versions, read receipts, withdraw.
    const uploadsFn = make('uploads', 'Web API: signs uploads, lists them with their receipts, withdraws them', {
      UPLOADS_BUCKET: uploads.bucketName,
      TABLE_NAME: table.tableName,
    });
    const keysAre = 'are named by the administrator who uploads them';
    // The browser's POST is authorised as this role: PutObject under the kind prefixes and nowhere else.
    uploadsFn.grantObjects('SignUploads', ['s3:PutObject'], uploads, UPLOAD_PREFIXES, keysAre);
    uploadsFn.grantObjects('WithdrawUploads', ['s3:DeleteObject'], uploads, UPLOAD_PREFIXES);
    uploadsFn.grantObjects('ReadReceipts', ['s3:GetObject'], uploads, [RECEIPTS_PREFIX], 'are named after uploads');
    uploadsFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListUploadVersions',
        actions: ['s3:ListBucketVersions'],
        resources: [uploads.bucketArn],
        conditions: { StringLike: { 's3:prefix': UPLOAD_PREFIXES.map((prefix) => `${prefix}*`) } },
      }),
    );
    uploads.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: [...props.appOrigins],
      // The browser's progress events make it ask first (a preflight); the signed form fixes what may be sent.
      allowedHeaders: ['*'],
      maxAge: 3600,
    });
    uploadsFn.grantTableItems(table, ['dynamodb:Scan']); // the sources' records, read only
    // Decrypt: receipts and the table; GenerateDataKey: the uploaded object, written as this role.
    props.dataKey.grant(uploadsFn.role, 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey');

    // Exports (administrators): links to the CSVs under admin/, read only.
    const exportsFn = make('exports', 'Web API: links to the eligibility, renewals and outreach exports', {
      UPLOADS_BUCKET: uploads.bucketName,
      LINK_EXPIRY_SECONDS: linkExpiry,
    });
    exportsFn.grantObjects('ReadExports', ['s3:GetObject'], uploads, [ADMIN_PREFIX], 'are the exports the jobs name');
    props.dataKey.grant(exportsFn.role, 'kms:Decrypt');

    // People (administrators): read the table; erasing is the erasure function's work, which this one invokes.
    const peopleFn = make('people', 'Web API: finds people, explains their file, asks for their erasure', {
      ...props.judging,
      ERASE_FUNCTION_NAME: props.eraseFunction.function.functionName,
    });
    peopleFn.grantTableItems(table, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan']);
    props.dataKey.grant(peopleFn.role, 'kms:Decrypt', 'kms:DescribeKey');
    peopleFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AskForErasure',
        actions: ['lambda:InvokeFunction'],
        resources: [props.eraseFunction.function.functionArn],
      }),
    );
    this.functions = { reports: reportsFn, uploads: uploadsFn, exports: exportsFn, people: peopleFn };

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
      removalPolicy: defaults.removalPolicy,
    });
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: `IECMH endorsement web app API (${config.deployment}); signed-in people only`,
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.webApi.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
    for (const [name, fn] of Object.entries(this.functions)) props.alarms.onErrors(`Web${name}`, fn);
    props.alarms.onServerErrors(id, this.stage, 'The web API answered with server errors');
  }

  /**
   * Adds every route behind one JWT authorizer that accepts ID tokens of the user pool's web app client
   * only, and tells the reading function where signing out leads.
   */
  signInWith(signIn: SignIn): void {
    this.authorizer = new HttpUserPoolAuthorizer('SignedIn', signIn.userPool, {
      userPoolClients: [signIn.client],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<WebFunctionName, HttpLambdaIntegration>();
    for (const route of WEB_ROUTES) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`Web${route.fn}Integration`, this.functions[route.fn].function);
        integrations.set(route.fn, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [route.method], integration, authorizer: this.authorizer });
    }
    this.functions.reports.function.addEnvironment('SIGN_OUT_URL', signIn.signOutUrl);
  }
}
