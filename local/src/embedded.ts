/**
 * The embedded stack: DynamoDB (dynalite, LevelDB on disk) and S3 (s3rver, files on disk)
 * started inside this process and reached through the real AWS SDK clients.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { type Clients, type LocalCredentials, localClients } from '#adapters/clients.js';
import { SOURCE_INDEX } from '#adapters/dynamo/codecs.js';
import { LOCAL_REPORTS_BUCKET, LOCAL_TABLE_NAME, LOCAL_UPLOADS_BUCKET, TABLE_KEYS } from '#adapters/table-design.js';
import { finishInterruptedRewrite, rewriteLevelDb } from './compact.js';
import { randomCredentials } from './emulator-guard.mjs';
import { lockDownS3 } from './s3-lockdown.js';

/** Where the embedded stack keeps its state unless `--state` says otherwise: `.state/` in the project. */
export const DEFAULT_STATE_DIR = join(import.meta.dirname, '..', '..', '.state');

export interface EmbeddedStack extends Clients {
  stateDir: string;
  tableName: string;
  uploadsBucket: string;
  reportsBucket: string;
  endpoints: { dynamodb: string; s3: string };
  /** The keys of this run: the emulators refuse every request not signed with them. */
  credentials: LocalCredentials;
  /**
   * Rewrites the embedded DynamoDB's LevelDB files so that deleted and overwritten items leave no
   * byte on disk (erasure; see compact.ts). Call it when no request is in flight.
   */
  compactDynamoDb(): Promise<void>;
  close(): Promise<void>;
}

/** The legacy OpenSSL provider must be on for s3rver's listing tokens (see docs/runtime.md). */
function checkOpenSslProvider(): void {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (!flags.includes('--openssl-legacy-provider')) {
    process.emitWarning(
      'Node runs without --openssl-legacy-provider: listing many objects on the embedded S3 will fail. Use the iecmh command or npm scripts, which set it.',
    );
  }
}

/** Starts DynamoDB and S3 with their state under `stateDir`, and creates the table and buckets if missing. */
export async function startEmbeddedStack(stateDir: string): Promise<EmbeddedStack> {
  checkOpenSslProvider();
  mkdirSync(join(stateDir, 's3'), { recursive: true });
  // The emulators let no one else in (docs/threat-model.md); nor may the files behind them.
  chmodSync(stateDir, 0o700);
  const dynamoDir = join(stateDir, 'dynamodb');
  finishInterruptedRewrite(dynamoDir);
  mkdirSync(dynamoDir, { recursive: true });
  const credentials = randomCredentials();
  const dynamo = await startDynamoDb(dynamoDir, credentials);
  // Path-style only: the clients never name a bucket in the Host header (shared/adapters/clients.ts).
  const s3Dir = join(stateDir, 's3');
  const s3server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, vhostBuckets: false });
  const forgetS3Key = lockDownS3(s3server, s3Dir, credentials);
  let s3Address: { port: number };
  try {
    s3Address = await s3server.run();
  } catch (err) {
    forgetS3Key();
    await dynamo.close();
    throw err;
  }
  const endpoints = {
    dynamodb: `http://127.0.0.1:${dynamo.port}`,
    s3: `http://127.0.0.1:${s3Address.port}`,
  };
  const clients = localClients(endpoints, credentials);
  const stack: EmbeddedStack = {
    ...clients,
    credentials,
    stateDir,
    tableName: LOCAL_TABLE_NAME,
    uploadsBucket: LOCAL_UPLOADS_BUCKET,
    reportsBucket: LOCAL_REPORTS_BUCKET,
    endpoints,
    async compactDynamoDb() {
      await dynamo.rewrite(async () => {
        await rewriteLevelDb(dynamoDir);
      });
      // dynalite reopens its files in the background: answered once they are open.
      await clients.ddb.send(new ListTablesCommand({ Limit: 1 }));
    },
    async close() {
      clients.ddb.destroy();
      clients.s3.destroy();
      await s3server.close();
      forgetS3Key();
      await dynamo.close();
    },
  };
  try {
    await ensureTable(stack);
    for (const bucket of [stack.uploadsBucket, stack.reportsBucket]) await ensureBucket(stack, bucket);
  } catch (err) {
    await stack.close();
    throw err;
  }
  return stack;
}

/** Starts dynalite (LevelDB files under `path`, answering only `credentials`) on a worker thread; resolves with its port. */
async function startDynamoDb(
  path: string,
  credentials: LocalCredentials,
): Promise<{
  port: number;
  /** Runs `rewriteFiles` while dynalite has its LevelDB closed, then lets it reopen and listen again. */
  rewrite(rewriteFiles: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}> {
  const worker = new Worker(new URL('./dynamodb-worker.mjs', import.meta.url), {
    workerData: { path, credentials },
    // dynalite makes garbage fast; a small young generation makes V8 collect it before RSS balloons.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(`the embedded DynamoDB did not start: ${m.error}`)),
    );
  });
  // A worker that dies later (out of memory, say) would otherwise leave only "connection refused"
  // in the handlers' logs: say what happened where the operator looks.
  let closing = false;
  worker.on('error', (err) => console.error(`the embedded DynamoDB stopped: ${err.stack ?? err}`));
  worker.on('exit', (code) => {
    if (!closing) console.error(`the embedded DynamoDB stopped unexpectedly (exit ${code})`);
  });
  let requests = 0;
  /** Posts `{ [what]: id }` and waits for the worker's `{ [done]: id }` (pausing and resuming for erasure). */
  const ask = (what: 'pause' | 'resume', done: 'paused' | 'resumed') =>
    new Promise<void>((resolve, reject) => {
      const id = ++requests;
      const onMessage = (m: Record<string, unknown>) => {
        if (m[done] !== id) return;
        worker.off('message', onMessage);
        if (m.error) reject(new Error(`the embedded DynamoDB could not ${what}: ${m.error}`));
        else resolve();
      };
      worker.on('message', onMessage);
      worker.postMessage({ [what]: id });
    });
  return {
    port,
    async rewrite(rewriteFiles: () => Promise<void>) {
      await ask('pause', 'paused');
      try {
        await rewriteFiles();
      } finally {
        await ask('resume', 'resumed');
      }
    },
    close: async () => {
      closing = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    },
  };
}

async function ensureTable(stack: EmbeddedStack): Promise<void> {
  try {
    const { Table } = await stack.ddb.send(new DescribeTableCommand({ TableName: stack.tableName }));
    // A table from before uploads were tracked as sources cannot be corrected or withdrawn: say so.
    if (!Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === SOURCE_INDEX.name)) {
      throw new Error(
        `the state folder ${stack.stateDir} was written by an earlier version of the pipeline (its table has no ${SOURCE_INDEX.name} index). Delete the folder and run again: the uploads are read anew.`,
      );
    }
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  await createTable(stack.ddb, stack.tableName);
}

/** Creates a table with the project's key design (the stack's table, or a scratch one for the benchmark). */
export async function createTable(ddb: Clients['ddb'], tableName: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
        { AttributeName: SOURCE_INDEX.partitionKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SOURCE_INDEX.name,
          KeySchema: [{ AttributeName: SOURCE_INDEX.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
}

async function ensureBucket(stack: EmbeddedStack, bucket: string): Promise<void> {
  try {
    await stack.s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}
