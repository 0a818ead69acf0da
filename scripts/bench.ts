/**
 * `npm run bench`: measures the pipeline at workforce scale on the embedded stack and prints a
 * table, then (last line) one JSON object with the figures. Not a test: nothing here asserts a time.
 *
 *   npm run bench                       100,000 people, about 1,000,000 roster rows
 *   npm run bench -- --people 10000     smaller
 */
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import Papa from 'papaparse';
import { makeIngestHandler } from '../functions/ingest/ingest-handler.js';
import { startEmbeddedStack } from '../local/src/embedded.js';
import { LocalQueue } from '../local/src/queue.js';
import { s3CreatedEvent } from '../local/src/s3-events.js';
import { itemsOf } from '../shared/adapters/dynamo/items.js';
import { TABLE_KEYS } from '../shared/adapters/table-design.js';
import { ingestFile } from '../shared/core/ingest/ingest.js';
import type { IngestOutcome } from '../shared/services/ingest-object.js';
import { type GenerateResult, generateDataset } from '../shared/synthetic/generate.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    seed: { type: 'string', default: 'bench' },
    dir: { type: 'string', default: '.bench' },
  },
});
const people = Number(values.people);
const root = resolve(values.dir);
const dataDir = join(root, `data-${people}-${values.seed}`);
const stateDir = join(root, 'state');

const rows: [string, string][] = [];
const figures: Record<string, number> = {};
const mb = (b: number) => Math.round(b / 1048576);
const say = (s: string) => process.stderr.write(`${s}\n`);

/** Samples RSS while `fn` runs; returns its result, seconds and the highest RSS seen. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

function record(name: string, value: string) {
  rows.push([name, value]);
  say(`  ${name.padEnd(46)} ${value}`);
}

async function dataset(): Promise<GenerateResult> {
  const marker = join(dataDir, 'generated.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as GenerateResult;
  say(`generating ${people.toLocaleString('en-US')} people into ${dataDir} ...`);
  const { value, seconds } = await measure(() =>
    generateDataset({ people, seed: values.seed, out: dataDir, files: { rosters: 4 } }),
  );
  record('generate (s)', seconds.toFixed(1));
  const { writeFileSync } = await import('node:fs');
  writeFileSync(marker, JSON.stringify(value));
  return value;
}

async function main() {
  const data = await dataset();
  const rosters = data.files.filter((f) => f.kind === 'rosters');
  const rosterRows = rosters.reduce((n, f) => n + f.rows, 0);
  const rosterBytes = rosters.reduce((n, f) => n + statSync(f.path).size, 0);
  say(`\n${rosterRows.toLocaleString('en-US')} roster rows in ${rosters.length} files (${mb(rosterBytes)} MB)`);
  figures.rows = rosterRows;

  // 1. Bare papaparse: the same files, streamed as text, rows counted.
  const bare = await measure(async () => {
    let n = 0;
    for (const f of rosters) {
      await new Promise<void>((done, fail) => {
        Papa.parse(createReadStream(f.path, { encoding: 'utf8', highWaterMark: 256 * 1024 }) as never, {
          chunk: (r: Papa.ParseResult<unknown>) => {
            n += r.data.length;
          },
          complete: () => done(),
          error: fail,
        });
      });
    }
    return n;
  });
  figures.papaparse_rows_per_s = Math.round(rosterRows / bare.seconds);
  record('bare papaparse (rows/s)', figures.papaparse_rows_per_s.toLocaleString('en-US'));

  // 2. The core: decode + parse + validate + map to items, no storage. Once on a quarter, once on all.
  const core = async (files: typeof rosters) => {
    let items = 0;
    for (const f of files) {
      const receipt = await ingestFile({
        kind: 'rosters',
        file: f.name,
        source: createReadStream(f.path, { highWaterMark: 256 * 1024 }),
        sink: async (records) => {
          for (const r of records) items += itemsOf(r).length;
        },
      });
      if (receipt.rejected > 0) throw new Error(`${f.name}: ${receipt.rejected} rows rejected in generated data`);
    }
    return items;
  };
  const coreQuarter = await measure(() => core(rosters.slice(0, 1)));
  const coreAll = await measure(() => core(rosters));
  figures.core_rows_per_s = Math.round(rosterRows / coreAll.seconds);
  record('core: decode+parse+validate+map (rows/s)', figures.core_rows_per_s.toLocaleString('en-US'));
  record('core / bare papaparse', (figures.core_rows_per_s / figures.papaparse_rows_per_s).toFixed(2));
  record('core peak RSS, one roster file / all (MB)', `${mb(coreQuarter.peakRss)} / ${mb(coreAll.peakRss)}`);

  rmSync(stateDir, { recursive: true, force: true });
  const stack = await startEmbeddedStack(stateDir);
  try {
    // 3. End to end: upload, S3 event through the queue, the ingest handler, batched writes.
    const outcomes: IngestOutcome[] = [];
    const handler = makeIngestHandler({ ...stack, onIngested: (o) => void outcomes.push(o) });
    const queue = new LocalQueue(handler, { deadLetterDir: join(stateDir, 'dead-letter') });
    const upload = async (f: (typeof data.files)[number]) => {
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
    for (const f of rosters) await upload(f);
    let lastShown = 0;
    const e2e = await measure(async () => {
      const timer = setInterval(() => {
        const done = outcomes.reduce((n, o) => n + o.receipt.rows, 0);
        if (done !== lastShown) say(`  ... ${outcomes.length}/${rosters.length} roster files ingested`);
        lastShown = done;
      }, 15_000);
      try {
        return await queue.drain();
      } finally {
        clearInterval(timer);
      }
    });
    const writes = outcomes.reduce(
      (acc, o) => ({ items: acc.items + o.writes.items, requests: acc.requests + o.writes.requests + 2 }),
      { items: 0, requests: 0 },
    );
    figures.ingest_rows_per_s = Math.round(rosterRows / e2e.seconds);
    figures.write_requests_per_row = Number((writes.requests / rosterRows).toFixed(4));
    figures.peak_rss_mb = mb(e2e.peakRss);
    record('end-to-end ingest of rosters (rows/s)', figures.ingest_rows_per_s.toLocaleString('en-US'));
    record(
      'items written / write requests',
      `${writes.items.toLocaleString('en-US')} / ${writes.requests.toLocaleString('en-US')}`,
    );
    record('write requests per row (incl. receipt)', String(figures.write_requests_per_row));
    record('peak RSS during ingest (MB)', String(figures.peak_rss_mb));

    // 4. The write ceiling: bare BatchWriteItem of as many items, same item shape, same concurrency.
    const rawTable = 'bench-raw-writes';
    await stack.ddb.send(
      new CreateTableCommand({
        TableName: rawTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
    const raw = await measure(async () => {
      let next = 0;
      const worker = async () => {
        while (next < writes.items) {
          const start = next;
          next = Math.min(writes.items, next + 25);
          const batch = [];
          for (let i = start; i < next; i++) {
            batch.push({
              PutRequest: {
                Item: {
                  pk: `PERSON#P${String(i % people).padStart(7, '0')}`,
                  sk: `ATT#T${String(i).padStart(7, '0')}#C`,
                  type: 'attendance',
                  trainingId: `T${String(i).padStart(7, '0')}`,
                  date: '2026-01-15',
                  hours: 3.5,
                  competencies: ['1A.1', '1F.3'],
                  dei: false,
                  rscTopic: false,
                  completed: true,
                  personId: `P${String(i % people).padStart(7, '0')}`,
                },
              },
            });
          }
          const out = await stack.ddb.send(new BatchWriteCommand({ RequestItems: { [rawTable]: batch } }));
          if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('unprocessed items in raw writes');
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    });
    figures.raw_write_items_per_s = Math.round(writes.items / raw.seconds);
    record('bare BatchWriteItem ceiling (items/s)', figures.raw_write_items_per_s.toLocaleString('en-US'));
    const itemsPerRow = writes.items / rosterRows;
    record(
      'end to end / write ceiling (rows as items)',
      ((figures.ingest_rows_per_s * itemsPerRow) / figures.raw_write_items_per_s).toFixed(2),
    );
  } finally {
    await stack.close();
  }
  figures.peak_rss_mb = Math.max(figures.peak_rss_mb ?? 0, mb(process.resourceUsage().maxRSS * 1024));

  process.stdout.write(`\n| measure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

await main();
