/**
 * Erasure on the embedded stack: after it, the person's id and email must be in no byte of the
 * state folder (docs/operations.md, "Correct, withdraw, erase"). Deleting items and objects is
 * not enough by itself:
 *
 * - DynamoDB (dynalite on LevelDB): a DeleteItem or an overwrite only appends a tombstone or a
 *   newer value to the write-ahead log (.log); the old value stays there, then in the table files
 *   (.ldb) the log is flushed into, until a compaction merges it away. LevelDB's own compactRange
 *   does not reliably do that: it never rewrites a table that sits alone at the deepest level with
 *   files, which is where a flushed memtable lands in a small database (measured: after
 *   compactRange over every key, the deleted item was still in the one .ldb file). The table files
 *   also name keys outside the data (MANIFEST: first and last key of each table, compaction
 *   pointers; LOG: "will stop at <key>"), and dynalite's keys hold the partition key, hex-encoded.
 *   So `rewriteLevelDb` copies the live entries into a new database and deletes the old one whole.
 * - S3 (s3rver, one file per object plus two sidecar files): DeleteObject unlinks all three and an
 *   overwrite truncates the object file, so nothing is left (measured). Only a multipart upload
 *   never completed keeps its parts (s3rver has no AbortMultipartUpload); those are removed.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import type { EmbeddedStack } from './embedded.js';

/** The LevelDB binding dynalite itself opens its files with (`level`, that is classic-level). */
const { Level } = (() => {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('dynalite'))('level') as { Level: typeof ClassicLevel };
})();

/** Beside the database while it is copied; `.erased`: the old files between the two renames. */
const COPY_SUFFIX = '.compacting';
const OLD_SUFFIX = '.erased';

/**
 * Rewrites the LevelDB database in `dir` with only its live entries: a new database is written
 * beside it, entry for entry (the same bytes for keys and values), then takes its place, and the
 * old directory is deleted with every file in it (log, tables, MANIFEST, LOG, LOG.old). The
 * database must be closed (dynalite paused). The new tables are written uncompressed, so a byte
 * search of them is conclusive; LevelDB compresses them again as it compacts later. Needs free
 * disk space for one more copy of the live data. Returns the number of entries copied.
 */
export async function rewriteLevelDb(dir: string): Promise<number> {
  const copy = dir + COPY_SUFFIX;
  await rm(copy, { recursive: true, force: true });
  const from = new Level<Buffer, Buffer>(dir, {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    createIfMissing: false,
  });
  const to = new Level<Buffer, Buffer>(copy, {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    errorIfExists: true,
    compression: false,
  });
  let entries = 0;
  try {
    await from.open();
    await to.open();
    const iterator = from.iterator();
    try {
      for (;;) {
        const batch = await iterator.nextv(1000);
        if (batch.length === 0) break;
        await to.batch(batch.map(([key, value]) => ({ type: 'put' as const, key, value })));
        entries += batch.length;
      }
    } finally {
      await iterator.close();
    }
    // Writes what is still in memory to table files, so the new log is empty when dynalite reopens.
    await to.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff));
  } catch (err) {
    await Promise.allSettled([from.close(), to.close()]);
    await rm(copy, { recursive: true, force: true });
    throw err;
  }
  await Promise.all([from.close(), to.close()]);
  await rename(dir, dir + OLD_SUFFIX);
  await rename(copy, dir);
  await rm(dir + OLD_SUFFIX, { recursive: true, force: true });
  return entries;
}

/**
 * Finishes or undoes a `rewriteLevelDb` that the process stopped in the middle of (run before the
 * database opens): a complete copy whose rename did not happen takes the database's place, an
 * incomplete one is deleted, and so are old files left behind.
 */
export function finishInterruptedRewrite(dir: string): void {
  const copy = dir + COPY_SUFFIX;
  const old = dir + OLD_SUFFIX;
  if (existsSync(old)) {
    // The copy was complete before the old directory was renamed.
    if (!existsSync(dir)) renameSync(existsSync(copy) ? copy : old, dir);
    rmSync(old, { recursive: true, force: true });
  }
  rmSync(copy, { recursive: true, force: true });
}

/**
 * Makes deletions final on disk: rewrites the embedded DynamoDB (see `rewriteLevelDb`) and removes
 * the parts of multipart uploads never completed from the embedded S3. Run it after erasing, when
 * no request is in flight (DynamoDB is paused meanwhile: requests would fail).
 */
export async function compactEmbeddedStack(stack: Pick<EmbeddedStack, 'stateDir' | 'compactDynamoDb'>): Promise<void> {
  await stack.compactDynamoDb();
  const s3 = join(stack.stateDir, 's3');
  if (!existsSync(s3)) return;
  for (const bucket of await readdir(s3, { withFileTypes: true })) {
    if (!bucket.isDirectory()) continue;
    // s3rver keeps a multipart upload's parts in <bucket>/._S3rver_uploads/<upload id>/ until it completes.
    await rm(join(s3, bucket.name, '._S3rver_uploads'), { recursive: true, force: true });
  }
}

export interface ByteHit {
  /** Path relative to the folder searched. */
  file: string;
  /** The needle as given. */
  needle: string;
  /**
   * The form found: 'as given', 'lower case', 'upper case', or 'hex' (dynalite's keys spell strings
   * so), followed by ', in the name' when the file's path holds it rather than its bytes.
   */
  form: string;
  count: number;
}

/**
 * Every file under `dir` (recursively, whatever its name) whose raw bytes or path hold one of `needles`:
 * as given, in lower or upper case, or hex-encoded (UTF-8), read in chunks. Bytes compressed by
 * LevelDB (Snappy, after its own compactions) or split by its key prefix compression are not seen:
 * a search is conclusive right after `compactEmbeddedStack`, whose tables are not compressed.
 */
export async function filesHolding(dir: string, needles: string[]): Promise<ByteHit[]> {
  const forms: { needle: string; form: string; bytes: Buffer }[] = [];
  for (const needle of needles.filter((n) => n !== '')) {
    const cases = new Map<string, string>();
    const variants: [string, string][] = [
      ['as given', needle],
      ['lower case', needle.toLowerCase()],
      ['upper case', needle.toUpperCase()],
    ];
    for (const [form, text] of variants) if (![...cases.values()].includes(text)) cases.set(form, text);
    for (const [form, text] of cases) {
      forms.push({ needle, form, bytes: Buffer.from(text, 'utf8') });
      const hex = Buffer.from(Buffer.from(text, 'utf8').toString('hex'), 'latin1');
      forms.push({ needle, form: form === 'as given' ? 'hex' : `hex, ${form}`, bytes: hex });
    }
  }
  if (forms.length === 0 || !existsSync(dir)) return [];
  const longest = Math.max(...forms.map((f) => f.bytes.length));
  const hits: ByteHit[] = [];
  const chunk = Buffer.alloc(1 << 20);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const file = relative(dir, path);
    // Names count too: an S3 key is a path under s3/.
    const name = Buffer.from(entry.name, 'utf8');
    for (const f of forms) {
      if (name.includes(f.bytes)) hits.push({ file, needle: f.needle, form: `${f.form}, in the name`, count: 1 });
    }
    if (!entry.isFile()) continue;
    const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined; // deleted since the listing (LevelDB removes obsolete files)
      throw err;
    });
    if (!handle) continue;
    const counts = forms.map(() => 0);
    try {
      // Each window starts with the last bytes of the one before (one needle less a byte): a match
      // across two reads is seen, and counted once, as only matches ending past them are new.
      let carry = Buffer.alloc(0);
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
        forms.forEach((f, i) => {
          for (let at = window.indexOf(f.bytes); at !== -1; at = window.indexOf(f.bytes, at + 1)) {
            if (at + f.bytes.length > carry.length) counts[i] = (counts[i] ?? 0) + 1;
          }
        });
        carry = Buffer.from(window.subarray(Math.max(0, window.length - (longest - 1))));
      }
    } finally {
      await handle.close();
    }
    forms.forEach((f, i) => {
      const count = counts[i] ?? 0;
      if (count > 0) hits.push({ file, needle: f.needle, form: f.form, count });
    });
  }
  return hits;
}
