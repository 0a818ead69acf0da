import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SITE_INDEX_KEY } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';
import { WEB_API_BASE, WEB_APP_PREFIX } from './web-app.js';

/** The web app served beside the reports: its files' bucket, its API, and whom its pages may talk to. */
export interface SiteWebApp {
  /** The app's static files, under WEB_APP_PREFIX (web-app.ts). */
  readonly bucket: s3.IBucket;
  /** The web app's HTTP API, reached at /api/* on the site. */
  readonly api: apigw.IHttpApi;
  /** Hosts the app's scripts may call besides the site: the managed login, the uploads bucket. */
  readonly connectTo: readonly string[];
}

export interface ReportsSiteProps {
  /** The reports bucket, encrypted with `reportsKey` (through its alias: keys.ts, `reportsByAlias`). */
  readonly reports: s3.IBucket;
  /** The reports bucket's own key; its policy gets the statement that lets this distribution decrypt. */
  readonly reportsKey: kms.Key;
  /** Where the CloudFront log bucket's own server access logs go. */
  readonly accessLogs: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
  readonly config: Pick<PipelineConfig, 'deployment' | 'reportsSite' | 'accessLogExpirationDays'>;
  readonly webApp: SiteWebApp;
}

/** The Content-Security-Policy of every page of the site, as the pages declare it (report.html, index.html). */
export const SITE_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * The web app's Content-Security-Policy: its own scripts and styles only, and calls to the site (its API),
 * the managed login and the uploads bucket (`connectTo`) only.
 */
export function webAppContentSecurityPolicy(connectTo: readonly string[]): string {
  const connect = ["'self'", ...connectTo.map((host) => `https://${host}`)].join(' ');
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;
}

/**
 * The reports site: a CloudFront distribution in front of the private reports bucket, so policymakers
 * read the published reports in a browser without AWS credentials (docs/operations.md, "The reports
 * site"). The root is the index the publisher writes (index.html); its links lead to latest/ and the
 * dated releases.
 *
 * - The bucket stays private (Block Public Access): CloudFront reads it through origin access control,
 *   and the bucket policy lets the CloudFront service read objects only for this distribution.
 * - The bucket's key is its own (Keys.reports) and its policy lets CloudFront decrypt only for this
 *   distribution; the table's and the uploads' key is never opened to CloudFront.
 * - HTTPS only, security headers on every answer, and caching that honours the publisher's
 *   `Cache-Control: no-cache` (every publish changes the files).
 * - Public by default; with `access: 'signed-in'` the report paths open only to CloudFront signed
 *   cookies or URLs made for the configured public key, which the stack never issues: policymakers
 *   reach the reports through the web app, whose API checks their sign-in and gives short-lived links.
 * - The web app (web-app.ts) under /app/ and its API under /api/ (no caching; the Authorization header
 *   passes through) stay open in both cases: the app's files hold no data, and the API admits only
 *   signed-in people.
 * - Access logs: CloudFront standard logging to a bucket of its own, which must accept ACLs.
 */
export class ReportsSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** The web app's and its API's headers: the same, with the app's own Content-Security-Policy. */
  readonly appResponseHeaders: cloudfront.ResponseHeadersPolicy;
  readonly logs: s3.Bucket;
  /** Present when the site is behind sign-in: the public keys whose signed cookies CloudFront accepts. */
  readonly viewerKeys?: cloudfront.KeyGroup;
  /** Where policymakers open the site. */
  readonly url: string;
  /** Where people open the web app (its index page, which the sign-in returns to). */
  readonly appUrl: string;

  constructor(scope: Construct, id: string, props: ReportsSiteProps) {
    super(scope, id);
    const { config, reports } = props;
    const site = config.reportsSite;
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    // CloudFront standard logging writes through the log-delivery account with object ACLs, which neither
    // the access-log bucket nor a KMS key accepts: this bucket enables ACLs, holds CloudFront's logs only
    // and expires them like the other access logs.
    this.logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cloudfront-logs/',
      lifecycleRules: [
        { id: 'expire-objects', expiration: Duration.days(config.accessLogExpirationDays) },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    Validations.of(this.logs).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason:
        "CloudFront standard logging delivers to a bucket with ACLs and SSE-S3 (AES-256); this bucket holds only CloudFront's request logs of published reports, no pipeline data.",
    });
    Validations.of(this.logs).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Single-region deployment: the CloudFront request logs are versioned and expire with the other access logs; cross-region replication would need a second region this pipeline does not have.',
    });

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `IECMH reports site (${config.deployment}): HTTPS only, nothing loads or runs, no framing`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: `${SITE_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
          override: true,
        },
      },
    });

    this.appResponseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'AppSecurityHeaders', {
      comment: `IECMH web app (${config.deployment}): HTTPS only, own scripts only, no framing`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: webAppContentSecurityPolicy(props.webApp.connectTo),
          override: true,
        },
      },
    });

    // Every publish rewrites the files with Cache-Control no-cache; a minimum TTL of 0 lets CloudFront honour
    // it (it checks with the bucket before answering from its cache), and files without the header are kept
    // five minutes at most.
    const cachePolicy = new cloudfront.CachePolicy(this, 'Caching', {
      comment: `IECMH reports site (${config.deployment}): honours the publisher's Cache-Control`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.days(1),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    if (site.access === 'signed-in') {
      this.viewerKeys = new cloudfront.KeyGroup(this, 'ViewerKeys', {
        comment: `IECMH reports site (${config.deployment}): signed cookies from the administrators' front door`,
        items: [new cloudfront.PublicKey(this, 'FrontDoorKey', { encodedKey: site.publicKeyPem })],
      });
    }

    const origin = origins.S3BucketOrigin.withOriginAccessControl(reports, {
      originAccessLevels: [cloudfront.AccessLevel.READ],
    });
    const stackOfSite = Stack.of(this);
    const apiOrigin = new origins.HttpOrigin(
      `${props.webApp.api.apiId}.execute-api.${stackOfSite.region}.${stackOfSite.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );
    const appOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.webApp.bucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ],
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `IECMH endorsement reports for policymakers (${config.deployment})`,
      defaultRootObject: SITE_INDEX_KEY,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: this.responseHeaders,
        compress: true,
        ...(this.viewerKeys ? { trustedKeyGroups: [this.viewerKeys] } : {}),
      },
      additionalBehaviors: {
        // The app's files hold no data: open to everyone, whoever may read the reports.
        [`/${WEB_APP_PREFIX}*`]: {
          origin: appOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy,
          responseHeadersPolicy: this.appResponseHeaders,
          compress: true,
        },
        // Nothing cached (answers are personal); every method; the viewer's headers, the Authorization header
        // among them, go to the API (with caching disabled an origin request policy may pass it), except Host,
        // which must name the API for API Gateway to answer.
        [`${WEB_API_BASE}/*`]: {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.appResponseHeaders,
          compress: true,
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // The readers are in Wisconsin: the edge locations of North America and Europe are enough.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'reports-site/',
      ...(site.domain
        ? {
            domainNames: site.domain.names,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', site.domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${site.domain?.names[0] ?? this.distribution.distributionDomainName}/`;
    this.appUrl = `${this.url}${WEB_APP_PREFIX}index.html`;

    // The bucket is encrypted through the key's alias, whose policy the origin cannot edit: the statement it
    // would have added (any distribution of the account) is not added, and the one below names this
    // distribution alone. CDK warns about both where it would have added it.
    const reason = 'ReportsSite adds the key policy statement itself, naming this distribution alone.';
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedKeyPolicyOac',
      reason,
    );
    const keyScope = reports.encryptionKey?.node.scope;
    if (keyScope) {
      Annotations.of(keyScope).acknowledgeWarning('@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac', reason);
    }
    const stack = stackOfSite;
    props.reportsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudFrontToReadThePublishedReports',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'AWS:SourceArn': stack.formatArn({
              service: 'cloudfront',
              region: '',
              resource: 'distribution',
              resourceName: this.distribution.distributionId,
            }),
          },
        },
      }),
    );

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The reports are aggregate figures made for publication, with every small count withheld; limiting the countries that may read them would protect nothing.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The reports and the web app are static files from private buckets (GET and HEAD); the API behind /api/* answers only requests carrying a valid sign-in token (its JWT authorizer checks every route) and its stage throttles every caller, which is what a web ACL would add here.',
    });
    if (!site.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the site uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; configure reportsSite.domain (infra/config.ts) to require TLS 1.2 or later.',
      });
    }
  }
}
