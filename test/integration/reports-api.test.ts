import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims, WebEvent } from '#functions/commons/web.js';
import {
  LinkExpiryError,
  MAX_LINK_EXPIRY_SECONDS,
  makeWebReportsHandler,
  type RunFiles,
  type RunListing,
  type WebReportsDeps,
} from '#functions/web-reports/reports-routes.js';
import { publishReports, REPORT_FILES } from '#services/publish-reports.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;

const POLICYMAKER: Claims = { sub: 'u-1', email: 'analyst@example.org', 'cognito:groups': '[policymakers]' };

beforeAll(async () => {
  stack = await startTestStack();
  const deps = { ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket };
  // Two runs of an empty population: the API only cares which objects exist.
  await publishReports(deps, '2026-05-31');
  await publishReports(deps, '2026-06-30');
  // Objects the API must never hand out, although they sit in the same bucket.
  for (const key of ['admin/eligibility.csv', 'reports-draft/workforce.csv', 'reports/2026-06-30/extra/secret.csv']) {
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.reportsBucket, Key: key, Body: 'person_id\r\nWI-1\r\n' }));
  }
});

afterAll(async () => {
  await stack?.destroy();
});

/** A policymaker's request, with the claims the JWT authorizer passes on; `claims: null` for none. */
function event(path: string, method = 'GET', stage = '$default', claims: Claims | null = POLICYMAKER): WebEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'r1',
      routeKey: '$default',
      ...(claims ? { authorizer: { jwt: { claims } } } : {}),
      stage,
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

function api(over: Partial<WebReportsDeps> = {}) {
  const handler = makeWebReportsHandler({
    s3: stack.s3,
    reportsBucket: stack.reportsBucket,
    linkExpirySeconds: 300,
    ...over,
  });
  return async (path: string, method?: string, stage?: string, claims?: Claims | null) =>
    (await handler(event(path, method, stage, claims), {} as never)) as APIGatewayProxyStructuredResultV2;
}

const body = <T>(r: APIGatewayProxyStructuredResultV2): T => JSON.parse(r.body ?? '') as T;

describe('the reports API', () => {
  it('lists the dated runs newest first and the latest copy with its date', async () => {
    const res = await api()('/api/reports');
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(body<RunListing>(res)).toEqual({
      latest: { run: 'latest', asOf: '2026-06-30', path: '/api/reports/latest' },
      runs: [
        { run: '2026-06-30', asOf: '2026-06-30', path: '/api/reports/2026-06-30' },
        { run: '2026-05-31', asOf: '2026-05-31', path: '/api/reports/2026-05-31' },
      ],
    });
  });

  it('hands out presigned links to exactly the files of a run, each naming its object', async () => {
    const res = await api()('/api/reports/latest');
    const files = body<RunFiles>(res);
    expect(files.asOf).toBe('2026-06-30');
    expect(files.files.map((f) => f.name)).toEqual([...REPORT_FILES].sort());
    for (const f of files.files) {
      const url = new URL(f.url);
      expect(url.pathname).toBe(`/${stack.reportsBucket}/latest/${f.name}`);
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${stack.credentials.accessKeyId}/`));
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // In AWS the bucket answers it; the embedded S3 answers no presigned URL (local-lockdown.test.ts).
      expect([f.name, (await fetch(f.url)).status]).toEqual([f.name, 403]);
    }
  });

  it('lists the links downloadUrl gives instead of presigned ones (iecmh serve)', async () => {
    const res = await api({ downloadUrl: (run, name) => `/api/downloads/${run}/${name}` })('/api/reports/2026-05-31');
    const files = body<RunFiles>(res);
    expect(files.files.map((f) => f.url)).toEqual(
      [...REPORT_FILES].sort().map((name) => `/api/downloads/2026-05-31/${name}`),
    );
  });

  it('signs links that expire after the configured time, never more than 15 minutes', async () => {
    const now = new Date('2026-06-30T12:00:00Z');
    const res = await api({ linkExpirySeconds: 600, now: () => now })('/api/reports/2026-05-31');
    const files = body<RunFiles>(res);
    expect(files.expiresInSeconds).toBe(600);
    expect(files.expiresAt).toBe('2026-06-30T12:10:00.000Z');
    for (const f of files.files) {
      const url = new URL(f.url);
      expect(url.pathname).toBe(`/${stack.reportsBucket}/reports/2026-05-31/${f.name}`);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(600);
    }
    expect(() => makeWebReportsHandler({ s3: stack.s3, reportsBucket: 'b', linkExpirySeconds: 901 })).toThrow(
      LinkExpiryError,
    );
    expect(() => makeWebReportsHandler({ s3: stack.s3, reportsBucket: 'b', linkExpirySeconds: 0 })).toThrow(
      LinkExpiryError,
    );
    expect(MAX_LINK_EXPIRY_SECONDS).toBe(900);
  });

  it('gives links that say they expired once their time is past', async () => {
    const signedLongAgo = new Date(Date.now() - 20 * 60 * 1000);
    const res = await api({ linkExpirySeconds: 900, now: () => signedLongAgo })('/api/reports/latest');
    const url = new URL(body<RunFiles>(res).files[0]?.url ?? '');
    const signedAt = url.searchParams.get('X-Amz-Date') ?? '';
    const at = Date.parse(signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(at).toBe(Math.floor(signedLongAgo.getTime() / 1000) * 1000);
    expect(at + Number(url.searchParams.get('X-Amz-Expires')) * 1000).toBeLessThan(Date.now());
  });

  it('refuses anything outside the dated runs and latest/', async () => {
    const call = api();
    for (const path of [
      '/api/reports/admin',
      '/api/reports/..%2Fadmin',
      '/api/reports/%E0%A4%A',
      '/api/reports/2026-06-30/extra',
      '/api/reports/reports-draft',
      '/api/reports/2026-01-01',
      '/admin/eligibility.csv',
      '/',
    ]) {
      const res = await call(path);
      expect([path, res.statusCode]).toEqual([path, 404]);
    }
    const run = body<RunFiles>(await call('/api/reports/2026-06-30'));
    expect(run.files.map((f) => f.name)).not.toContain('extra/secret.csv');
    const listing = JSON.stringify(body<RunListing>(await call('/api/reports')));
    expect(listing).not.toMatch(/admin|draft|extra/);
  });

  it('answers only GET, and finds its routes behind a named stage', async () => {
    const call = api();
    const post = await call('/api/reports', 'POST');
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET');
    const staged = await call('/prod/api/reports/latest', 'GET', 'prod');
    expect(staged.statusCode).toBe(200);
  });

  it('answers 401 to a request no authorizer vouched for, and tells a policymaker who they are', async () => {
    const call = api({ signOutUrl: 'https://example.org/logout' });
    for (const path of ['/api/reports', '/api/reports/latest', '/api/me']) {
      expect((await call(path, 'GET', '$default', null)).statusCode).toBe(401);
    }
    const me = await call('/api/me');
    expect(body(me)).toEqual({
      name: '',
      email: 'analyst@example.org',
      groups: ['policymakers'],
      signOutUrl: 'https://example.org/logout',
    });
  });

  it('reads the groups claim both as API Gateway renders it and as an array', async () => {
    const call = api();
    const asText = await call('/api/me', 'GET', '$default', {
      sub: 'u-2',
      'cognito:groups': '[administrators policymakers]',
    });
    expect(body<{ groups: string[] }>(asText).groups).toEqual(['administrators', 'policymakers']);
    const asArray = await call('/api/me', 'GET', '$default', { sub: 'u-3', 'cognito:groups': ['administrators'] });
    expect(body<{ groups: string[] }>(asArray).groups).toEqual(['administrators']);
  });
});
