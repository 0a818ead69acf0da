/** The jobs that follow a change to the stored data, run locally as the refresh queue and schedules run them in AWS. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { parseDate, todayIn } from '#core/dates.js';
import type { ReportPdfRenderer } from '#core/reports/pdf.js';
import type { FanOutStep, PlannedFanOut } from '#functions/commons/fan-out.js';
import { makeEvaluateHandler } from '#functions/evaluate/evaluate-handler.js';
import { makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { makeRenewalsHandler } from '#functions/renewals/renewals-handler.js';
import { makeReportsHandler } from '#functions/reports/reports-handler.js';
import type { EvaluateSummary, EvaluationPlan } from '#services/evaluate-all.js';
import type { EvaluatePeopleSummary } from '#services/evaluate-people.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { combinedRequest, type EvaluationRequest } from '#services/reach.js';
import type { RenewalPlan, RenewalSummary } from '#services/renewals-all.js';
import { localKeyedHash } from './audit-key.js';
import { DEFAULT_STATE_DIR, type EmbeddedStack } from './embedded.js';
import { localReceiptNotifier } from './outbox.js';
import type { Progress } from './progress.js';
import { LocalQueue, localContext } from './queue.js';
import { s3RemovedEvent } from './s3-events.js';

/** Everyone's evaluation in segments: what the steps returned, added up. */
export interface SegmentedEvaluation {
  asOf: string;
  rulesetId: string;
  segments: number;
  applicants: number;
  eligible: number;
  csvKey: string;
}

/** Everyone's renewals in segments: what the steps returned, added up. */
export interface SegmentedRenewals {
  asOf: string;
  rulesetId: string;
  segments: number;
  /** Judged from the endorsees' summaries (the plan's choice), not the rows. */
  fromSummaries: boolean;
  endorsees: number;
  byStatus: RenewalSummary['byStatus'];
  keys: string[];
}

export interface JobSummaries {
  /** Everyone's evaluation (in one step or in segments), or (after changes that reached a few people) theirs. */
  evaluation: EvaluateSummary | EvaluatePeopleSummary | SegmentedEvaluation;
  /** Everyone's renewals, in one step or in segments. */
  renewals: RenewalSummary | SegmentedRenewals;
  reports: unknown;
}

/** The request evaluating after these uploads' changes makes, as ingest in AWS would send it. */
export function requestAfter(outcomes: IngestOutcome[]): EvaluationRequest {
  return combinedRequest(
    outcomes.map((o) => ({ reach: o.reach, sourceKey: `${o.kind}/${o.receipt.file}`, pending: o.pending })),
  );
}

/**
 * Evaluation, renewals and reports as of a date, through the same handlers Lambda runs. With `pdf`
 * the reports include report.pdf (the iecmh commands pass headless Chromium; tests may leave it out).
 * With `request` (after uploads, withdrawals or an erasure) only the people it names are evaluated,
 * as the refresh queue's messages ask in AWS; without it, or when it asks for everyone, everyone is.
 */
export async function runJobs(
  stack: EmbeddedStack,
  asOf: string,
  progress?: Progress,
  options: {
    pdf?: ReportPdfRenderer;
    request?: EvaluationRequest;
    /**
     * Evaluating everyone and running the renewals in this many segments, as the fan-out state machines
     * do in AWS (`iecmh run --segments`).
     */
    segments?: number;
  } = {},
): Promise<JobSummaries> {
  const deps = { ...stack, tableName: stack.tableName, adminBucket: stack.uploadsBucket };
  const { request } = options;
  const people = request && 'personIds' in request ? request : undefined;
  progress?.line(
    people
      ? `evaluating the ${people.personIds.length.toLocaleString('en-US')} people the change reached as of ${asOf} ...`
      : `evaluating applicants as of ${asOf}${(options.segments ?? 1) > 1 ? ` in ${options.segments} segments` : ''} ...`,
  );
  const segments = options.segments ?? 1;
  const evaluate = makeEvaluateHandler(deps);
  const evaluation =
    !people && segments > 1
      ? await evaluateInSegments(evaluate, asOf, segments)
      : ((await evaluate(
          people ? { personIds: people.personIds, sources: people.sources, pending: people.pending, asOf } : { asOf },
          localContext('iecmh-evaluate'),
        )) as EvaluateSummary | EvaluatePeopleSummary);
  // Everyone was judged after the changes: their pending notes go (the runs below summarise them all).
  if (!people)
    for (const key of request?.pending ?? []) await dynamoTableStore(stack.ddb, stack.tableName).clearPending(key);
  progress?.line(`computing renewal status as of ${asOf}${segments > 1 ? ` in ${segments} segments` : ''} ...`);
  const renew = makeRenewalsHandler(deps);
  const renewals =
    segments > 1
      ? await renewInSegments(renew, asOf, segments)
      : ((await renew({ asOf }, localContext('iecmh-renewals'))) as RenewalSummary);
  progress?.line(`publishing reports as of ${asOf} ...`);
  // The release noise is keyed by the state folder's secret, as by a KMS key in AWS (docs/domain.md).
  const releaseKeyedHash = localKeyedHash(stack.stateDir);
  const reports = await makeReportsHandler({
    ...stack,
    reportsBucket: stack.reportsBucket,
    pdf: options.pdf,
    releaseKeyedHash,
  })({ asOf }, localContext('iecmh-reports'));
  return { evaluation, renewals, reports };
}

/**
 * A job's fan-out steps as its state machine runs them (infra/constructs/nightly-fan-out.ts): the
 * same handler given the plan step, then each segment (one after another here), then the finish.
 */
async function inSegments<Plan, Done, Finished>(
  handler: (event: FanOutStep<Plan>, context: ReturnType<typeof localContext>) => Promise<unknown>,
  functionName: string,
  asOf: string,
  totalSegments: number,
  onSegment: (done: Done) => void,
): Promise<{ plan: Plan; segments: number; finished: Finished }> {
  const step = async (event: FanOutStep<Plan>) => handler(event, localContext(functionName));
  const { plan, segments } = (await step({ step: 'plan', asOf, totalSegments })) as PlannedFanOut<Plan>;
  for (const segment of segments) onSegment((await step({ step: 'segment', plan, segment })) as Done);
  const finished = (await step({ step: 'finish', plan })) as Finished;
  return { plan, segments: segments.length, finished };
}

/** Everyone evaluated as the nightly fan-out state machine does it. */
async function evaluateInSegments(
  evaluate: ReturnType<typeof makeEvaluateHandler>,
  asOf: string,
  totalSegments: number,
): Promise<SegmentedEvaluation> {
  let applicants = 0;
  let eligible = 0;
  const { plan, segments, finished } = await inSegments<
    EvaluationPlan,
    { applicants: number; eligible: number },
    { csvKey: string }
  >(evaluate, 'iecmh-evaluate', asOf, totalSegments, (done) => {
    applicants += done.applicants;
    eligible += done.eligible;
  });
  return { asOf, rulesetId: plan.rulesetId, segments, applicants, eligible, csvKey: finished.csvKey };
}

/** Everyone's renewals as the renewals' fan-out state machine runs them. */
async function renewInSegments(
  renew: ReturnType<typeof makeRenewalsHandler>,
  asOf: string,
  totalSegments: number,
): Promise<SegmentedRenewals> {
  let endorsees = 0;
  const byStatus: RenewalSummary['byStatus'] = { exempt: 0, lapsed: 0, compliant: 0, at_risk: 0, in_progress: 0 };
  const { plan, segments, finished } = await inSegments<
    RenewalPlan,
    Pick<RenewalSummary, 'endorsees' | 'byStatus'>,
    { keys: string[] }
  >(renew, 'iecmh-renewals', asOf, totalSegments, (done) => {
    endorsees += done.endorsees;
    for (const [status, n] of Object.entries(done.byStatus)) byStatus[status as keyof typeof byStatus] += n;
  });
  return {
    asOf,
    rulesetId: plan.rulesetId,
    segments,
    fromSummaries: plan.fromSummaries === true,
    endorsees,
    byStatus,
    keys: finished.keys,
  };
}

/**
 * A local ingest queue. It delivers one message at a time and only this process opens the state
 * folder, so a source's lease is never needed here (leaseMs 0: a run that was stopped part way
 * leaves no lease that would hold up the next one). The emails SES would send about receipts with
 * rejected rows go to the state folder's outbox (`onMailed` is told of each file).
 */
export function localIngestQueue(
  stack: EmbeddedStack,
  options: {
    onIngested?: (o: IngestOutcome) => void;
    onProgress?: Parameters<typeof makeIngestHandler>[0]['onProgress'];
    onMailed?: (path: string) => void;
  },
): LocalQueue {
  const { onMailed, ...rest } = options;
  const handler = makeIngestHandler({
    ...stack,
    tableName: stack.tableName,
    leaseMs: 0,
    keyedHash: localKeyedHash(stack.stateDir),
    notifier: localReceiptNotifier(stack.stateDir, onMailed),
    ...rest,
  });
  return new LocalQueue(handler, { deadLetterDir: `${stack.stateDir}/dead-letter`, maxReceiveCount: 3 });
}

/** Deletes uploads as an administrator deletes them from the bucket, and delivers the "removed" events. */
export async function withdrawUploads(stack: EmbeddedStack, keys: string[]): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const queue = localIngestQueue(stack, { onIngested: (o) => void outcomes.push(o) });
  for (const key of keys) {
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: key }));
    queue.send(JSON.stringify(s3RemovedEvent({ bucket: stack.uploadsBucket, key })));
  }
  const drained = await queue.drain();
  if (drained.deadLettered.length > 0) {
    throw new Error(`withdrawing failed and was set aside for replay: ${drained.deadLettered.join(', ')}`);
  }
  return outcomes;
}

/** The `--as-of` option as a date YYYY-MM-DD (US M/D/YYYY accepted); undefined when it is not given. */
export function asOfOption(text: string | undefined, usageError: (message: string) => Error): string | undefined {
  if (text === undefined) return undefined;
  const asOf = parseDate(text);
  if (!asOf) throw usageError(`--as-of "${text}" is not a real date (YYYY-MM-DD)`);
  return asOf;
}

/** The arguments `withdraw` and `erase` share: what to act on, `--as-of` (default today), `--state`, `--json`. */
export function changeCommandArgs(
  argv: string[],
  needs: string,
  usageError: (message: string) => Error,
): { targets: string[]; asOf: string; state: string; json: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { state: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw usageError(needs);
  const asOf = asOfOption(values['as-of'], usageError) ?? todayIn();
  return { targets: positionals, asOf, state: resolve(values.state ?? DEFAULT_STATE_DIR), json: values.json };
}
