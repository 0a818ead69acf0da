import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLine } from '#core/csv/write.js';
import { CsvFileWriter } from '#tools/synthetic/csv-writer.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('CsvFileWriter', () => {
  it('writes a header and many rows that read back exactly, across many chunks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iecmh-csv-'));
    dirs.push(dir);
    const path = join(dir, 'out.csv');
    const writer = CsvFileWriter.open(path, ['id', 'text']);
    const rows: string[][] = [];
    for (let i = 0; i < 20_000; i++) {
      const row = [String(i), i % 3 === 0 ? `a, "quoted" ${i}` : i % 3 === 1 ? ` spaced ${i} ` : `plain ${i}`];
      rows.push(row);
      if (i % 2 === 0) writer.row(row);
      else writer.line(csvLine(row));
      await writer.flushIfFull();
    }
    await writer.close();
    expect(writer.rows).toBe(20_000);
    const parsed = Papa.parse<string[]>(await readFile(path, 'utf8'), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(['id', 'text']);
    expect(parsed.data.slice(1)).toEqual(rows);
  });

  it('reports a file that cannot be opened when it is written or closed', async () => {
    const writer = CsvFileWriter.open(join(tmpdir(), 'no-such-dir-iecmh', 'x', 'out.csv'), ['a']);
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });
});
