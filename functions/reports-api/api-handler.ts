/**
 * The reports API (API Gateway HTTP API, payload 2.0, IAM-authorised): GET /reports lists the
 * published runs and GET /reports/{run} hands out short-lived links to a run's files
 * (shared/services/report-runs.ts); everything else is 404, or 405 for another method.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import httpRouterHandler, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { checkLinkExpiry, listRuns, type ReportRunsDeps, runFiles } from '#services/report-runs.js';
import { logger } from '../commons/logger.js';
import { pipelineMiddy } from '../commons/middy.js';

// What callers of the API (serve, tests, the stack) need, from where it is defined.
export {
  LinkExpiryError,
  MAX_LINK_EXPIRY_SECONDS,
  type RunFiles,
  type RunListing,
} from '#services/report-runs.js';

export type ReportsApiDeps = ReportRunsDeps;

type Result = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode,
  // Links in the body expire: nothing may cache the answer.
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

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
 * `%2F` cannot make a run name climb) without the stage, and only the parameters it finds there.
 */
const routeOnRawPath: MiddlewareObj<APIGatewayProxyEventV2, Result, Error, Context> = {
  before: (request) => {
    const { event } = request;
    const http = { ...event.requestContext?.http, path: routePath(event) };
    request.event = { ...event, pathParameters: undefined, requestContext: { ...event.requestContext, http } };
  },
};

const logResponse: MiddlewareObj<APIGatewayProxyEventV2, Result, Error, Context> = {
  after: (request) => {
    logger.info('reports api', { path: request.event.requestContext.http.path, status: request.response?.statusCode });
  },
};

const OTHER_METHODS: Method[] = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** Builds the handler around its dependencies (Lambda and `iecmh serve`). */
export function makeReportsApiHandler(deps: ReportsApiDeps) {
  checkLinkExpiry(deps.linkExpirySeconds);
  const listing = async (): Promise<Result> => json(200, await listRuns(deps));
  const filesOfRun = async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const path = event.requestContext.http.path;
    let run: string;
    try {
      run = decodeURIComponent(event.pathParameters?.run ?? '');
    } catch {
      return json(404, { message: `no such resource: ${path}` });
    }
    const files = await runFiles(deps, run);
    return files ? json(200, files) : json(404, { message: `no published run "${run}"` });
  };
  const notAllowed = async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const method = event.requestContext.http.method;
    return json(405, { message: `${method} is not allowed here; use GET` }, { allow: 'GET' });
  };
  const routes: Route<APIGatewayProxyEventV2, Result>[] = [
    { method: 'GET', path: '/reports', handler: listing },
    { method: 'GET', path: '/reports/{run}', handler: filesOfRun },
    ...OTHER_METHODS.flatMap((method) =>
      ['/reports', '/reports/{run}'].map((path) => ({ method, path, handler: notAllowed })),
    ),
  ];
  const router = httpRouterHandler<APIGatewayProxyEventV2, Result>({
    routes,
    notFoundResponse: ({ path }) => json(404, { message: `no such resource: ${path}` }),
  });
  return pipelineMiddy<APIGatewayProxyEventV2, Result>()
    .use(injectLambdaContext(logger))
    .use(routeOnRawPath)
    .use(logResponse)
    .handler(router);
}
