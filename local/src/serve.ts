/**
 * `iecmh serve`: the web app, its API and the reports site on this machine (docs/web-api.md).
 * Nothing answers without a session of the local sign-in (web-session.ts), the pages included.
 * `/app/` is the web app (the files in web/); `/api/...` are API Gateway (HTTP API 2.0) events for
 * the same handlers Lambda runs, carrying the session's claims as the JWT authorizer would; `/` is
 * the reports site's index the publisher wrote (as CloudFront serves it in AWS), whose links
 * (`/latest/<file>`, `/reports/<asOf>/<file>`) serve streams itself (downloads.ts): no link leads
 * to the embedded S3.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { s3ObjectStore } from '#adapters/s3/object-store.js';
import { defaultUploadLimits } from '#core/web/upload-request.js';
import { type Group, groupsOf, json } from '#functions/commons/web.js';
import { publishedLatestAsOf } from '#services/publish-reports.js';
import { SITE_INDEX_KEY, siteIndexOf } from '#services/publish-site-index.js';
import {
  DOWNLOADS_PATH,
  downloadUrl,
  sendDownload,
  sendExport,
  sendPage,
  sendRunFile,
  siteFileOf,
} from './downloads.js';
import { DEFAULT_STATE_DIR, type EmbeddedStack, startEmbeddedStack } from './embedded.js';
import { UPLOAD_FORM_PATH, UploadFormError } from './upload-form.js';
import { EXPORTS_PATH, localWebApi } from './web-api.js';
import { APP_PATH, sendAppFile, sendSignInPage } from './web-files.js';
import { LocalSignIn } from './web-session.js';

const DEFAULT_STATE = DEFAULT_STATE_DIR;
const SIGN_IN_PATH = '/signin';
const SIGN_OUT_PATH = '/signout';
const DEFAULT_PORT = 8080;

export interface ServeOptions {
  /** The state folder of the embedded stack; ignored when `stack` is given. */
  stateDir?: string;
  /** An embedded stack already running (tests); it is left running on close. */
  stack?: EmbeddedStack;
  /** 0 picks a free port. */
  port?: number;
  linkExpirySeconds?: number;
  /** Where problems are written (stderr by default). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  stack: EmbeddedStack;
  /** A new one-time sign-in link for a person of the group (administrators unless said). */
  signInLink(group?: Group): string;
  /** Resolves once every upload, withdrawal and erasure handed to the pipeline is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP API 2.0 event as API Gateway would deliver it for this request. */
export function toApiEvent(req: IncomingMessage, url: URL, body?: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = Object.fromEntries(url.searchParams);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, { ...API_HEADERS, ...(result.headers as Record<string, string>) });
  res.end(result.body ?? '');
}

const API_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

/** An API request's body, at most 64 KiB (uploads go to the form endpoint, not here). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 65_536) throw new Error('request body over 64 KiB');
    chunks.push(chunk);
  }
  return chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * A request that changes something must come from serve's own pages: the session cookie is
 * SameSite=Lax (no other site's POST carries it), and a browser's Origin and Sec-Fetch-Site, when sent, must agree.
 */
function sameOrigin(req: IncomingMessage, origin: string): boolean {
  const from = req.headers.origin;
  if (from !== undefined && from !== origin) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

function redirect(res: ServerResponse, location: string, cookie?: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) });
  res.end();
}

/** `/signin?token=...`: a valid one-time token opens a session and leads to the app. */
function signInRequest(signIn: LocalSignIn, url: URL, res: ServerResponse): void {
  const session = signIn.redeem(url.searchParams.get('token') ?? '');
  if (!session) {
    sendSignInPage(
      res,
      401,
      'This sign-in link is not valid: it was used already, has expired, or serve was restarted. Use a new link from iecmh serve.',
    );
    return;
  }
  redirect(res, APP_PATH, LocalSignIn.cookie(session));
}

/** Starts the site, the web app and the API on 127.0.0.1; resolves once listening. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const ownStack = !options.stack;
  const stack = options.stack ?? (await startEmbeddedStack(options.stateDir ?? DEFAULT_STATE));
  const log = options.log ?? ((line: string) => process.stderr.write(`iecmh serve: ${line}\n`));
  const signIn = new LocalSignIn();
  const webApi = localWebApi(stack, { linkExpirySeconds: options.linkExpirySeconds ?? 300, downloadUrl, log });
  const largestUpload = Math.max(defaultUploadLimits().csvMaxBytes, defaultUploadLimits().workbookMaxBytes);
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    (async () => {
      const method = req.method ?? 'GET';
      if (url.pathname === SIGN_IN_PATH) return signInRequest(signIn, url, res);
      if (url.pathname === SIGN_OUT_PATH) {
        signIn.signOut(req);
        return sendSignInPage(res, 200, 'You are signed out.', LocalSignIn.clearedCookie());
      }
      const claims = signIn.claimsOf(req);
      if (!claims) {
        if (url.pathname.startsWith('/api/')) return send(res, json(401, { message: 'sign in first' }));
        return sendSignInPage(res, 401, 'Sign in with a link that iecmh serve printed when it started.');
      }
      if (method !== 'GET' && method !== 'HEAD' && !sameOrigin(req, origin)) {
        return send(res, json(403, { message: 'requests that change something must come from this site' }));
      }
      const isAdmin = groupsOf(claims['cognito:groups']).includes('administrators');
      if (url.pathname === '/app') return redirect(res, '/app/');
      if (url.pathname.startsWith(APP_PATH)) return sendAppFile(url.pathname.slice(APP_PATH.length), method, res);
      if (url.pathname === '/' || url.pathname === `/${SITE_INDEX_KEY}`) {
        // The page the publisher wrote; before any run wrote one, the same page made from what the bucket holds.
        const reports = s3ObjectStore(stack.s3, stack.reportsBucket);
        const page =
          (await reports.readText(SITE_INDEX_KEY)) ?? (await siteIndexOf(reports, await publishedLatestAsOf(stack)));
        return sendPage(page, method, res);
      }
      const siteFile = siteFileOf(url.pathname);
      if (siteFile) return sendRunFile(stack, siteFile, url.pathname, method, res);
      if (url.pathname.startsWith(DOWNLOADS_PATH)) return sendDownload(stack, url.pathname, method, res);
      if (url.pathname.startsWith(EXPORTS_PATH)) {
        if (!isAdmin) return send(res, json(403, { message: 'only administrators may do this' }));
        const key = webApi.exportKey(url.pathname.slice(EXPORTS_PATH.length));
        if (!key) return send(res, json(404, { message: `no such export: ${url.pathname}` }));
        return sendExport(stack, key, method, res);
      }
      if (url.pathname === UPLOAD_FORM_PATH) {
        if (method !== 'POST') return send(res, json(405, { message: 'post the upload form here' }, { allow: 'POST' }));
        if (!isAdmin) return send(res, json(403, { message: 'only administrators may do this' }));
        try {
          await webApi.accept(await webApi.forms.receive(req, largestUpload));
        } catch (err) {
          if (err instanceof UploadFormError) return send(res, json(err.statusCode, { message: err.message }));
          throw err;
        }
        // As S3 answers a presigned POST without success_action_status.
        return send(res, { statusCode: 204, headers: { 'cache-control': 'no-store' } });
      }
      if (url.pathname.startsWith('/api/')) {
        const body = await readBody(req);
        const answer = await webApi.call(toApiEvent(req, url, body), claims);
        if (answer) return send(res, answer);
      }
      send(res, json(404, { message: `no such resource: ${url.pathname}` }));
    })().catch((err: unknown) => {
      log(err instanceof Error ? (err.stack ?? err.message) : String(err));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'internal error' }));
    });
  });
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => resolveListen());
    });
  } catch (err) {
    if (ownStack) await stack.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    stack,
    signInLink: (group = 'administrators') => `${origin}${SIGN_IN_PATH}?token=${signIn.issueLink(group)}`,
    idle: () => webApi.idle(),
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await webApi.idle();
      if (ownStack) await stack.close();
    },
  };
}

/** `iecmh serve [--port 8080] [--state DIR]`: serves until Ctrl-C. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, state: { type: 'string' } },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`iecmh serve: --port "${values.port}" is not a port number (0 to 65535)\n`);
    return 2;
  }
  const server = await startServer({ port, stateDir: resolve(values.state ?? DEFAULT_STATE) });
  process.stdout.write(
    [
      `Serving ${server.stack.stateDir} at ${server.url} (this machine only).`,
      'Sign in by opening one of these links in your browser (each works once, within 30 minutes):',
      `  as an administrator: ${server.signInLink('administrators')}`,
      `  as a policymaker:    ${server.signInLink('policymakers')}`,
      `Then: ${server.url}app/ the web app, ${server.url} the reports site, ${server.url}api/ the API (JSON).`,
      'Press Ctrl-C to stop (everyone is signed out).',
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
