/**
 * The fact caches as stored, and as a whole read of each applicant and endorsee would make them
 * (shared/adapters/dynamo/fact-cache.ts): a test asserts the two are equal.
 */
import { FACTS_TYPE, factText, storedText } from '#adapters/dynamo/fact-cache.js';
import { factItemsOf } from '#adapters/dynamo/population-stream.js';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import type { TestStack } from './stack.js';

export async function factCaches(stack: TestStack) {
  const table = dynamoTableStore(stack.ddb, stack.tableName);
  const { index } = await table.populationIndex();
  const stored: Record<string, string> = {};
  for (const item of await stack.items()) {
    if (item.type === FACTS_TYPE) stored[String(item.pk).slice('PERSON#'.length)] = storedText(item);
  }
  const wholeRead: Record<string, string> = {};
  for (const id of new Set([...index.applicantIds, ...index.endorseeIds]))
    wholeRead[id] = factText(factItemsOf(await table.personItems(id), index));
  return { stored, wholeRead };
}
