/**
 * The reports API (API Gateway HTTP API, payload 2.0, IAM-authorised): lists the published runs
 * and hands out short-lived presigned links to their files. It reads the reports bucket only:
 * never the table, never the administrators' bucket.
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LATEST_PREFIX, RUNS_PREFIX } from '../../shared/services/publish-reports.js';
import { logger } from '../commons/logger.js';

/** Presigned links never outlive this (the 15 minutes). */
export const MAX_LINK_EXPIRY_SECONDS = 900;

export interface ReportsApiDeps {
  s3: S3Client;
  reportsBucket: string;
  /** Lifetime of download links, from 1 to MAX_LINK_EXPIRY_SECONDS. */
  linkExpirySeconds: number;
  /**
   * The link to one file, instead of a presigned S3 URL: `iecmh serve` streams files itself, as a
   * presigned URL would reveal the embedded S3 and work without a session (docs/threat-model.md).
   */
  downloadUrl?: (run: string, name: string) => string;
  now?: () => Date;
}

export class LinkExpiryError extends Error {
  override name = 'LinkExpiryError';
}

export interface RunRef {
  /** "latest" or the as-of date. */
  run: string;
  asOf: string | null;
  path: string;
}

export interface RunListing {
  latest: RunRef | null;
  runs: RunRef[];
}

export interface RunFile {
  name: string;
  bytes: number;
  lastModified: string | null;
  /** Presigned GET, valid for expiresInSeconds (or the link `downloadUrl` gives). */
  url: string;
}

export interface RunFiles {
  run: string;
  asOf: string | null;
  expiresInSeconds: number;
  expiresAt: string;
  files: RunFile[];
}

const RUN = /^(latest|\d{4}-\d{2}-\d{2})$/;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  // Links in the body expire: nothing may cache the answer.
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/** The path relative to the API, without a named stage and trailing slashes. */
export function routePath(event: APIGatewayProxyEventV2): string {
  let path = event.rawPath || '/';
  const stage = event.requestContext?.stage;
  if (stage && stage !== '$default' && (path === `/${stage}` || path.startsWith(`/${stage}/`))) {
    path = path.slice(stage.length + 1) || '/';
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The prefix of a run in the reports bucket; undefined for anything that is not a run name. */
export function prefixOfRun(run: string): string | undefined {
  if (!RUN.test(run)) return undefined;
  return run === 'latest' ? LATEST_PREFIX : `${RUNS_PREFIX}${run}/`;
}

async function listAll(s3: S3Client, bucket: string, prefix: string, delimiter?: string) {
  const objects: { Key?: string; Size?: number; LastModified?: Date }[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }),
    );
    objects.push(...(out.Contents ?? []));
    for (const p of out.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return { objects, prefixes };
}

async function asOfOfLatest(s3: S3Client, bucket: string): Promise<string | null | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${LATEST_PREFIX}manifest.json` }));
    const manifest = JSON.parse((await out.Body?.transformToString()) ?? '{}') as { asOf?: unknown };
    return typeof manifest.asOf === 'string' ? manifest.asOf : null;
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** Every published run, newest first, and the latest copy with the date it is of. */
export async function listRuns(deps: ReportsApiDeps): Promise<RunListing> {
  const { prefixes } = await listAll(deps.s3, deps.reportsBucket, RUNS_PREFIX, '/');
  const runs = prefixes
    .map((p) => p.slice(RUNS_PREFIX.length, -1))
    .filter((run) => RUN.test(run) && run !== 'latest')
    .sort()
    .reverse()
    .map((run) => ({ run, asOf: run, path: `/reports/${run}` }));
  const latestAsOf = await asOfOfLatest(deps.s3, deps.reportsBucket);
  return {
    latest: latestAsOf === undefined ? null : { run: 'latest', asOf: latestAsOf, path: '/reports/latest' },
    runs,
  };
}

/** The files of one run with their links (presigned unless `downloadUrl`); undefined when the run does not exist. */
export async function runFiles(deps: ReportsApiDeps, run: string): Promise<RunFiles | undefined> {
  const prefix = prefixOfRun(run);
  if (!prefix) return undefined;
  const { objects } = await listAll(deps.s3, deps.reportsBucket, prefix, '/');
  if (objects.length === 0) return undefined;
  const expiresIn = deps.linkExpirySeconds;
  const signedAt = deps.now?.() ?? new Date();
  const files: RunFile[] = [];
  for (const o of objects) {
    if (!o.Key?.startsWith(prefix)) continue;
    const name = o.Key.slice(prefix.length);
    const url = deps.downloadUrl
      ? deps.downloadUrl(run, name)
      : await getSignedUrl(deps.s3, new GetObjectCommand({ Bucket: deps.reportsBucket, Key: o.Key }), {
          expiresIn,
          signingDate: signedAt,
        });
    files.push({
      name,
      bytes: o.Size ?? 0,
      lastModified: o.LastModified?.toISOString() ?? null,
      url,
    });
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    run,
    asOf: run === 'latest' ? ((await asOfOfLatest(deps.s3, deps.reportsBucket)) ?? null) : run,
    expiresInSeconds: expiresIn,
    expiresAt: new Date(signedAt.getTime() + expiresIn * 1000).toISOString(),
    files,
  };
}

/** Checks the link lifetime once, at start: a whole number of seconds from 1 to 900. */
export function checkLinkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LINK_EXPIRY_SECONDS) {
    throw new LinkExpiryError(`link expiry must be 1 to ${MAX_LINK_EXPIRY_SECONDS} whole seconds, got ${seconds}`);
  }
  return seconds;
}

/** Answers one API request: GET /reports and GET /reports/{run}; everything else is 404 (or 405). */
export async function answer(
  deps: ReportsApiDeps,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const path = routePath(event);
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = /^\/reports(?:\/([^/]+))?$/.exec(path);
  if (!match) return json(404, { message: `no such resource: ${path}` });
  if (method !== 'GET') return json(405, { message: `${method} is not allowed here; use GET` }, { allow: 'GET' });
  if (match[1] === undefined) return json(200, await listRuns(deps));
  let run: string;
  try {
    run = decodeURIComponent(match[1]);
  } catch {
    return json(404, { message: `no such resource: ${path}` });
  }
  const files = await runFiles(deps, run);
  if (!files) return json(404, { message: `no published run "${run}"` });
  return json(200, files);
}

/** Builds the handler around its dependencies (Lambda and `iecmh serve`). */
export function makeReportsApiHandler(deps: ReportsApiDeps) {
  checkLinkExpiry(deps.linkExpirySeconds);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>().handler(async (event) => {
    const result = await answer(deps, event);
    logger.info('reports api', { path: routePath(event), status: result.statusCode });
    return result;
  });
}
