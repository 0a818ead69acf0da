/**
 * The merge of sorted parts (shared/services/sorted-parts.ts) the renewal job from summaries puts its
 * exports together with: records come out in key order whatever part holds them, byte for byte as
 * given, line breaks and quotes inside a record and a multi-byte character cut between chunks
 * included.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '#adapters/s3/object-store.js';
import { mergeSortedParts, putSortedPart } from '#services/sorted-parts.js';

/** A bucket in memory that hands each object back in chunks of `chunk` bytes. */
function memoryStore(chunk: number, written: string[] = []): ObjectStore {
  const objects = new Map<string, Uint8Array>();
  return {
    async putCsvStream(key: string, records: Iterable<string> | AsyncIterable<string>) {
      let text = '';
      for await (const r of records) {
        written.push(r);
        text += r;
      }
      objects.set(key, new TextEncoder().encode(text));
    },
    async openCurrent(key: string) {
      const bytes = objects.get(key);
      if (!bytes) return undefined;
      async function* body(all: Uint8Array) {
        for (let i = 0; i < all.length; i += chunk) yield all.subarray(i, i + chunk);
      }
      return { body: body(bytes) };
    },
  } as unknown as ObjectStore;
}

describe('the merge of sorted parts', () => {
  // 40,000 bytes: a chunk the merge decodes in pieces, one cut inside a multi-byte character.
  it.each([1, 3, 64, 40_000])(
    'gives every record once, in key order, as written (chunks of %i bytes)',
    async (chunk) => {
      const admin = memoryStore(chunk);
      const ids = Array.from({ length: 1200 }, (_, i) => `P${String((i * 7919) % 100_000).padStart(7, '0')}`);
      const record = (id: string) => `${id},"Zoë\r\nline two, ""quoted""",é\r\n`;
      const parts = ['a', 'b', 'c', 'empty'];
      for (const [n, part] of parts.entries()) {
        const mine = part === 'empty' ? [] : ids.filter((_, i) => i % 3 === n);
        await putSortedPart(
          admin,
          part,
          mine.map((id) => ({ key: id, record: record(id) })),
        );
      }
      let merged = '';
      for await (const text of mergeSortedParts(admin, parts)) merged += text;
      expect(merged).toBe([...ids].sort().map(record).join(''));
    },
  );

  it('hands the upload strings of some 32,000 characters, not one per record nor one per part', async () => {
    const written: string[] = [];
    const admin = memoryStore(64, written);
    const records = Array.from({ length: 3000 }, (_, i) => ({ key: `P${i}`, record: `P${i},${'x'.repeat(90)}\r\n` }));
    await putSortedPart(admin, 'part', records);
    const partStrings = written.length;
    for await (const text of mergeSortedParts(admin, ['part'])) written.push(text);

    for (const text of written) expect(text.length).toBeLessThan(33 * 1024);
    expect(partStrings).toBeGreaterThan(5);
    expect(written.length - partStrings).toBeGreaterThan(5);
  });
});
