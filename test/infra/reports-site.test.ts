import { generateKeyPairSync } from 'node:crypto';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infra/config.js';
import type { PipelineFunction } from '#infra/constructs/pipeline-function.js';
import { SITE_CONTENT_SECURITY_POLICY } from '#infra/constructs/reports-site.js';
import type { PipelineStack } from '#infra/stack.js';
import {
  logicalIdOf,
  NAG_PACKS,
  type NagPackName,
  nagFindings,
  type SynthesizedPipeline,
  synthPipeline,
} from './synth.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string | string[] };
type Statement = { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Condition?: unknown };

// The production deployment as configured (public site, default certificate), and the same behind sign-in
// on a custom domain.
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const viewerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
let pub: SynthesizedPipeline;
let signedIn: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  pub = synthPipeline('prod');
  ({ stack, template } = pub);
  signedIn = synthPipeline('prod', {
    reportsSite: {
      access: 'signed-in',
      publicKeyPem: String(viewerKey),
      domain: { names: ['reports.example.org'], certificateArn: CERTIFICATE },
    },
  });
});

const resources = (t: Template) => t.toJSON().Resources as Record<string, Resource>;
const resourceOf = (t: Template, construct: IConstruct) => resources(t)[logicalIdOf(construct)] as Resource;
const distributionConfig = (t: Template, s: PipelineStack) =>
  resourceOf(t, s.reportsSite.distribution).Properties.DistributionConfig as Record<string, unknown> & {
    DefaultCacheBehavior: Record<string, unknown>;
    Origins: Record<string, unknown>[];
  };
const keyStatements = (key: IConstruct): Statement[] =>
  (resourceOf(template, key).Properties.KeyPolicy as { Statement: Statement[] }).Statement;

/** This distribution's ARN as the template writes it. */
const distributionArn = () => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudfront::',
      { Ref: 'AWS::AccountId' },
      ':distribution/',
      { Ref: logicalIdOf(stack.reportsSite.distribution) },
    ],
  ],
});

describe('reports site: the bucket stays private and only this distribution reads it', () => {
  it('reads the reports bucket through origin access control (SigV4, always signed), with no origin access identity', () => {
    // Three origins: the reports bucket, the web app's bucket and its API (the web app's tests cover the two others).
    const origins = distributionConfig(template, stack).Origins;
    expect(origins).toHaveLength(3);
    const reportsDomain = { 'Fn::GetAtt': [logicalIdOf(stack.reports), 'RegionalDomainName'] };
    const origin = origins.find((o) => JSON.stringify(o.DomainName) === JSON.stringify(reportsDomain));
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [logicalIdOf(stack.reports), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('allows only the CloudFront service, for this distribution, to GetObject; every other statement denies', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
    const policy = policies.find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalIdOf(stack.reports) }),
    );
    if (!policy) throw new Error('the reports bucket has no bucket policy');
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack.reports), 'Arn'] }, '/*']] },
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn() } },
      },
    ]);
    expect(statements.filter((s) => s.Effect !== 'Allow').map((s) => s.Effect)).toEqual(['Deny', 'Deny']);
  });

  it('still blocks every form of public access to the reports bucket', () => {
    expect(resourceOf(template, stack.reports).Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });
});

describe('reports site: keys', () => {
  it('lets CloudFront decrypt with the reports key only for this distribution, and do nothing else with it', () => {
    const forCloudFront = keyStatements(stack.reportsKey).filter((s) =>
      JSON.stringify(s.Principal).includes('cloudfront'),
    );
    expect(forCloudFront).toEqual([
      {
        Sid: 'AllowCloudFrontToReadThePublishedReports',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'AWS:SourceArn': distributionArn() } },
      },
    ]);
    // Besides it: the account administers the key, and the two roles that read or write reports use it.
    const roleArn = (fn: PipelineFunction) => ({ 'Fn::GetAtt': [logicalIdOf(fn.role), 'Arn'] });
    expect(keyStatements(stack.reportsKey).filter((s) => s.Sid !== forCloudFront[0]?.Sid)).toEqual([
      expect.objectContaining({ Sid: 'AccountAdministersTheKeyButCannotUseIt' }),
      expect.objectContaining({
        Principal: { AWS: roleArn(stack.reportsBuilder) },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
      expect.objectContaining({ Principal: { AWS: roleArn(stack.webApi.functions.reports) }, Action: 'kms:Decrypt' }),
    ]);
  });

  it('never opens the key of the table and the uploads (nor the messaging or logs key) to CloudFront', () => {
    for (const key of [stack.dataKey, stack.messagingKey, stack.logsKey]) {
      expect(JSON.stringify(resourceOf(template, key).Properties.KeyPolicy)).not.toMatch(/cloudfront/i);
    }
    // The table and the uploads bucket are encrypted with the data key, never the reports key.
    const dataKeyArn = { 'Fn::GetAtt': [logicalIdOf(stack.dataKey), 'Arn'] };
    expect(resourceOf(template, stack.table).Properties.SSESpecification).toMatchObject({ KMSMasterKeyId: dataKeyArn });
    expect(resourceOf(template, stack.uploads).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: dataKeyArn },
        },
      ],
    });
  });

  it('keeps the reports key under its fixed logical ID, retained with the production stack', () => {
    expect(logicalIdOf(stack.reportsKey)).toBe('ReportsKey');
    expect((resources(template).ReportsKey as Resource & { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
  });

  it('has no dependency cycle although the key policy names the distribution that reads the bucket it encrypts', () => {
    const all = resources(template);
    const edges = new Map<string, Set<string>>();
    const collect = (value: unknown, into: Set<string>): void => {
      if (Array.isArray(value)) for (const v of value) collect(v, into);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'Ref' && typeof v === 'string' && v in all) into.add(v);
          else if (k === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string' && v[0] in all) into.add(v[0]);
          else collect(v, into);
        }
      }
    };
    for (const [id, resource] of Object.entries(all)) {
      const into = new Set<string>([resource.DependsOn ?? []].flat());
      collect(resource.Properties, into);
      edges.set(id, into);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycleFrom = (id: string, path: string[]): string[] | undefined => {
      if (state.get(id) === 'done') return undefined;
      if (state.get(id) === 'open') return [...path, id];
      state.set(id, 'open');
      for (const next of edges.get(id) ?? []) {
        const cycle = cycleFrom(next, [...path, id]);
        if (cycle) return cycle;
      }
      state.set(id, 'done');
      return undefined;
    };
    // The key really does depend on the distribution, and the distribution on the bucket.
    expect(edges.get('ReportsKey')).toContain(logicalIdOf(stack.reportsSite.distribution));
    expect(edges.get(logicalIdOf(stack.reportsSite.distribution))).toContain(logicalIdOf(stack.reports));
    for (const id of Object.keys(all)) expect(cycleFrom(id, [])).toBeUndefined();
  });
});

describe('reports site: the distribution', () => {
  it('answers HTTPS only (HTTP is redirected), GET and HEAD only, with index.html at the root', () => {
    const config = distributionConfig(template, stack);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      Compress: true,
    });
  });

  it('adds the security headers to every answer, with the Content-Security-Policy the pages declare', () => {
    expect(distributionConfig(template, stack).DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: logicalIdOf(stack.reportsSite.responseHeaders),
    });
    const headers = (
      resourceOf(template, stack.reportsSite.responseHeaders).Properties.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    expect(headers).toEqual({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentSecurityPolicy: {
        ContentSecurityPolicy: `${SITE_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
        Override: true,
      },
    });
    expect(SITE_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  });

  it("honours the publisher's Cache-Control: no-cache (minimum TTL 0) and keeps nothing longer than a day", () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MinTTL: 0, DefaultTTL: 300, MaxTTL: 86_400 }),
    });
  });

  it('writes standard access logs to a log bucket of its own: private, TLS-only, expiring like the other access logs', () => {
    const logs = stack.reportsSite.logs;
    expect(distributionConfig(template, stack).Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalIdOf(logs), 'RegionalDomainName'] },
      Prefix: 'reports-site/',
    });
    const bucket = resourceOf(template, logs).Properties;
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify((bucket.LifecycleConfiguration as { Rules: unknown[] }).Rules)).toContain(
      `"ExpirationInDays":${loadConfig('prod').accessLogExpirationDays}`,
    );
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(logs) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is public when configured so: no trusted key group', () => {
    expect(distributionConfig(template, stack).DefaultCacheBehavior.TrustedKeyGroups).toBeUndefined();
    template.resourceCountIs('AWS::CloudFront::KeyGroup', 0);
  });

  it('outputs the site URL', () => {
    expect(template.toJSON().Outputs.ReportsSiteUrl.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.reportsSite.distribution), 'DomainName'] }, '/'],
      ],
    });
  });
});

describe('reports site behind sign-in, on a custom domain', () => {
  it('lets in only viewers with signed cookies for the configured public key', () => {
    const s = signedIn.stack;
    const keyGroup = s.reportsSite.viewerKeys;
    expect(keyGroup).toBeDefined();
    expect(distributionConfig(signedIn.template, s).DefaultCacheBehavior.TrustedKeyGroups).toEqual([
      { Ref: logicalIdOf(keyGroup as IConstruct) },
    ]);
    signedIn.template.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: Match.objectLike({ EncodedKey: String(viewerKey) }),
    });
  });

  it('requires TLS 1.2 or later with the configured certificate, and gives the domain as the site URL', () => {
    const config = distributionConfig(signedIn.template, signedIn.stack);
    expect(config.Aliases).toEqual(['reports.example.org']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(signedIn.template.toJSON().Outputs.ReportsSiteUrl.Value).toBe('https://reports.example.org/');
  });

  it.each(Object.keys(NAG_PACKS) as NagPackName[])('reports no unacknowledged %s finding', (pack) => {
    expect(nagFindings(signedIn.app, pack)).toEqual([]);
  });
});
