/**
 * The web API as `iecmh serve` runs it (docs/web-api.md): over HTTP, with the local sign-in, the
 * upload forms serve signs, and the pipeline run on each change, against the embedded stack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebEvent } from '#functions/commons/web.js';
import { makeWebPeopleHandler } from '#functions/web-people/people-routes.js';
import { type RunningServer, startServer } from '#local/serve.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const APPLICANTS = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,county',
  'WA-1,Ada,Lovelace,ada@example.org,IFA,bachelor,30,Dane',
  'WA-2,Grace,Hopper,grace@example.org,IFA,bachelor,30,Dane',
  'WA-3,Broken,Row,broken@example.org,NOT-A-CATEGORY,bachelor,30,Dane',
].join('\r\n');

let stack: TestStack;
let server: RunningServer;

/** A signed-in browser-like client: keeps the session cookie and sends this site's Origin. */
async function signedIn(group: 'administrators' | 'policymakers') {
  const signIn = await fetch(server.signInLink(group), { redirect: 'manual' });
  expect(signIn.status).toBe(303);
  expect(signIn.headers.get('location')).toBe('/app/');
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  const origin = new URL(server.url).origin;
  return (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, server.url), {
      ...init,
      redirect: 'manual',
      headers: {
        cookie,
        origin,
        ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
}

type Client = Awaited<ReturnType<typeof signedIn>>;

/** Uploads a file as the web app does: ask for a form, post it, wait for the pipeline. */
async function upload(client: Client, kind: string, fileName: string, text: string) {
  const formRes = await client('/api/uploads', {
    method: 'POST',
    body: JSON.stringify({ kind, fileName, size: Buffer.byteLength(text) }),
  });
  expect(formRes.status).toBe(200);
  const form = (await formRes.json()) as { key: string; url: string; fields: Record<string, string> };
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([text], { type: 'text/csv' }), fileName);
  const posted = await client(form.url, { method: 'POST', body });
  await server.idle();
  return { form, posted };
}

beforeAll(async () => {
  stack = await startTestStack();
  server = await startServer({ stack, port: 0, log: () => undefined });
});

afterAll(async () => {
  await server?.close();
  await stack?.destroy();
});

describe('iecmh serve without a session', () => {
  it('answers every /api/ path, the app and the reports site with 401', async () => {
    for (const path of [
      '/api/me',
      '/api/uploads',
      '/api/people?q=ada',
      '/api/nothing',
      '/api/upload-form',
      '/app/',
      '/app/app.js',
      '/',
      '/latest/workforce.csv',
    ]) {
      const res = await fetch(new URL(path, server.url));
      expect([path, res.status]).toEqual([path, 401]);
      expect(await res.text()).not.toMatch(/Lovelace|ada@/);
    }
  });

  it('refuses a made-up or reused sign-in link', async () => {
    const link = server.signInLink('administrators');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(new URL('/signin?token=guess', server.url), { redirect: 'manual' })).status).toBe(401);
  });
});

describe('an administrator through the web API', () => {
  let admin: Client;
  beforeAll(async () => {
    admin = await signedIn('administrators');
  });

  it('uploads a file with a presigned form and reads its receipt with the row to fix', async () => {
    const started = new Date().toISOString();
    const { form, posted } = await upload(admin, 'applicants', 'applicants-fall.csv', APPLICANTS);
    expect(posted.status).toBe(204);
    expect(form.key).toBe('applicants/applicants-fall.csv');
    const receipt = await admin(
      `/api/uploads/receipt?key=${encodeURIComponent(form.key)}&since=${encodeURIComponent(started)}`,
    );
    expect(receipt.status).toBe(200);
    const body = (await receipt.json()) as {
      rows: number;
      accepted: number;
      rejected: number;
      errors: { line: number; column: string }[];
    };
    expect([body.rows, body.accepted, body.rejected]).toEqual([3, 2, 1]);
    expect(body.errors[0]).toMatchObject({ line: 4, column: 'category' });
  });

  it('lists the upload in the history, with its version', async () => {
    const res = await admin('/api/uploads');
    const { sources } = (await res.json()) as {
      sources: { key: string; status: string; accepted: number; versions: unknown[] }[];
    };
    const entry = sources.find((s) => s.key === 'applicants/applicants-fall.csv');
    expect(entry).toMatchObject({ status: 'current', accepted: 2 });
    expect(entry?.versions.length).toBeGreaterThanOrEqual(1);
  });

  it('downloads the eligibility export the pipeline wrote', async () => {
    const { exports } = (await (await admin('/api/exports')).json()) as { exports: { name: string; url: string }[] };
    expect(exports.map((e) => e.name)).toEqual(expect.arrayContaining(['eligibility', 'renewals']));
    const eligibility = exports.find((e) => e.name === 'eligibility');
    const csv = await (await admin(eligibility?.url ?? '')).text();
    expect(csv).toContain('WA-1,Ada,Lovelace,IFA,false');
  });

  it('finds a person by part of a name or email and reads why they are not yet eligible', async () => {
    const found = (await (await admin('/api/people?q=hopp')).json()) as { people: { personId: string }[] };
    expect(found.people.map((p) => p.personId)).toEqual(['WA-2']);
    const byEmail = (await (await admin('/api/people?q=ADA@EXAMPLE')).json()) as { people: { personId: string }[] };
    expect(byEmail.people.map((p) => p.personId)).toEqual(['WA-1']);
    expect((await admin('/api/people?q=a')).status).toBe(400);
    const person = (await (await admin('/api/people/WA-1')).json()) as { explanation: string[] };
    expect(person.explanation.join('\n')).toMatch(/Ada Lovelace/);
    expect((await admin('/api/people/NOBODY')).status).toBe(404);
  });

  it('erases a person only with a confirmation naming them, and then they are gone', async () => {
    const unconfirmed = await admin('/api/people/WA-2/erase', {
      method: 'POST',
      body: JSON.stringify({ confirm: 'WA-1' }),
    });
    expect(unconfirmed.status).toBe(400);
    const erased = await admin('/api/people/WA-2/erase', { method: 'POST', body: JSON.stringify({ confirm: 'WA-2' }) });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ personId: 'WA-2', erased: true, rows: 1 });
    expect((await admin('/api/people/WA-2')).status).toBe(404);
  });

  it('withdraws an upload, and its rows are forgotten', async () => {
    const res = await admin('/api/uploads?key=applicants%2Fapplicants-fall.csv', { method: 'DELETE' });
    expect(res.status).toBe(200);
    const { sources } = (await (await admin('/api/uploads')).json()) as { sources: { key: string; status: string }[] };
    expect(sources.find((s) => s.key === 'applicants/applicants-fall.csv')?.status).toBe('withdrawn');
    expect((await admin('/api/people/WA-1')).status).toBe(404);
  });

  it('refuses forms that were not signed for what is posted', async () => {
    const formRes = await admin('/api/uploads', {
      method: 'POST',
      body: JSON.stringify({ kind: 'rosters', fileName: 'r.csv', size: 10 }),
    });
    const form = (await formRes.json()) as { url: string; fields: Record<string, string> };
    const tampered = new FormData();
    for (const [name, value] of Object.entries(form.fields))
      tampered.append(name, name === 'key' ? 'admin/eligibility.csv' : value);
    tampered.append('file', new Blob(['x']), 'r.csv');
    expect((await admin(form.url, { method: 'POST', body: tampered })).status).toBe(403);
    const forged = new FormData();
    for (const [name, value] of Object.entries(form.fields)) forged.append(name, name === 'signature' ? 'AAAA' : value);
    forged.append('file', new Blob(['x']), 'r.csv');
    expect((await admin(form.url, { method: 'POST', body: forged })).status).toBe(403);
    for (const bad of [
      { kind: 'admin', fileName: 'x.csv', size: 1 },
      { kind: 'rosters', fileName: '../x.csv', size: 1 },
      { kind: 'rosters', fileName: 'x.exe', size: 1 },
    ]) {
      expect((await admin('/api/uploads', { method: 'POST', body: JSON.stringify(bad) })).status).toBe(400);
    }
    const huge = await admin('/api/uploads', {
      method: 'POST',
      body: JSON.stringify({ kind: 'rosters', fileName: 'x.xlsx', size: 10 ** 9 }),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses a change that comes from another site', async () => {
    const res = await admin('/api/people/WA-1/erase', {
      method: 'POST',
      body: JSON.stringify({ confirm: 'WA-1' }),
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });
});

describe('erasure from the web in AWS', () => {
  it('answers 202 when the erasure function runs on its own, after the same checks', async () => {
    await stack.ingest({
      'applicants/later.csv': `${APPLICANTS.split('\r\n')[0]}\r\nWA-9,Ida,Wells,ida@example.org,IFA,bachelor,30,Dane`,
    });
    const asked: string[][] = [];
    const handler = makeWebPeopleHandler({
      ...stack,
      tableName: stack.tableName,
      erase: async (ids) => {
        asked.push(ids);
        return 'started';
      },
    });
    const call = async (id: string, confirm: string) =>
      (await handler(
        {
          version: '2.0',
          routeKey: 'POST /api/people/{id}/erase',
          rawPath: `/api/people/${id}/erase`,
          rawQueryString: '',
          headers: {},
          body: JSON.stringify({ confirm }),
          isBase64Encoded: false,
          requestContext: {
            http: {
              method: 'POST',
              path: `/api/people/${id}/erase`,
              protocol: 'HTTP/1.1',
              sourceIp: '127.0.0.1',
              userAgent: 'vitest',
            },
            authorizer: { jwt: { claims: { sub: 'u-1', 'cognito:groups': '[administrators]' } } },
            stage: '$default',
          },
        } as unknown as WebEvent,
        {} as never,
      )) as { statusCode: number; body: string };
    expect((await call('WA-9', 'WA-1')).statusCode).toBe(400);
    expect((await call('NOBODY', 'NOBODY')).statusCode).toBe(404);
    const started = await call('WA-9', 'WA-9');
    expect([started.statusCode, JSON.parse(started.body)]).toEqual([202, { personId: 'WA-9', erased: 'started' }]);
    expect(asked).toEqual([['WA-9']]);
  });
});

describe('a policymaker through the web API', () => {
  it('sees who they are and the reports, and is refused every administrators-only route', async () => {
    const policymaker = await signedIn('policymakers');
    expect(await (await policymaker('/api/me')).json()).toMatchObject({ groups: ['policymakers'] });
    expect((await policymaker('/api/reports')).status).toBe(200);
    for (const [path, method] of [
      ['/api/uploads', 'GET'],
      ['/api/exports', 'GET'],
      ['/api/people?q=ada', 'GET'],
      ['/api/export-files/eligibility', 'GET'],
      ['/api/uploads?key=applicants%2Fa.csv', 'DELETE'],
    ] as const) {
      expect([path, (await policymaker(path, { method })).status]).toEqual([path, 403]);
    }
  });
});
