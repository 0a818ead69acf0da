/**
 * What the services need from the table, in the services' terms: the population, a person's
 * items, the jobs' results, the sources, a sink for a source version's facts, deletions and the
 * erasure audit. Keys and items are made by the codecs (codecs.ts, sources.ts) and the SDK
 * commands by the adapters behind this; a service builds neither, so the next change to the
 * table design is made here and in the codecs, not in every service.
 */

import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredFacts } from '#core/ingest/cross-file.js';
import type { FileFacts } from '#core/ingest/row-checks.js';
import type { TrainingSummary } from '#core/model.js';
import { BatchWriter, type BatchWriterOptions, type WriteStats } from './batch-writer.js';
import {
  AUDIT_PK,
  auditCodec,
  type ErasureAudit,
  emailKey,
  type Item,
  personKey,
  type ResultKind,
  resultCodec,
  type SourceTag,
  type StoredResult,
} from './codecs.js';
import { factCacheKey, keepFactCaches } from './fact-cache.js';
import {
  emailOwnersByKey,
  leaseExport,
  type ReadCount,
  readSuggestions,
  releaseExport,
  rosterSourcesOf,
  type StoredSuggestions,
  writeSuggestions,
} from './incremental.js';
import { type TableSink, tableSink } from './ingest-sink.js';
import { type PersonFile, partition, readPersonFile } from './person-file.js';
import {
  type FactCacheUpdate,
  loadPopulation,
  type Population,
  type PopulationReadOptions,
  type ScanStats,
} from './population.js';
import {
  type PeopleReadOptions,
  type PopulationIndex,
  peopleBatches,
  readPopulationIndex,
} from './population-stream.js';
import { type ProfileSources, readProfileSources } from './profile-sources.js';
import { SourceTable } from './sources.js';
import { readStoredFacts } from './stored-facts.js';
import { forgetTrainings, readTrainings, storedTrainingsRun, writeTrainings } from './stored-trainings.js';
import {
  anyPending,
  bumpFactsGeneration,
  clearPending,
  factsGeneration,
  factsState,
  invalidateSummaries,
  keepSummary,
  newCacheEpoch,
  notePending,
  putSummaryRunInputs,
  readRenewalSummaries,
  readSummaries,
  readSummaryRun,
  type SummaryKind,
  type SummaryOf,
  type SummaryRun,
  staleSummaryKeys,
  summaryCodec,
  summaryRunItem,
  watchFactsGeneration,
} from './summaries.js';

/** The source records and the removal of a version's facts (SourceTable's public face, so a fake can stand in). */
export type Sources = Pick<SourceTable, 'get' | 'list' | 'lease' | 'release' | 'noteVersion' | 'put' | 'forgetVersion'>;

export interface TableStore {
  readonly sources: Sources;
  /** Everything the rules need about everyone (one parallel Scan). */
  loadPopulation(options?: PopulationReadOptions): Promise<{ population: Population; stats: ScanStats }>;
  /**
   * What the full pass needs of everyone before it reads anyone (one parallel Scan): the trainings,
   * the receipts, the ids of applicants and endorsees, email ownership (population-stream.ts).
   */
  populationIndex(): Promise<{ index: PopulationIndex; stats: ScanStats }>;
  /**
   * The people of `ids` in order, `batchSize` at a time, each batch a Population of those people
   * alone, read by Query (`stats` adds the items and requests).
   */
  people(
    index: PopulationIndex,
    ids: readonly string[],
    role: 'applicant' | 'endorsee',
    stats: ScanStats,
    batchSize: number,
    options?: PeopleReadOptions,
  ): AsyncGenerator<Population>;
  /** One person's file, decoded; undefined when the table holds nothing on them. */
  readPersonFile(personId: string): Promise<PersonFile | undefined>;
  /** Every item in a person's partition (facts, results), as stored, in sort-key order. */
  personItems(personId: string): Promise<Item[]>;
  /** Every item stored under an email alone (roster rows that named no person id). */
  emailItems(email: string): Promise<Item[]>;
  /**
   * What other uploads than `exceptKey` hold for the people, emails and trainings a file names, for
   * the receipt's cross-file warnings: Queries by key, at most `maxLookups` (stored-facts.ts).
   */
  storedFacts(facts: FileFacts, exceptKey: string, maxLookups: number, profiles?: ProfileSources): Promise<StoredFacts>;
  /**
   * The uploads that hold profiles (profile-sources.ts), which `storedFacts` reads people from by
   * key. On a table whose registry was never filled this is a Scan of every source record, once:
   * the ingest asks before it writes a file's rows, when the Scan has the fewest items to pass.
   */
  profileSources(): Promise<ProfileSources>;
  /** Where the ingest of one version of a source writes its facts, each tagged with that version. */
  factSink(source: { tag: SourceTag; key: string }, options?: BatchWriterOptions): TableSink;
  /** Stores each person's latest result of a job, replacing the one before. */
  /**
   * Writes each judged person's result, and deletes that kind of result for everyone else in
   * `population` (people on file but not judged on this date, such as an applicant whose corrected
   * application date is after it): a stored result never outlives the facts it came from.
   */
  writeResults(kind: ResultKind, results: Iterable<StoredResult>, population?: Iterable<string>): Promise<WriteStats>;
  /** Deletes items by their key (pk and sk; the rest of each item is ignored). */
  deleteItems(keys: Iterable<Item>): Promise<WriteStats>;
  /** Brings the fact caches a full pass read up to date, each on condition (fact-cache.ts); how many were written. */
  keepFactCaches(updates: readonly FactCacheUpdate[]): Promise<number>;
  /** Deletes the fact caches of these people. */
  deleteFactCaches(personIds: Iterable<string>): Promise<WriteStats>;
  putErasureAudit(audit: ErasureAudit): Promise<void>;
  /** The person ids current uploads give each email to, read by key (absent: none); `count` adds the items read. */
  emailOwnersOf(emails: readonly string[], count?: ReadCount): Promise<Map<string, string[]>>;
  /** The upload keys of the rosters that describe a training. */
  rosterSources(trainingId: string, count?: ReadCount): Promise<string[]>;
  /** The suggestion table the last full evaluation worked out (undefined before the first). */
  suggestions(count?: ReadCount): Promise<StoredSuggestions | undefined>;
  putSuggestions(suggestions: StoredSuggestions): Promise<void>;
  /** The trainings outreach suggests from, kept by the evaluation of everyone for its run of endorsee summaries. */
  putTrainings(run: string, trainings: readonly TrainingSummary[]): Promise<void>;
  /** The run the stored trainings go with (stored-trainings.ts). */
  trainingsRun(count?: ReadCount): Promise<string | undefined>;
  /** The trainings stored for `run`; undefined when the ones stored are another run's. */
  trainings(run: string, count?: ReadCount): Promise<TrainingSummary[] | undefined>;
  /** The stored trainings set aside (a change may have altered them): the renewal job reads the rows. */
  forgetTrainings(): Promise<void>;
  /** One evaluation at a time rewrites admin/eligibility.csv: takes the lease or throws ExportBusyError. */
  leaseExport(owner: string, ms: number): Promise<void>;
  releaseExport(owner: string): Promise<void>;
  /** How many times the facts have changed (summaries.ts): a run records it, a reader compares. */
  factsGeneration(): Promise<number>;
  /** The facts generation as a job starts reading the facts (made if missing, so changes bump it from now on). */
  watchFactsGeneration(): Promise<number>;
  bumpFactsGeneration(): Promise<void>;
  /** The facts generation and the last change no evaluation summarised (summaries.ts). */
  factsState(): Promise<{ generation: number; invalidAt: number; cacheEpoch: number }>;
  /** A new fact-cache epoch: caches written before are read whole again before they are trusted. */
  newCacheEpoch(): Promise<void>;
  /** A change no evaluation summarises: the runs so far are not read again (summaries.ts). */
  invalidateSummaries(): Promise<void>;
  /** One person's summary (undefined: gone) in a run's name, unless a newer one is there; false when refused. */
  keepSummary<K extends SummaryKind>(
    kind: K,
    personId: string,
    run: string,
    summary: SummaryOf[K] | undefined,
    judgedAt: number,
  ): Promise<boolean>;
  /** A run's inputs replaced (an evaluation of a change), unless another run was recorded since. */
  putSummaryRunInputs(kind: SummaryKind, run: SummaryRun, inputs: SummaryRun['inputs']): Promise<boolean>;
  /** Changes and refresh messages whose people are not yet summarised (STATE#pending). */
  notePending(key: string): Promise<void>;
  clearPending(key: string): Promise<void>;
  anyPending(): Promise<boolean>;
  /**
   * Writes a run's summaries of one kind, then the run's marker (last, so a marker names only a
   * run whose summaries are all written).
   */
  writeSummaries<K extends SummaryKind>(
    kind: K,
    run: SummaryRun,
    summaries: Iterable<{ personId: string; summary: SummaryOf[K] }>,
  ): Promise<WriteStats>;
  /**
   * Writes some of a run's summaries (a batch of people; a summary undefined marks a person on file
   * but not judged on the date as gone); `finishSummaries` records the run once all are written.
   */
  putSummaries<K extends SummaryKind>(
    kind: K,
    run: Pick<SummaryRun, 'run' | 'generation'>,
    summaries: Iterable<{ personId: string; summary: SummaryOf[K] | undefined }>,
  ): Promise<WriteStats>;
  /** Records a run whose summaries are all written (its marker), then deletes earlier runs' summaries of the kind. */
  finishSummaries(kind: SummaryKind, run: SummaryRun): Promise<void>;
  /** The run that last wrote a kind's summaries. */
  summaryRun(kind: SummaryKind): Promise<SummaryRun | undefined>;
  /** The summaries the given runs wrote, a page at a time. */
  summaries(runs: readonly string[]): AsyncGenerator<Item[]>;
  /** One shard's endorsee summaries of a run, with the renewal facts (the renewal job judging from them). */
  renewalSummaries(shard: number, run: string, count: { items: number; requests: number }): AsyncGenerator<Item[]>;
  /** A person's summaries, as stored (erasure deletes them with the partition). */
  personSummaries(personId: string): Promise<Item[]>;
  /** Every erasure's keyed hash, with when it happened (one Query; empty when nobody was ever erased). */
  erasures(): Promise<Map<string, string>>;
}

export function dynamoTableStore(ddb: DynamoDBDocumentClient, tableName: string): TableStore {
  return {
    sources: new SourceTable(ddb, tableName),
    loadPopulation: (options) => loadPopulation(ddb, tableName, options),
    populationIndex: () => readPopulationIndex(ddb, tableName),
    people: (index, ids, role, stats, batchSize, options) =>
      peopleBatches(ddb, tableName, index, ids, role, stats, batchSize, options),
    readPersonFile: (personId) => readPersonFile(ddb, tableName, personId),
    personItems: (personId) => partition(ddb, tableName, personKey(personId)),
    emailItems: (email) => partition(ddb, tableName, emailKey(email)),
    factSink: (source, options) => tableSink(ddb, tableName, source, options),
    async storedFacts(facts, exceptKey, maxLookups, profiles) {
      // People are read by key from the uploads that hold profiles; none to read when the file names no one.
      const from =
        facts.people.size === 0 ? { applicants: [], endorsements: [] } : (profiles ?? (await this.profileSources()));
      return readStoredFacts(ddb, tableName, facts, exceptKey, maxLookups, from);
    },
    profileSources() {
      return readProfileSources(ddb, tableName, () => this.sources.list());
    },
    async writeResults(kind, results, population = []) {
      const writer = new BatchWriter(ddb, tableName);
      const judged = new Set<string>();
      for (const r of results) {
        judged.add(r.personId);
        await writer.put(resultCodec.encode(kind, r.personId, r));
      }
      for (const personId of population) {
        if (!judged.has(personId)) await writer.delete(resultCodec.key(kind, personId));
      }
      return writer.flush();
    },
    async deleteItems(keys) {
      const writer = new BatchWriter(ddb, tableName);
      for (const key of keys) await writer.delete(key);
      return writer.flush();
    },
    keepFactCaches: (updates) => keepFactCaches(ddb, tableName, updates),
    deleteFactCaches(personIds) {
      return this.deleteItems([...personIds].map(factCacheKey));
    },
    async erasures() {
      const audits = (await partition(ddb, tableName, AUDIT_PK)).map(auditCodec.decode);
      return new Map(audits.map((a) => [a.hash, a.at]));
    },
    factsGeneration: () => factsGeneration(ddb, tableName),
    watchFactsGeneration: () => watchFactsGeneration(ddb, tableName),
    bumpFactsGeneration: () => bumpFactsGeneration(ddb, tableName),
    factsState: () => factsState(ddb, tableName),
    newCacheEpoch: () => newCacheEpoch(ddb, tableName),
    invalidateSummaries: () => invalidateSummaries(ddb, tableName),
    keepSummary: (kind, personId, run, summary, judgedAt) =>
      keepSummary(ddb, tableName, kind, personId, run, summary, judgedAt),
    putSummaryRunInputs: (kind, run, inputs) => putSummaryRunInputs(ddb, tableName, kind, run, inputs),
    notePending: (key) => notePending(ddb, tableName, key),
    clearPending: (key) => clearPending(ddb, tableName, key),
    anyPending: () => anyPending(ddb, tableName),
    async writeSummaries(kind, run, summaries) {
      const stats = await this.putSummaries(kind, run, summaries);
      await this.finishSummaries(kind, run);
      return stats;
    },
    async putSummaries(kind, run, summaries) {
      const writer = new BatchWriter(ddb, tableName);
      for (const { personId, summary } of summaries)
        await writer.put(summaryCodec.encode(kind, personId, run.run, summary, run.generation));
      return writer.flush();
    },
    async finishSummaries(kind, run) {
      await ddb.send(new PutCommand({ TableName: tableName, Item: summaryRunItem(kind, run) }));
      // Facts changed while the run read them: an evaluation of that change may have summarised its
      // people in the earlier run's name, and this run may have read them before the change.
      if ((await factsGeneration(ddb, tableName)) !== run.generation) await invalidateSummaries(ddb, tableName);
      // Earlier runs' summaries of this kind (people who left, or were judged since): nobody reads
      // them again, and a person withdrawn or erased must be in no item.
      const stale = new BatchWriter(ddb, tableName);
      for await (const key of staleSummaryKeys(ddb, tableName, kind, run.run)) await stale.delete(key);
      await stale.flush();
    },
    summaryRun: (kind) => readSummaryRun(ddb, tableName, kind),
    summaries: (runs) => readSummaries(ddb, tableName, runs),
    renewalSummaries: (shard, run, count) => readRenewalSummaries(ddb, tableName, shard, run, count),
    async personSummaries(personId) {
      const keys = (['applicant', 'endorsee'] as const).map((k) => summaryCodec.key(k, personId));
      const out = await ddb.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      return out.Responses?.[tableName] ?? [];
    },
    async emailOwnersOf(emails, count) {
      if (emails.length === 0) return new Map();
      const profiles = await this.profileSources();
      return emailOwnersByKey(ddb, tableName, emails, profiles, count);
    },
    rosterSources: (trainingId, count) => rosterSourcesOf(ddb, tableName, trainingId, count),
    suggestions: (count) => readSuggestions(ddb, tableName, count),
    putSuggestions: (suggestions) => writeSuggestions(ddb, tableName, suggestions),
    putTrainings: (run, trainings) => writeTrainings(ddb, tableName, run, trainings),
    trainingsRun: (count) => storedTrainingsRun(ddb, tableName, count),
    trainings: (run, count) => readTrainings(ddb, tableName, run, count),
    forgetTrainings: () => forgetTrainings(ddb, tableName),
    leaseExport: (owner, ms) => leaseExport(ddb, tableName, owner, ms),
    releaseExport: (owner) => releaseExport(ddb, tableName, owner),
    async putErasureAudit(audit) {
      await ddb.send(new PutCommand({ TableName: tableName, Item: auditCodec.encode(audit) }));
    },
  };
}
