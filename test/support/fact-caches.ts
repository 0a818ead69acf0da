/**
 * The fact caches as stored, and as a whole read of each applicant and endorsee would make them
 * (shared/adapters/dynamo/fact-cache.ts): a test asserts the two are equal. Only caches of the
 * current epoch count as stored; `stale` names those of an earlier one (read whole before trusted).
 */
import { FACTS_TYPE, factText, storedText } from '#adapters/dynamo/fact-cache.js';
import { factItemsOf } from '#adapters/dynamo/population-stream.js';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import type { TestStack } from './stack.js';

export async function factCaches(stack: TestStack) {
  const table = dynamoTableStore(stack.ddb, stack.tableName);
  const { index } = await table.populationIndex();
  const { cacheEpoch } = await table.factsState();
  const stored: Record<string, string> = {};
  const stale: string[] = [];
  for (const item of await stack.items()) {
    if (item.type !== FACTS_TYPE) continue;
    const id = String(item.pk).slice('PERSON#'.length);
    if (Number(item.epoch ?? 0) === cacheEpoch) stored[id] = storedText(item);
    else stale.push(id);
  }
  const wholeRead: Record<string, string> = {};
  for (const id of new Set([...index.applicantIds, ...index.endorseeIds]))
    wholeRead[id] = factText(factItemsOf(await table.personItems(id), index));
  return { stored, wholeRead, stale: stale.sort() };
}
