/** Receipts sit beside their upload's key; an upload key as long as S3 allows still gets one. */
import { describe, expect, it } from 'vitest';
import { receiptKeyOf } from '#services/ingest-object.js';

describe('receipt keys', () => {
  it('are receipts/<upload key>.json', () => {
    expect(receiptKeyOf('rosters/fall 2026.csv')).toBe('receipts/rosters/fall 2026.csv.json');
  });

  it('stay within S3’s 1,024 bytes for the longest upload keys, distinct for keys that differ only at the end', () => {
    const long = `rosters/${'ñ'.repeat(505)}`; // 8 + 1,010 bytes
    const a = receiptKeyOf(`${long}a.csv`);
    const b = receiptKeyOf(`${long}b.csv`);
    for (const k of [a, b]) {
      expect(Buffer.byteLength(k)).toBeLessThanOrEqual(1024);
      expect(k).toMatch(/^receipts\/rosters\/ñ+~[0-9a-f]{16}\.json$/);
    }
    expect(a).not.toBe(b);
  });
});
