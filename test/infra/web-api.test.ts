import { generateKeyPairSync } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROUTES } from '#infra/constructs/web-api.js';
import { webAppConfig } from '#infra/constructs/web-app.js';
import type { PipelineStack } from '#infra/stack.js';
import { logicalIdOf, type SynthesizedPipeline, synthPipeline } from './synth.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Behavior = Record<string, unknown> & { PathPattern?: string };

const viewerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
let pub: SynthesizedPipeline;
let signedIn: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  pub = synthPipeline('prod');
  ({ stack, template } = pub);
  signedIn = synthPipeline('prod', { reportsSite: { access: 'signed-in', publicKeyPem: String(viewerKey) } });
});

const ofType = (t: Template, type: string) =>
  Object.values(t.toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === type);
const resource = (t: Template, id: string) => (t.toJSON().Resources as Record<string, Resource>)[id] as Resource;
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const distribution = (s: SynthesizedPipeline) =>
  resource(s.template, logicalIdOf(s.stack.reportsSite.distribution)).Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
  };
const behavior = (s: SynthesizedPipeline, path: string) =>
  distribution(s).CacheBehaviors.find((b) => b.PathPattern === path);

/** The routes of docs/web-api.md, "Routes". */
const DOCUMENTED_ROUTES = [
  'GET /api/me',
  'GET /api/reports',
  'GET /api/reports/{run}',
  'POST /api/uploads',
  'GET /api/uploads',
  'GET /api/uploads/receipt',
  'DELETE /api/uploads',
  'GET /api/exports',
  'GET /api/people',
  'GET /api/people/{id}',
  'POST /api/people/{id}/erase',
];

describe('web API routes', () => {
  it('routes exactly the documented routes, with no $default route', () => {
    const keys = ofType(template, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect([...keys].sort()).toEqual([...DOCUMENTED_ROUTES].sort());
    expect(WEB_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...DOCUMENTED_ROUTES].sort());
  });

  it('puts every route behind the one JWT authorizer: no route without authorization', () => {
    const authorizers = ofType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId] = Object.entries(template.toJSON().Resources as Record<string, Resource>).find(
      ([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer',
    ) ?? [''];
    for (const route of ofType(template, 'AWS::ApiGatewayV2::Route')) {
      expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it("accepts only tokens the user pool issued to the web app's client, from the Authorization header", () => {
    const [authorizer] = ofType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalIdOf(stack.signIn.client) }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              { Ref: logicalIdOf(stack.signIn.userPool) },
            ],
          ],
        },
      },
    });
  });

  it('sends each route to the function of its group, and each function may be invoked by this API only', () => {
    const integrations = template.toJSON().Resources as Record<string, Resource>;
    for (const route of ofType(template, 'AWS::ApiGatewayV2::Route')) {
      const expected = WEB_ROUTES.find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey);
      // Target: integrations/<the integration's Ref>.
      const [, target] = (route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })[
        'Fn::Join'
      ][1];
      const integration = integrations[target.Ref];
      const fn = expected ? stack.webApi.functions[expected.fn] : undefined;
      expect(integration?.Properties.IntegrationUri).toEqual(arn(logicalIdOf(fn?.function as never)));
    }
    const permissions = ofType(template, 'AWS::Lambda::Permission').filter((p) =>
      Object.values(stack.webApi.functions).some(
        (fn) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arn(logicalIdOf(fn.function))),
      ),
    );
    expect(permissions).toHaveLength(DOCUMENTED_ROUTES.length);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(`{"Ref":"${logicalIdOf(stack.webApi.api)}"}`);
    }
  });

  it('throttles its stage and writes access logs (the subject, never the claims) to an encrypted log group', () => {
    expect(resource(template, logicalIdOf(stack.webApi.stage)).Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      AccessLogSettings: { DestinationArn: arn(logicalIdOf(stack.webApi.accessLogs)) },
    });
    const format = JSON.parse(
      (resource(template, logicalIdOf(stack.webApi.stage)).Properties.AccessLogSettings as { Format: string }).Format,
    ) as Record<string, string>;
    expect(format.subject).toBe('$context.authorizer.claims.sub');
    expect(Object.values(format).filter((v) => v.includes('claims'))).toEqual(['$context.authorizer.claims.sub']);
    expect(resource(template, logicalIdOf(stack.webApi.accessLogs)).Properties).toEqual({
      RetentionInDays: 365,
      KmsKeyId: arn(logicalIdOf(stack.logsKey)),
    });
  });

  it('alarms on server errors of the API', () => {
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').filter(
      (a) =>
        a.Properties.MetricName === '5xx' &&
        JSON.stringify(a.Properties.Dimensions).includes(logicalIdOf(stack.webApi.api)),
    );
    expect(alarms).toHaveLength(1);
  });
});

describe('the web app on the reports site', () => {
  it('forwards /api/* to the API: nothing cached, every method, the viewer headers but Host, HTTPS only', () => {
    expect(behavior(pub, '/api/*')).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // AllViewerExceptHostHeader
      ViewerProtocolPolicy: 'https-only',
    });
  });

  it("serves the app's files under /app/* from their own bucket, with the app's own Content-Security-Policy", () => {
    expect(behavior(pub, '/app/*')).toMatchObject({
      AllowedMethods: ['GET', 'HEAD'],
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: { Ref: logicalIdOf(stack.reportsSite.appResponseHeaders) },
    });
    const headers = resource(template, logicalIdOf(stack.reportsSite.appResponseHeaders)).Properties
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
    };
    const csp = JSON.stringify(headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    // Its scripts may call the site, the managed login and the uploads bucket, nothing else.
    expect(csp).toContain("connect-src 'self' https://iecmhpipeline-prod-");
    expect(csp).toContain('.amazoncognito.com https://');
    expect(csp).toContain(`{"Fn::GetAtt":["${logicalIdOf(stack.uploads)}","RegionalDomainName"]}`);
  });

  it('copies web/ and a config.json naming the managed login, the client, the app and the API into the app bucket', () => {
    const [deployment] = ofType(template, 'Custom::CDKBucketDeployment');
    expect(deployment?.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(stack.webApp.bucket) },
      DestinationBucketKeyPrefix: 'app/',
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    const config = Stack.of(stack).resolve(webAppConfig(stack.signIn, stack.reportsSite.appUrl));
    expect(config).toEqual({
      auth: {
        kind: 'cognito',
        domain: {
          'Fn::Join': [
            '',
            ['iecmhpipeline-prod-', { Ref: 'AWS::AccountId' }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com'],
          ],
        },
        clientId: { Ref: logicalIdOf(stack.signIn.client) },
        redirectUri: Stack.of(stack).resolve(stack.reportsSite.appUrl),
      },
      apiBase: '/api',
    });
  });

  it('keeps the report paths locked for a signed-in deployment, and the app and its API reachable', () => {
    const keyGroup = { Ref: logicalIdOf(signedIn.stack.reportsSite.viewerKeys as never) };
    expect(distribution(signedIn).DefaultCacheBehavior.TrustedKeyGroups).toEqual([keyGroup]);
    expect(behavior(signedIn, '/app/*')?.TrustedKeyGroups).toBeUndefined();
    expect(behavior(signedIn, '/api/*')?.TrustedKeyGroups).toBeUndefined();
    expect(distribution(pub).DefaultCacheBehavior.TrustedKeyGroups).toBeUndefined();
  });
});
