/**
 * Report files streamed by `iecmh serve` itself. In AWS the reports API hands out presigned S3
 * links; locally such a link would name the embedded S3's port and work for anyone holding it, so
 * serve lists `/api/downloads/<run>/<file>` links instead and reads each file with the SDK, under
 * its own checks (docs/threat-model.md, "The local stack"). The reports site's paths
 * (`/latest/<file>`, `/reports/<asOf>/<file>`, as CloudFront serves the bucket) reach the same
 * stream, under the same checks.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { prefixOfRun } from '#services/report-runs.js';

/** Where serve answers downloads; under `/api/`, so behind whatever guards the API. */
export const DOWNLOADS_PATH = '/api/downloads/';

/** A file of a run: one segment, no hidden files, nothing a path could be built from. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** The link serve lists for one file of a run. */
export function downloadUrl(run: string, name: string): string {
  return `${DOWNLOADS_PATH}${encodeURIComponent(run)}/${encodeURIComponent(name)}`;
}

function notFound(res: ServerResponse, message: string): void {
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ message }));
}

/** A file of a run named by a path: its run and file name, percent-decoded; undefined when the path names none. */
export interface RunFileRef {
  run: string;
  name: string;
}

const decoded = (parts: RegExpExecArray | null): RunFileRef | undefined => {
  if (!parts?.[1] || !parts[2]) return undefined;
  try {
    return { run: decodeURIComponent(parts[1]), name: decodeURIComponent(parts[2]) };
  } catch {
    return undefined; // Malformed percent-encoding names no file.
  }
};

/** The run file a site path names, as the site's index links it: `/latest/<file>` or `/reports/<asOf>/<file>`. */
export function siteFileOf(pathname: string): RunFileRef | undefined {
  return decoded(/^\/(latest)\/([^/]+)$/.exec(pathname) ?? /^\/reports\/(\d{4}-\d{2}-\d{2})\/([^/]+)$/.exec(pathname));
}

function notAllowed(res: ServerResponse, method: string): void {
  res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ message: `${method} is not allowed here; use GET` }));
}

// Nothing served here may run or load anything: the report draws its charts as inline SVG.
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
};

/** Answers GET or HEAD with a page serve made itself (the site's index when none was published). */
export function sendPage(html: string, method: string, res: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD') {
    notAllowed(res, method);
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES.html,
    'content-length': String(Buffer.byteLength(html)),
    ...PAGE_HEADERS,
  });
  res.end(method === 'HEAD' ? undefined : html);
}

/**
 * Answers GET or HEAD `/api/downloads/<run>/<file>` with the file from the reports bucket: only
 * files directly under a published run's prefix, never `admin/` or anything deeper.
 */
export async function sendDownload(
  deps: { s3: S3Client; reportsBucket: string },
  pathname: string,
  method: string,
  res: ServerResponse,
): Promise<void> {
  const ref = decoded(/^\/api\/downloads\/([^/]+)\/([^/]+)$/.exec(pathname));
  await sendRunFile(deps, ref, pathname, method, res);
}

/** Answers GET or HEAD with a file of a published run: the run must be latest or a date, the file one plain segment. */
export async function sendRunFile(
  deps: { s3: S3Client; reportsBucket: string },
  ref: RunFileRef | undefined,
  pathname: string,
  method: string,
  res: ServerResponse,
): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, method);
  const prefix = ref && prefixOfRun(ref.run);
  if (!ref || !prefix || !FILE_NAME.test(ref.name)) return notFound(res, `no such file: ${pathname}`);
  await sendObject(deps, `${prefix}${ref.name}`, ref.name, method, res, `no file "${ref.name}" in run "${ref.run}"`);
}

/** Streams one object of the reports bucket; the key is the caller's, already confined. */
async function sendObject(
  deps: { s3: S3Client; reportsBucket: string },
  key: string,
  name: string,
  method: string,
  res: ServerResponse,
  missing: string,
): Promise<void> {
  let object: GetObjectCommandOutput;
  try {
    object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.reportsBucket, Key: key }));
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return notFound(res, missing);
    throw err;
  }
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  // The pages open in the browser; data files are saved.
  res.writeHead(200, {
    'content-type': TYPES[extension] ?? 'application/octet-stream',
    'content-disposition': `${extension === 'html' ? 'inline' : 'attachment'}; filename="${name}"`,
    ...(object.ContentLength === undefined ? {} : { 'content-length': String(object.ContentLength) }),
    ...PAGE_HEADERS,
  });
  const body = object.Body as Readable | undefined;
  if (method === 'HEAD' || !body) {
    body?.destroy();
    res.end();
    return;
  }
  await pipeline(body, res);
}

/** Answers GET or HEAD with an administrators' export (admin/<file>) of the uploads bucket; the caller checked the group. */
export async function sendExport(
  deps: { s3: S3Client; uploadsBucket: string },
  key: string,
  method: string,
  res: ServerResponse,
): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, method);
  const name = key.slice(key.lastIndexOf('/') + 1);
  await sendObject({ s3: deps.s3, reportsBucket: deps.uploadsBucket }, key, name, method, res, `no ${name} yet`);
}
