/**
 * `iecmh serve`: the reports site and the reports API on this machine. `/` is the site's index the
 * publisher wrote to the reports bucket (index.html, as CloudFront serves it in AWS), and its
 * relative links (`/latest/<file>`, `/reports/<asOf>/<file>`) are streamed by serve itself
 * (downloads.ts): no link leads to the embedded S3. Requests to /reports and /reports/<run> are
 * translated into API Gateway (HTTP API 2.0) events for the same handler Lambda runs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { s3ObjectStore } from '#adapters/s3/object-store.js';
import { makeReportsApiHandler } from '#functions/reports-api/api-handler.js';
import { publishedLatestAsOf } from '#services/publish-reports.js';
import { SITE_INDEX_KEY, siteIndexOf } from '#services/publish-site-index.js';
import { DOWNLOADS_PATH, downloadUrl, sendDownload, sendPage, sendRunFile, siteFileOf } from './downloads.js';
import { DEFAULT_STATE_DIR, type EmbeddedStack, startEmbeddedStack } from './embedded.js';
import { localContext } from './queue.js';

const DEFAULT_STATE = DEFAULT_STATE_DIR;
const DEFAULT_PORT = 8080;

export interface ServeOptions {
  /** The state folder of the embedded stack; ignored when `stack` is given. */
  stateDir?: string;
  /** An embedded stack already running (tests); it is left running on close. */
  stack?: EmbeddedStack;
  /** 0 picks a free port. */
  port?: number;
  linkExpirySeconds?: number;
}

export interface RunningServer {
  url: string;
  stack: EmbeddedStack;
  close(): Promise<void>;
}

/** An HTTP API 2.0 event as API Gateway would deliver it for this request. */
export function toApiEvent(req: IncomingMessage, url: URL): APIGatewayProxyEventV2 {
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
    isBase64Encoded: false,
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}

/** Starts the site and the API on 127.0.0.1; resolves once listening. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const ownStack = !options.stack;
  const stack = options.stack ?? (await startEmbeddedStack(options.stateDir ?? DEFAULT_STATE));
  const linkExpirySeconds = options.linkExpirySeconds ?? 300;
  const handler = makeReportsApiHandler({
    s3: stack.s3,
    reportsBucket: stack.reportsBucket,
    linkExpirySeconds,
    downloadUrl,
  });
  const call = async (req: IncomingMessage, url: URL) =>
    (await handler(toApiEvent(req, url), localContext('iecmh-reports-api'))) as APIGatewayProxyStructuredResultV2;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    (async () => {
      const method = req.method ?? 'GET';
      if (url.pathname === '/' || url.pathname === `/${SITE_INDEX_KEY}`) {
        // The page the publisher wrote; before any run wrote one, the same page made from what the bucket holds.
        const reports = s3ObjectStore(stack.s3, stack.reportsBucket);
        const page =
          (await reports.readText(SITE_INDEX_KEY)) ?? (await siteIndexOf(reports, await publishedLatestAsOf(stack)));
        sendPage(page, method, res);
        return;
      }
      const siteFile = siteFileOf(url.pathname);
      if (siteFile) {
        await sendRunFile(stack, siteFile, url.pathname, method, res);
        return;
      }
      if (url.pathname.startsWith(DOWNLOADS_PATH)) {
        await sendDownload(stack, url.pathname, method, res);
        return;
      }
      if (url.pathname === '/reports' || url.pathname.startsWith('/reports/')) {
        send(res, await call(req, url));
        return;
      }
      send(res, {
        statusCode: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `no such resource: ${url.pathname}` }),
      });
    })().catch((err: unknown) => {
      process.stderr.write(`iecmh serve: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
  return {
    url: `http://127.0.0.1:${port}/`,
    stack,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
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
    `Serving the reports of ${server.stack.stateDir} at ${server.url}\n  ${server.url}          the reports site (as CloudFront serves it)\n  ${server.url}reports   the API (JSON)\nPress Ctrl-C to stop.\n`,
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
