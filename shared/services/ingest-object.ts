/**
 * Brings the table in line with one upload as it is now: its current version replaces whatever
 * earlier version was stored, and a deleted upload is withdrawn. Every S3 event for a key (created
 * or removed, in any order, delivered any number of times) means "sync this key", so the result
 * never depends on the order or history of events.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import { sourceTag } from '../adapters/dynamo/codecs.js';
import type { ProfileSources } from '../adapters/dynamo/profile-sources.js';
import { MAX_TRAININGS_LISTED, receiptCounts, type SourceRecord } from '../adapters/dynamo/sources.js';
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import { type ObjectStore, s3ObjectStore } from '../adapters/s3/object-store.js';
import type { ObjectRef } from '../adapters/s3/objects.js';
import { RECEIPTS_PREFIX } from '../adapters/table-design.js';
import { todayIn } from '../core/dates.js';
import { crossFileWarnings } from '../core/ingest/cross-file.js';
import { inputFileType, unreadTypeReceipt } from '../core/ingest/file-types.js';
import { boundReceipt, type IngestProgress, ingestFile, type Receipt } from '../core/ingest/ingest.js';
import { defaultPlausibility, type Plausibility } from '../core/ingest/plausibility.js';
import type { FileFacts } from '../core/ingest/row-checks.js';
import type { InputRecord } from '../core/ingest/schemas.js';
import { INPUT_KINDS, type InputKind } from '../core/model.js';
import { type Reach, ReachCollector } from './reach.js';

export interface IngestDeps extends Clients {
  tableName: string;
  log?: (message: string, data?: Record<string, unknown>) => void;
  onProgress?: (file: string, progress: IngestProgress) => void;
  /**
   * How long one invocation holds a source while changing it (default 15 minutes, the longest a
   * Lambda runs). The local queue delivers one message at a time and passes 0.
   */
  leaseMs?: number;
  /**
   * The keyed hash erasure audit records use. With it, an upload that names a person who was
   * erased gets a warning in its receipt (they are stored again, as the file says).
   */
  keyedHash?: (personId: string) => Promise<string>;
  /** Today in the association's time zone (default: todayIn): receipts warn of dates after it. */
  today?: string;
  /** When a value is implausible, and how many keys the cross-file check looks up (config/ingest/plausibility.json). */
  plausibility?: Plausibility;
}

export interface IngestOutcome {
  kind: InputKind;
  /** `ingested`: the current version was read; `withdrawn`: the upload no longer exists. */
  change: 'ingested' | 'withdrawn';
  receipt: Receipt;
  receiptKey: string;
  writes: { items: number; requests: number; retries: number };
  /** Stored items the change removed (an earlier version's rows, or all of a withdrawn upload's). */
  forgotten: number;
  /** Whom the change reaches: the people to evaluate again (ids, never rows), or everyone. */
  reach: Reach;
  /**
   * The change as noted pending (STATE#pending, summaries.ts) before its first fact was written:
   * whoever asks for the evaluation of its people lets go of it (refreshRequests, or evaluatePeople).
   */
  pending: string;
}

/** A change's pending note: one per version of an upload, and one for its withdrawal. */
export const pendingChangeKey = (key: string, version: string | undefined) => `CHANGE#${key}#${version ?? 'withdrawn'}`;

const DEFAULT_LEASE_MS = 15 * 60 * 1000;

/** The kind of an upload from its key prefix (`rosters/...`), undefined when it is not an input. */
export function kindOfKey(key: string): InputKind | undefined {
  const prefix = key.split('/')[0];
  return INPUT_KINDS.find((k) => k === prefix);
}

/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/**
 * Where a file's receipt goes in the uploads bucket: `receipts/<key>.json`. An upload's key may be
 * as long as S3 allows, which leaves no room for the prefix and suffix; such a receipt takes the
 * key's start and a digest of the whole key (otherwise the file would fail on every delivery).
 */
export function receiptKeyOf(key: string): string {
  const full = `${RECEIPTS_PREFIX}${key}.json`;
  if (Buffer.byteLength(full) <= MAX_KEY_BYTES) return full;
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const room = MAX_KEY_BYTES - Buffer.byteLength(`${RECEIPTS_PREFIX}~${digest}.json`);
  let start = '';
  for (const ch of key) {
    if (Buffer.byteLength(start) + Buffer.byteLength(ch) > room) break;
    start += ch;
  }
  return `${RECEIPTS_PREFIX}${start}~${digest}.json`;
}

/**
 * Passes the bytes through, feeding a hash on the way (the manifest names each input by checksum),
 * and fails when fewer or more bytes arrive than the object has: a cut-off read must not become a
 * shorter version that forgets the rest of the file.
 */
async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash, size?: number): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    bytes += chunk.length;
    yield chunk;
  }
  if (size !== undefined && bytes !== size) {
    throw new Error(`read ${bytes} of the ${size} bytes of the upload; it will be read again`);
  }
}

/** Adds a warning for each person the file names who was erased before (their rows are stored again). */
async function warnOfErased(
  receipt: Receipt,
  named: Set<string>,
  erasures: Map<string, string>,
  keyedHash: (personId: string) => Promise<string>,
): Promise<void> {
  for (const personId of [...named].sort()) {
    const at = erasures.get(await keyedHash(personId));
    if (at === undefined) continue;
    receipt.warnings.push(
      `person_id ${personId} was erased on ${at.slice(0, 10)} at their request; this file names them again, so they are stored again. If they should not be, remove their rows and upload the file again.`,
    );
  }
}

/** Syncs one key of the uploads bucket; bad rows end in the receipt, only storage failures throw. */
export async function ingestObject(deps: IngestDeps, ref: ObjectRef): Promise<IngestOutcome | undefined> {
  const kind = kindOfKey(ref.key);
  if (!kind) {
    deps.log?.('ignored an object outside the input prefixes', { key: ref.key });
    return undefined;
  }
  if (ref.key.endsWith('/')) {
    // The S3 console's "Create folder" makes an empty object named like this: not an upload.
    deps.log?.('ignored a folder marker', { key: ref.key });
    return undefined;
  }
  const table = dynamoTableStore(deps.ddb, deps.tableName);
  const { sources } = table;
  // The bucket the event names: the upload, and its receipt beside it.
  const bucket = s3ObjectStore(deps.s3, ref.bucket);
  const owner = randomUUID();
  await sources.lease(ref.key, owner, deps.leaseMs ?? DEFAULT_LEASE_MS);
  try {
    // Always the object as it is now, whatever version the event named: an old event cannot bring back an old version.
    const object = await bucket.openCurrent(ref.key);
    const prior = await sources.get(ref.key);
    if (!object) return await withdraw(deps, table, bucket, ref, kind, prior, owner);

    const file = ref.key.slice(kind.length + 1);
    const version = object.versionId ?? object.etag ?? owner;
    const tag = sourceTag(ref.key, version);
    // Before the facts change: the reports do not trust the summaries until its people are judged again.
    const pending = pendingChangeKey(ref.key, tag.version);
    await table.notePending(pending);
    await sources.noteVersion(ref.key, tag.version);
    const sink = table.factSink({ tag, key: ref.key });
    const sha256 = createHash('sha256');
    // The people the file names are collected only when someone was ever erased (one Query per file).
    const erasures = deps.keyedHash ? await table.erasures() : new Map<string, string>();
    const named = new Set<string>();
    const reach = new ReachCollector();
    // A roster's trainings, for its source record (undefined once there are too many to list).
    let trainings: Set<string> | undefined = kind === 'rosters' ? new Set() : undefined;
    // The uploads holding profiles, for the cross-file check: read before the file's first rows go in,
    // because on a table whose registry was never filled, filling it is a Scan of the whole table
    // (a trainings calendar names no one: it never needs them).
    let profiles: ProfileSources | undefined;
    const write = async (records: InputRecord[]) => {
      if (profiles === undefined && kind !== 'trainings') profiles = await table.profileSources();
      for (const r of records) {
        reach.noteRecord(r);
        if (trainings && r.kind === 'rosters') {
          trainings.add(r.record.trainingId);
          if (trainings.size > MAX_TRAININGS_LISTED) trainings = undefined;
        }
        // A calendar row names no one.
        if (erasures.size > 0 && 'personId' in r.record && r.record.personId !== undefined)
          named.add(r.record.personId);
      }
      await sink.write(records);
    };
    // Any key under an input prefix arrives (the bucket's notifications cannot match an extension
    // in any letter case); the extension decides whether it is read, as for `iecmh run`.
    const type = inputFileType(file);
    const source = hashing(object.body, sha256, object.size);
    let receipt: Receipt;
    let facts: FileFacts | undefined;
    const plausibility = deps.plausibility ?? defaultPlausibility();
    if (type.readable) {
      receipt = await ingestFile({
        kind,
        file,
        source,
        sink: write,
        today: deps.today ?? todayIn(),
        plausibility,
        onFacts: (f) => {
          facts = f;
        },
        onProgress: deps.onProgress ? (p) => deps.onProgress?.(file, p) : undefined,
      });
    } else {
      for await (const _ of source); // the checksum, as for any upload the manifest names
      receipt = unreadTypeReceipt(kind, file, type.reason);
      deps.log?.('not read: not an input file type', { key: ref.key, extension: type.extension });
    }
    // What this file says against what other current uploads hold (admin receipt only: it names them),
    // read while the last writes finish: the reads pass over this file's own items.
    const [writes, stored] = await Promise.all([
      sink.close(),
      facts && table.storedFacts(facts, ref.key, plausibility.maxLookups, profiles),
    ]);
    if (facts && stored) {
      // The same reads tell whom a training's description reaches: the reach need not read them again.
      reach.noteDescribers(stored);
      receipt.warnings.push(...crossFileWarnings(ref.key, facts, stored));
    }
    if (deps.keyedHash && named.size > 0) await warnOfErased(receipt, named, erasures, deps.keyedHash);
    // What earlier versions held and this one rewrote now carries this version's tag; the rest goes.
    let forgotten = 0;
    for (const old of prior?.versionsInTable ?? []) {
      if (old !== tag.version) forgotten += await sources.forgetVersion(tag.id, old, (k) => reach.noteForgotten(k));
    }
    if (prior?.status === 'current' && prior.versionTag !== undefined) receipt.replaced = { forgotten };
    if (receipt.unusable && (prior?.accepted ?? 0) > 0 && prior?.status === 'current') {
      receipt.warnings.push(
        `This version could not be read, so the ${prior.accepted} rows of the earlier version of ${file} no longer count. Upload a corrected file to restore them.`,
      );
    }
    // The warnings added here (other uploads, erased people, an unreadable version) are bounded like ingest's own.
    boundReceipt(receipt);
    const receiptKey = receiptKeyOf(ref.key);
    await bucket.putJson(receiptKey, receipt);
    await sources.put({
      key: ref.key,
      kind,
      sourceId: tag.id,
      status: 'current',
      version,
      versionTag: tag.version,
      versionsInTable: [tag.version],
      ...receiptCounts(receipt),
      etag: object.etag,
      sha256: sha256.digest('hex'),
      ingestedAt: new Date().toISOString(),
      forgotten,
      trainings: trainings && [...trainings].sort(),
    });
    deps.log?.('ingested', {
      key: ref.key,
      rows: receipt.rows,
      accepted: receipt.accepted,
      rejected: receipt.rejected,
      items: writes.items,
      requests: writes.requests,
      forgotten,
    });
    // Whom it reaches, read once the change is stored (the emails' owners as they now are).
    const reached = await reach.resolve(table, ref.key);
    return { kind, change: 'ingested', receipt, receiptKey, writes, forgotten, reach: reached, pending };
  } catch (err) {
    await sources.release(ref.key, owner).catch(() => undefined);
    throw err;
  }
}

/** The upload is gone: forget everything it supplied and record the withdrawal on its receipt. */
async function withdraw(
  deps: IngestDeps,
  table: TableStore,
  bucket: ObjectStore,
  ref: ObjectRef,
  kind: InputKind,
  prior: SourceRecord | undefined,
  owner: string,
): Promise<IngestOutcome | undefined> {
  const { sources } = table;
  if (!prior?.sourceId) {
    await sources.release(ref.key, owner);
    deps.log?.('a removed object was never ingested', { key: ref.key });
    return undefined;
  }
  const reach = new ReachCollector();
  const pending = pendingChangeKey(ref.key, undefined);
  await table.notePending(pending);
  let forgotten = 0;
  for (const version of prior.versionsInTable) {
    forgotten += await sources.forgetVersion(prior.sourceId, version, (k) => reach.noteForgotten(k));
  }
  const receiptKey = receiptKeyOf(ref.key);
  const earlier = await bucket.readText(receiptKey);
  const at = prior.status === 'withdrawn' && prior.withdrawnAt ? prior.withdrawnAt : new Date().toISOString();
  const total = prior.status === 'withdrawn' ? (prior.forgotten ?? 0) + forgotten : forgotten;
  const receipt: Receipt = {
    ...(earlier
      ? (JSON.parse(earlier) as Receipt)
      : { file: prior.file, kind, rows: prior.rows, accepted: prior.accepted, rejected: prior.rejected, errors: [] }),
    warnings: [],
    unusable: prior.unusable,
    withdrawn: { at, forgotten: total },
  };
  delete receipt.replaced;
  await bucket.putJson(receiptKey, receipt);
  await sources.put({
    ...prior,
    status: 'withdrawn',
    version: undefined,
    versionTag: undefined,
    versionsInTable: [],
    withdrawnAt: at,
    forgotten: total,
    trainings: prior.kind === 'rosters' ? [] : undefined,
  });
  deps.log?.('withdrawn', { key: ref.key, forgotten });
  return {
    kind,
    change: 'withdrawn',
    receipt,
    receiptKey,
    writes: { items: 0, requests: 0, retries: 0 },
    forgotten,
    reach: await reach.resolve(table, ref.key),
    pending,
  };
}
