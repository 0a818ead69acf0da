/**
 * The local sign-in of `iecmh serve` (docs/web-api.md, "Local sign-in"): one-time links, one per
 * group, that open an 8-hour session held in an HttpOnly, SameSite=Lax cookie (Lax, not Strict: the
 * report pages are sandboxed, so following a link from one counts as coming from another site; what
 * changes something is checked for its origin as well, serve.ts). Sessions live in
 * this process only, so stopping serve signs everyone out. A session carries the same claims the
 * Cognito token gives the API in AWS, so the handlers check them the same way.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Claims, Group } from '#functions/commons/web.js';

export const SESSION_COOKIE = 'iecmh_session';
const SESSION_MS = 8 * 60 * 60 * 1000;
/** A sign-in link not used within this time stops working. */
const LINK_MS = 30 * 60 * 1000;

interface Session {
  claims: Claims;
  expires: number;
}

const token = () => randomBytes(32).toString('base64url');

/** Compares two secrets in constant time (a wrong guess learns nothing from how long it took). */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class LocalSignIn {
  private readonly links = new Map<string, { group: Group; expires: number }>();
  private readonly sessions = new Map<string, Session>();
  private signIns = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A new one-time sign-in token for a person of `group`. */
  issueLink(group: Group): string {
    const t = token();
    this.links.set(t, { group, expires: this.now() + LINK_MS });
    return t;
  }

  /** Uses a sign-in token (once); answers the new session's id, or undefined when the token is not valid. */
  redeem(linkToken: string): string | undefined {
    let found: { group: Group; expires: number } | undefined;
    for (const [t, link] of this.links) {
      if (sameSecret(t, linkToken)) {
        found = link;
        this.links.delete(t);
        break;
      }
    }
    if (!found || found.expires < this.now()) return undefined;
    this.signIns += 1;
    const id = token();
    const name = found.group === 'administrators' ? 'Local administrator' : 'Local policymaker';
    this.sessions.set(id, {
      claims: {
        sub: `local-${found.group}-${this.signIns}`,
        name,
        email: '',
        'cognito:groups': [found.group],
      },
      expires: this.now() + SESSION_MS,
    });
    return id;
  }

  /** The claims of the request's session; undefined without a valid one. */
  claimsOf(req: IncomingMessage): Claims | undefined {
    const id = cookieOf(req, SESSION_COOKIE);
    if (!id) return undefined;
    for (const [sid, session] of this.sessions) {
      if (!sameSecret(sid, id)) continue;
      if (session.expires < this.now()) {
        this.sessions.delete(sid);
        return undefined;
      }
      return session.claims;
    }
    return undefined;
  }

  /** Ends the request's session. */
  signOut(req: IncomingMessage): void {
    const id = cookieOf(req, SESSION_COOKIE);
    if (id) for (const sid of this.sessions.keys()) if (sameSecret(sid, id)) this.sessions.delete(sid);
  }

  /** The Set-Cookie header of a session (Path=/, HttpOnly, SameSite=Lax; no Secure, serve is plain HTTP on 127.0.0.1). */
  static cookie(sessionId: string): string {
    return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MS / 1000}`;
  }

  static clearedCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  }
}

/** One cookie's value from the request's Cookie header. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
