/**
 * Bad input at scale: thousands of mutated CSV files (truncations, random bytes, wrong encodings,
 * huge fields, thousands of columns) through validation, and a sample through the whole ingest
 * path on the embedded stack. No crash, no hang, bounded memory, and every file gets a receipt
 * or one clear rejection. The counts it ran are printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, type Receipt } from '#core/ingest/ingest.js';
import { INPUT_KINDS, type InputKind } from '#core/model.js';
import { Random } from '#tools/synthetic/random.js';
import { chunksOf } from '../support/chunks.js';
import { startTestStack, type TestStack } from '../support/stack.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const SEEDS: Record<InputKind, Buffer> = {
  applicants: readFileSync(join(EXAMPLES, 'applicants.csv')).subarray(0, 6000),
  rosters: readFileSync(join(EXAMPLES, 'rosters.csv')).subarray(0, 6000),
  rsc: readFileSync(join(EXAMPLES, 'rsc.csv')).subarray(0, 6000),
  endorsements: readFileSync(join(EXAMPLES, 'endorsements.csv')).subarray(0, 6000),
  trainings: readFileSync(join(EXAMPLES, 'trainings.csv')).subarray(0, 6000),
};

type Mutation = (b: Buffer, r: Random) => Buffer;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, r.int(0, b.length)),
  flipBytes: (b, r) => {
    const c = Buffer.from(b);
    for (let i = 0, n = r.int(1, 40); i < n; i++) c[r.int(0, c.length - 1)] = r.int(0, 255);
    return c;
  },
  insertRandomBytes: (b, r) => {
    const at = r.int(0, b.length);
    const junk = Buffer.from(Array.from({ length: r.int(1, 200) }, () => r.int(0, 255)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  nulBytes: (b, r) => {
    const c = Buffer.from(b);
    for (let i = 0; i < 5; i++) c[r.int(0, c.length - 1)] = 0;
    return c;
  },
  utf16WithoutBom: (b) => Buffer.from(b.toString('utf8'), 'utf16le'),
  utf16WithBom: (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
  windows1252: (b) => iconv.encode(b.toString('utf8').replace(/e/g, 'é').replace(/a/g, '€'), 'win1252'),
  strayQuotes: (b, r) => {
    const s = b.toString('utf8').split('');
    for (let i = 0, n = r.int(1, 10); i < n; i++) s.splice(r.int(0, s.length), 0, '"');
    return Buffer.from(s.join(''));
  },
  hugeField: (b, r) => {
    const lines = b.toString('utf8').split('\n');
    const at = r.int(1, Math.max(1, lines.length - 1));
    // A file of one line gets a second one (never the text "undefined", which the receipts are checked for).
    lines[at] = `${lines[at] ?? ''}${'x'.repeat(r.int(100_000, 2_000_000))}`;
    return Buffer.from(lines.join('\n'));
  },
  thousandsOfColumns: (b, r) => {
    const [header, ...rest] = b.toString('utf8').split('\n');
    const extra = Array.from({ length: r.int(1000, 5000) }, (_, i) => `extra_${i}`).join(',');
    return Buffer.from([`${header},${extra}`, ...rest.map((l) => `${l},${',x'.repeat(r.int(0, 3000))}`)].join('\n'));
  },
  noLineBreaks: (b) => Buffer.from(b.toString('utf8').replace(/\n/g, ',')),
  onlyLineBreaks: (_b, r) => Buffer.from('\r\n'.repeat(r.int(0, 5000))),
  shuffleLines: (b, r) => Buffer.from(r.shuffle(b.toString('utf8').split('\n')).join('\n')),
  semicolons: (b) => Buffer.from(b.toString('utf8').replace(/,/g, ';')),
  xlsxSignature: (b) => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), b]),
  wrongKindHeader: (b) => Buffer.from(`a,b,c\n${b.toString('utf8')}`),
};

const FILES = 1600;
const TIMEOUT_PER_FILE_MS = 15_000;

function mutate(r: Random): { kind: InputKind; bytes: Buffer; applied: string[] } {
  const kind = r.pick(INPUT_KINDS);
  let bytes: Buffer = SEEDS[kind];
  const applied: string[] = [];
  const names = Object.keys(MUTATIONS);
  for (let i = 0, n = r.int(1, 3); i < n; i++) {
    const name = r.pick(names);
    applied.push(name);
    bytes = (MUTATIONS[name] as Mutation)(bytes, r);
  }
  return { kind, bytes, applied };
}

function expectWellFormed(receipt: Receipt, label: string) {
  expect(receipt.rows, label).toBe(receipt.accepted + receipt.rejected);
  if (receipt.unusable) {
    expect(receipt.errors, label).toHaveLength(1);
    expect(receipt.errors[0]?.line, label).toBe(0);
    expect(receipt.errors[0]?.message.length, label).toBeGreaterThan(10);
  }
  for (const e of receipt.errors) expect(e.message, label).not.toMatch(/undefined|\[object/);
}

async function withTimeout<T>(p: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hang: ${label} took over ${TIMEOUT_PER_FILE_MS} ms`)),
      TIMEOUT_PER_FILE_MS,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzzing validation with mutated files', () => {
  it(`gives each of ${FILES} mutated files a well-formed receipt, in bounded memory`, async () => {
    const r = new Random('fuzz-validate');
    const counts = { files: 0, unusable: 0, withRejections: 0, clean: 0, rows: 0 };
    const byMutation = new Map<string, number>();
    let peakHeap = 0;
    for (let i = 0; i < FILES; i++) {
      const { kind, bytes, applied } = mutate(r);
      const label = `file ${i} (${kind}: ${applied.join(' + ')})`;
      const receipt = await withTimeout(
        ingestFile({ kind, file: `fuzz-${i}.csv`, source: chunksOf(bytes, r.int(1, 70_000)) }),
        label,
      );
      expectWellFormed(receipt, label);
      counts.files++;
      counts.rows += receipt.rows;
      if (receipt.unusable) counts.unusable++;
      else if (receipt.rejected > 0) counts.withRejections++;
      else counts.clean++;
      for (const m of applied) byMutation.set(m, (byMutation.get(m) ?? 0) + 1);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    console.log(
      `fuzz: ${counts.files} files, ${counts.rows} rows; ${counts.unusable} unusable, ${counts.withRejections} with rejected rows, ${counts.clean} clean; peak heap ${Math.round(peakHeap / 1048576)} MB; mutations ${JSON.stringify(Object.fromEntries(byMutation))}`,
    );
    expect(counts.files).toBe(FILES);
    // Files are at most a few MB; a heap beyond this would mean something is being held.
    expect(peakHeap).toBeLessThan(600 * 1048576);
  }, 300_000);
});

describe('fuzzing the whole ingest path', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.destroy();
  });

  it('stores a receipt for every mutated upload and never dead-letters one', async () => {
    const r = new Random('fuzz-ingest');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 120; i++) {
      const { kind, bytes } = mutate(r);
      files[`${kind}/fuzz ${i}.csv`] = bytes;
    }
    const outcomes = await stack.ingest(files);
    expect(outcomes).toHaveLength(120);
    for (const o of outcomes) expectWellFormed(o.receipt, o.receipt.file);
    const receipts = (await stack.items()).filter((i) => i.type === 'receipt');
    expect(receipts).toHaveLength(120);
    console.log(`fuzz ingest: 120 uploads, ${outcomes.filter((o) => o.receipt.unusable).length} unusable`);
  }, 300_000);
});
