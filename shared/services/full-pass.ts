/**
 * What the evaluation and the renewal job share when they judge everyone without holding everyone
 * (docs/architecture.md, "How the full pass reads everyone"): the people in batches, in person-id
 * order, a segment of them at a time, and exports written as parts that are then put together.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX } from '../adapters/table-design.js';
import { type CsvValue, csvRecords } from '../core/csv/write.js';

/**
 * People read, judged and written together: a batch's facts, results and rows are all a job holds
 * of people (with the next batch being read), so its memory does not grow with the population.
 */
export const PEOPLE_PER_BATCH = 500;

/**
 * A slice of the people, by position in the sorted ids: a pass over everyone is one segment of
 * one; a pass that outgrows one function can judge each segment apart and put the parts together.
 */
export interface Segment {
  segment: number;
  totalSegments: number;
}

export const EVERYONE: Segment = { segment: 0, totalSegments: 1 };

/** The ids a segment judges: consecutive, so the parts in segment order are in person-id order. */
export function idsOfSegment(ids: readonly string[], s: Segment): readonly string[] {
  const size = Math.ceil(ids.length / s.totalSegments);
  return ids.slice(s.segment * size, (s.segment + 1) * size);
}

/** Where a segment writes its part of an export: `admin/parts/<export>-<n>-of-<total>.csv`. */
export function partKey(exportKey: string, s: Segment): string {
  const name = exportKey.slice(exportKey.lastIndexOf('/') + 1).replace(/\.csv$/, '');
  return `${ADMIN_PREFIX}parts/${name}-${s.segment + 1}-of-${s.totalSegments}.csv`;
}

export const partKeys = (exportKey: string, totalSegments: number) =>
  Array.from({ length: totalSegments }, (_, segment) => partKey(exportKey, { segment, totalSegments }));

/** An export's header record (with the BOM), as csvRecords begins it. */
export function csvHeader(columns: readonly string[]): string {
  const [header] = csvRecords(columns, []);
  return header as string;
}

/** An export's records of `rows` without the header: a part, or a batch of one. */
export function* csvBody(columns: readonly string[], rows: Iterable<Record<string, CsvValue>>): Generator<string> {
  let header = true;
  for (const record of csvRecords(columns, rows)) {
    if (header) header = false;
    else yield record;
  }
}

/**
 * A batch's records as one string: the S3 upload turns each string it is given into a buffer, and
 * one of some hundred kilobytes a batch, unlike a small one per row, leaves the process's native
 * memory as it found it (at 100,000 applicants a row each grew it by tens of MB over the pass).
 */
export function csvBatch(columns: readonly string[], rows: Iterable<Record<string, CsvValue>>): string {
  return [...csvBody(columns, rows)].join('');
}

/**
 * Writes an export from its parts, in order: the header, then each part as its segment wrote it.
 * Streamed through: neither the parts nor the export are held whole.
 */
export async function assembleExport(
  admin: ObjectStore,
  key: string,
  columns: readonly string[],
  parts: readonly string[],
): Promise<void> {
  async function* text() {
    yield csvHeader(columns);
    for (const part of parts) {
      const opened = await admin.openCurrent(part);
      if (!opened) throw new Error(`${part} is missing: its segment has not written it`);
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
      for await (const bytes of opened.body) yield decoder.decode(bytes, { stream: true });
      const rest = decoder.decode();
      if (rest) yield rest;
    }
  }
  await admin.putCsvStream(key, text());
}

/** An export written as its records come, beside another being streamed (csvStream). */
export interface CsvStream {
  write(records: Iterable<string>): Promise<void>;
  /** Ends the export and waits for it to be stored. */
  end(): Promise<void>;
  /** Gives up: the upload is aborted, nothing is stored. */
  abort(reason: Error): Promise<void>;
}

/**
 * Streams records to `key` as a job produces them, so that a second export of one pass (the renewal
 * job's outreach list beside renewals.csv) is not held until the end: at 200,000 people a third of
 * the endorsees may be at risk.
 */
export function csvStream(admin: ObjectStore, key: string): CsvStream {
  const out = new PassThrough({ objectMode: true });
  const stored = admin.putCsvStream(key, out as AsyncIterable<string>);
  // A failed upload is reported by end() (or made moot by abort()), never as an unhandled rejection.
  stored.catch(() => undefined);
  return {
    async write(records) {
      for (const record of records) if (!out.write(record)) await once(out, 'drain');
    },
    async end() {
      out.end();
      await stored;
    },
    async abort(reason) {
      out.destroy(reason);
      await stored.catch(() => undefined);
    },
  };
}
