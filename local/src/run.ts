/** `iecmh run`: the whole pipeline on a folder of CSV files, against the embedded stack. */
import { createReadStream, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Receipt } from '../../shared/core/ingest/ingest.js';
import { INPUT_KINDS, type InputKind } from '../../shared/core/model.js';
import type { EvaluateSummary } from '../../shared/services/evaluate-all.js';
import { ADMIN_MANIFEST_KEY, ELIGIBILITY_KEY } from '../../shared/services/evaluate-all.js';
import type { IngestOutcome } from '../../shared/services/ingest-object.js';
import { REPORT_FILES, RUNS_PREFIX } from '../../shared/services/publish-reports.js';
import { OUTREACH_KEY, RENEWALS_KEY, type RenewalSummary } from '../../shared/services/renewals-all.js';
import { startEmbeddedStack } from './embedded.js';
import { localIngestQueue, runJobs } from './jobs.js';
import { formatCount, formatMb, Progress } from './progress.js';
import { s3CreatedEvent } from './s3-events.js';

export interface RunOptions {
  input: string;
  out: string;
  state: string;
  asOf: string;
  quiet?: boolean;
}

export interface RunSummary {
  asOf: string;
  out: string;
  files: {
    file: string;
    kind: InputKind;
    rows: number;
    accepted: number;
    rejected: number;
    unusable: boolean;
    receipt: string;
  }[];
  skipped: { file: string; reason: string }[];
  deadLettered: string[];
  evaluation?: EvaluateSummary;
  renewals?: RenewalSummary;
  reports?: unknown;
  outputs: string[];
}

/** The kind of a local file from the start of its name (`rosters-2026.csv` is a roster). */
export function kindOfFileName(name: string): InputKind | undefined {
  const lower = name.toLowerCase();
  return INPUT_KINDS.find((k) => lower.startsWith(k));
}

/** Runs ingest (and, as they land, evaluation, renewals and reports) and copies results to `out`. */
export async function runPipeline(options: RunOptions): Promise<RunSummary> {
  const progress = new Progress(process.stderr, options.quiet);
  const inputDir = resolve(options.input);
  const outDir = resolve(options.out);
  const names = readdirSync(inputDir)
    .filter((n) => n.toLowerCase().endsWith('.csv'))
    .sort();
  const summary: RunSummary = {
    asOf: options.asOf,
    out: outDir,
    files: [],
    skipped: [],
    deadLettered: [],
    outputs: [],
  };
  const stack = await startEmbeddedStack(resolve(options.state));
  try {
    const receipts = new Map<string, IngestOutcome>();
    const queue = localIngestQueue(stack, {
      onIngested: (o) => {
        receipts.set(o.receipt.file, o);
      },
      onProgress: (file, p) => progress.update(`ingesting ${file}: ${formatCount(p.rows)} rows, ${formatMb(p.bytes)}`),
    });
    for (const name of names) {
      const kind = kindOfFileName(name);
      if (!kind) {
        summary.skipped.push({ file: name, reason: `the name does not start with ${INPUT_KINDS.join(', ')}` });
        continue;
      }
      const path = join(inputDir, name);
      const size = statSync(path).size;
      const key = `${kind}/${name}`;
      const put = await stack.s3.send(
        new PutObjectCommand({
          Bucket: stack.uploadsBucket,
          Key: key,
          Body: createReadStream(path),
          ContentLength: size,
        }),
      );
      queue.send(JSON.stringify(s3CreatedEvent({ bucket: stack.uploadsBucket, key, size, etag: put.ETag })));
    }
    const drained = await queue.drain();
    summary.deadLettered = drained.deadLettered;
    progress.clear();

    mkdirSync(join(outDir, 'receipts'), { recursive: true });
    for (const name of names) {
      const outcome = receipts.get(name);
      if (!outcome) continue;
      const receiptPath = join(outDir, 'receipts', `${basename(name)}.json`);
      writeFileSync(receiptPath, `${JSON.stringify(outcome.receipt, null, 2)}\n`);
      summary.files.push(fileLine(outcome.receipt, receiptPath));
    }

    // The same handlers the refresh queue and the schedules invoke in AWS, judged on --as-of.
    Object.assign(summary, await runJobs(stack, options.asOf, progress));
    for (const key of [ELIGIBILITY_KEY, RENEWALS_KEY, OUTREACH_KEY, ADMIN_MANIFEST_KEY]) {
      summary.outputs.push(await download(stack, stack.uploadsBucket, key, join(outDir, key)));
    }
    // The dated run, not latest/: latest/ keeps a later as-of date when one was published before.
    const run = `${RUNS_PREFIX}${options.asOf}/`;
    for (const name of REPORT_FILES) {
      summary.outputs.push(await download(stack, stack.reportsBucket, `${run}${name}`, join(outDir, 'reports', name)));
    }
  } finally {
    await stack.close();
  }
  return summary;
}

/** Copies one object to a local file, creating folders; returns the path. */
async function download(
  stack: { s3: import('@aws-sdk/client-s3').S3Client },
  bucket: string,
  key: string,
  path: string,
) {
  const out = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  return path;
}

function fileLine(r: Receipt, receipt: string): RunSummary['files'][number] {
  return {
    file: r.file,
    kind: r.kind,
    rows: r.rows,
    accepted: r.accepted,
    rejected: r.rejected,
    unusable: r.unusable,
    receipt,
  };
}
