/**
 * The web app's files as serve hands them out: what is in web/ (one level of folders), read when
 * asked, under a Content-Security-Policy that lets the app load only its own scripts and styles;
 * and `config.json`, which tells the app it signs in locally. The sign-in page serve shows a person
 * without a session carries no data.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

export const APP_PATH = '/app/';
const WEB_DIR = join(import.meta.dirname, '..', '..', 'web');

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** A path under /app/: a file or one folder and a file, plain names only (nothing to climb with). */
const APP_FILE = /^(?:[a-z0-9][a-z0-9-]*\/)?[a-z0-9][a-z0-9._-]*\.(html|js|css|json|svg|png)$/;

export const APP_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** The app's configuration on this machine: sign-in is serve's own, the API is on the same origin. */
const LOCAL_CONFIG = JSON.stringify({ auth: { kind: 'local', signOutUrl: '/signout' }, apiBase: '/api' });

export async function sendAppFile(path: string, method: string, res: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', ...APP_HEADERS });
    res.end();
    return;
  }
  const name = path === '' ? 'index.html' : path;
  let body: Buffer | string | undefined;
  if (name === 'config.json') body = LOCAL_CONFIG;
  else if (APP_FILE.test(name) && name !== 'tsconfig.json') {
    body = await readFile(join(WEB_DIR, name)).catch(() => undefined);
  }
  const extension = name.slice(name.lastIndexOf('.') + 1);
  if (body === undefined) {
    res.writeHead(404, { 'content-type': TYPES.json, ...APP_HEADERS });
    res.end(JSON.stringify({ message: `no such file: ${APP_PATH}${name}` }));
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extension] ?? 'application/octet-stream', ...APP_HEADERS });
  res.end(method === 'HEAD' ? undefined : body);
}

/** The page shown without a session, or after signing out: how to sign in, and nothing else. */
export function sendSignInPage(res: ServerResponse, status: number, message: string, cookie?: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: IECMH endorsement pipeline</title></head>
<body><main><h1>IECMH endorsement pipeline</h1><p>${message}</p></main></body></html>
`;
  res.writeHead(status, {
    'content-type': TYPES.html,
    ...APP_HEADERS,
    ...(cookie ? { 'set-cookie': cookie } : {}),
  });
  res.end(html);
}
