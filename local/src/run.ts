/** `iecmh run`: the whole pipeline on a folder of input files, against the embedded stack. */
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Receipt } from '#core/ingest/ingest.js';
import type { InputKind } from '#core/model.js';
import type { ReportPdfRenderer } from '#core/reports/pdf.js';
import type { EvaluateSummary } from '#services/evaluate-all.js';
import { ADMIN_MANIFEST_KEY, ELIGIBILITY_KEY } from '#services/evaluate-all.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { REPORT_FILES, REPORT_PDF, RUNS_PREFIX } from '#services/publish-reports.js';
import { OUTREACH_KEY, RENEWALS_KEY, type RenewalSummary } from '#services/renewals-all.js';
import { startEmbeddedStack } from './embedded.js';
import { listInputFolder, refusedNames, type SkippedFile } from './input-folder.js';
import { localIngestQueue, runJobs, type SegmentedRenewals } from './jobs.js';
import { formatCount, formatMb, Progress } from './progress.js';
import { s3CreatedEvent } from './s3-events.js';

export interface RunOptions {
  input: string;
  out: string;
  state: string;
  asOf: string;
  quiet?: boolean;
  /** Told of each file of the folder that is not uploaded, as soon as that is known. */
  onSkipped?: (skipped: SkippedFile) => void;
  /** Prints reports/report.pdf (`iecmh run` passes headless Chromium); without it there is no PDF. */
  pdf?: ReportPdfRenderer;
  /** Evaluates everyone and runs the renewals in this many segments, as the fan-outs do in AWS (1: in one step). */
  segments?: number;
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
  /** Every other entry of the input folder, with why it was not uploaded. */
  skipped: SkippedFile[];
  deadLettered: string[];
  /** The emails to administrators written to `<state>/outbox/` (one per file with rejected rows or not read). */
  emails: string[];
  evaluation?: EvaluateSummary;
  renewals?: RenewalSummary | SegmentedRenewals;
  reports?: unknown;
  outputs: string[];
}

export { kindOfFileName } from './input-folder.js';

/** Runs ingest (and, as they land, evaluation, renewals and reports) and copies results to `out`. */
export async function runPipeline(options: RunOptions): Promise<RunSummary> {
  const progress = new Progress(process.stderr, options.quiet);
  const inputDir = resolve(options.input);
  const outDir = resolve(options.out);
  const listed = listInputFolder(inputDir);
  const summary: RunSummary = {
    asOf: options.asOf,
    out: outDir,
    files: [],
    skipped: [],
    deadLettered: [],
    emails: [],
    outputs: [],
  };
  const skip = (s: SkippedFile) => {
    summary.skipped.push(s);
    options.onSkipped?.(s);
  };
  listed.skipped.forEach(skip);
  const stack = await startEmbeddedStack(resolve(options.state));
  try {
    mkdirSync(join(outDir, 'receipts'), { recursive: true });
    const refused = refusedNames(
      listed.files.map((f) => f.name),
      { stateDir: stack.stateDir, receiptsDir: join(outDir, 'receipts') },
    );
    const inputs = listed.files.filter((f) => {
      const reason = refused.get(f.name);
      if (reason) skip({ file: f.name, reason });
      return !reason;
    });
    summary.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const receipts = new Map<string, IngestOutcome>();
    const queue = localIngestQueue(stack, {
      onIngested: (o) => {
        receipts.set(o.receipt.file, o);
      },
      onProgress: (file, p) => progress.update(`ingesting ${file}: ${formatCount(p.rows)} rows, ${formatMb(p.bytes)}`),
      onMailed: (path) => void summary.emails.push(path),
    });
    for (const { name, kind, path } of inputs) {
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

    for (const { name } of inputs) {
      const outcome = receipts.get(name);
      if (!outcome) continue;
      const receiptPath = join(outDir, 'receipts', `${basename(name)}.json`);
      writeFileSync(receiptPath, `${JSON.stringify(outcome.receipt, null, 2)}\n`);
      summary.files.push(fileLine(outcome.receipt, receiptPath));
    }

    // The same handlers the refresh queue and the schedules invoke in AWS, judged on --as-of.
    Object.assign(
      summary,
      await runJobs(stack, options.asOf, progress, {
        pdf: options.pdf,
        segments: options.segments,
        // Everyone is judged (a batch command), which summarises every change of this run.
        request: { everyone: true, sources: [], pending: [...receipts.values()].map((o) => o.pending) },
      }),
    );
    for (const key of [ELIGIBILITY_KEY, RENEWALS_KEY, OUTREACH_KEY, ADMIN_MANIFEST_KEY]) {
      summary.outputs.push(await download(stack, stack.uploadsBucket, key, join(outDir, key)));
    }
    // The dated run, not latest/: latest/ keeps a later as-of date when one was published before.
    const run = `${RUNS_PREFIX}${options.asOf}/`;
    for (const name of options.pdf ? [...REPORT_FILES, REPORT_PDF] : REPORT_FILES) {
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
