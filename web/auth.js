// @ts-check
/**
 * Who is signed in, and how requests prove it (docs/web-api.md).
 *
 * - `local` (`npx iecmh serve`): serve's one-time sign-in link has set an HttpOnly session cookie
 *   already; requests are same-origin and carry it, so there is nothing to do here.
 * - `cognito` (AWS): the authorization code flow with PKCE against the user pool's hosted sign-in
 *   (/oauth2/authorize, /oauth2/token). The access token stays in sessionStorage (gone with the
 *   tab) and goes out as `Authorization: Bearer`; the API's JWT authorizer checks it.
 */

/**
 * @typedef {{ kind: 'local' } | { kind: 'cognito', domain: string, clientId: string, redirectUri: string, scopes?: string[] }} AuthConfig
 * @typedef {{ auth: AuthConfig, apiBase?: string }} AppConfig
 */

const TOKEN = 'iecmh.token';
const PENDING = 'iecmh.pkce';

/**
 * The hosted sign-in's origin, with https:// when the config gives the bare domain.
 * @param {string} domain
 */
function originOf(domain) {
  return /^https?:\/\//.test(domain) ? domain.replace(/\/+$/, '') : `https://${domain.replace(/\/+$/, '')}`;
}

/** @param {Uint8Array} bytes */
function base64url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {number} length */
function randomText(length) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/**
 * The bearer token to send, or undefined (local sign-in, or not signed in yet).
 * @returns {string | undefined}
 */
export function bearerToken() {
  const stored = sessionStorage.getItem(TOKEN);
  if (!stored) return undefined;
  try {
    const { accessToken, expiresAt } = JSON.parse(stored);
    if (typeof accessToken === 'string' && typeof expiresAt === 'number' && Date.now() < expiresAt) return accessToken;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(TOKEN);
  return undefined;
}

/** Forgets the token (signing out, or after the API refused it). */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN);
}

/**
 * Sends the browser to the hosted sign-in, keeping the PKCE verifier and state for the way back.
 * @param {Extract<AuthConfig, { kind: 'cognito' }>} auth
 */
export async function startSignIn(auth) {
  const verifier = randomText(48);
  const state = randomText(24);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, back: location.hash }));
  const url = new URL('/oauth2/authorize', originOf(auth.domain));
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: (auth.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: base64url(digest),
  }).toString();
  location.assign(url.href);
}

/**
 * On the way back from the hosted sign-in (`?code=...&state=...`): trades the code for tokens and
 * takes the code out of the address bar. Returns an error message when the sign-in failed.
 * @param {Extract<AuthConfig, { kind: 'cognito' }>} auth
 * @returns {Promise<string | undefined>}
 */
export async function finishSignIn(auth) {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  /** @type {{ verifier?: string, state?: string, back?: string }} */
  const saved = pending ? JSON.parse(pending) : {};
  history.replaceState(null, '', `${location.pathname}${saved.back ?? ''}`);
  if (error) return `The sign-in did not succeed: ${params.get('error_description') ?? error}.`;
  if (!saved.verifier || saved.state !== params.get('state')) {
    return 'The sign-in answer did not match the request this page made; sign in again.';
  }
  const response = await fetch(new URL('/oauth2/token', originOf(auth.domain)), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code: code ?? '',
      redirect_uri: auth.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) return `The sign-in service refused the sign-in (${response.status}); sign in again.`;
  const tokens = await response.json();
  sessionStorage.setItem(
    TOKEN,
    JSON.stringify({ accessToken: tokens.access_token, expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 }),
  );
  return undefined;
}

/**
 * Where "Sign out" leads: the API's answer when it gives one, else the hosted sign-out (Cognito)
 * or serve's /signout.
 * @param {AuthConfig} auth
 * @param {string | undefined} fromApi
 */
export function signOutUrl(auth, fromApi) {
  if (fromApi) return fromApi;
  if (auth.kind === 'local') return '/signout';
  const url = new URL('/logout', originOf(auth.domain));
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri }).toString();
  return url.href;
}
