/**
 * An export put together from parts that are each sorted by person id but hold people from all over
 * the id range (the renewal job judging from summaries writes one part per summary shard, and a
 * shard holds the people whose id hashes to it): a streaming k-way merge, which holds one record
 * per part, never a part or the export.
 *
 * A part is JSON lines, `["<person id>","<CSV record>"]`: the record is the export's, byte for
 * byte, and JSON escapes the line breaks a quoted CSV field may hold, so a part splits on "\n".
 */
import type { ObjectStore } from '../adapters/s3/object-store.js';

/** A record of an export with the person id it is sorted by. */
export interface KeyedRecord {
  key: string;
  record: string;
}

/** Lines of a part joined into one string for the upload (as csvBatch joins a batch's rows). */
const LINES_PER_WRITE = 500;

const byKey = (a: KeyedRecord, b: KeyedRecord) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Writes a part: the records sorted by key (the same order as the ids' `.sort()`), one JSON line each. */
export async function putSortedPart(admin: ObjectStore, partKey: string, records: KeyedRecord[]): Promise<void> {
  records.sort(byKey);
  function* text() {
    for (let i = 0; i < records.length; i += LINES_PER_WRITE) {
      yield records
        .slice(i, i + LINES_PER_WRITE)
        .map((r) => `${JSON.stringify([r.key, r.record])}\n`)
        .join('');
    }
  }
  await admin.putCsvStream(partKey, text());
}

/** A part's records in order, read as they stream in. */
async function* partRecords(admin: ObjectStore, partKey: string): AsyncGenerator<KeyedRecord> {
  const opened = await admin.openCurrent(partKey);
  if (!opened) throw new Error(`${partKey} is missing: its segment has not written it`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  const parse = (line: string): KeyedRecord => {
    const [key, record] = JSON.parse(line) as [string, string];
    return { key, record };
  };
  for await (const bytes of opened.body) {
    carry += decoder.decode(bytes, { stream: true });
    let nl = carry.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      yield parse(carry.slice(start, nl));
      start = nl + 1;
      nl = carry.indexOf('\n', start);
    }
    carry = carry.slice(start);
  }
  carry += decoder.decode();
  if (carry) yield parse(carry);
}

/**
 * The records of sorted parts merged in key order, a batch of records to a string. With few parts
 * (16), the smallest head is found by looking at each: no heap is worth its code.
 */
export async function* mergeSortedParts(admin: ObjectStore, partKeys: readonly string[]): AsyncGenerator<string> {
  const sources = partKeys.map((key) => partRecords(admin, key));
  const heads: (KeyedRecord | undefined)[] = await Promise.all(sources.map(async (s) => (await s.next()).value));
  let batch: string[] = [];
  for (;;) {
    let least = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (least < 0 || h.key < (heads[least] as KeyedRecord).key)) least = i;
    }
    if (least < 0) break;
    batch.push((heads[least] as KeyedRecord).record);
    if (batch.length >= LINES_PER_WRITE) {
      yield batch.join('');
      batch = [];
    }
    const next = await (sources[least] as AsyncGenerator<KeyedRecord>).next();
    heads[least] = next.done ? undefined : next.value;
  }
  if (batch.length > 0) yield batch.join('');
}
