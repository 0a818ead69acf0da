/**
 * Per-person summaries: what the reports need about one judged person (their groups and their
 * outcome on the run's as-of date), in partitions of their own so a report reads summaries and
 * never the raw rows (docs/architecture.md, "Summaries").
 *
 *   SUMMARY#<shard>   <digest>#A       an applicant as the evaluation judged them (digest: of the person id)
 *   SUMMARY#<shard>   <digest>#E       an endorsee as the evaluation (or the renewal job from the rows) judged
 *                                      them, with their id (`pid`) and the facts judged (`renewal`), which the
 *                                      renewal job judges them from again (renewals-from-summaries.ts)
 *   SUMMARY#state     applicant / endorsee    the run that wrote them: as-of date, ruleset, facts generation
 *   STATE#facts       GENERATION       a counter every change of the facts bumps, once a job has made it,
 *                                      and `invalidAt`: the generation of the last change no evaluation summarised
 *   STATE#pending     CHANGE#… / MSG#… a change being stored, or a refresh message not yet evaluated
 *
 * A summary is only as good as the run that wrote it: it carries the run's id, and a reader takes
 * only the summaries of the runs their markers name. A run judges everyone; between runs, the
 * evaluation of the people a change reached rewrites their summaries in the run's name (each
 * carries `judgedAt`, the facts generation its judge read before the facts, so an older judgement
 * never overwrites a newer one; a person who left keeps a `gone` summary until the next run). A
 * reader trusts the summaries while no change is pending and no change since the runs started was
 * left unsummarised (docs/architecture.md, "Summaries"). The shard spreads a run's writes over
 * several partitions.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import stringify from 'safe-stable-stringify';
import type { Endorsee, RscSession, TrainingRecord } from '#core/model.js';
import type { Item } from './codecs.js';
import { compressedFacts, inflatedText } from './fact-cache.js';

/** Summary partitions: a run's writes spread over this many, and a report reads them side by side. */
export const SUMMARY_SHARDS = 16;
export const SUMMARY_STATE_PK = 'SUMMARY#state';
export const FACTS_STATE_KEY = { pk: 'STATE#facts', sk: 'GENERATION' } as const;
export const PENDING_PK = 'STATE#pending';

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

/**
 * An endorsee's summary as written: the reported fields, and what the renewal job judges them from
 * without the rows (renewals-from-summaries.ts): the person id (an attribute, never in the key) and
 * the renewal input but the date, compressed (renewalFacts). The reports never fetch these two.
 */
export interface WrittenEndorseeSummary extends EndorseeSummary {
  pid: string;
  renewal: Uint8Array;
}

export interface SummaryOf {
  applicant: ApplicantSummary;
  endorsee: WrittenEndorseeSummary;
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
  'gone',
] as const;

/** What the renewal job judges an endorsee from (the renewal input but the date and the rules). */
export interface RenewalFacts {
  endorsee: Endorsee;
  /** Merged: one per training id. */
  trainings: TrainingRecord[];
  rscSessions: RscSession[];
}

/** Renewal facts as an endorsee's summary carries them: canonical JSON, raw deflate (as a fact cache). */
export const packRenewalFacts = (facts: RenewalFacts): Uint8Array => {
  const text = stringify(facts);
  if (text === undefined)
    throw new Error(`the renewal facts of ${facts.endorsee.personId} could not be written as JSON`);
  return compressedFacts(text);
};

export const unpackRenewalFacts = (bytes: Uint8Array): RenewalFacts => JSON.parse(inflatedText(bytes)) as RenewalFacts;

/** The run that wrote a kind's summaries. */
export interface SummaryRun {
  run: string;
  asOf: string;
  rulesetId: string;
  /** The facts generation read before the run read its population. */
  generation: number;
  /**
   * The ingested files' kinds and checksums, for the reports' manifest, with their upload keys (never
   * published) so an evaluation of a change can replace the entry of the upload it changed.
   */
  inputs: { key?: string; kind: string; sha256: string | null }[];
}

function shardOf(personId: string): string {
  const n = createHash('sha256').update(personId).digest().readUInt16BE(0) % SUMMARY_SHARDS;
  return `SUMMARY#${String(n).padStart(2, '0')}`;
}

/**
 * A summary's sort key names the person by a digest of their id, never the id: the reports never
 * need it, and LevelDB's index blocks (the embedded store) hold keys made up between neighbouring
 * ones, which between two people's ids can spell out the id of someone erased in between.
 */
const personDigest = (personId: string) => createHash('sha256').update(personId).digest('hex').slice(0, 32);

export const summaryCodec = {
  key: (kind: SummaryKind, personId: string) => ({
    pk: shardOf(personId),
    sk: `${personDigest(personId)}#${SUFFIX[kind]}`,
  }),
  /** `judgedAt`: the facts generation the judge read before it read the person's facts. */
  encode<K extends SummaryKind>(
    kind: K,
    personId: string,
    run: string,
    summary: SummaryOf[K] | undefined,
    judgedAt: number,
  ): Item {
    // An endorsee gone keeps their id: the renewal job removes the status of someone no longer judged.
    const what = summary ?? (kind === 'endorsee' ? { gone: true, pid: personId } : { gone: true });
    return { ...what, ...summaryCodec.key(kind, personId), type: 'summary', kind, run, judgedAt };
  },
  /** A person who is no longer of the kind, since a change: counted nowhere until the next run leaves them out. */
  isGone: (item: Item) => item.gone === true,
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

/** The facts' counter and the generation of the last change no evaluation summarised (0: none). */
export async function factsState(
  ddb: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ generation: number; invalidAt: number; cacheEpoch: number }> {
  const out = await ddb.send(new GetCommand({ TableName: tableName, Key: FACTS_STATE_KEY, ConsistentRead: true }));
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    generation: n(out.Item?.generation),
    invalidAt: n(out.Item?.invalidAt),
    cacheEpoch: n(out.Item?.cacheEpoch),
  };
}

/**
 * Starts a new cache epoch (a change that reached everyone, say a training another roster describes
 * differently): every fact cache written before is read whole again before it is trusted.
 */
export async function newCacheEpoch(ddb: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName,
      Key: FACTS_STATE_KEY,
      UpdateExpression: 'ADD cacheEpoch :one SET #type = :state',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':state': 'state' },
    }),
  );
}

/**
 * Marks the facts as changed in a way no evaluation summarised (an erasure, a change that reached
 * everyone, an evaluation on another date than the runs'): the summaries of runs that started
 * before it are not read again; the next runs' are. Only a counter a job watches is moved.
 */
export async function invalidateSummaries(ddb: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: FACTS_STATE_KEY,
        UpdateExpression: 'SET generation = generation + :one, invalidAt = generation + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Writes one person's summary (or, undefined, marks them gone) in the name of `run`, judged from the
 * facts of generation `judgedAt`, unless what is there is newer: a summary judged from later facts,
 * or one of another run judged from facts as late (a run that started since this judge read its run).
 * A person gone is marked only where they have a summary. False when refused.
 */
/** What keepSummary may overwrite: a summary judged from older facts, or its own run's from the same. */
const NEWER = 'attribute_not_exists(judgedAt) OR judgedAt < :g OR (#run = :run AND judgedAt = :g)';

export async function keepSummary<K extends SummaryKind>(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  kind: K,
  personId: string,
  run: string,
  summary: SummaryOf[K] | undefined,
  judgedAt: number,
): Promise<boolean> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: summaryCodec.encode(kind, personId, run, summary, judgedAt),
        // A person gone is marked only where they have a summary (an erased person's stays deleted).
        ConditionExpression: `${summary ? 'attribute_not_exists(pk) OR' : 'attribute_exists(pk) AND'} (${NEWER})`,
        ExpressionAttributeNames: { '#run': 'run' },
        ExpressionAttributeValues: { ':g': judgedAt, ':run': run },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

// --- changes not yet summarised ---------------------------------------------------------------------

/**
 * Notes a change or refresh message whose people are not yet summarised (`CHANGE#<upload>#<version>`
 * while ingest stores it, `MSG#…` for each refresh message it sends): the reports read the rows, or
 * wait for the evaluation's export, while any is there. Putting one twice is harmless (a retry).
 */
export async function notePending(ddb: DynamoDBDocumentClient, tableName: string, key: string): Promise<void> {
  await ddb.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk: PENDING_PK, sk: key, type: 'pending' },
    }),
  );
}

/** The change or message is summarised (or handed on): deleting it twice is harmless. */
export async function clearPending(ddb: DynamoDBDocumentClient, tableName: string, key: string): Promise<void> {
  await ddb.send(new DeleteCommand({ TableName: tableName, Key: { pk: PENDING_PK, sk: key } }));
}

/** True while some change or message is not yet summarised (one strongly consistent read of at most one item). */
export async function anyPending(ddb: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PENDING_PK },
      ProjectionExpression: 'sk',
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return (out.Items?.length ?? 0) > 0;
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

/**
 * Replaces a run's inputs (an evaluation of a change, under the export's lease), unless another run
 * has since been recorded. False when it has.
 */
export async function putSummaryRunInputs(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  kind: SummaryKind,
  run: SummaryRun,
  inputs: SummaryRun['inputs'],
): Promise<boolean> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: summaryRunItem(kind, { ...run, inputs }),
        ConditionExpression: '#run = :run',
        ExpressionAttributeNames: { '#run': 'run' },
        ExpressionAttributeValues: { ':run': run.run },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
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

/**
 * One shard's endorsee summaries of a run, a page at a time, for the renewal job judging from them:
 * only what it judges from (the person id, the renewal facts, the gone mark). `count` adds the items
 * read (DynamoDB's ScannedCount: the shard's other summaries are read too) and the requests.
 */
export async function* readRenewalSummaries(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  shard: number,
  run: string,
  count: { items: number; requests: number },
): AsyncGenerator<Item[]> {
  const pages = paginateQuery(
    { client: ddb },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#kind = :kind AND #run = :run',
      // Placeholders throughout: DynamoDB reserves many words.
      ProjectionExpression: '#pid, #renewal, #gone',
      ExpressionAttributeNames: {
        '#kind': 'kind',
        '#run': 'run',
        '#pid': 'pid',
        '#renewal': 'renewal',
        '#gone': 'gone',
      },
      ExpressionAttributeValues: {
        ':pk': `SUMMARY#${String(shard).padStart(2, '0')}`,
        ':kind': 'endorsee',
        ':run': run,
      },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    count.items += page.ScannedCount ?? 0;
    count.requests += 1;
    yield (page.Items ?? []) as Item[];
  }
}
