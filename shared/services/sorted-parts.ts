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

/**
 * Characters of records joined into one string for the upload (as csvBatch joins a batch's rows):
 * enough that a string is not made per record, and under V8's largest ordinary object (128 KB), since
 * a larger string gets memory pages of its own, mapped and given back one by one: batches of 500
 * outreach records (some 300 KB each) raised the merge's peak memory by some 20 MB at 200,000 people.
 */
const CHARS_PER_WRITE = 32 * 1024;

/** Bytes of a part decoded into one string. */
const DECODE_BYTES = 16 * 1024;

/** Strings joined in batches of about CHARS_PER_WRITE characters. */
async function* batched(texts: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  let batch: string[] = [];
  let chars = 0;
  for await (const text of texts) {
    batch.push(text);
    chars += text.length;
    if (chars >= CHARS_PER_WRITE) {
      yield batch.join('');
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch.join('');
}

const byKey = (a: KeyedRecord, b: KeyedRecord) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Writes a part: the records sorted by key (the same order as the ids' `.sort()`), one JSON line each. */
export async function putSortedPart(admin: ObjectStore, partKey: string, records: KeyedRecord[]): Promise<void> {
  records.sort(byKey);
  function* lines() {
    for (const r of records) yield `${JSON.stringify([r.key, r.record])}\n`;
  }
  await admin.putCsvStream(partKey, batched(lines()));
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
  for await (const chunk of opened.body) {
    // Decoded a piece at a time: a 64 KB chunk of text with any character beyond Latin-1 is a string
    // of 128 KB, which V8 gives memory pages of its own (see CHARS_PER_WRITE).
    for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
      carry += decoder.decode(chunk.subarray(at, at + DECODE_BYTES), { stream: true });
      let nl = carry.indexOf('\n');
      let start = 0;
      while (nl >= 0) {
        yield parse(carry.slice(start, nl));
        start = nl + 1;
        nl = carry.indexOf('\n', start);
      }
      carry = carry.slice(start);
    }
  }
  carry += decoder.decode();
  if (carry) yield parse(carry);
}

/**
 * The records of sorted parts merged in key order, a batch of records to a string (batched). With few
 * parts (16), the smallest head is found by looking at each: no heap is worth its code.
 */
export function mergeSortedParts(admin: ObjectStore, partKeys: readonly string[]): AsyncGenerator<string> {
  return batched(mergedRecords(admin, partKeys));
}

async function* mergedRecords(admin: ObjectStore, partKeys: readonly string[]): AsyncGenerator<string> {
  const sources = partKeys.map((key) => partRecords(admin, key));
  const heads: (KeyedRecord | undefined)[] = await Promise.all(sources.map(async (s) => (await s.next()).value));
  for (;;) {
    let least = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (least < 0 || h.key < (heads[least] as KeyedRecord).key)) least = i;
    }
    if (least < 0) return;
    yield (heads[least] as KeyedRecord).record;
    const next = await (sources[least] as AsyncGenerator<KeyedRecord>).next();
    heads[least] = next.done ? undefined : next.value;
  }
}
