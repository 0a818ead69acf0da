/** Logs carry file keys, counts and ids, never a name or an email: the whole pipeline is run and every line scanned. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/commons/logger.js';
import { runPipeline } from '../../local/src/run.js';
import { parseCsv } from '../../shared/core/reports/csv.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'pipeline', 'first');
const dir = mkdtempSync(join(tmpdir(), 'iecmh-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every first name, last name and email in the fixture files. */
function personalValues(): string[] {
  const values = new Set<string>();
  for (const f of ['applicants.csv', 'endorsements.csv']) {
    const [header, ...rows] = parseCsv(readFileSync(join(FIXTURES, f), 'utf8'));
    for (const column of ['first_name', 'last_name', 'email']) {
      const i = header?.indexOf(column) ?? -1;
      for (const r of rows) if (i >= 0 && r[i]) values.add(r[i] as string);
    }
  }
  return [...values];
}

describe('logs', () => {
  it('hold no name or email at any level the functions log at', async () => {
    logger.setLogLevel('DEBUG');
    let logged = '';
    const spies = [process.stdout, process.stderr].map((s) =>
      vi.spyOn(s, 'write').mockImplementation((chunk) => {
        logged += String(chunk);
        return true;
      }),
    );
    try {
      await runPipeline({ input: FIXTURES, out: join(dir, 'out'), state: join(dir, 'state'), asOf: '2026-06-30' });
    } finally {
      for (const s of spies) s.mockRestore();
      logger.setLogLevel('WARN');
    }
    expect(logged).toContain('"message":"ingested"');
    const values = personalValues();
    expect(values.length).toBeGreaterThan(10);
    for (const v of values) expect(logged, `"${v}" appears in the logs`).not.toContain(v);
  });
});
