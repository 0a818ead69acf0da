/**
 * `iecmh serve`: the reports API on this machine. Requests to /reports are translated into API
 * Gateway (HTTP API 2.0) events for the same handler Lambda runs; `/` is a small page listing the
 * published runs with their download links, which serve answers itself (downloads.ts): no link
 * leads to the embedded S3.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { escapeHtml } from '#core/reports/template.js';
import { makeReportsApiHandler, type RunFiles, type RunListing } from '#functions/reports-api/api-handler.js';
import { DOWNLOADS_PATH, downloadUrl, sendDownload } from './downloads.js';
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

const kb = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

function runSection(title: string, files: RunFiles): string {
  const items = files.files
    .map(
      (f) =>
        `<li><a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a> <span class="meta">${kb(f.bytes)}</span></li>`,
    )
    .join('\n');
  return `<section class="run" data-run="${escapeHtml(files.run)}"><h2>${escapeHtml(title)}</h2><ul>\n${items}\n</ul></section>`;
}

/** The page listing every run with its files. */
export function indexPage(listing: RunListing, runs: readonly RunFiles[]): string {
  const byRun = new Map(runs.map((r) => [r.run, r]));
  const sections: string[] = [];
  const latest = listing.latest && byRun.get('latest');
  if (latest) sections.push(runSection(`Latest (as of ${latest.asOf ?? 'unknown date'})`, latest));
  for (const r of listing.runs) {
    const files = byRun.get(r.run);
    if (files) sections.push(runSection(`As of ${r.run}`, files));
  }
  const body =
    sections.length > 0
      ? sections.join('\n')
      : '<p>No reports have been published yet. Run <code>npx iecmh run --input DIR --out DIR</code> first.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>IECMH endorsement reports</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:48rem;padding:0 1rem;color:#222}.meta{color:#666;font-size:.85rem}li{margin:.2rem 0}</style>
</head>
<body>
<h1>IECMH endorsement reports</h1>
<p class="meta">The same list is at <code>/reports</code> (JSON).</p>
${body}
</body>
</html>
`;
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  res.end(result.body ?? '');
}

/** Starts the API and the listing page on 127.0.0.1; resolves once listening. */
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
      if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        // The page asks the API exactly as a client would, so it shows what the API hands out.
        const listed = await call(req, new URL('/reports', url));
        const listing = JSON.parse(listed.body ?? '{}') as RunListing;
        const names = [...(listing.latest ? ['latest'] : []), ...listing.runs.map((r) => r.run)];
        const runs: RunFiles[] = [];
        for (const name of names) {
          const answer = await call(req, new URL(`/reports/${encodeURIComponent(name)}`, url));
          if (answer.statusCode === 200) runs.push(JSON.parse(answer.body ?? '{}') as RunFiles);
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(indexPage(listing, runs));
        return;
      }
      if (url.pathname.startsWith(DOWNLOADS_PATH)) {
        await sendDownload(stack, url.pathname, req.method ?? 'GET', res);
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
    `Serving the reports of ${server.stack.stateDir} at ${server.url}\n  ${server.url}reports   the API (JSON)\nPress Ctrl-C to stop.\n`,
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
