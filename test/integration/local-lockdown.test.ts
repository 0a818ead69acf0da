/**
 * The local stack answers no one but this run (contract: "No port that it or the embedded stack
 * opens answers a request that does not carry this run's credentials"). Each attack a tester made
 * on the embedded S3 and DynamoDB is tried here against a started stack; the browser's side of
 * it (another local origin reading dynalite) is in test/browser/local-lockdown.test.ts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '#adapters/clients.js';
import { ConfinedStore, UnsafeS3PathError } from '#local/s3-lockdown.js';
import { type RunningServer, startServer } from '#local/serve.js';
import { publishReports } from '#services/publish-reports.js';
import { sessionCookie, signedInFetch } from '../support/serve.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  ...Array.from({ length: 12 }, (_, i) => `L${i},Secretname${i},Ln${i},l${i}@example.org,IFA,bachelor,30,Dane`),
].join('\r\n');
const EXPORT = 'person_id,first_name,last_name\r\nL1,Secretname1,Ln1\r\n';
/** Planted where `../../secret.csv` from a bucket would land: s3rver keeps an object in `<key>._S3rver_object`. */
const OUTSIDE_SECRET = 'OUTSIDE-THE-BUCKETS';

let stack: TestStack;
let server: RunningServer;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.ingest({ 'applicants/applicants.csv': APPLICANTS });
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: 'admin/eligibility.csv', Body: EXPORT }),
  );
  await publishReports({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket }, '2026-06-30');
  writeFileSync(join(stack.stateDir, 'secret.csv._S3rver_object'), OUTSIDE_SECRET);
  server = await startServer({ stack, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await stack?.destroy();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with the path exactly as given (fetch would resolve `..` before sending). */
function raw(
  endpoint: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      method: options.method ?? 'GET',
      path: options.path,
      headers: options.headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** node:crypto behind the hash interface @smithy/signature-v4 takes (a secret makes it an HMAC). */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** A request signed as the SDK signs, for any path and body, with the run's keys unless told otherwise. */
async function signed(
  service: 's3' | 'dynamodb',
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    signingDate?: Date;
  },
) {
  const endpoint = service === 's3' ? stack.endpoints.s3 : stack.endpoints.dynamodb;
  const { host } = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: options.credentials ?? stack.credentials,
    region: 'us-east-1',
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
  const [path = '/', search] = options.path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  const headers = { host, ...options.headers };
  const signedRequest = await signer.sign(
    { method: options.method ?? 'GET', protocol: 'http:', hostname: '', path, query, headers, body: options.body },
    { signingDate: options.signingDate },
  );
  return { endpoint, headers: signedRequest.headers as Record<string, string> };
}

const SCAN = (table: string) => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Scan' },
  body: JSON.stringify({ TableName: table }),
});

function expectRefused(answer: Answer, label: string, statuses = [403]): void {
  expect([label, statuses.includes(answer.status)]).toEqual([label, true]);
  expect([label, answer.body]).toEqual([label, '']);
  expect([label, Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))]).toEqual([label, []]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the embedded S3 answers only this run', () => {
  it('refuses an unsigned GET of the administrators’ export, with an empty 403', async () => {
    const answer = await raw(stack.endpoints.s3, { path: `/${stack.uploadsBucket}/admin/eligibility.csv` });
    expectRefused(answer, 'unsigned GET');
  });

  it('refuses an unsigned PUT and leaves the export as it was', async () => {
    const answer = await raw(stack.endpoints.s3, {
      method: 'PUT',
      path: `/${stack.uploadsBucket}/admin/eligibility.csv`,
      headers: { 'content-type': 'text/csv' },
      body: 'person_id\r\nFORGED\r\n',
    });
    expectRefused(answer, 'unsigned PUT');
    const kept = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'admin/eligibility.csv' }),
    );
    expect(await kept.Body?.transformToString()).toBe(EXPORT);
  });

  it('refuses requests signed with other keys: random ones, s3rver’s default, the right key id with a wrong secret', async () => {
    const others = [
      { accessKeyId: 'AKIAOTHERKEY', secretAccessKey: randomBytes(30).toString('base64url') },
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      { accessKeyId: stack.credentials.accessKeyId, secretAccessKey: randomBytes(30).toString('base64url') },
    ];
    for (const credentials of others) {
      const label = `S3 with ${credentials.accessKeyId}`;
      const clients = localClients(stack.endpoints, credentials);
      const failure = await clients.s3
        .send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'admin/eligibility.csv' }))
        .then(
          () => 'answered',
          (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode,
        );
      expect([label, failure]).toEqual([label, 403]);
      const { endpoint, headers } = await signed('s3', {
        path: `/${stack.uploadsBucket}/admin/eligibility.csv`,
        credentials,
      });
      expectRefused(await raw(endpoint, { path: `/${stack.uploadsBucket}/admin/eligibility.csv`, headers }), label);
      clients.s3.destroy();
      clients.ddb.destroy();
    }
  });

  it('refuses a signature from 20 minutes ago, and a signed request whose path was changed', async () => {
    const path = `/${stack.uploadsBucket}/admin/eligibility.csv`;
    const old = await signed('s3', { path, signingDate: new Date(Date.now() - 20 * 60 * 1000) });
    expectRefused(await raw(old.endpoint, { path, headers: old.headers }), 'old signature');
    const fresh = await signed('s3', { path: `/${stack.uploadsBucket}/applicants/applicants.csv` });
    expectRefused(await raw(fresh.endpoint, { path, headers: fresh.headers }), 'other path');
    // The same request, signed for its own path, is answered: the refusals above are the signature's.
    const good = await signed('s3', { path });
    const answer = await raw(good.endpoint, { path, headers: good.headers });
    expect([answer.status, answer.body]).toEqual([200, EXPORT]);
  });

  it('refuses a presigned URL, even one made with this run’s keys', async () => {
    const url = await getSignedUrl(
      stack.s3,
      new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: 'admin/eligibility.csv' }),
      { expiresIn: 300 },
    );
    expect(url).toContain('X-Amz-Signature=');
    const { pathname, search } = new URL(url);
    expectRefused(await raw(stack.endpoints.s3, { path: `${pathname}${search}` }), 'presigned');
  });

  it('refuses CORS preflights and never sends an access-control header', async () => {
    const preflight = await raw(stack.endpoints.s3, {
      method: 'OPTIONS',
      path: `/${stack.uploadsBucket}/admin/eligibility.csv`,
      headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'GET' },
    });
    expectRefused(preflight, 'S3 preflight');
    const path = `/${stack.uploadsBucket}/admin/eligibility.csv`;
    const withOrigin = await signed('s3', { path, headers: { origin: 'http://127.0.0.1:9' } });
    const answer = await raw(withOrigin.endpoint, { path, headers: withOrigin.headers });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('no S3 key leaves the state folder', () => {
  const bucket = () => stack.uploadsBucket;
  const attacks = () => [
    { label: 'raw ../', method: 'GET', path: `/${bucket()}/../../secret.csv` },
    { label: 'raw ../ inside a key', method: 'GET', path: `/${bucket()}/applicants/../../../secret.csv` },
    { label: 'encoded dots', method: 'GET', path: `/${bucket()}/%2e%2e/%2e%2e/secret.csv` },
    { label: 'encoded dots and slashes', method: 'GET', path: `/${bucket()}/%2e%2e%2f%2e%2e%2fsecret.csv` },
    { label: 'double-encoded', method: 'GET', path: `/${bucket()}/%252e%252e%252f%252e%252e%252fsecret.csv` },
    { label: 'backslashes', method: 'GET', path: `/${bucket()}/..%5c..%5csecret.csv` },
    { label: 'NUL', method: 'GET', path: `/${bucket()}/secret.csv%00.txt` },
    { label: 'absolute', method: 'GET', path: `/${bucket()}/%2Fetc%2Fpasswd` },
    { label: 'bucket ..', method: 'GET', path: '/%2e%2e/secret.csv' },
    { label: 'listing prefix', method: 'GET', path: `/${bucket()}?list-type=2&prefix=..%2F..%2F` },
    { label: 'PUT raw ../', method: 'PUT', path: `/${bucket()}/../../written-1.csv`, body: 'x' },
    { label: 'PUT encoded', method: 'PUT', path: `/${bucket()}/%2e%2e%2fwritten-2.csv`, body: 'x' },
    { label: 'PUT backslash', method: 'PUT', path: `/${bucket()}/..%5Cwritten-3.csv`, body: 'x' },
  ];

  it('refuses every key with a .. segment, a backslash, NUL or a leading slash, raw or percent-encoded, signed or not', async () => {
    for (const attack of attacks()) {
      const { endpoint, headers } = await signed('s3', attack);
      expectRefused(await raw(endpoint, { ...attack, headers }), `signed, ${attack.label}`, [400]);
      expectRefused(await raw(endpoint, attack), `unsigned, ${attack.label}`);
    }
  });

  it('refuses a copy source, an upload id or a part number that names a path', async () => {
    const copies = ['/iecmh-uploads/../../secret.csv', '/iecmh-uploads/%2e%2e%2f%2e%2e%2fsecret.csv', '/../secret.csv'];
    for (const source of copies) {
      const path = `/${bucket()}/copied.csv`;
      const { endpoint, headers } = await signed('s3', {
        method: 'PUT',
        path,
        headers: { 'x-amz-copy-source': source },
      });
      expectRefused(await raw(endpoint, { method: 'PUT', path, headers }), `copy from ${source}`, [400]);
    }
    for (const query of [
      'partNumber=1&uploadId=..%2F..%2Fwritten-4',
      `partNumber=..%2Fwritten-5&uploadId=${'a'.repeat(32)}`,
    ]) {
      const path = `/${bucket()}/part.csv?${query}`;
      const { endpoint, headers } = await signed('s3', { method: 'PUT', path, body: 'x' });
      expectRefused(await raw(endpoint, { method: 'PUT', path, headers, body: 'x' }), query, [400]);
    }
  });

  it('read nothing from outside the buckets and wrote nothing there', () => {
    const written = filesUnder(stack.stateDir).filter((f) => /^(written|copied|part)/.test(basename(f)));
    expect(written).toEqual([]);
    expect(readFileSync(join(stack.stateDir, 'secret.csv._S3rver_object'), 'utf8')).toBe(OUTSIDE_SECRET);
  });

  it('has a file store that refuses paths outside the bucket even if a request got through', async () => {
    const store = new ConfinedStore(join(stack.stateDir, 's3'));
    expect(() => store.getResourcePath(stack.uploadsBucket, '../../secret.csv', 'object')).toThrow(UnsafeS3PathError);
    expect(() => store.getResourcePath(stack.uploadsBucket, 'a\\..\\..\\b', 'object')).toThrow(UnsafeS3PathError);
    expect(() => store.getBucketPath('..')).toThrow(UnsafeS3PathError);
    await expect(store.putPart(stack.uploadsBucket, '../../x', 1, null)).rejects.toThrow(UnsafeS3PathError);
    await expect(store.putPart(stack.uploadsBucket, 'a'.repeat(32), '../x', null)).rejects.toThrow(UnsafeS3PathError);
    expect(store.getResourcePath(stack.uploadsBucket, 'admin/eligibility.csv', 'object')).toBe(
      join(stack.stateDir, 's3', stack.uploadsBucket, 'admin', 'eligibility.csv._S3rver_object'),
    );
  });
});

describe('the embedded DynamoDB answers only this run', () => {
  it('refuses an unsigned Scan, and one signed with other keys, with an empty 403', async () => {
    expectRefused(await raw(stack.endpoints.dynamodb, SCAN(stack.tableName)), 'unsigned Scan');
    const fake = {
      ...SCAN(stack.tableName),
      headers: {
        ...SCAN(stack.tableName).headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${stack.credentials.accessKeyId}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    };
    expectRefused(await raw(stack.endpoints.dynamodb, fake), 'made-up signature');
    const other = localClients(stack.endpoints, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    const status = await other.ddb.send(new ScanCommand({ TableName: stack.tableName })).then(
      () => 'answered',
      (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode,
    );
    expect(status).toBe(403);
    other.ddb.destroy();
    other.s3.destroy();
  });

  it('refuses a signed request whose body was swapped, and answers the one that was signed', async () => {
    const scan = SCAN(stack.tableName);
    const { endpoint, headers } = await signed('dynamodb', scan);
    const swapped = await raw(endpoint, {
      ...scan,
      headers,
      body: JSON.stringify({ TableName: stack.tableName, Limit: 1 }),
    });
    expectRefused(swapped, 'swapped body');
    const answer = await raw(endpoint, { ...scan, headers });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Secretname1');
  });

  it('refuses preflights and sends no access-control header, even to a signed request with an Origin', async () => {
    const preflight = await raw(stack.endpoints.dynamodb, {
      method: 'OPTIONS',
      path: '/',
      headers: {
        origin: 'http://127.0.0.1:9',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-amz-date,x-amz-target',
      },
    });
    expectRefused(preflight, 'DynamoDB preflight');
    const listTables = {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        origin: 'http://127.0.0.1:9',
      },
      body: '{}',
    };
    const { endpoint, headers } = await signed('dynamodb', listTables);
    const answer = await raw(endpoint, { ...listTables, headers });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('iecmh serve hands out no way into the emulators', () => {
  it('answers nothing without a session of its sign-in', async () => {
    for (const path of ['/', '/api/reports/latest', '/api/downloads/latest/workforce.csv', '/latest/workforce.csv']) {
      const answer = await raw(server.url, { path });
      expect([path, answer.status]).toEqual([path, 401]);
      expect(answer.body).not.toContain('dimension');
    }
  });

  it('lists links to itself: no emulator port, no signature', async () => {
    const get = await signedInFetch(server);
    const page = await (await get('/')).text();
    const run = await (await get('/api/reports/latest')).text();
    for (const text of [page, run]) {
      for (const endpoint of [stack.endpoints.s3, stack.endpoints.dynamodb]) expect(text).not.toContain(endpoint);
      expect(text).not.toMatch(/X-Amz-|:\/\/127\.0\.0\.1/);
    }
    expect(run).toContain('"url":"/api/downloads/latest/workforce.csv"');
  });

  it('streams a listed file and nothing outside the published runs', async () => {
    const get = await signedInFetch(server);
    const cookie = await sessionCookie(server);
    const csv = await get('/api/downloads/latest/workforce.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="workforce.csv"');
    expect(
      Buffer.from(await csv.arrayBuffer())
        .toString('utf8')
        .startsWith('\uFEFFdimension,'),
    ).toBe(true);
    for (const path of [
      '/api/downloads/latest/..%2F..%2Fadmin%2Feligibility.csv',
      '/api/downloads/..%2Fadmin/eligibility.csv',
      '/api/downloads/admin/eligibility.csv',
      '/api/downloads/latest/.hidden',
      '/api/downloads/latest/nothing.csv',
    ]) {
      const answer = await raw(server.url, { path, headers: { cookie } });
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.body).not.toContain('Secretname');
    }
    expect((await get('/api/downloads/latest/workforce.csv', { method: 'DELETE' })).status).toBe(405);
  });
});
