import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORT_PREFIXES } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import { type FunctionDefaults, PipelineFunction } from './pipeline-function.js';

export interface ReportsApiProps {
  readonly reports: s3.Bucket;
  /** The reports bucket's key. */
  readonly reportsKey: IKey;
  readonly defaults: FunctionDefaults;
  /** Alarms on the function's errors and on server errors (5xx) of the API. */
  readonly alarms: Alarms;
  readonly config: Pick<PipelineConfig, 'deployment' | 'reportsApi'>;
}

// Who called, what they asked for and how it ended; no request or response bodies.
const ACCESS_LOG_FORMAT = {
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
};

/**
 * The IAM-authorised HTTP API through which policymakers list published reports and get short-lived
 * download links: GET /reports and GET /reports/{proxy+}, a throttled stage with access logs, and a
 * function that may list and read the report prefixes only (no table, no uploads bucket), with alarms on
 * its errors.
 */
export class ReportsApi extends Construct {
  readonly function: PipelineFunction;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReportsApiProps) {
    super(scope, id);
    const { config, defaults, reports } = props;
    this.function = new PipelineFunction(this, 'Handler', {
      handler: 'web-reports',
      description: 'Lists published reports and returns short-lived download links',
      environment: {
        REPORTS_BUCKET: reports.bucketName,
        LINK_EXPIRY_SECONDS: String(config.reportsApi.linkExpirySeconds),
      },
      settings: config.reportsApi,
      defaults,
      invokedSynchronouslyBy: 'API Gateway (errors are returned to the caller)',
    });
    this.function.grantListing('ListReports', reports, REPORT_PREFIXES);
    this.function.grantObjects('ReadReports', ['s3:GetObject'], reports, REPORT_PREFIXES);
    // A presigned GET of an SSE-KMS object is authorised as this role, so the role decrypts.
    props.reportsKey.grant(this.function.role, 'kms:Decrypt');
    this.function.acknowledgeObjectWildcards(reports, REPORT_PREFIXES, 'are named by run date and report file');

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
      removalPolicy: defaults.removalPolicy,
    });
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: `IECMH endorsement reports for policymakers (${config.deployment}); IAM-signed requests only`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.reportsApi.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
    const integration = new HttpLambdaIntegration('ReportsApiIntegration', this.function.function);
    for (const path of ['/reports', '/reports/{proxy+}']) {
      this.api.addRoutes({ path, methods: [apigw.HttpMethod.GET], integration, authorizer: new HttpIamAuthorizer() });
    }
    props.alarms.onErrors(id, this.function);
    props.alarms.onServerErrors(id, this.stage, 'The reports API answered with server errors');
  }
}
