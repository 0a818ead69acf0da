/**
 * `iecmh replay`: sends the messages that kept failing (the local dead-letter folder) through the
 * ingest handler again, once whatever made them fail is fixed. In AWS the same is one command:
 * `aws sqs start-message-move-task --source-arn <dead-letter queue ARN>` (see docs/operations.md).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeIngestHandler } from '#functions/ingest/ingest-handler.js';
import { DEFAULT_STATE_DIR, type EmbeddedStack, startEmbeddedStack } from './embedded.js';
import { LocalQueue, type SqsHandler } from './queue.js';

export interface ReplayResult {
  replayed: number;
  succeeded: number;
  stillFailing: string[];
}

/** Replays every dead-lettered message; a message that succeeds is removed, one that fails again is dead-lettered anew. */
export async function replayDeadLetters(stack: EmbeddedStack, handler?: SqsHandler): Promise<ReplayResult> {
  const dir = join(stack.stateDir, 'dead-letter');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return { replayed: 0, succeeded: 0, stillFailing: [] };
  }
  const queue = new LocalQueue(handler ?? makeIngestHandler({ ...stack, leaseMs: 0 }), {
    deadLetterDir: dir,
    maxReceiveCount: 3,
  });
  for (const f of files) {
    const message = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { body: unknown };
    queue.send(JSON.stringify(message.body));
    rmSync(join(dir, f));
  }
  const drained = await queue.drain();
  return { replayed: files.length, succeeded: drained.delivered, stillFailing: drained.deadLettered };
}

export async function replayCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { state: { type: 'string' } } });
  const stack = await startEmbeddedStack(resolve(values.state ?? DEFAULT_STATE_DIR));
  try {
    const r = await replayDeadLetters(stack);
    process.stdout.write(
      r.replayed === 0
        ? 'Nothing to replay: the dead-letter folder is empty.\n'
        : `Replayed ${r.replayed} message(s): ${r.succeeded} ingested, ${r.stillFailing.length} failed again${r.stillFailing.length ? ` (${r.stillFailing.join(', ')})` : ''}.\n`,
    );
    return r.stillFailing.length === 0 ? 0 : 1;
  } finally {
    await stack.close();
  }
}
