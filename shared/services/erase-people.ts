/**
 * Erasure: everything stored about a person is removed (docs/operations.md, "Correct, withdraw,
 * erase"). Their rows leave the current version of every uploaded file (rewritten without them,
 * then synced like any new version, so their facts go the way corrections go), their remaining
 * items and email-only roster rows are deleted, receipts stop quoting them, earlier versions of
 * what held them are deleted where the bucket keeps versions, and an audit record without
 * personal data says that it happened. The caller regenerates the administrators' exports.
 */
import { dynamoTableStore, type TableStore } from '../adapters/dynamo/table-store.js';
import { type ObjectStore, s3ObjectStore } from '../adapters/s3/object-store.js';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '../adapters/table-design.js';
import { removePersonRows } from '../core/ingest/erase-rows.js';
import { foldCase, normaliseIdentifier } from '../core/ingest/fields.js';
import { extensionOf } from '../core/ingest/file-types.js';
import type { Receipt } from '../core/ingest/ingest.js';
import { workbookText } from '../core/ingest/workbook.js';
import { type IngestDeps, ingestObject } from './ingest-object.js';
import { type EvaluationRequest, ReachCollector } from './reach.js';

export interface EraseDeps extends IngestDeps {
  uploadsBucket: string;
  /** A keyed hash of a person id for the audit record (HMAC with a secret key: not reversible by guessing ids). */
  keyedHash: (personId: string) => Promise<string>;
}

export interface PersonErasure {
  /** The keyed hash, never the id: this is what the audit record and logs hold. */
  hash: string;
  /** Table items deleted (facts, email-only roster rows, results). */
  items: number;
  /** Uploaded files rewritten without the person. */
  sources: number;
  /** Rows removed from those files. */
  rows: number;
  /** Earlier object versions deleted (buckets that keep versions). */
  versions: number;
  /**
   * Other people's rows that still mention them inside a longer cell (a note such as "covers for
   * P0000003"): kept, since the row is someone else's; the administrator edits those cells by hand.
   */
  mentions: { file: string; lines: number[] }[];
}

export interface ErasureResult {
  erased: PersonErasure[];
  /** Ids of which nothing was stored (nothing erased for them). */
  unknown: string[];
}

// The audit item's partition lives with its codec; exported here too for the callers that read audits.
export { AUDIT_PK } from '../adapters/dynamo/codecs.js';

/** Where an erasure reads and deletes: the table and the uploads (administrators') bucket. */
interface Stores {
  table: TableStore;
  uploads: ObjectStore;
}

/**
 * Erases each person in turn; `regenerate` runs before older versions of the exports are deleted,
 * told whom the erasure reached (the people erased, and those the rewritten uploads' changes reach).
 */
export async function erasePeople(
  deps: EraseDeps,
  personIds: string[],
  regenerate: (request: EvaluationRequest) => Promise<void>,
): Promise<ErasureResult> {
  const stores: Stores = {
    table: dynamoTableStore(deps.ddb, deps.tableName),
    uploads: s3ObjectStore(deps.s3, deps.uploadsBucket),
  };
  const result: ErasureResult = { erased: [], unknown: [] };
  const reach = new ReachCollector();
  const sources = new Set<string>();
  for (const personId of personIds) {
    const erased = await erasePerson(deps, stores, normaliseIdentifier(personId), reach, sources);
    if (erased) result.erased.push(erased);
    else result.unknown.push(personId);
  }
  if (result.erased.length === 0) return result;
  const reached = await reach.resolve(stores.table, undefined);
  const changed = [...sources].sort();
  await regenerate(
    reached.everyone ? { everyone: true, sources: changed } : { personIds: reached.personIds, sources: changed },
  );
  // The exports were just written again without them; their earlier versions still hold them.
  const purged = await deleteOlderVersions(stores.uploads, [ADMIN_PREFIX, RECEIPTS_PREFIX], async () => true);
  if (result.erased[0]) result.erased[0].versions += purged;
  const at = new Date().toISOString();
  for (const e of result.erased) {
    await stores.table.putErasureAudit({
      at,
      hash: e.hash,
      items: e.items,
      sources: e.sources,
      rows: e.rows,
      versions: e.versions,
      // Counts only: the mentions' file names stay out (a file name can carry a person's name).
      mentions: e.mentions.reduce((n, m) => n + m.lines.length, 0),
    });
  }
  return result;
}

async function erasePerson(
  deps: EraseDeps,
  { table, uploads }: Stores,
  personId: string,
  reach: ReachCollector,
  changed: Set<string>,
): Promise<PersonErasure | undefined> {
  const sync = async (key: string) => {
    const outcome = await ingestObject(deps, { bucket: deps.uploadsBucket, key });
    if (outcome) reach.add(outcome.reach);
    changed.add(key);
  };
  const own = await table.personItems(personId);
  const emails = new Set<string>();
  for (const item of own) if (typeof item.email === 'string' && item.email !== '') emails.add(item.email);
  const stored = async () => [
    ...(await table.personItems(personId)),
    ...(await Promise.all([...emails].map((e) => table.emailItems(e)))).flat(),
  ];
  const itemKeys = new Set((await stored()).map((i) => `${i.pk}\u0000${i.sk}`));
  const needles = [personId, ...emails];
  const record: PersonErasure = {
    hash: await deps.keyedHash(personId),
    items: 0,
    sources: 0,
    rows: 0,
    versions: 0,
    mentions: [],
  };

  // 1. Their rows leave every current upload; syncing the new version forgets the facts they supplied.
  for (const source of await table.sources.list()) {
    if (source.status !== 'current') continue;
    const bytes = await uploads.readBytes(source.key);
    if (!bytes) continue;
    const rewritten = removePersonRows({ kind: source.kind, bytes, personIds: [personId], emails: [...emails] });
    if (rewritten.unusable !== undefined) {
      // An upload that could not be read stored nothing, but its bytes may still name them: it goes
      // whole (withdrawn, as an S3 delete would), since it cannot be rewritten without them.
      if (!(await uploadHoldsAny(source.key, bytes, needles))) continue;
      await uploads.deleteObject(source.key);
      await sync(source.key);
      record.sources++;
      continue;
    }
    if (rewritten.mentions?.length) record.mentions.push({ file: source.key, lines: rewritten.mentions });
    if (rewritten.removed.length === 0) continue;
    await uploads.putCsv(source.key, `\uFEFF${rewritten.text}`);
    await sync(source.key);
    record.sources++;
    record.rows += rewritten.removed.length;
  }
  // 2. What is left: results, facts from uploads no longer current, email-only roster rows.
  // Their summaries (the reports' inputs) live outside their partition and go with it.
  const left = [...(await stored()), ...(await table.personSummaries(personId))];
  for (const item of left) itemKeys.add(`${item.pk}\u0000${item.sk}`);
  // Whom their remaining items reach: themselves, and whoever their email-only rows now belong to.
  for (const item of left) reach.noteForgotten({ pk: String(item.pk), sk: String(item.sk) });
  reach.notePerson(personId);
  // Summaries judged with them in the facts are no longer read (until the next runs judge everyone again).
  await table.invalidateSummaries();
  await table.deleteItems(left);
  record.items = itemKeys.size;
  // 3. Receipts quote rejected values; and earlier versions of the uploads that held the person go.
  await scrubReceipts(uploads, needles);
  record.versions += await deleteOlderVersions(uploads, UPLOAD_PREFIXES, (key, bytes) =>
    uploadHoldsAny(key, bytes, needles),
  );
  if (itemKeys.size === 0 && record.sources === 0) return undefined;
  return record;
}

/** Whether raw bytes hold any needle, read as UTF-8 or byte for byte (an 8-bit code page). */
const bytesHoldAny = (bytes: Uint8Array, needles: string[]) => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return holdsAny(buf.toString('utf8'), needles) || holdsAny(buf.toString('latin1'), needles);
};

/**
 * Whether an upload's bytes hold any needle. A workbook's cells are compressed inside its zip, so
 * an .xlsx upload is also searched cell by cell (docs/input-files.md, "Excel workbooks").
 */
async function uploadHoldsAny(key: string, bytes: Uint8Array, needles: string[]): Promise<boolean> {
  if (bytesHoldAny(bytes, needles)) return true;
  if (extensionOf(key) !== '.xlsx') return false;
  return holdsAny((await workbookText(bytes)) ?? '', needles);
}

const holdsAny = (text: string, needles: string[]) => {
  const folded = foldCase(text);
  return needles.some((n) => folded.includes(foldCase(n)));
};

/** Removes the errors and warnings that quote the person from every receipt, withdrawn uploads' included. */
async function scrubReceipts(uploads: ObjectStore, needles: string[]): Promise<void> {
  for (const key of await uploads.listKeys(RECEIPTS_PREFIX)) {
    const text = await uploads.readText(key);
    if (!text || !holdsAny(text, needles)) continue;
    const receipt = JSON.parse(text) as Receipt;
    const quotes = (m: string) => holdsAny(m, needles);
    const errors = receipt.errors.filter((e) => !quotes(e.message) && !quotes(e.column));
    const dropped = receipt.errors.length - errors.length;
    const scrubbed: Receipt = {
      ...receipt,
      errors,
      warnings: (receipt.warnings ?? []).filter((w) => !quotes(w)),
      ...(dropped > 0 ? { errorsErased: dropped } : {}),
    };
    await uploads.putJson(key, scrubbed);
  }
}

/**
 * Deletes the noncurrent versions under `prefixes` whose bytes `match` (a versioned bucket keeps
 * every earlier upload and export). A bucket without versions (the embedded S3) has none: 0.
 */
async function deleteOlderVersions(
  bucket: ObjectStore,
  prefixes: readonly string[],
  matches: (key: string, bytes: Uint8Array) => Promise<boolean>,
): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    for await (const version of bucket.olderVersions(prefix)) {
      const bytes = await bucket.readBytes(version.key, version.versionId);
      if (bytes && !(await matches(version.key, bytes))) continue;
      await bucket.deleteVersion(version);
      deleted++;
    }
  }
  return deleted;
}
