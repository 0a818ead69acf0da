/** Reading items by key, 100 keys a request (BatchGetItem's limit), several requests at once. */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from './codecs.js';

/** Keys of one BatchGetItem at most. */
const BATCH_GET_KEYS = 100;
/** Requests in flight at once. */
const CONCURRENCY = 16;

/**
 * The items of `keys` that exist, with the attributes named in `attributes` (and their keys), in
 * no particular order. What DynamoDB leaves unprocessed is asked for again after a growing pause.
 */
export async function getItemsByKey(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly { pk: string; sk: string }[],
  attributes: readonly string[],
): Promise<Item[]> {
  const batches: { pk: string; sk: string }[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) batches.push(keys.slice(i, i + BATCH_GET_KEYS));
  const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
  const projection = ['pk', 'sk', ...Object.keys(names)].join(', ');
  const found: Item[] = [];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, batches.length) }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let pending: Item[] = batch;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2_000)));
          const out = await client.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: pending,
                  ProjectionExpression: projection,
                  ...(attributes.length > 0 ? { ExpressionAttributeNames: names } : {}),
                },
              },
            }),
          );
          found.push(...(out.Responses?.[tableName] ?? []));
          pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
        }
      }
    }),
  );
  return found;
}
