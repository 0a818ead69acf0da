/**
 * The published report runs as the reports API shows them: which runs exist, and the files of one
 * run with a short-lived link to each. It reads the reports bucket only: never the table, never
 * the administrators' bucket.
 */
import { GetObjectCommand, NoSuchKey, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LATEST_PREFIX, MAX_LINK_EXPIRY_SECONDS, RUNS_PREFIX } from '../adapters/table-design.js';

// Declared with the bucket layout (table-design.ts), which the stack's configuration checks too; the
// reports API handler still imports it from here.
export { MAX_LINK_EXPIRY_SECONDS };

export interface ReportRunsDeps {
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

/** Checks the link lifetime once, at start: a whole number of seconds from 1 to 900. */
export function checkLinkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_LINK_EXPIRY_SECONDS) {
    throw new LinkExpiryError(`link expiry must be 1 to ${MAX_LINK_EXPIRY_SECONDS} whole seconds, got ${seconds}`);
  }
  return seconds;
}

/** The prefix of a run in the reports bucket; undefined for anything that is not a run name. */
export function prefixOfRun(run: string): string | undefined {
  if (!RUN.test(run)) return undefined;
  return run === 'latest' ? LATEST_PREFIX : `${RUNS_PREFIX}${run}/`;
}

/** The objects directly under a prefix and the "folders" beside them (the delimiter keeps deeper keys out). */
async function listFolder(s3: S3Client, bucket: string, prefix: string) {
  const objects: { Key?: string; Size?: number; LastModified?: Date }[] = [];
  const prefixes: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix, Delimiter: '/' })) {
    objects.push(...(page.Contents ?? []));
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
  }
  return { objects, prefixes };
}

/** The as-of date `latest/` holds: null when its manifest has none, undefined when nothing was published. */
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
export async function listRuns(deps: ReportRunsDeps): Promise<RunListing> {
  const { prefixes } = await listFolder(deps.s3, deps.reportsBucket, RUNS_PREFIX);
  const runs = prefixes
    .map((p) => p.slice(RUNS_PREFIX.length, -1))
    .filter((run) => RUN.test(run) && run !== 'latest')
    .sort()
    .reverse()
    .map((run) => ({ run, asOf: run, path: `/api/reports/${run}` }));
  const latestAsOf = await asOfOfLatest(deps.s3, deps.reportsBucket);
  return {
    latest: latestAsOf === undefined ? null : { run: 'latest', asOf: latestAsOf, path: '/api/reports/latest' },
    runs,
  };
}

/** The files of one run with their links (presigned unless `downloadUrl`); undefined when the run does not exist. */
export async function runFiles(deps: ReportRunsDeps, run: string): Promise<RunFiles | undefined> {
  const prefix = prefixOfRun(run);
  if (!prefix) return undefined;
  const { objects } = await listFolder(deps.s3, deps.reportsBucket, prefix);
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
