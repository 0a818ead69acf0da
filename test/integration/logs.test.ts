/** Logs carry file keys, counts and ids, never a name or an email: the whole pipeline is run and every line scanned. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runPipeline } from '#local/run.js';
import { parseCsv } from '../support/csv.js';

// Every invocation sets the logger back to the level it was created with (injectLambdaContext, for
// Powertools' debug sampling), so the level comes from the environment, before the logger exists.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

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
    }
    expect(logged).toContain('"message":"ingested"');
    // Every line names the invocation (injectLambdaContext), and the ingest function's lines the SQS message.
    const lines = logged
      .split('\n')
      // Progress lines on stderr end without a newline: a log line can follow one on the same line.
      .flatMap((l) => (l.includes('{"level"') ? [l.slice(l.indexOf('{"level"'))] : []))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(lines.map((l) => l.function_name))).toEqual(
      new Set(['iecmh-ingest', 'iecmh-evaluate', 'iecmh-renewals', 'iecmh-reports']),
    );
    for (const line of lines) {
      expect(line.function_request_id, line.message as string).toMatch(/^[0-9a-f-]{36}$/);
      if (line.function_name === 'iecmh-ingest') {
        expect(line.messageId, line.message as string).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    // One message per file, each its own invocation locally (the queue delivers batches of one).
    const ingested = lines.filter((l) => l.message === 'ingested');
    expect(ingested.length).toBeGreaterThan(1);
    expect(new Set(ingested.map((l) => l.messageId)).size).toBe(ingested.length);
    expect(new Set(ingested.map((l) => l.function_request_id)).size).toBe(ingested.length);
    const values = personalValues();
    expect(values.length).toBeGreaterThan(10);
    for (const v of values) expect(logged, `"${v}" appears in the logs`).not.toContain(v);
  });
});
