/**
 * The web app's sign-in as deployed (docs/web-api.md, "The app"): the authorization code flow with
 * PKCE against a hosted sign-in, the access token sent as a bearer token, and "Your session ended"
 * when the API refuses it. Cognito has no local counterpart, so two small servers stand in: the
 * hosted sign-in (/oauth2/authorize, /oauth2/token, checking the PKCE verifier against the
 * challenge as Cognito does) and the app's origin (web/ as CloudFront serves it, with a
 * Content-Security-Policy that lets the app reach the sign-in's token endpoint, and /api/ behind a
 * bearer check as the JWT authorizer does).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, launchChromium } from '../support/browser.js';

/** How long a poll waits for the page (a busy machine is slower than Vitest's 1 s default). */
const WAIT = { timeout: 15_000 };

const WEB = join(import.meta.dirname, '..', '..', 'web');
const CLIENT_ID = 'web-app-client';

let browser: Browser;
let app: Server;
let idp: Server;
let appOrigin = '';
let idpOrigin = '';

/** What the stand-ins saw. */
const authorizeRequests: URLSearchParams[] = [];
const tokenRequests: URLSearchParams[] = [];
const apiAuthorizations: string[] = [];
/** Codes issued, with the challenge and redirect they were issued for. */
const codes = new Map<string, { challenge: string; redirectUri: string }>();
/** Access tokens the API accepts (an entry removed: the token is refused, as an expired one would be). */
const accepted = new Set<string>();

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** The hosted sign-in: signs the person in at once and checks PKCE as Cognito does. */
async function hostedSignIn(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', idpOrigin);
  if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
    authorizeRequests.push(url.searchParams);
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const code = randomBytes(16).toString('hex');
    codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
    const back = new URL(redirectUri);
    back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
    res.writeHead(302, { location: back.href });
    res.end();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/oauth2/token') {
    const form = new URLSearchParams(await bodyOf(req));
    tokenRequests.push(form);
    const cors = { 'access-control-allow-origin': appOrigin };
    const issued = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !issued ||
      issued.challenge !== challenge ||
      issued.redirectUri !== form.get('redirect_uri') ||
      form.get('client_id') !== CLIENT_ID ||
      form.get('grant_type') !== 'authorization_code'
    ) {
      sendJson(res, 400, { error: 'invalid_grant' }, cors);
      return;
    }
    const token = randomBytes(24).toString('base64url');
    accepted.add(token);
    sendJson(res, 200, { access_token: token, id_token: 'unused', token_type: 'Bearer', expires_in: 3600 }, cors);
    return;
  }
  res.writeHead(404);
  res.end();
}

/** The app's origin: web/ and its config, and /api/ behind a bearer check. */
async function appOriginServer(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', appOrigin);
  if (url.pathname.startsWith('/api/')) {
    const authorization = req.headers.authorization ?? '';
    apiAuthorizations.push(authorization);
    if (!accepted.has(authorization.replace(/^Bearer /, ''))) return sendJson(res, 401, { message: 'Unauthorized' });
    if (url.pathname === '/api/me') {
      return sendJson(res, 200, { name: 'Pat Policymaker', email: 'pat@example.org', groups: ['policymakers'] });
    }
    if (url.pathname === '/api/reports') return sendJson(res, 200, { latest: null, runs: [] });
    return sendJson(res, 404, { message: 'no such resource' });
  }
  const headers = {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${idpOrigin}; base-uri 'none'; frame-ancestors 'none'`,
    'cache-control': 'no-store',
  };
  if (url.pathname === '/config.json') {
    const config = {
      auth: { kind: 'cognito', domain: idpOrigin, clientId: CLIENT_ID, redirectUri: `${appOrigin}/` },
      apiBase: '/api',
    };
    return sendJson(res, 200, config, headers);
  }
  const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
  const type = { html: 'text/html', js: 'text/javascript', css: 'text/css' }[name.split('.').pop() ?? ''];
  const body = /^(views\/)?[a-z-]+\.(html|js|css)$/.test(name)
    ? await readFile(join(WEB, name)).catch(() => undefined)
    : undefined;
  if (!body || !type) {
    res.writeHead(404, headers);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, ...headers });
  res.end(body);
}

beforeAll(async () => {
  idp = createServer((req, res) => void hostedSignIn(req, res));
  app = createServer((req, res) => void appOriginServer(req, res));
  idpOrigin = await listen(idp);
  appOrigin = await listen(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  await new Promise((resolve) => idp?.close(resolve));
});

describe('the web app signing in with a hosted sign-in (authorization code and PKCE)', () => {
  it('signs in, sends the access token as a bearer token, and signs in again once the token is refused', async () => {
    const page = await browser.newPage();
    const problems = collectProblems(page);

    // Not signed in: a sign-in page, and nothing asked of the API with a token.
    await page.goto(`${appOrigin}/#/reports`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(apiAuthorizations).toEqual(['']);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back from the hosted sign-in: the code traded for a token, the code gone from the address bar.
    await page.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    expect(await page.locator('#account').textContent()).toContain('Pat Policymaker (policymakers)');
    expect(page.url()).toBe(`${appOrigin}/#/reports`);
    const [authorize] = authorizeRequests;
    expect(Object.fromEntries(authorize ?? [])).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${appOrigin}/`,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
    });
    expect(tokenRequests).toHaveLength(1);
    const token = [...accepted][0];
    expect(apiAuthorizations.at(-1)).toBe(`Bearer ${token}`);

    // A reload keeps the session of this tab without a new sign-in.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    expect(authorizeRequests).toHaveLength(1);

    // The API refuses the token (expired or revoked): the app says so and offers to sign in again.
    accepted.clear();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    expect(authorizeRequests).toHaveLength(2);
    expect(apiAuthorizations.at(-1)).toBe(`Bearer ${[...accepted][0]}`);
    expect(problems.filter((p) => !p.includes('status of 401'))).toEqual([]);
    await page.close();
  });

  it('shows "Your session ended" when a call is refused while the app is open', async () => {
    const page = await browser.newPage();
    await page.goto(`${appOrigin}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();

    accepted.clear();
    // Another section and back: the reports are asked for again, with the refused token.
    await page.evaluate("location.hash = '#/upload'");
    await page.locator('main h1', { hasText: 'Not available' }).waitFor();
    await page.evaluate("location.hash = '#/reports'");
    await expect
      .poll(() => page.locator('#banner').textContent(), WAIT)
      .toBe('Your session ended: sign in again.Sign in again');
    const signIns = authorizeRequests.length;
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await expect.poll(() => authorizeRequests.length, WAIT).toBe(signIns + 1);
    await page.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    expect(await page.locator('#banner').isHidden()).toBe(true);
    await page.close();
  });

  it('refuses an answer whose state is not the one it sent', async () => {
    const page = await browser.newPage();
    await page.goto(`${appOrigin}/?code=forged&state=not-mine`);
    await expect
      .poll(() => page.locator('main [role=alert]').textContent(), WAIT)
      .toBe('The sign-in answer did not match the request this page made; sign in again.');
    expect(tokenRequests.filter((f) => f.get('code') === 'forged')).toEqual([]);
    expect(page.url()).toBe(`${appOrigin}/`);
    await page.close();
  });
});
