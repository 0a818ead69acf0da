/**
 * `iecmh withdraw NAME...`: forgets uploads as deleting them from the uploads bucket does in AWS
 * (the same "object removed" event through the same ingest handler), then re-runs the jobs.
 */
import { type SourceRecord, SourceTable } from '#adapters/dynamo/sources.js';
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { startEmbeddedStack } from './embedded.js';
import { changeCommandArgs, requestAfter, runJobs, withdrawUploads } from './jobs.js';
import { formatCount, Progress } from './progress.js';

export class WithdrawUsageError extends Error {
  override name = 'WithdrawUsageError';
}

/**
 * The current uploads a name means: its key (`rosters/spring.csv`) or its file name (`spring.csv`,
 * in any letter case). A name that matches nothing, or two uploads, is refused with what it could mean.
 */
export function sourcesNamed(names: string[], sources: SourceRecord[]): SourceRecord[] {
  const current = sources.filter((s) => s.status === 'current');
  const chosen: SourceRecord[] = [];
  for (const name of names) {
    const exact = current.filter((s) => s.key === name);
    const byFile = current.filter((s) => s.file.toLowerCase() === name.toLowerCase());
    const matches = exact.length > 0 ? exact : byFile;
    if (matches.length === 0) {
      const known = current.map((s) => s.key).join(', ') || 'none';
      throw new WithdrawUsageError(`no current upload is named "${name}". Current uploads: ${known}`);
    }
    if (matches.length > 1) {
      throw new WithdrawUsageError(
        `"${name}" could mean ${matches.map((s) => s.key).join(' or ')}: give the folder too (for example ${matches[0]?.key})`,
      );
    }
    chosen.push(...matches);
  }
  return [...new Map(chosen.map((s) => [s.key, s])).values()];
}

export async function withdrawCommand(argv: string[]): Promise<number> {
  const {
    targets: names,
    asOf,
    state,
    json,
  } = changeCommandArgs(
    argv,
    'withdraw needs the NAME of at least one uploaded file',
    (m) => new WithdrawUsageError(m),
  );
  const progress = new Progress(process.stderr, json);
  const stack = await startEmbeddedStack(state);
  try {
    const targets = sourcesNamed(names, await new SourceTable(stack.ddb, stack.tableName).list());
    const outcomes = await withdrawUploads(
      stack,
      targets.map((t) => t.key),
    );
    const jobs = await runJobs(stack, asOf, progress, { pdf: chromiumPdfRenderer(), request: requestAfter(outcomes) });
    if (json) {
      process.stdout.write(`${JSON.stringify({ withdrawn: outcomes.map((o) => o.receipt), asOf }, null, 2)}\n`);
      return 0;
    }
    const lines = outcomes.map(
      (o) =>
        `Withdrew ${o.kind}/${o.receipt.file}: ${formatCount(o.forgotten)} stored row(s) it alone supplied are forgotten (receipt updated).`,
    );
    lines.push(
      'people' in jobs.evaluation
        ? `Re-evaluated as of ${asOf} the ${formatCount(jobs.evaluation.people)} people it reached: ${formatCount(jobs.evaluation.eligible)} of the ${formatCount(jobs.evaluation.applicants)} applicants among them eligible; renewals and reports rebuilt.`
        : `Re-evaluated as of ${asOf}: ${formatCount(jobs.evaluation.eligible)} of ${formatCount(jobs.evaluation.applicants)} applicants eligible; renewals and reports rebuilt.`,
      'Copy the refreshed results with: npx iecmh run --input <an empty folder> --out DIR',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await stack.close();
  }
}
