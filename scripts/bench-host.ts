/**
 * What every benchmark phase shares: the embedded stack hosted in a second process, a request
 * counter by operation, progress lines and the figures' units.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import type { GenerateResult } from '../tools/synthetic/generate.js';

/** The script the stack host runs in (`bench-phases.ts stack-host`). */
const PHASES_SCRIPT = join(import.meta.dirname, 'bench-phases.ts');

/**
 * The AWS SDK, the emulators and the handlers are loaded only by the phases that use them: a
 * process that has loaded them runs the pure core markedly slower (a larger heap for every
 * collection to walk), and the core phase measures the core as a consumer of it alone would.
 */
export const stackModules = async () => {
  const [{ LocalQueue }, { s3CreatedEvent, s3RemovedEvent }, ingestHandler, s3, lib] = await Promise.all([
    import('../local/src/queue.js'),
    import('../local/src/s3-events.js'),
    import('../functions/ingest/ingest-handler.js'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-dynamodb'),
  ]);
  return {
    LocalQueue,
    s3CreatedEvent,
    s3RemovedEvent,
    makeIngestHandler: ingestHandler.makeIngestHandler,
    PutObjectCommand: s3.PutObjectCommand,
    DeleteObjectCommand: s3.DeleteObjectCommand,
    BatchWriteCommand: lib.BatchWriteCommand,
    DeleteCommand: lib.DeleteCommand,
    ScanCommand: lib.ScanCommand,
  };
};

/** What a phase reports: figures, and requests counted by kind. */
export type PhaseResult = Record<string, number | Record<string, number>>;

/**
 * Counts the requests a client sends, by operation (`BatchWriteItem`, `Query`, `GetObject`...).
 * The count is taken at the deserialize step, which runs once per HTTP attempt: a request the
 * SDK retried counts each time it was sent, as DynamoDB would bill it.
 */
export function countRequests<I extends object, O extends object>(client: { middlewareStack: MiddlewareStack<I, O> }) {
  let counts = new Map<string, number>();
  const counter: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    const kind = (context.commandName ?? 'unknown').replace(/Command$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return next(args);
  };
  client.middlewareStack.add(counter, { step: 'deserialize', name: 'benchRequestCounter' });
  return {
    reset: () => {
      counts = new Map();
    },
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    byKind: (): Record<string, number> => Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/**
 * The embedded stack, hosted in a second process for the phase that uses it: as DynamoDB and S3
 * are services apart from a Lambda in AWS, the phase's own figures (time on its core, peak
 * memory) are the handler's, and the emulators' memory is reported beside them.
 */
let hostPeakRssMb: number | undefined;
/** The peak RSS of the last stack host, once it has stopped. */
export const stackHostPeakRssMb = () => hostPeakRssMb;

export async function hostedStack(state: string) {
  const { localClients } = await import('../shared/adapters/clients.js');
  const design = await import('../shared/adapters/table-design.js');
  // The host keeps Node's own heap settings; limits given to the phase are the handler's.
  const flags = process.execArgv.filter(
    (a) => !a.startsWith('--max-old-space-size') && !a.startsWith('--max-semi-space-size'),
  );
  const host = spawn(process.execPath, [...flags, PHASES_SCRIPT, 'stack-host', '-', state], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: host.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => host.once('exit', resolve));
  const first = await lines.next();
  if (first.done) throw new Error(`the stack host ended before it started (exit ${await exited})`);
  // The host's keys come over its stdout, a pipe only this process reads.
  const { endpoints, credentials } = JSON.parse(first.value) as {
    endpoints: { dynamodb: string; s3: string };
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  const clients = localClients(endpoints, credentials);
  return {
    ...clients,
    endpoints,
    stateDir: state,
    tableName: design.LOCAL_TABLE_NAME,
    uploadsBucket: design.LOCAL_UPLOADS_BUCKET,
    reportsBucket: design.LOCAL_REPORTS_BUCKET,
    /** Stops the host; its peak RSS goes with the phase's figures. */
    async close(): Promise<void> {
      clients.ddb.destroy();
      clients.s3.destroy();
      host.stdin.end();
      let last = '';
      for (let l = await lines.next(); !l.done; l = await lines.next()) last = l.value;
      const code = await exited;
      if (code !== 0) throw new Error(`the stack host exited with ${code}`);
      hostPeakRssMb = (JSON.parse(last) as { peak_rss_mb: number }).peak_rss_mb;
    },
  };
}

/** The other side of `hostedStack`: starts the embedded stack, says where, and stops when stdin ends. */
export async function stackHost(_data: GenerateResult, state: string) {
  const { startEmbeddedStack } = await import('../local/src/embedded.js');
  const stack = await startEmbeddedStack(state);
  process.stdout.write(`${JSON.stringify({ endpoints: stack.endpoints, credentials: stack.credentials })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await stack.close();
  return { peak_rss_mb: peakRssMb() };
}

export const say = (s: string) => process.stderr.write(`  ${s}\n`);
export const mb = (bytes: number) => Math.round(bytes / 1048576);
export const peakRssMb = () => mb(process.resourceUsage().maxRSS * 1024);
export const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Awaits `work`, saying every 30 seconds how long it has run and where it is (no long silent wait). */
export async function withProgress<T>(work: Promise<T>, status: () => string = () => 'running'): Promise<T> {
  const t0 = performance.now();
  const timer = setInterval(() => say(`... ${seconds(t0).toFixed(0)} s: ${status()}`), 30_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

export function load(dataDir: string): GenerateResult {
  return JSON.parse(readFileSync(join(dataDir, 'generated.json'), 'utf8')) as GenerateResult;
}
