/**
 * Load: 200 roster files arriving at once, through the same queue path as in AWS. Each is ingested
 * once, memory stays bounded, and the throughput is printed.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceTag, trainingCodec } from '#adapters/dynamo/codecs.js';
import { itemOf } from '#adapters/dynamo/ingest-sink.js';
import { ingestFile } from '#core/ingest/ingest.js';
import { makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { type EmbeddedStack, startEmbeddedStack } from '#local/embedded.js';
import { LocalQueue } from '#local/queue.js';
import { s3CreatedEvent } from '#local/s3-events.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { type GenerateResult, generateDataset } from '#tools/synthetic/generate.js';

let dir: string;
let stack: EmbeddedStack;
let data: GenerateResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iecmh-load-'));
  data = await generateDataset({ people: 2000, seed: 'load', out: join(dir, 'data'), files: { rosters: 200 } });
  stack = await startEmbeddedStack(join(dir, 'state'));
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('200 roster files at once', () => {
  it('ingests each once through the queue, in bounded memory', async () => {
    const rosters = data.files.filter((f) => f.kind === 'rosters');
    expect(rosters).toHaveLength(200);

    // What should be stored: the distinct keys the files' rows map to, worked out without storage.
    const expected = new Set<string>();
    for (const f of rosters) {
      const key = `rosters/${f.name}`;
      // Sort keys end in the source's id, which depends on the key alone (not on the version).
      const origin = { tag: sourceTag(key, 'any version'), key, shard: 0 };
      await ingestFile({
        kind: 'rosters',
        file: f.name,
        source: createReadStream(f.path),
        sink: async (records) => {
          for (const r of records) {
            const item = itemOf(r, origin);
            expected.add(`${item.pk} ${item.sk}`);
            if (r.kind === 'rosters') {
              const training = trainingCodec.encode(r.record, origin);
              expected.add(`${training.pk} ${training.sk}`);
            }
          }
        },
      });
    }

    const outcomes: IngestOutcome[] = [];
    const handler = makeIngestHandler({ ...stack, onIngested: (o) => void outcomes.push(o) });
    const queue = new LocalQueue(handler, { deadLetterDir: join(dir, 'state', 'dead-letter'), batchSize: 10 });
    for (const f of rosters) {
      const key = `rosters/${f.name}`;
      const body = readFileSync(f.path);
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: key, Body: body }));
      queue.send(JSON.stringify(s3CreatedEvent({ bucket: stack.uploadsBucket, key, size: body.length })));
    }
    let peakRss = process.memoryUsage.rss();
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 25);
    const t0 = performance.now();
    const drained = await queue.drain();
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);

    const rows = outcomes.reduce((n, o) => n + o.receipt.rows, 0);
    console.log(
      `load: 200 files, ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s), peak RSS ${Math.round(peakRss / 1048576)} MB`,
    );
    expect(drained.deadLettered).toEqual([]);
    expect(new Set(outcomes.map((o) => o.receipt.file)).size).toBe(200);
    expect(rows).toBe(rosters.reduce((n, f) => n + f.rows, 0));
    const stored = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
      // Facts only: not the receipts, nor the registry of profile uploads the first roster's check made (STATE#).
      for (const i of out.Items ?? []) {
        if (i.type !== 'receipt' && !String(i.pk).startsWith('STATE#')) stored.add(`${i.pk} ${i.sk}`);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    expect(stored).toEqual(expected);
    expect(peakRss).toBeLessThan(1024 * 1048576);
  }, 300_000);
});
