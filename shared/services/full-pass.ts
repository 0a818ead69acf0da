/**
 * What the evaluation and the renewal job share when they judge everyone without holding everyone
 * (docs/architecture.md, "How the full pass reads everyone"): the people in batches, in person-id
 * order, a segment of them at a time, and exports written as parts that are then put together.
 */
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
