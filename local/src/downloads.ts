/**
 * Report files streamed by `iecmh serve` itself. In AWS the reports API hands out presigned S3
 * links; locally such a link would name the embedded S3's port and work for anyone holding it, so
 * serve lists `/api/downloads/<run>/<file>` links instead and reads each file with the SDK, under
 * its own checks (docs/threat-model.md, "The local stack").
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
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ message: `${method} is not allowed here; use GET` }));
    return;
  }
  const match = /^\/api\/downloads\/([^/]+)\/([^/]+)$/.exec(pathname);
  let run: string | undefined;
  let name: string | undefined;
  try {
    run = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    name = match?.[2] === undefined ? undefined : decodeURIComponent(match[2]);
  } catch {
    // Malformed percent-encoding names no file.
  }
  const prefix = run === undefined ? undefined : prefixOfRun(run);
  if (!prefix || name === undefined || !FILE_NAME.test(name)) return notFound(res, `no such file: ${pathname}`);
  let object: GetObjectCommandOutput;
  try {
    object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.reportsBucket, Key: `${prefix}${name}` }));
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') {
      return notFound(res, `no file "${name}" in run "${run}"`);
    }
    throw err;
  }
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  // The report page opens in the browser; data files are saved. Either way nothing in them may
  // run or load anything (the report draws its charts as inline SVG).
  res.writeHead(200, {
    'content-type': TYPES[extension] ?? 'application/octet-stream',
    'content-disposition': `${extension === 'html' ? 'inline' : 'attachment'}; filename="${name}"`,
    ...(object.ContentLength === undefined ? {} : { 'content-length': String(object.ContentLength) }),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
  });
  const body = object.Body as Readable | undefined;
  if (method === 'HEAD' || !body) {
    body?.destroy();
    res.end();
    return;
  }
  await pipeline(body, res);
}
