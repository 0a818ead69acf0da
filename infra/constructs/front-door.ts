/**
 * The administrators' and policymakers' front door (docs/web-api.md): the web app's files, its API, the
 * distribution that serves both beside the reports, and the user pool people sign in to. They refer to
 * one another (the sign-in returns to the site, the API trusts the sign-in, the site forwards to the API
 * and its headers name the sign-in), so they are built here, in that order, directly in the stack: the
 * reports site keeps the construct path, and so the distribution, it had before the front door existed.
 */
import type { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { PipelineConfig } from '../config.js';
import type { Alarms } from './alarms.js';
import type { FunctionDefaults, PipelineFunction } from './pipeline-function.js';
import { ReportsSite } from './reports-site.js';
import { SignIn, signInDomainName } from './sign-in.js';
import { WebApi } from './web-api.js';
import { WebApp } from './web-app.js';

export interface FrontDoorProps {
  readonly config: PipelineConfig;
  readonly defaults: FunctionDefaults;
  readonly alarms: Alarms;
  readonly removalPolicy: RemovalPolicy;
  readonly accessLogs: s3.Bucket;
  readonly uploads: s3.Bucket;
  readonly reports: s3.Bucket;
  readonly table: dynamodb.ITable;
  readonly dataKey: kms.IKey;
  readonly reportsKey: kms.Key;
  readonly eraseFunction: PipelineFunction;
  /** TABLE_NAME and ASSOCIATION. */
  readonly judging: Record<string, string>;
}

export interface FrontDoor {
  readonly site: ReportsSite;
  readonly signIn: SignIn;
  readonly webApi: WebApi;
  readonly webApp: WebApp;
}

export function buildFrontDoor(stack: Stack, props: FrontDoorProps): FrontDoor {
  const { config, defaults, removalPolicy } = props;
  const webApp = new WebApp(stack, 'WebApp', { accessLogs: props.accessLogs, defaults, removalPolicy });
  // The distribution's own name is not known before it exists, and the site's headers name the uploads
  // bucket: a custom domain is named exactly, the default one by CloudFront's domain.
  const appOrigins = config.reportsSite.domain?.names.map((name) => `https://${name}`) ?? ['https://*.cloudfront.net'];
  const webApi = new WebApi(stack, 'WebApi', {
    uploads: props.uploads,
    reports: props.reports,
    table: props.table,
    dataKey: props.dataKey,
    reportsKey: props.reportsKey,
    eraseFunction: props.eraseFunction,
    judging: props.judging,
    defaults,
    alarms: props.alarms,
    config,
    appOrigins,
  });
  const site = new ReportsSite(stack, 'ReportsSite', {
    reports: props.reports,
    reportsKey: props.reportsKey,
    accessLogs: props.accessLogs,
    removalPolicy,
    config,
    webApp: {
      bucket: webApp.bucket,
      api: webApi.api,
      connectTo: [signInDomainName(config), props.uploads.bucketRegionalDomainName],
    },
  });
  const signIn = new SignIn(stack, 'SignIn', { appUrl: site.appUrl, config, removalPolicy });
  webApi.signInWith(signIn);
  webApp.deploy(signIn, site.appUrl, defaults);
  return { site, signIn, webApi, webApp };
}
