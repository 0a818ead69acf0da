/**
 * Writes items with BatchWriteItem in requests of 25, several in flight. A request that fails whole
 * (throttled, or lost on the way) is sent again by the SDK's own retry strategy (`maxAttempts` on the
 * client, shared/adapters/clients.ts). What the SDK does not retry is a request that succeeds with
 * part of its items left over as `UnprocessedItems` (docs/runtime.md, "BatchWriteItem"): those are
 * sent again here, with capped, jittered exponential backoff.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../table-design.js';

export type Item = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

export interface BatchWriterOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts per request to write its unprocessed items before giving up (each retry waits longer). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Replaceable for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface WriteStats {
  items: number;
  /** BatchWriteItem calls made here (the SDK's retries of a call not counted). */
  requests: number;
  /** Requests sent again, by the SDK (a call that failed whole) or here (unprocessed items). */
  retries: number;
  /** Attempts the SDK sent again because a call failed whole (throttled, or lost on the way). */
  throttles: number;
}

/** Items could not be written after every retry. */
export class WriteFailedError extends Error {
  override name = 'WriteFailedError';
}

const BATCH = 25;
/**
 * Requests in flight by default. Eight keep DynamoDB busy while the same thread parses the next
 * chunk of the file (with four, the embedded DynamoDB sat idle during parsing bursts).
 */
export const DEFAULT_CONCURRENCY = 8;
const keyOf = (item: Item) => `${item[TABLE_KEYS.partitionKey]}\u0000${item[TABLE_KEYS.sortKey]}`;
const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BatchWriter {
  readonly stats: WriteStats = { items: 0, requests: 0, retries: 0, throttles: 0 };
  private pending = new Map<string, WriteRequest>();
  private inFlight = new Set<Promise<void>>();
  /** The request in flight for each key: a later write of a key waits for it, so the later one is what stays. */
  private inFlightKeys = new Map<string, Promise<void>>();
  private failure: unknown;
  private readonly o: Required<BatchWriterOptions>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: BatchWriterOptions = {},
  ) {
    this.o = {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      maxAttempts: options.maxAttempts ?? 12,
      baseDelayMs: options.baseDelayMs ?? 25,
      maxDelayMs: options.maxDelayMs ?? 3000,
      sleep: options.sleep ?? sleepFor,
      random: options.random ?? Math.random,
    };
  }

  /**
   * Queues an item. Returns a promise to wait for when a request had to be sent (it settles once
   * fewer than `concurrency` are in flight: backpressure), undefined otherwise, so that a caller
   * writing row after row need not wait a turn of the event loop for each of the 24 rows that only
   * join the batch.
   */
  put(item: Item): Promise<void> | undefined {
    return this.queue(item, { PutRequest: { Item: item } });
  }

  /** Queues the deletion of an item by its key (pk and sk); returns as `put` does. */
  delete(key: Item): Promise<void> | undefined {
    return this.queue(key, { DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } });
  }

  private queue(key: Item, request: WriteRequest): Promise<void> | undefined {
    // BatchWriteItem refuses two writes to one key in a request: the later one replaces the earlier.
    this.pending.set(keyOf(key), request);
    return this.pending.size >= BATCH ? this.send() : undefined;
  }

  /** Sends everything queued and waits for it; throws if any write failed. */
  async flush(): Promise<WriteStats> {
    while (this.pending.size > 0) await this.send();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    return this.stats;
  }

  private async send(): Promise<void> {
    if (this.failure) throw this.failure;
    const keys = this.pending.size <= BATCH ? [...this.pending.keys()] : [...this.pending.keys()].slice(0, BATCH);
    const items = keys.map((k) => this.pending.get(k) as WriteRequest);
    if (keys.length === this.pending.size) this.pending = new Map();
    else for (const k of keys) this.pending.delete(k);
    // A key written again (a file's later row for the same person or training) must land after its
    // earlier write: requests in flight side by side finish in any order.
    const earlier = new Set<Promise<void>>();
    for (const k of keys) {
      const w = this.inFlightKeys.get(k);
      if (w) earlier.add(w);
    }
    if (earlier.size > 0) await Promise.all(earlier);
    while (this.inFlight.size >= this.o.concurrency) await Promise.race(this.inFlight);
    const p: Promise<void> = this.write(items).then(
      () => this.settled(p, keys),
      (err) => {
        this.settled(p, keys);
        this.failure ??= err;
      },
    );
    this.inFlight.add(p);
    for (const k of keys) this.inFlightKeys.set(k, p);
  }

  private settled(p: Promise<void>, keys: readonly string[]): void {
    this.inFlight.delete(p);
    for (const k of keys) if (this.inFlightKeys.get(k) === p) this.inFlightKeys.delete(k);
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt);
    return Math.round(this.o.random() * cap); // full jitter
  }

  private async write(items: WriteRequest[]): Promise<void> {
    let requests = items;
    this.stats.items += items.length;
    for (let attempt = 0; ; attempt++) {
      if (attempt >= this.o.maxAttempts) {
        throw new WriteFailedError(
          `${requests.length} items were still unprocessed after ${this.o.maxAttempts} attempts to write to ${this.tableName}`,
        );
      }
      if (attempt > 0) {
        this.stats.retries++;
        await this.o.sleep(this.backoff(attempt));
      }
      this.stats.requests++;
      const out = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
      const sdkRetries = (out.$metadata.attempts ?? 1) - 1;
      this.stats.throttles += sdkRetries;
      this.stats.retries += sdkRetries;
      const left = out.UnprocessedItems?.[this.tableName] ?? [];
      if (left.length === 0) return;
      requests = left as typeof requests;
    }
  }
}
