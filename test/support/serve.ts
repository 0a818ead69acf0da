/** Signing in to `iecmh serve` in tests, as a person does with the link it prints (docs/web-api.md). */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import type { Group } from '#functions/commons/web.js';
import type { RunningServer } from '#local/serve.js';

/** The `Cookie` header of a new session of `group`. */
export async function sessionCookie(server: RunningServer, group: Group = 'policymakers'): Promise<string> {
  const res = await fetch(server.signInLink(group), { redirect: 'manual' });
  if (res.status !== 303) throw new Error(`signing in answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** fetch() with a session of `group`, as a signed-in browser on serve's own pages sends it. */
export async function signedInFetch(server: RunningServer, group: Group = 'policymakers') {
  const cookie = await sessionCookie(server, group);
  const origin = new URL(server.url).origin;
  return (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, server.url), {
      ...init,
      headers: { cookie, origin, ...(init.headers as Record<string, string> | undefined) },
    });
}

/** A browser context signed in as `group` (its pages share the session cookie). */
export async function signedInContext(
  browser: Browser,
  server: RunningServer,
  group: Group = 'policymakers',
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const res = await context.request.get(server.signInLink(group), { maxRedirects: 0 });
  if (res.status() !== 303) throw new Error(`signing in answered ${res.status()}`);
  return context;
}
