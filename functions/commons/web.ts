/**
 * What every function of the web API shares (docs/web-api.md): the signed-in person read from the
 * JWT authorizer's claims, the group a route needs, JSON answers and errors, and a router that
 * matches the raw path. In AWS the HTTP API's JWT authorizer has already checked the token; the
 * handlers check the claims again, so a route reached without them (a misconfigured route, `iecmh
 * serve` without a session) still answers 401, and a policymaker on an administrators' route 403.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import httpRouterHandler, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from './logger.js';
import { pipelineMiddy } from './middy.js';

export type WebResult = APIGatewayProxyStructuredResultV2;

/** The user pool's groups (docs/web-api.md, "Who may do what"). */
export const GROUPS = ['administrators', 'policymakers'] as const;
export type Group = (typeof GROUPS)[number];

/** The JWT claims API Gateway passes on (HTTP API, payload 2.0), as `iecmh serve` passes them too. */
export type Claims = Record<string, string | number | boolean | string[]>;

/** An API event as the routes see it: API Gateway's, with the authorizer's claims where it put them. */
export type WebEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: Claims } } };
};

export interface SignedIn {
  subject: string;
  name: string;
  email: string;
  groups: Group[];
}

/** An answer other than 200, thrown by a route: its status and a message a person can act on. */
export class WebError extends Error {
  override name = 'WebError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): WebResult => ({
  statusCode,
  // Answers hold personal data or expiring links: nothing may cache them.
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * `cognito:groups` as API Gateway renders it: an array in the token becomes the text `[a b]`; the
 * local sign-in passes an array. Unknown groups are ignored.
 */
export function groupsOf(value: Claims[string] | undefined): Group[] {
  if (value === undefined) return [];
  const names = Array.isArray(value)
    ? value
    : String(value)
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  return GROUPS.filter((g) => names.includes(g));
}

/** The signed-in person of an event; undefined when no authorizer vouched for one. */
export function signedInOf(event: WebEvent): SignedIn | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : '');
  return {
    subject: claims.sub,
    name: text('name') || text('cognito:username') || text('username'),
    email: text('email'),
    groups: groupsOf(claims['cognito:groups']),
  };
}

/** The body of a request as JSON; 400 when it is not JSON or larger than `maxBytes`. */
export function jsonBody(event: WebEvent, maxBytes = 16_384): Record<string, unknown> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > maxBytes) throw new WebError(413, `the request body is over ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new WebError(400, 'the request body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WebError(400, 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** One route: who may use it and what it does. */
export interface WebRoute {
  method: Method;
  path: string;
  /** `any` signed-in person, or the group the route needs. */
  who: 'any' | Group;
  handler: (event: WebEvent, person: SignedIn) => Promise<WebResult>;
}

/** The path relative to the API, without a named stage and trailing slashes. */
function routePath(event: APIGatewayProxyEventV2): string {
  let path = event.rawPath || '/';
  const stage = event.requestContext?.stage;
  if (stage && stage !== '$default' && (path === `/${stage}` || path.startsWith(`/${stage}/`))) {
    path = path.slice(stage.length + 1) || '/';
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * The router matches `requestContext.http.path`: give it the raw path (percent-encoding intact, so
 * `%2F` cannot make a parameter climb) without the stage, and only the parameters it finds there.
 */
const routeOnRawPath: MiddlewareObj<WebEvent, WebResult, Error, Context> = {
  before: (request) => {
    const { event } = request;
    const http = { ...event.requestContext?.http, path: routePath(event) };
    request.event = { ...event, pathParameters: undefined, requestContext: { ...event.requestContext, http } };
  },
};

const logResponse: MiddlewareObj<WebEvent, WebResult, Error, Context> = {
  after: (request) => {
    // The route and the status only: paths and queries can carry a person's id or name.
    logger.info('web api', { route: request.event.routeKey, status: request.response?.statusCode });
  },
};

const ALL_METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** Decodes one path parameter; 404 when it is not valid percent-encoding. */
export function pathParameter(event: WebEvent, name: string): string {
  try {
    return decodeURIComponent(event.pathParameters?.[name] ?? '');
  } catch {
    throw new WebError(404, `no such resource: ${event.requestContext.http.path}`);
  }
}

/** The handler of a group of routes: checks the person and the group, then runs the route. */
export function makeWebHandler(routes: WebRoute[]) {
  const guarded = (route: WebRoute) => async (event: WebEvent) => {
    try {
      const person = signedInOf(event);
      if (!person) throw new WebError(401, 'sign in first');
      if (route.who !== 'any' && !person.groups.includes(route.who)) {
        throw new WebError(403, `only ${route.who} may do this`);
      }
      return await route.handler(event, person);
    } catch (err) {
      if (err instanceof WebError) return json(err.statusCode, { message: err.message }, err.headers);
      throw err;
    }
  };
  const paths = [...new Set(routes.map((r) => r.path))];
  const notAllowed: Route<WebEvent, WebResult>[] = paths.flatMap((path) => {
    const allowed = routes.filter((r) => r.path === path).map((r) => r.method);
    return ALL_METHODS.filter((m) => !allowed.includes(m)).map((method) => ({
      method,
      path,
      handler: async (event: WebEvent) =>
        signedInOf(event)
          ? json(
              405,
              { message: `${event.requestContext.http.method} is not allowed here; use ${allowed.join(' or ')}` },
              { allow: allowed.join(', ') },
            )
          : json(401, { message: 'sign in first' }),
    }));
  });
  const router = httpRouterHandler<WebEvent, WebResult>({
    routes: [...routes.map((r) => ({ method: r.method, path: r.path, handler: guarded(r) })), ...notAllowed],
    notFoundResponse: ({ path }) => json(404, { message: `no such resource: ${path}` }),
  });
  return pipelineMiddy<WebEvent, WebResult>()
    .use(injectLambdaContext(logger))
    .use(routeOnRawPath)
    .use(logResponse)
    .handler(router);
}
