/**
 * The benchmark's replace phase: on the ingested table, a 10,000-row roster under a new key is
 * ingested, replaced by a corrected version and withdrawn, each timed with its requests counted.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { sourceKey, sourceTag, trainingCodec } from '../shared/adapters/dynamo/codecs.js';
import { itemOf } from '../shared/adapters/dynamo/ingest-sink.js';
import { ingestFile } from '../shared/core/ingest/ingest.js';
import type { IngestOutcome } from '../shared/services/ingest-object.js';
import type { GenerateResult } from '../tools/synthetic/generate.js';
import {
  countRequests,
  hostedStack,
  type PhaseResult,
  peakRssMb,
  say,
  seconds,
  stackModules,
  withProgress,
} from './bench-host.js';

/** The upload key the replace phase uses: a roster no generated file is named after. */
const REPLACE_KEY = 'rosters/bench-replace-10k.csv';
const REPLACE_ROWS = 10_000;

/** The first `wanted` data rows of the roster files, in order (as many files as it takes), as fields. */
export async function firstRosterRows(files: GenerateResult['files'], wanted: number) {
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
export async function replace(data: GenerateResult, state: string): Promise<PhaseResult> {
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
    // The changes' notes go as their refresh messages would once evaluated (the evaluate phase judges everyone next).
    const { dynamoTableStore } = await import('../shared/adapters/dynamo/table-store.js');
    for (const o of outcomes) await dynamoTableStore(stack.ddb, stack.tableName).clearPending(o.pending);
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
