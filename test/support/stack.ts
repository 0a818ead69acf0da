/** The embedded stack in a fresh temporary state folder, and helpers to upload and ingest through the queue path. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { localKeyedHash } from '#local/audit-key.js';
import { type EmbeddedStack, startEmbeddedStack } from '#local/embedded.js';
import { LocalQueue } from '#local/queue.js';
import { s3CreatedEvent, s3RemovedEvent } from '#local/s3-events.js';
import type { IngestOutcome } from '#services/ingest-object.js';

export interface TestStack extends EmbeddedStack {
  outcomes: IngestOutcome[];
  /** Uploads files under their keys and delivers one S3 event per file (each `times` times) through the queue. */
  /**
   * Uploads and ingests the files. Each change's pending note (STATE#pending) then goes, as once
   * its refresh messages are evaluated in AWS, unless `pending` keeps it for the test's own
   * evaluation to let go of (`outcome.pending`, through requestAfter).
   */
  ingest(
    files: Record<string, string | Uint8Array>,
    options?: { times?: number; pending?: boolean },
  ): Promise<IngestOutcome[]>;
  /** Deletes uploads and delivers their "object removed" events through the queue. */
  /** Deletes the uploads and ingests their withdrawal; the changes' notes as for `ingest`. */
  withdraw(keys: string[], options?: { pending?: boolean }): Promise<IngestOutcome[]>;
  items(): Promise<Record<string, unknown>[]>;
  partition(pk: string): Promise<Record<string, unknown>[]>;
  destroy(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), 'iecmh-test-'));
  const stack = await startEmbeddedStack(dir);
  const outcomes: IngestOutcome[] = [];
  const handler = makeIngestHandler({
    ...stack,
    leaseMs: 0,
    keyedHash: localKeyedHash(stack.stateDir),
    onIngested: (o) => void outcomes.push(o),
  });
  const queue = new LocalQueue(handler, { deadLetterDir: join(dir, 'dead-letter'), maxReceiveCount: 3 });
  /** The changes' pending notes let go of, unless `keep` (see TestStack.ingest). */
  const settled = async (changes: IngestOutcome[], keep = false) => {
    if (!keep) for (const o of changes) await dynamoTableStore(stack.ddb, stack.tableName).clearPending(o.pending);
    return changes;
  };
  return Object.assign(stack, {
    outcomes,
    async ingest(files: Record<string, string | Uint8Array>, options: { times?: number; pending?: boolean } = {}) {
      const before = outcomes.length;
      for (const [key, body] of Object.entries(files)) {
        const put = await stack.s3.send(new PutObjectCommand({ Bucket: stack.uploadsBucket, Key: key, Body: body }));
        const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
        const event = JSON.stringify(s3CreatedEvent({ bucket: stack.uploadsBucket, key, size, etag: put.ETag }));
        for (let i = 0; i < (options.times ?? 1); i++) queue.send(event);
      }
      const drained = await queue.drain();
      if (drained.deadLettered.length > 0) throw new Error(`dead-lettered: ${drained.deadLettered.join(', ')}`);
      return settled(outcomes.slice(before), options.pending);
    },
    async withdraw(keys: string[], options: { pending?: boolean } = {}) {
      const before = outcomes.length;
      for (const key of keys) {
        await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.uploadsBucket, Key: key }));
        queue.send(JSON.stringify(s3RemovedEvent({ bucket: stack.uploadsBucket, key })));
      }
      const drained = await queue.drain();
      if (drained.deadLettered.length > 0) throw new Error(`dead-lettered: ${drained.deadLettered.join(', ')}`);
      return settled(outcomes.slice(before), options.pending);
    },
    async items() {
      const out = await stack.ddb.send(new ScanCommand({ TableName: stack.tableName }));
      return (out.Items ?? []) as Record<string, unknown>[];
    },
    async partition(pk: string) {
      const out = await stack.ddb.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        }),
      );
      return (out.Items ?? []) as Record<string, unknown>[];
    },
    async destroy() {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/**
 * Gives `to` the state-folder secret of `from` (the key the release noise and the audit hash are drawn
 * with), as two runs of one deployment share its KMS keys: their reports then compare cell for cell.
 */
export function shareSecret(from: EmbeddedStack, to: EmbeddedStack): void {
  copyFileSync(join(from.stateDir, 'audit-hmac.key'), join(to.stateDir, 'audit-hmac.key'));
}
