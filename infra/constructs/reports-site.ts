import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SITE_INDEX_KEY } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';

export interface ReportsSiteProps {
  /** The reports bucket, encrypted with `reportsKey` (through its alias: keys.ts, `reportsByAlias`). */
  readonly reports: s3.IBucket;
  /** The reports bucket's own key; its policy gets the statement that lets this distribution decrypt. */
  readonly reportsKey: kms.Key;
  /** Where the CloudFront log bucket's own server access logs go. */
  readonly accessLogs: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
  readonly config: Pick<PipelineConfig, 'deployment' | 'reportsSite' | 'accessLogExpirationDays'>;
}

/** The Content-Security-Policy of every page of the site, as the pages declare it (report.html, index.html). */
export const SITE_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

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
 * - Public by default; with `access: 'signed-in'` only viewers with CloudFront signed cookies made for
 *   the configured public key get through (the administrators' front door issues them after sign-in).
 * - Access logs: CloudFront standard logging to a bucket of its own, which must accept ACLs.
 */
export class ReportsSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  readonly logs: s3.Bucket;
  /** Present when the site is behind sign-in: the public keys whose signed cookies CloudFront accepts. */
  readonly viewerKeys?: cloudfront.KeyGroup;
  /** Where policymakers open the site. */
  readonly url: string;

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
    const stack = Stack.of(this);
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
        'The site only serves static files from a private bucket with GET and HEAD: there is no form, query or compute behind it for a web ACL to guard.',
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
