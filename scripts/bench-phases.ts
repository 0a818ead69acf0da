/** The benchmark's phases, each run in a child process by bench.ts: `bench-phases.ts <phase> <data dir> <state dir>`. */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { sourceTag } from '../shared/adapters/dynamo/codecs.js';
import { itemOf, tableSink } from '../shared/adapters/dynamo/ingest-sink.js';
import { ingestFile } from '../shared/core/ingest/ingest.js';
import type { InputRecord } from '../shared/core/ingest/schemas.js';
import type { IngestOutcome } from '../shared/services/ingest-object.js';
import type { GenerateResult } from '../tools/synthetic/generate.js';
import { meter } from './bench-cost.js';
import {
  countRequests,
  hostedStack,
  load,
  mb,
  type PhaseResult,
  peakRssMb,
  say,
  seconds,
  stackHost,
  stackHostPeakRssMb,
  stackModules,
  withProgress,
} from './bench-host.js';
import { incremental } from './bench-incremental.js';
import { replace } from './bench-replace.js';

export const PHASES = {
  parse:
    'bare papaparse (streamed text, rows counted) and the core (decode + parse + validate + map to items, no storage) on the roster files, alternately',
  'core-memory': 'the core again, under the ingest process heap limits: peak RSS after one roster file, then after all',
  'raw-writes':
    "bare BatchWriteItem of the very items the rosters' ingest writes (built before the clock starts), same concurrency, fresh embedded DynamoDB",
  ingest: 'every file uploaded to the embedded S3, its event through the queue to the ingest handler',
  replace:
    'on the ingested table, a 10,000-row roster under a new key: ingested, replaced by a corrected version, withdrawn (each timed, its requests counted)',
  scan: 'bare parallel Scan of the whole table, as many segments as the population read',
  evaluate:
    'the evaluate handler path: Scan, evaluate every applicant, summarise every endorsee, write evaluations and eligibility.csv',
  incremental:
    'on the evaluated table, a 1,000-row roster of a new training ingested and the people it reaches evaluated; items read counted',
  renewals:
    'the daily renewal job after the evaluation: judge every endorsee (from the summaries, or the Scan and the rows), write statuses and renewals.csv',
  reports: 'build and publish the policymaker reports',
} as const;
export type PhaseName = keyof typeof PHASES;

/** Bare papaparse over the roster files: streamed text, rows counted. */
async function papaparsePass(files: GenerateResult['files']) {
  let rows = 0;
  for (const f of files) {
    await new Promise<void>((done, fail) => {
      Papa.parse(createReadStream(f.path, { encoding: 'utf8', highWaterMark: 256 * 1024 }) as never, {
        chunk: (r: Papa.ParseResult<unknown>) => {
          rows += r.data.length;
        },
        complete: () => done(),
        error: fail,
      });
    });
  }
  return rows;
}

/** One roster file through the ingest core (decode, parse, validate), its accepted records to `sink`. */
async function readRoster(f: GenerateResult['files'][number], sink: (records: InputRecord[]) => Promise<void>) {
  const read = await ingestFile({
    kind: 'rosters',
    file: f.name,
    source: createReadStream(f.path, { highWaterMark: 256 * 1024 }),
    sink,
  });
  if (read.rejected > 0) throw new Error(`${f.name}: ${read.rejected} generated rows rejected`);
  return read.rows;
}

/** The ingest core over the roster files: decode, parse, validate, map to items; no storage. */
async function corePass(files: GenerateResult['files']) {
  let rows = 0;
  let items = 0;
  for (const f of files) {
    const key = `rosters/${f.name}`;
    const origin = { tag: sourceTag(key, 'bench'), key, shard: 0 };
    rows += await readRoster(f, async (records) => {
      for (const rec of records) {
        itemOf(rec, origin);
        items++;
      }
    });
  }
  return { rows, items };
}

/**
 * Bare papaparse and the core on the same files in the same process, alternately, ROUNDS times
 * each; each is credited with its best round, so a burst of load on the machine does not decide
 * the ratio between them.
 */
async function parse(data: GenerateResult) {
  const ROUNDS = 3;
  const files = data.files.filter((f) => f.kind === 'rosters');
  await corePass(files.slice(0, 1)); // warm-up: the JIT
  let bare = 0;
  let core = 0;
  let rows = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    let t0 = performance.now();
    const bareRows = await papaparsePass(files);
    const bareS = seconds(t0);
    t0 = performance.now();
    rows = (await corePass(files)).rows;
    const coreS = seconds(t0);
    say(
      `round ${round}: papaparse ${bareRows.toLocaleString('en-US')} rows in ${bareS.toFixed(2)} s, core ${rows.toLocaleString('en-US')} rows in ${coreS.toFixed(2)} s`,
    );
    bare = Math.max(bare, bareRows / bareS);
    core = Math.max(core, rows / coreS);
  }
  return {
    papaparse_rows_per_s: Math.round(bare),
    core_rows_per_s: Math.round(core),
  };
}

/** The core's memory under the ingest's heap limits: peak RSS after one roster file, then after all. */
async function coreMemory(data: GenerateResult) {
  const files = data.files.filter((f) => f.kind === 'rosters');
  await corePass(files.slice(0, 1));
  const oneFile = peakRssMb();
  const { rows } = await corePass(files);
  say(`${rows.toLocaleString('en-US')} rows; peak RSS ${oneFile} MB after one file, ${peakRssMb()} MB after all`);
  return { peak_rss_mb_one_file: oneFile, peak_rss_mb: peakRssMb() };
}

/** The number of items the ingest phase writes for the rosters: one per row plus one per training. */
function rosterItems(data: GenerateResult): number {
  const rows = data.files.filter((f) => f.kind === 'rosters').reduce((n, f) => n + f.rows, 0);
  return rows + data.trainings;
}

/**
 * The very items the rosters' ingest writes, built before the write ceiling's clock starts: each
 * roster file through the ingest core into the ingest's own sink (`tableSink`: its spread over the
 * source index's shards, each training described once), whose requests are kept here instead of
 * sent. (Stand-ins that repeated one date, number of hours and pair of competencies in every item
 * cost the embedded DynamoDB 10 to 22 % less work than these: a ceiling the ingest could not reach;
 * see docs/benchmarks.md.)
 */
async function rosterItemsOf(files: GenerateResult['files']): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  // Not a DynamoDB: it keeps each BatchWriteItem's items and answers that all were written.
  const keeper = {
    send: async (command: {
      input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> };
    }) => {
      for (const requests of Object.values(command.input.RequestItems))
        for (const r of requests) items.push(r.PutRequest.Item);
      return { $metadata: {} };
    },
  } as unknown as Parameters<typeof tableSink>[0];
  for (const f of files) {
    const key = `rosters/${f.name}`;
    const sink = tableSink(keeper, 'bench', { tag: sourceTag(key, 'bench'), key });
    await readRoster(f, sink.write);
    await sink.close();
  }
  return items;
}

async function rawWrites(data: GenerateResult, state: string) {
  const { BatchWriteCommand } = await stackModules();
  const { createTable } = await import('../local/src/embedded.js');
  const items = await rosterItemsOf(data.files.filter((f) => f.kind === 'rosters'));
  if (items.length !== rosterItems(data)) throw new Error(`${items.length} items built, ${rosterItems(data)} expected`);
  say(
    `${items.length.toLocaleString('en-US')} items built from the roster files before the clock starts (heap ${mb(process.memoryUsage().heapUsed)} MB)`,
  );
  const stack = await hostedStack(state);
  try {
    const total = items.length;
    const table = 'bench-raw-writes';
    await createTable(stack.ddb, table);
    let next = 0;
    const t0 = performance.now();
    // As many requests in flight as the ingest's BatchWriter keeps.
    const worker = async () => {
      while (next < total) {
        const start = next;
        next = Math.min(total, next + 25);
        const batch = items.slice(start, next).map((Item) => ({ PutRequest: { Item } }));
        const out = await stack.ddb.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
        if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('unprocessed items');
      }
    };
    const { DEFAULT_CONCURRENCY } = await import('../shared/adapters/dynamo/batch-writer.js');
    await withProgress(
      Promise.all(Array.from({ length: DEFAULT_CONCURRENCY }, worker)),
      () => `${next.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} items sent`,
    );
    const s = seconds(t0);
    say(`${total.toLocaleString('en-US')} items in ${s.toFixed(1)} s`);
    return { items_per_s: Math.round(total / s), peak_rss_mb: peakRssMb() };
  } finally {
    await stack.close();
  }
}

async function ingest(data: GenerateResult, state: string) {
  const { LocalQueue, s3CreatedEvent, makeIngestHandler, PutObjectCommand } = await stackModules();
  const stack = await hostedStack(state);
  try {
    const dynamoRequests = countRequests(stack.ddb);
    const outcomes: IngestOutcome[] = [];
    const handler = makeIngestHandler({ ...stack, onIngested: (o) => void outcomes.push(o) });
    const queue = new LocalQueue(handler, { deadLetterDir: join(state, 'dead-letter') });
    const upload = async (f: GenerateResult['files'][number]) => {
      const key = `${f.kind}/${f.name}`;
      const size = statSync(f.path).size;
      const put = await stack.s3.send(
        new PutObjectCommand({
          Bucket: stack.uploadsBucket,
          Key: key,
          Body: createReadStream(f.path),
          ContentLength: size,
        }),
      );
      queue.send(JSON.stringify(s3CreatedEvent({ bucket: stack.uploadsBucket, key, size, etag: put.ETag })));
    };
    // Rosters first, timed alone, so that like the write ceiling they go into an empty table;
    // then the people and RSC files the later phases need (linking happens at evaluation).
    const rosterFiles = data.files.filter((f) => f.kind === 'rosters');
    const otherFiles = data.files.filter((f) => f.kind !== 'rosters');
    for (const f of rosterFiles) await upload(f);
    dynamoRequests.reset();
    const t1 = performance.now();
    const drained = await withProgress(
      queue.drain(),
      () => `${outcomes.length} of ${rosterFiles.length} roster files done`,
    );
    const s = seconds(t1);
    // Every DynamoDB request the rosters' ingest sent: besides the batches, per file the lease and
    // version notes (UpdateItem), the source record read (GetItem) and written (PutItem), and the
    // index Queries that clean up a replaced version (none into a fresh table).
    const rosterRequests = dynamoRequests.byKind();
    const rosterRequestCount = dynamoRequests.total();
    if (drained.deadLettered.length > 0) throw new Error('a roster file was dead-lettered');
    // A failed delivery means a file was read (in part) more than once: the figures would not be one pass's.
    let redeliveries = drained.failedAttempts;
    if (!process.env.BENCH_ROSTERS_ONLY) {
      for (const f of otherFiles) await upload(f);
      const t0 = performance.now();
      const others = await withProgress(
        queue.drain(),
        () => `${outcomes.length - rosterFiles.length} of ${otherFiles.length} other files done`,
      );
      redeliveries += others.failedAttempts;
      if (others.deadLettered.length > 0) throw new Error('an input file was dead-lettered');
      say(`applicants, endorsements and RSC log in ${seconds(t0).toFixed(1)} s`);
    }
    // The uploads' notes go as their refresh messages would once evaluated (the evaluate phase judges everyone).
    const { dynamoTableStore } = await import('../shared/adapters/dynamo/table-store.js');
    for (const o of outcomes) await dynamoTableStore(stack.ddb, stack.tableName).clearPending(o.pending);
    const rosters = outcomes.filter((o) => o.kind === 'rosters');
    const rows = rosters.reduce((n, o) => n + o.receipt.rows, 0);
    const items = rosters.reduce((n, o) => n + o.writes.items, 0);
    // Every write request: BatchWriteItem calls plus each file's receipt (its source record's PutItem).
    const requests = rosters.reduce((n, o) => n + o.writes.requests + 1, 0);
    say(
      `${rows.toLocaleString('en-US')} roster rows in ${s.toFixed(1)} s; ${items.toLocaleString('en-US')} items, ${requests.toLocaleString('en-US')} write requests`,
    );
    say(
      `DynamoDB requests for the rosters: ${rosterRequestCount.toLocaleString('en-US')} ${JSON.stringify(rosterRequests)}`,
    );
    if (redeliveries > 0) say(`warning: ${redeliveries} failed deliveries, files were read again`);
    return {
      redeliveries,
      rows_per_s: Math.round(rows / s),
      items_per_row: Number((items / rows).toFixed(4)),
      write_requests_per_row: Number((requests / rows).toFixed(4)),
      requests_per_row: Number((rosterRequestCount / rows).toFixed(4)),
      requests_by_kind: rosterRequests,
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await stack.close();
  }
}

async function scan(_data: GenerateResult, state: string) {
  const { ScanCommand } = await stackModules();
  const { LOCAL_TABLE_NAME } = await import('../shared/adapters/table-design.js');
  // As many segments as the jobs' population read, so the comparison is of what is read, not how.
  const { POPULATION_SCAN_SEGMENTS: segments } = await import('../shared/adapters/dynamo/population.js');
  const stack = await hostedStack(state);
  try {
    const metered = meter(stack);
    const t0 = performance.now();
    let items = 0;
    const segmentsRead = Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await stack.ddb.send(
            new ScanCommand({
              TableName: LOCAL_TABLE_NAME,
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey: start,
            }),
          );
          items += out.Items?.length ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    await withProgress(segmentsRead, () => `${items.toLocaleString('en-US')} items read`);
    const s = seconds(t0);
    say(`${items.toLocaleString('en-US')} items in ${s.toFixed(1)} s`);
    return { seconds: Number(s.toFixed(2)), items, peak_rss_mb: peakRssMb(), usage: { ...metered.take() } };
  } finally {
    await stack.close();
  }
}

async function evaluate(data: GenerateResult, state: string) {
  const { evaluateAll } = await import('../shared/services/evaluate-all.js');
  const { attendanceOf } = await import('../shared/adapters/dynamo/population.js');
  const { readPeople, readPopulationIndex } = await import('../shared/adapters/dynamo/population-stream.js');
  const { loadCatalog } = await import('../shared/core/catalog/catalog.js');
  const { evaluateApplicant, mergeTrainings } = await import('../shared/core/eligibility/index.js');
  const { rulesetFor } = await import('../shared/core/rules/registry.js');
  const stack = await hostedStack(state);
  try {
    const deps = { ...stack, adminBucket: stack.uploadsBucket };
    const metered = meter(stack);
    const t = performance.now();
    const summary = await withProgress(evaluateAll(deps, data.asOf));
    const totalSeconds = seconds(t);
    const usage = metered.take();
    // The job's own peak, before the core's timing below reads applicants again.
    const jobPeakRss = peakRssMb();
    say(
      `${summary.applicants.toLocaleString('en-US')} applicants: read ${summary.seconds.read.toFixed(1)} s, evaluate ${summary.seconds.evaluate.toFixed(2)} s, write ${summary.seconds.write.toFixed(1)} s; ${summary.eligible} eligible`,
    );
    // The evaluation core alone, on the first 5,000 of the same applicants (read as the job reads
    // them, so the phase keeps a small Lambda's heap): merged trainings prepared first, 100,000 evaluations timed.
    const { index } = await readPopulationIndex(stack.ddb, stack.tableName);
    const sample = index.applicantIds.slice(0, 5_000);
    const population = await readPeople(stack.ddb, stack.tableName, index, sample, 'applicant', {
      items: 0,
      requests: 0,
      seconds: 0,
    });
    const ruleset = rulesetFor(data.asOf);
    const catalog = loadCatalog();
    const inputs = [...population.applicants.values()].map((applicant) => ({
      applicant,
      trainings: mergeTrainings(attendanceOf(population, applicant.personId, applicant.email)),
      rscSessions: population.rsc.get(applicant.personId) ?? [],
      asOf: data.asOf,
      ruleset,
      catalog,
    }));
    const target = 100_000;
    let eligible = 0;
    const t0 = performance.now();
    for (let i = 0; i < target; i++)
      if (evaluateApplicant(inputs[i % inputs.length] as (typeof inputs)[number]).eligible) eligible++;
    const s = seconds(t0);
    say(`evaluation core: ${target.toLocaleString('en-US')} evaluations in ${s.toFixed(2)} s (${eligible} eligible)`);
    return {
      applicants: summary.applicants,
      read_s: Number(summary.seconds.read.toFixed(2)),
      evaluate_s: Number(summary.seconds.evaluate.toFixed(3)),
      write_s: Number(summary.seconds.write.toFixed(2)),
      core_applicants_per_s: Math.round(target / s),
      total_s: Number(totalSeconds.toFixed(2)),
      peak_rss_mb: jobPeakRss,
      usage: { ...usage },
    };
  } finally {
    await stack.close();
  }
}

async function renewals(data: GenerateResult, state: string) {
  const { renewalsAll } = await import('../shared/services/renewals-all.js');
  const stack = await hostedStack(state);
  try {
    const metered = meter(stack);
    const t0 = performance.now();
    const summary = await withProgress(renewalsAll({ ...stack, adminBucket: stack.uploadsBucket }, data.asOf));
    const s = seconds(t0);
    say(
      `${summary.endorsees.toLocaleString('en-US')} endorsees in ${s.toFixed(1)} s from the ${summary.fromSummaries ? 'summaries' : 'rows'} (${summary.scan.items.toLocaleString('en-US')} items read): ${JSON.stringify(summary.byStatus)}`,
    );
    return {
      endorsees: summary.endorsees,
      /** 1 when the job judged from the endorsees' summaries the evaluate phase left, 0 from the rows. */
      from_summaries: summary.fromSummaries ? 1 : 0,
      /** Items its reads returned (the summaries' shards, or the index's Scan and the endorsees' Queries). */
      items_read: summary.scan.items,
      total_s: Number(s.toFixed(2)),
      read_s: Number(summary.seconds.read.toFixed(2)),
      peak_rss_mb: peakRssMb(),
      usage: { ...metered.take() },
    };
  } finally {
    await stack.close();
  }
}

async function reports(data: GenerateResult, state: string) {
  const stack = await hostedStack(state);
  try {
    const { publishReports } = await import('../shared/services/publish-reports.js');
    const metered = meter(stack);
    const t0 = performance.now();
    const summary = await withProgress(publishReports(stack, data.asOf));
    const s = seconds(t0);
    const { read, build, write } = summary.seconds;
    say(
      `reports built and published in ${s.toFixed(1)} s from the ${summary.read}: read ${read.toFixed(1)} s, build ${build.toFixed(1)} s, write ${write.toFixed(1)} s`,
    );
    return {
      /** 1 when the reports counted the summaries (kept current through the incremental phase's change), 0 the rows. */
      from_summaries: summary.read === 'summaries' ? 1 : 0,
      total_s: Number(s.toFixed(2)),
      read_s: Number(read.toFixed(2)),
      build_s: Number(build.toFixed(2)),
      peak_rss_mb: peakRssMb(),
      usage: { ...metered.take() },
    };
  } finally {
    await stack.close();
  }
}

const RUNNERS: Record<PhaseName | 'stack-host', (data: GenerateResult, state: string) => Promise<PhaseResult>> = {
  'stack-host': stackHost,
  parse,
  'core-memory': coreMemory,
  'raw-writes': rawWrites,
  ingest,
  replace,
  scan,
  evaluate,
  incremental,
  renewals,
  reports,
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [name, dataDir, state] = process.argv.slice(2) as [PhaseName | 'stack-host', string, string];
  const result = await RUNNERS[name](name === 'stack-host' ? ({} as GenerateResult) : load(dataDir), state);
  const hostPeak = stackHostPeakRssMb();
  if (hostPeak !== undefined) result.stack_host_peak_rss_mb = hostPeak;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
