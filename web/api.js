// @ts-check
/** Calls to the API (docs/web-api.md): JSON in and out, the bearer token when there is one. */
import { bearerToken } from './auth.js';

/** The API refused the session (401): the person must sign in again. */
export class SessionEnded extends Error {
  constructor() {
    super('Your session ended: sign in again.');
    this.name = 'SessionEnded';
  }
}

/** Any other refusal, with the API's message (what to fix). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

let base = '/api';
/** @type {() => void} */
let onSessionEnded = () => {};

/**
 * @param {string} apiBase where the API is (`/api`, or another origin's address)
 * @param {() => void} sessionEnded called on any 401
 */
export function configureApi(apiBase, sessionEnded) {
  base = apiBase.replace(/\/+$/, '');
  onSessionEnded = sessionEnded;
}

/**
 * A request to the API; resolves to the parsed answer, rejects with SessionEnded or ApiError.
 * @param {string} path after the base, starting with `/`
 * @param {{ method?: string, body?: unknown, notFound?: 'null' }} [options] `notFound: 'null'` resolves a 404 to null
 * @returns {Promise<any>}
 */
export async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const token = bearerToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached; check the connection and try again.');
  }
  if (response.status === 401) {
    // Read to the end, so that leaving the page for the sign-in does not cut a response short.
    await response.text().catch(() => '');
    onSessionEnded();
    throw new SessionEnded();
  }
  if (response.status === 404 && options.notFound === 'null') return null;
  const text = await response.text();
  /** @type {any} */
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.message === 'string' ? body.message : `The server answered ${response.status}.`;
    throw new ApiError(response.status, message);
  }
  return body;
}

/**
 * The path with the query string of `params`.
 * @param {string} path
 * @param {Record<string, string>} params
 */
export function withQuery(path, params) {
  return `${path}?${new URLSearchParams(params).toString()}`;
}
