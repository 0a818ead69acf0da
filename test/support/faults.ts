/**
 * Fault injection around the real SDK clients. The embedded DynamoDB never throttles and the
 * embedded S3 never drops a connection, so these wrappers make the failures AWS can produce;
 * everything else goes to the real emulators.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Send = (command: unknown) => Promise<unknown>;

function withSend<T extends object>(client: T, send: (real: Send, command: unknown) => Promise<unknown>): T {
  const real = (client as unknown as { send: Send }).send.bind(client);
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'send') return (command: unknown) => send(real, command);
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** What a faulty BatchWriteItem attempt does: throttled whole, or half its items left unprocessed. */
export type BatchWriteFault = 'throttle' | 'unprocessed';

/**
 * BatchWriteItem attempts fail as `faultOf` says for their number (1-based, counting the SDK's retries):
 * the fault is made below the SDK's retry, where DynamoDB makes it, so a throttled attempt is retried by
 * the SDK as a real one is, and unprocessed items come back to the caller.
 */
export function faultyBatchWrites(
  client: DynamoDBDocumentClient,
  faultOf: (attempt: number) => BatchWriteFault | undefined,
): DynamoDBDocumentClient {
  let attempts = 0;
  return withSend(client, async (real, command) => {
    if (command instanceof BatchWriteCommand) {
      // Items as the caller wrote them; below the retry the request is already in DynamoDB's own format.
      const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0] as [string, unknown[]];
      const answer = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        const fault = faultOf(++attempts);
        if (fault === 'throttle') {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        if (fault !== 'unprocessed') return next(args);
        const half = Math.ceil(requests.length / 2);
        await real(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) as never } }));
        return { output: { UnprocessedItems: { [table]: requests.slice(half) }, $metadata: {} }, response: {} };
      };
      command.middlewareStack.addRelativeTo(answer as never, {
        name: 'faultyBatchWrites',
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        override: true,
      });
    }
    return real(command);
  });
}

/** BatchWriteItem attempts numbered `from` to `to` (1-based) throttle: half become UnprocessedItems, or the attempt throws. */
export function throttlingDynamo(client: DynamoDBDocumentClient, from: number, to: number) {
  const stats = { throttled: 0 };
  const wrapped = faultyBatchWrites(client, (attempt) => {
    if (attempt < from || attempt > to) return undefined;
    stats.throttled++;
    return attempt % 2 === 0 ? 'throttle' : 'unprocessed';
  });
  return { client: wrapped, stats };
}

/** The process "dies" at its `at`-th BatchWriteItem call, once: the call fails after earlier batches were stored. */
export function dyingDynamo(client: DynamoDBDocumentClient, at: number) {
  let calls = 0;
  const stats = { died: 0 };
  const wrapped = withSend(client, async (real, command) => {
    if (command instanceof BatchWriteCommand && ++calls === at) {
      stats.died++;
      throw Object.assign(new Error('Runtime exited with error: signal: killed'), { name: 'LambdaDiedError' });
    }
    return real(command);
  });
  return { client: wrapped, stats };
}

/** The first `failures` GetObject bodies break after `afterBytes` bytes, as a dropped connection does. */
export function flakyS3(client: S3Client, failures: number, afterBytes: number) {
  const stats = { broken: 0 };
  const wrapped = withSend(client, async (real, command) => {
    const out = (await real(command)) as { Body?: AsyncIterable<Uint8Array> };
    if (!(command instanceof GetObjectCommand) || stats.broken >= failures || !out.Body) return out;
    stats.broken++;
    const body = out.Body;
    async function* breaking() {
      let seen = 0;
      for await (const chunk of body) {
        seen += chunk.length;
        if (seen > afterBytes) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        yield chunk;
      }
    }
    return { ...out, Body: breaking() };
  });
  return { client: wrapped, stats };
}
