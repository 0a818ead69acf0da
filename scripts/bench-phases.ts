/** The benchmark's phases, each run in a child process by bench.ts: `bench-phases.ts <phase> <data dir> <state dir>`. */
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import Papa from 'papaparse';
import { sourceKey, sourceTag, trainingCodec } from '../shared/adapters/dynamo/codecs.js';
import { itemOf } from '../shared/adapters/dynamo/ingest-sink.js';
import { ingestFile } from '../shared/core/ingest/ingest.js';
import type { IngestOutcome } from '../shared/services/ingest-object.js';
import type { GenerateResult } from '../shared/synthetic/generate.js';

/**
 * The AWS SDK, the emulators and the handlers are loaded only by the phases that use them: a
 * process that has loaded them runs the pure core markedly slower (a larger heap for every
 * collection to walk), and the core phase measures the core as a consumer of it alone would.
 */
const stackModules = async () => {
  const [{ LocalQueue }, { s3CreatedEvent, s3RemovedEvent }, ingestHandler, s3, lib] = await Promise.all([
    import('../local/src/queue.js'),
    import('../local/src/s3-events.js'),
    import('../functions/ingest/ingest-handler.js'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  return {
    LocalQueue,
    s3CreatedEvent,
    s3RemovedEvent,
    makeIngestHandler: ingestHandler.makeIngestHandler,
    PutObjectCommand: s3.PutObjectCommand,
    DeleteObjectCommand: s3.DeleteObjectCommand,
    BatchWriteCommand: lib.BatchWriteCommand,
    DeleteCommand: lib.DeleteCommand,
    ScanCommand: lib.ScanCommand,
  };
};

/** What a phase reports: figures, and requests counted by kind. */
export type PhaseResult = Record<string, number | Record<string, number>>;

/**
 * Counts the requests a client sends, by operation (`BatchWriteItem`, `Query`, `GetObject`...).
 * The count is taken at the deserialize step, which runs once per HTTP attempt: a request the
 * SDK retried counts each time it was sent, as DynamoDB would bill it.
 */
function countRequests<I extends object, O extends object>(client: { middlewareStack: MiddlewareStack<I, O> }) {
  let counts = new Map<string, number>();
  const counter: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    const kind = (context.commandName ?? 'unknown').replace(/Command$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return next(args);
  };
  client.middlewareStack.add(counter, { step: 'deserialize', name: 'benchRequestCounter' });
  return {
    reset: () => {
      counts = new Map();
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byKind: (): Record<string, number> => Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/**
 * The embedded stack, hosted in a second process for the phase that uses it: as DynamoDB and S3
 * are services apart from a Lambda in AWS, the phase's own figures (time on its core, peak
 * memory) are the handler's, and the emulators' memory is reported beside them.
 */
let hostPeakRssMb: number | undefined;

async function hostedStack(state: string) {
  const { localClients } = await import('../shared/adapters/clients.js');
  const design = await import('../shared/adapters/table-design.js');
  // The host keeps Node's own heap settings; limits given to the phase are the handler's.
  const flags = process.execArgv.filter(
    (a) => !a.startsWith('--max-old-space-size') && !a.startsWith('--max-semi-space-size'),
  );
  const host = spawn(process.execPath, [...flags, import.meta.filename, 'stack-host', '-', state], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: host.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => host.once('exit', resolve));
  const first = await lines.next();
  if (first.done) throw new Error(`the stack host ended before it started (exit ${await exited})`);
  const { endpoints } = JSON.parse(first.value) as { endpoints: { dynamodb: string; s3: string } };
  const clients = localClients(endpoints);
  return {
    ...clients,
    endpoints,
    stateDir: state,
    tableName: design.LOCAL_TABLE_NAME,
    uploadsBucket: design.LOCAL_UPLOADS_BUCKET,
    reportsBucket: design.LOCAL_REPORTS_BUCKET,
    /** Stops the host; its peak RSS goes with the phase's figures. */
    async close(): Promise<void> {
      clients.ddb.destroy();
      clients.s3.destroy();
      host.stdin.end();
      let last = '';
      for (let l = await lines.next(); !l.done; l = await lines.next()) last = l.value;
      const code = await exited;
      if (code !== 0) throw new Error(`the stack host exited with ${code}`);
      hostPeakRssMb = (JSON.parse(last) as { peak_rss_mb: number }).peak_rss_mb;
    },
  };
}

/** The other side of `hostedStack`: starts the embedded stack, says where, and stops when stdin ends. */
async function stackHost(_data: GenerateResult, state: string) {
  const { startEmbeddedStack } = await import('../local/src/embedded.js');
  const stack = await startEmbeddedStack(state);
  process.stdout.write(`${JSON.stringify({ endpoints: stack.endpoints })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await stack.close();
  return { peak_rss_mb: peakRssMb() };
}

export const PHASES = {
  parse:
    'bare papaparse (streamed text, rows counted) and the core (decode + parse + validate + map to items, no storage) on the roster files, alternately',
  'core-memory': 'the core again, under the ingest process heap limits: peak RSS after one roster file, then after all',
  'raw-writes': 'bare BatchWriteItem of as many items, same shape and concurrency, fresh embedded DynamoDB',
  ingest: 'every file uploaded to the embedded S3, its event through the queue to the ingest handler',
  replace:
    'on the ingested table, a 10,000-row roster under a new key: ingested, replaced by a corrected version, withdrawn (each timed, its requests counted)',
  scan: 'bare parallel Scan of the whole table, as many segments as the population read',
  evaluate: 'the evaluate handler path: Scan, evaluate every applicant, write evaluations and eligibility.csv',
  renewals: 'the daily renewal job: Scan, judge every endorsee, write statuses and renewals.csv',
  reports: 'build and publish the policymaker reports',
} as const;
export type PhaseName = keyof typeof PHASES;

const say = (s: string) => process.stderr.write(`  ${s}\n`);
const mb = (bytes: number) => Math.round(bytes / 1048576);
const peakRssMb = () => mb(process.resourceUsage().maxRSS * 1024);
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Awaits `work`, saying every 30 seconds how long it has run and where it is (no long silent wait). */
async function withProgress<T>(work: Promise<T>, status: () => string = () => 'running'): Promise<T> {
  const t0 = performance.now();
  const timer = setInterval(() => say(`... ${seconds(t0).toFixed(0)} s: ${status()}`), 30_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

function load(dataDir: string): GenerateResult {
  return JSON.parse(readFileSync(join(dataDir, 'generated.json'), 'utf8')) as GenerateResult;
}

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

/** The ingest core over the roster files: decode, parse, validate, map to items; no storage. */
async function corePass(files: GenerateResult['files']) {
  let rows = 0;
  let items = 0;
  for (const f of files) {
    const key = `rosters/${f.name}`;
    const origin = { tag: sourceTag(key, 'bench'), key, shard: 0 };
    const r = await ingestFile({
      kind: 'rosters',
      file: f.name,
      source: createReadStream(f.path, { highWaterMark: 256 * 1024 }),
      sink: async (records) => {
        for (const rec of records) {
          itemOf(rec, origin);
          items++;
        }
      },
    });
    if (r.rejected > 0) throw new Error(`${f.name}: ${r.rejected} generated rows rejected`);
    rows += r.rows;
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

async function rawWrites(data: GenerateResult, state: string) {
  const { BatchWriteCommand } = await stackModules();
  const { createTable } = await import('../local/src/embedded.js');
  const stack = await hostedStack(state);
  try {
    const total = rosterItems(data);
    const table = 'bench-raw-writes';
    await createTable(stack.ddb, table);
    const id = (i: number) => String(i).padStart(7, '0');
    let next = 0;
    const t0 = performance.now();
    // As many requests in flight as the ingest's BatchWriter keeps.
    const worker = async () => {
      while (next < total) {
        const start = next;
        next = Math.min(total, next + 25);
        const batch = [];
        for (let i = start; i < next; i++) {
          const person = `P${id(i % data.people)}`;
          batch.push({
            PutRequest: {
              Item: {
                // The items ingest writes: keyed per source and tagged for the source index (sv),
                // so the ceiling includes the index entry each of them costs.
                pk: `PERSON#${person}`,
                sk: `ATT#T${id(i)}#C#benchsource`,
                type: 'attendance',
                sv: `benchsource#v1#${i % 8}`,
                trainingId: `T${id(i)}`,
                date: '2026-01-15',
                hours: 3.5,
                competencies: ['1A.1', '1F.3'],
                dei: false,
                rscTopic: false,
                completed: true,
                personId: person,
              },
            },
          });
        }
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

/** The upload key the replace phase uses: a roster no generated file is named after. */
const REPLACE_KEY = 'rosters/bench-replace-10k.csv';
const REPLACE_ROWS = 10_000;

/** The first `wanted` data rows of the roster files, in order (as many files as it takes), as fields. */
async function firstRosterRows(files: GenerateResult['files'], wanted: number) {
  let header: string[] | undefined;
  const rows: string[][] = [];
  for (const f of files) {
    if (rows.length >= wanted) break;
    let first = true;
    const stream = createReadStream(f.path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    await new Promise<void>((done, fail) => {
      Papa.parse(stream as never, {
        skipEmptyLines: true,
        step: (r: Papa.ParseStepResult<string[]>, parser: Papa.Parser) => {
          if (first) {
            first = false;
            header ??= r.data;
            return;
          }
          if (rows.length < wanted) rows.push(r.data);
          else parser.abort();
        },
        complete: () => done(),
        error: fail,
      });
    });
    stream.destroy();
  }
  if (!header) throw new Error('no roster file to take rows from');
  return { header, rows };
}

/** A tiny seeded generator (mulberry32): the same corrections on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A corrected version of a roster, as a provider would send one: about 2 % of the rows removed,
 * 2 % with their hours changed, 1 % with the completed flag flipped, the rest identical.
 */
function corrected(header: string[], rows: string[][]) {
  const hoursAt = header.indexOf('hours');
  const completedAt = header.indexOf('completed');
  if (hoursAt < 0 || completedAt < 0) throw new Error('the roster has no hours or completed column');
  const random = seeded(20261202);
  const changes = { removed: 0, hours_changed: 0, completed_flipped: 0 };
  const out: string[][] = [];
  for (const row of rows) {
    const r = random();
    if (r < 0.02) {
      changes.removed++;
      continue;
    }
    const copy = [...row];
    if (r < 0.04) {
      const hours = Number(copy[hoursAt]);
      if (!Number.isFinite(hours)) throw new Error(`hours "${copy[hoursAt]}" is not a number`);
      copy[hoursAt] = String(hours > 1 ? hours - 0.5 : hours + 0.5);
      changes.hours_changed++;
    } else if (r < 0.05) {
      const v = (copy[completedAt] ?? '').trim().toLowerCase();
      const done = v === '' || ['yes', 'y', 'true', '1'].includes(v); // blank means completed
      copy[completedAt] = done ? 'no' : 'yes';
      changes.completed_flipped++;
    }
    out.push(copy);
  }
  return { rows: out, changes };
}

/**
 * The items in the table, by a parallel Scan, and the keys of those a source still holds (any
 * version of it): the Scan returns only those, and counts the rest.
 */
async function tableItems(stack: Awaited<ReturnType<typeof hostedStack>>, sourceId: string) {
  const { ScanCommand } = await stackModules();
  const { POPULATION_SCAN_SEGMENTS: segments } = await import('../shared/adapters/dynamo/population.js');
  let items = 0;
  const held: { pk: string; sk: string }[] = [];
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await stack.ddb.send(
          new ScanCommand({
            TableName: stack.tableName,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: 'begins_with(sv, :source)',
            ExpressionAttributeValues: { ':source': `${sourceId}#` },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: start,
          }),
        );
        items += out.ScannedCount ?? 0;
        for (const item of out.Items ?? []) held.push({ pk: String(item.pk), sk: String(item.sk) });
        start = out.LastEvaluatedKey;
      } while (start);
    }),
  );
  return { items, held };
}

/** The keys of the fact items one version of a roster stores (its rows' and its trainings'), by the ingest's codecs. */
async function factKeys(body: Buffer, key: string): Promise<Set<string>> {
  const origin = { tag: sourceTag(key, 'expected'), key, shard: 0 };
  const keys = new Set<string>();
  const add = (item: Record<string, unknown>) => keys.add(`${item.pk}\u0000${item.sk}`);
  await ingestFile({
    kind: 'rosters',
    file: key,
    source: (async function* () {
      yield body;
    })(),
    sink: async (records) => {
      for (const r of records) {
        add(itemOf(r, origin));
        if (r.kind === 'rosters') add(trainingCodec.encode(r.record, origin));
      }
    },
  });
  return keys;
}

/**
 * On the ingested table: a 10,000-row roster under a new key is ingested, replaced by a corrected
 * version, then withdrawn, each through the queue to the ingest handler, timed, its requests
 * counted, what each forgot checked against what the two versions hold. The withdrawal takes away
 * what the roster added; the bench then removes the withdrawn source's record and receipt, and any
 * item of the roster the withdrawal did not find (counted as `left_behind`), so the later phases
 * read the table the ingest left. DynamoDB leaves none; the embedded one (dynalite 4.0.0) can: it
 * keys an index entry by the index key and only 24 bits of a hash of the item's key, so two items
 * of one `bySource` partition whose hashes collide share one entry, and the index finds one of them.
 */
async function replace(data: GenerateResult, state: string): Promise<PhaseResult> {
  const {
    LocalQueue,
    s3CreatedEvent,
    s3RemovedEvent,
    makeIngestHandler,
    PutObjectCommand,
    DeleteObjectCommand,
    DeleteCommand,
  } = await stackModules();
  const { RECEIPT_SK } = await import('../shared/adapters/dynamo/sources.js');
  const { receiptKeyOf } = await import('../shared/services/ingest-object.js');
  const original = await firstRosterRows(
    data.files.filter((f) => f.kind === 'rosters'),
    REPLACE_ROWS,
  );
  const fixed = corrected(original.header, original.rows);
  const csv = (rows: string[][]) => Buffer.from(`${Papa.unparse([original.header, ...rows], { newline: '\n' })}\n`);
  const firstVersion = csv(original.rows);
  const secondVersion = csv(fixed.rows);
  // What each change should forget: the first version's items the second does not hold, then all of the second's.
  const firstKeys = await factKeys(firstVersion, REPLACE_KEY);
  const secondKeys = await factKeys(secondVersion, REPLACE_KEY);
  const replaceExpected = [...firstKeys].filter((k) => !secondKeys.has(k)).length;
  const sourceId = sourceTag(REPLACE_KEY, '').id;
  const stack = await hostedStack(state);
  try {
    let t0 = performance.now();
    const before = await tableItems(stack, sourceId);
    const itemsBefore = before.items;
    if (before.held.length > 0)
      throw new Error(`the table already holds ${before.held.length} items of ${REPLACE_KEY}`);
    say(`${itemsBefore.toLocaleString('en-US')} items in the table before (counted in ${seconds(t0).toFixed(1)} s)`);
    const dynamo = countRequests(stack.ddb);
    const s3 = countRequests(stack.s3);
    const outcomes: IngestOutcome[] = [];
    const handler = makeIngestHandler({ ...stack, onIngested: (o) => void outcomes.push(o) });
    const queue = new LocalQueue(handler, { deadLetterDir: join(state, 'dead-letter') });
    let redeliveries = 0;
    /** Delivers the queued event to the handler: timed, its requests counted (the upload or delete before it is not). */
    const deliver = async (what: string) => {
      dynamo.reset();
      s3.reset();
      const before = outcomes.length;
      const start = performance.now();
      const drained = await withProgress(queue.drain(), () => what);
      const s = seconds(start);
      if (drained.deadLettered.length > 0) throw new Error(`${what}: the event was dead-lettered`);
      redeliveries += drained.failedAttempts;
      const outcome = outcomes[before];
      if (!outcome || outcomes.length !== before + 1) throw new Error(`${what}: no outcome, or more than one`);
      const figures = { s, outcome, requests: dynamo.total(), byKind: dynamo.byKind(), s3: s3.byKind() };
      say(
        `${what}: ${s.toFixed(2)} s; ${figures.requests.toLocaleString('en-US')} DynamoDB requests ${JSON.stringify(figures.byKind)}, S3 ${JSON.stringify(figures.s3)}; ${outcome.writes.items.toLocaleString('en-US')} items written, ${outcome.forgotten.toLocaleString('en-US')} forgotten`,
      );
      return figures;
    };
    const upload = async (body: Buffer) => {
      const put = await stack.s3.send(
        new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: REPLACE_KEY, Body: body, ContentLength: body.length }),
      );
      queue.send(
        JSON.stringify(
          s3CreatedEvent({ bucket: stack.uploadsBucket, key: REPLACE_KEY, size: body.length, etag: put.ETag }),
        ),
      );
    };

    await upload(firstVersion);
    const ingested = await deliver(`ingest of ${original.rows.length.toLocaleString('en-US')} rows under a new key`);
    if (ingested.outcome.change !== 'ingested' || ingested.outcome.receipt.rejected > 0) {
      throw new Error('the roster was not ingested whole');
    }
    await upload(secondVersion);
    const replaced = await deliver(`replacement by a corrected version (${JSON.stringify(fixed.changes)})`);
    if (replaced.outcome.change !== 'ingested' || !replaced.outcome.receipt.replaced) {
      throw new Error('the corrected version did not replace the first');
    }
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: REPLACE_KEY }));
    queue.send(JSON.stringify(s3RemovedEvent({ bucket: stack.uploadsBucket, key: REPLACE_KEY })));
    const withdrawn = await deliver('withdrawal (S3 delete)');
    if (withdrawn.outcome.change !== 'withdrawn') throw new Error('the roster was not withdrawn');

    // Not measured: what a withdrawal keeps (the source's record, marked withdrawn, and its receipt) goes too.
    await stack.ddb.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { pk: sourceKey(REPLACE_KEY), sk: RECEIPT_SK } }),
    );
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: receiptKeyOf(REPLACE_KEY) }));
    t0 = performance.now();
    const after = await tableItems(stack, sourceId);
    for (const key of after.held) await stack.ddb.send(new DeleteCommand({ TableName: stack.tableName, Key: key }));
    const itemsAfter = after.items - after.held.length;
    say(`${itemsAfter.toLocaleString('en-US')} items in the table after (counted in ${seconds(t0).toFixed(1)} s)`);
    for (const [what, forgot, expected] of [
      ['replacement', replaced.outcome.forgotten, replaceExpected],
      ['withdrawal', withdrawn.outcome.forgotten, secondKeys.size],
    ] as const) {
      if (forgot !== expected) say(`warning: the ${what} forgot ${forgot} items of the ${expected} it should have`);
    }
    if (after.held.length > 0) {
      say(
        `warning: ${after.held.length} items of the withdrawn roster were still in the table (deleted now): ${JSON.stringify(after.held.slice(0, 5))}`,
      );
    }
    if (itemsAfter !== itemsBefore) {
      say(`warning: the table has ${itemsAfter - itemsBefore} items more than before: later phases read another table`);
    }
    if (redeliveries > 0) say(`warning: ${redeliveries} failed deliveries, the figures include a second reading`);
    const round = (s: number) => Number(s.toFixed(2));
    return {
      rows: original.rows.length,
      corrections: fixed.changes,
      redeliveries,
      ingest_seconds: round(ingested.s),
      ingest_items: ingested.outcome.writes.items,
      ingest_requests: ingested.requests,
      ingest_requests_by_kind: ingested.byKind,
      ingest_s3_requests_by_kind: ingested.s3,
      replace_seconds: round(replaced.s),
      replace_items: replaced.outcome.writes.items,
      replace_requests: replaced.requests,
      replace_requests_by_kind: replaced.byKind,
      replace_s3_requests_by_kind: replaced.s3,
      replace_forgotten: replaced.outcome.forgotten,
      replace_forgotten_expected: replaceExpected,
      withdraw_seconds: round(withdrawn.s),
      withdraw_requests: withdrawn.requests,
      withdraw_requests_by_kind: withdrawn.byKind,
      withdraw_s3_requests_by_kind: withdrawn.s3,
      withdraw_forgotten: withdrawn.outcome.forgotten,
      withdraw_forgotten_expected: secondKeys.size,
      left_behind: after.held.length,
      table_items_before: itemsBefore,
      table_items_after: itemsAfter,
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
    return { seconds: Number(s.toFixed(2)), items, peak_rss_mb: peakRssMb() };
  } finally {
    await stack.close();
  }
}

async function evaluate(data: GenerateResult, state: string) {
  const { evaluateAll } = await import('../shared/services/evaluate-all.js');
  const { loadPopulation, attendanceOf } = await import('../shared/adapters/dynamo/population.js');
  const { loadCatalog } = await import('../shared/core/catalog/catalog.js');
  const { evaluateApplicant, mergeTrainings } = await import('../shared/core/eligibility/index.js');
  const { rulesetFor } = await import('../shared/core/rules/registry.js');
  const stack = await hostedStack(state);
  try {
    const deps = { ...stack, adminBucket: stack.uploadsBucket };
    const summary = await withProgress(evaluateAll(deps, data.asOf));
    say(
      `${summary.applicants.toLocaleString('en-US')} applicants: read ${summary.seconds.read.toFixed(1)} s, evaluate ${summary.seconds.evaluate.toFixed(2)} s, write ${summary.seconds.write.toFixed(1)} s; ${summary.eligible} eligible`,
    );
    // The evaluation core alone, on the same people: merged trainings prepared first, 100,000 evaluations timed.
    const { population } = await loadPopulation(stack.ddb, stack.tableName);
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
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await stack.close();
  }
}

async function renewals(data: GenerateResult, state: string) {
  const { renewalsAll } = await import('../shared/services/renewals-all.js');
  const stack = await hostedStack(state);
  try {
    const t0 = performance.now();
    const summary = await withProgress(renewalsAll({ ...stack, adminBucket: stack.uploadsBucket }, data.asOf));
    const s = seconds(t0);
    say(
      `${summary.endorsees.toLocaleString('en-US')} endorsees in ${s.toFixed(1)} s: ${JSON.stringify(summary.byStatus)}`,
    );
    return {
      endorsees: summary.endorsees,
      total_s: Number(s.toFixed(2)),
      read_s: Number(summary.seconds.read.toFixed(2)),
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await stack.close();
  }
}

async function reports(data: GenerateResult, state: string) {
  const stack = await hostedStack(state);
  try {
    const { publishReports } = await import('../shared/services/publish-reports.js');
    const t0 = performance.now();
    const summary = await withProgress(publishReports(stack, data.asOf));
    const s = seconds(t0);
    const { read, build, write } = summary.seconds;
    say(
      `reports built and published in ${s.toFixed(1)} s: read ${read.toFixed(1)} s, build ${build.toFixed(1)} s, write ${write.toFixed(1)} s`,
    );
    return {
      total_s: Number(s.toFixed(2)),
      read_s: Number(read.toFixed(2)),
      build_s: Number(build.toFixed(2)),
      peak_rss_mb: peakRssMb(),
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
  renewals,
  reports,
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [name, dataDir, state] = process.argv.slice(2) as [PhaseName | 'stack-host', string, string];
  const result = await RUNNERS[name](name === 'stack-host' ? ({} as GenerateResult) : load(dataDir), state);
  if (hostPeakRssMb !== undefined) result.stack_host_peak_rss_mb = hostPeakRssMb;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
