/**
 * Per-person summaries: what the reports need about one judged person (their groups and their
 * outcome on the run's as-of date), in partitions of their own so a report reads summaries and
 * never the raw rows (docs/architecture.md, "Summaries").
 *
 *   SUMMARY#<shard>   <person id>#A    an applicant as the evaluation judged them
 *   SUMMARY#<shard>   <person id>#E    an endorsee as the renewal job judged them
 *   SUMMARY#state     applicant / endorsee    the run that wrote them: as-of date, ruleset, facts generation
 *   STATE#facts       GENERATION       a counter every change of the facts bumps, once a job has made it
 *
 * A summary is only as good as the run that wrote it: it carries the run's id, and a reader takes
 * only the summaries of the runs their markers name, and only while the facts generation the run
 * started from is still the table's. The shard spreads a run's writes over several partitions.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './codecs.js';

/** Summary partitions: a run's writes spread over this many, and a report reads them side by side. */
export const SUMMARY_SHARDS = 16;
export const SUMMARY_STATE_PK = 'SUMMARY#state';
export const FACTS_STATE_KEY = { pk: 'STATE#facts', sk: 'GENERATION' } as const;

export type SummaryKind = 'applicant' | 'endorsee';
const SUFFIX: Record<SummaryKind, string> = { applicant: 'A', endorsee: 'E' };

/** The groups a report counts a person in (never a name, email or id). */
export interface SummaryGroups {
  category: string;
  county?: string;
  raceEthnicity: string[];
  primaryLanguage?: string;
  sector?: string;
}

/** An applicant as judged: groups, education, eligibility and the ids of the gaps. */
export interface ApplicantSummary extends SummaryGroups {
  education?: string;
  eligible: boolean;
  gaps: string[];
}

/** An endorsee as judged: groups and renewal status. */
export interface EndorseeSummary extends SummaryGroups {
  status: string;
}

export interface SummaryOf {
  applicant: ApplicantSummary;
  endorsee: EndorseeSummary;
}

/** A summary as the reports read it: an applicant's without the gaps. */
export type ReportedSummary = Omit<ApplicantSummary, 'gaps'> | EndorseeSummary;

/**
 * The attributes readSummaries brings back: the key's sort part and what summaryCodec.decode reads.
 * The partition, the run's id, the item type and the gaps stay on the server: they are most of an
 * item's bytes, and every byte is encoded, sent and decoded again for each of the run's people.
 */
const REPORTED_ATTRIBUTES = [
  'sk',
  'kind',
  'category',
  'county',
  'raceEthnicity',
  'primaryLanguage',
  'sector',
  'education',
  'eligible',
  'status',
] as const;

/** The run that wrote a kind's summaries. */
export interface SummaryRun {
  run: string;
  asOf: string;
  rulesetId: string;
  /** The facts generation read before the run read its population. */
  generation: number;
  /** The ingested files' kinds and checksums, for the reports' manifest. */
  inputs: { kind: string; sha256: string | null }[];
}

function shardOf(personId: string): string {
  const n = createHash('sha256').update(personId).digest().readUInt16BE(0) % SUMMARY_SHARDS;
  return `SUMMARY#${String(n).padStart(2, '0')}`;
}

export const summaryCodec = {
  key: (kind: SummaryKind, personId: string) => ({ pk: shardOf(personId), sk: `${personId}#${SUFFIX[kind]}` }),
  encode<K extends SummaryKind>(kind: K, personId: string, run: string, summary: SummaryOf[K]): Item {
    return { ...summary, ...summaryCodec.key(kind, personId), type: 'summary', kind, run };
  },
  /**
   * A summary as the reports read it (readSummaries), its fields in the order the reports list them:
   * everything but an applicant's gaps, which no report counts.
   */
  decode(item: Item): { kind: SummaryKind; summary: ReportedSummary } {
    const groups: SummaryGroups = {
      category: item.category as string,
      county: item.county as string | undefined,
      raceEthnicity: (item.raceEthnicity as string[] | undefined) ?? [],
      primaryLanguage: item.primaryLanguage as string | undefined,
      sector: item.sector as string | undefined,
    };
    if (item.kind === 'endorsee') return { kind: 'endorsee', summary: { ...groups, status: item.status as string } };
    return {
      kind: 'applicant',
      summary: {
        ...groups,
        education: item.education as string | undefined,
        eligible: Boolean(item.eligible),
      },
    };
  },
  runKey: (kind: SummaryKind) => ({ pk: SUMMARY_STATE_PK, sk: kind }),
};

/** The facts generation, read strongly (0 when no job has watched it yet). */
export async function factsGeneration(ddb: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const out = await ddb.send(new GetCommand({ TableName: tableName, Key: FACTS_STATE_KEY, ConsistentRead: true }));
  return typeof out.Item?.generation === 'number' ? out.Item.generation : 0;
}

/**
 * The facts generation as a job starts reading: the counter is made here if it is not there yet,
 * so that every change from now on bumps it. A table no job has read keeps no such item.
 */
export async function watchFactsGeneration(ddb: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: tableName,
      Key: FACTS_STATE_KEY,
      UpdateExpression: 'ADD generation :zero SET #type = :state',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':zero': 0, ':state': 'state' },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return typeof out.Attributes?.generation === 'number' ? out.Attributes.generation : 0;
}

/**
 * Marks the facts as changed: summaries judged from an earlier generation are no longer read. Only
 * a counter a job watches is bumped (before any job there are no summaries to set aside).
 */
export async function bumpFactsGeneration(ddb: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: FACTS_STATE_KEY,
        UpdateExpression: 'ADD generation :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function readSummaryRun(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  kind: SummaryKind,
): Promise<SummaryRun | undefined> {
  const out = await ddb.send(
    new GetCommand({ TableName: tableName, Key: summaryCodec.runKey(kind), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...run } = out.Item;
  return run as SummaryRun;
}

export function summaryRunItem(kind: SummaryKind, run: SummaryRun): Item {
  return { ...run, ...summaryCodec.runKey(kind), type: 'summary-run' };
}

/**
 * Every summary of the given runs, a page at a time as the shards are read side by side (strongly
 * consistent: the run's writes are all there), each with its sort key and the attributes the
 * reports read (REPORTED_ATTRIBUTES). Summaries of other runs are left on the server.
 */
export async function* readSummaries(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  runs: readonly string[],
): AsyncGenerator<Item[]> {
  const values = Object.fromEntries(runs.map((r, i) => [`:r${i}`, r]));
  // Every attribute by a placeholder: several (status, kind) are DynamoDB reserved words.
  const projected = Object.fromEntries(REPORTED_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const shards = Array.from({ length: SUMMARY_SHARDS }, (_, n) => `SUMMARY#${String(n).padStart(2, '0')}`);
  const iterators = shards.map((pk) =>
    paginateQuery(
      { client: ddb },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: `#run IN (${Object.keys(values).join(', ')})`,
        ProjectionExpression: Object.keys(projected).join(', '),
        ExpressionAttributeNames: { '#run': 'run', ...projected },
        ExpressionAttributeValues: { ':pk': pk, ...values },
        ConsistentRead: true,
      },
    )[Symbol.asyncIterator](),
  );
  // One page in flight per shard: memory holds at most SUMMARY_SHARDS pages.
  const pending = new Map(iterators.map((it, i) => [i, it.next().then((r) => ({ i, r }))]));
  while (pending.size > 0) {
    const { i, r } = await Promise.race(pending.values());
    if (r.done) {
      pending.delete(i);
      continue;
    }
    pending.set(
      i,
      (iterators[i] as (typeof iterators)[number]).next().then((next) => ({ i, r: next })),
    );
    yield r.value.Items ?? [];
  }
}

/** The keys of a kind's summaries written by any run but `run`, shard by shard. */
export async function* staleSummaryKeys(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  kind: SummaryKind,
  run: string,
): AsyncGenerator<Item> {
  for (let n = 0; n < SUMMARY_SHARDS; n++) {
    const pages = paginateQuery(
      { client: ddb },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#kind = :kind AND #run <> :run',
        ProjectionExpression: 'pk, sk',
        ExpressionAttributeNames: { '#kind': 'kind', '#run': 'run' },
        ExpressionAttributeValues: { ':pk': `SUMMARY#${String(n).padStart(2, '0')}`, ':kind': kind, ':run': run },
      },
    );
    for await (const page of pages) yield* (page.Items ?? []) as Item[];
  }
}
