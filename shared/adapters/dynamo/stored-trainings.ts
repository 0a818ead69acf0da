/**
 * The trainings outreach suggests from, as the evaluation of everyone found them (the index's
 * trainings: descriptions, calendar fields, attendance counts), kept for the renewal job so that it
 * can judge the endorsees from their summaries without reading the index (renewals-from-summaries.ts):
 *
 *   JOB#evaluation   TRAININGS      the run of endorsee summaries they go with, and how many parts
 *   JOB#evaluation   TRAININGS#<n>  a part of the trainings as JSON, raw-deflated, cut in pieces
 *
 * At 200,000 people there are some 10,000 trainings (a few MB of JSON, some hundreds of KB
 * compressed): a DynamoDB item holds 400 KB, so the bytes are cut into parts well under that. The
 * parts are written first and the head last, so a head names only parts that are all there; each
 * part names its run too, so a reader never mixes two runs' parts.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TrainingSummary } from '#core/model.js';
import { EVALUATION_JOB_PK, type ReadCount } from './incremental.js';

const HEAD_SK = 'TRAININGS';
const partSk = (n: number) => `TRAININGS#${String(n).padStart(3, '0')}`;

/** Bytes per part: well under an item's 400 KB with its key and attributes. */
export const TRAININGS_PART_BYTES = 256 * 1024;

async function getItem(client: DynamoDBDocumentClient, tableName: string, sk: string, count?: ReadCount) {
  const out = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: EVALUATION_JOB_PK, sk }, ConsistentRead: true }),
  );
  if (count && out.Item) count.items += 1;
  return out.Item;
}

/** Stores the trainings in the name of a run of endorsee summaries (`run`), replacing the ones before. */
export async function writeTrainings(
  client: DynamoDBDocumentClient,
  tableName: string,
  run: string,
  trainings: readonly TrainingSummary[],
): Promise<void> {
  // In training-id order: the index's order follows the Scan's pages, and outreach ranks them by a
  // total order (ties broken by the id), so the order given changes nothing but the bytes stored.
  const byId = [...trainings].sort((a, b) => (a.trainingId < b.trainingId ? -1 : a.trainingId > b.trainingId ? 1 : 0));
  const bytes = deflateRawSync(JSON.stringify(byId));
  const parts = Math.max(1, Math.ceil(bytes.length / TRAININGS_PART_BYTES));
  const before = await getItem(client, tableName, HEAD_SK);
  for (let n = 0; n < parts; n++) {
    const piece = new Uint8Array(bytes.subarray(n * TRAININGS_PART_BYTES, (n + 1) * TRAININGS_PART_BYTES));
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: EVALUATION_JOB_PK, sk: partSk(n), type: 'trainings-part', run, bytes: piece },
      }),
    );
  }
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk: EVALUATION_JOB_PK, sk: HEAD_SK, type: 'trainings', run, parts },
    }),
  );
  // The parts of a longer list before it, which no head names now.
  const earlier = typeof before?.parts === 'number' ? before.parts : 0;
  for (let n = parts; n < earlier; n++) {
    await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: EVALUATION_JOB_PK, sk: partSk(n) } }));
  }
}

/** The run the stored trainings go with (undefined: none stored). */
export async function storedTrainingsRun(
  client: DynamoDBDocumentClient,
  tableName: string,
  count?: ReadCount,
): Promise<string | undefined> {
  const head = await getItem(client, tableName, HEAD_SK, count);
  return typeof head?.run === 'string' ? head.run : undefined;
}

/** The trainings stored in the name of `run`, by training id; undefined when another run's are there. */
export async function readTrainings(
  client: DynamoDBDocumentClient,
  tableName: string,
  run: string,
  count?: ReadCount,
): Promise<TrainingSummary[] | undefined> {
  const head = await getItem(client, tableName, HEAD_SK, count);
  if (head?.run !== run) return undefined;
  const pieces: Uint8Array[] = [];
  for (let n = 0; n < Number(head.parts); n++) {
    const part = await getItem(client, tableName, partSk(n), count);
    if (part?.run !== run) return undefined;
    pieces.push(part.bytes as Uint8Array);
  }
  return JSON.parse(inflateRawSync(Buffer.concat(pieces)).toString('utf8')) as TrainingSummary[];
}

/**
 * The stored trainings may no longer be what the table holds (a change that can alter a training's
 * attendance count or who is counted): no run's trainings are there until the next evaluation of
 * everyone stores them again, so the renewal job reads the rows.
 */
export async function forgetTrainings(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: EVALUATION_JOB_PK, sk: HEAD_SK } }));
}
