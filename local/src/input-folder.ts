/**
 * Which files of a folder `iecmh run` uploads, and why it passes over each of the others: the type
 * rule ingest uses everywhere (shared/core/ingest/file-types.ts), the kind from the name's start,
 * and the names this machine cannot store.
 *
 * The embedded S3 (s3rver) keeps each object as files on disk named after the key's last segment
 * plus a suffix, and a receipt's key is the upload's name plus `.json`; so an upload's name must
 * leave room for both within a file system's 255-byte limit on one file name. A longer name made
 * s3rver fail inside the process (an unhandled stream error) and the whole run stop; it is now
 * refused up front, per file, with the limit. So is a name the embedded S3 refuses as a key that
 * could leave its folder (s3-lockdown.ts).
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputFileType } from '#core/ingest/file-types.js';
import { INPUT_KINDS, type InputKind } from '#core/model.js';
import { isUnsafeKey } from './s3-lockdown.js';

export interface InputFile {
  name: string;
  kind: InputKind;
  path: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

/** The longest file name most file systems allow (ext4, APFS, NTFS), in bytes. */
export const FILE_NAME_LIMIT_BYTES = 255;
/** The longest suffix s3rver adds to a key's last segment (its metadata file). */
const EMBEDDED_S3_SUFFIX = '._S3rver_metadata.json';
/** What a receipt's key and file add to the upload's name. */
const RECEIPT_SUFFIX = '.json';
/** The longest input file name `run` can store: 228 bytes of UTF-8. */
export const MAX_INPUT_NAME_BYTES = FILE_NAME_LIMIT_BYTES - RECEIPT_SUFFIX.length - EMBEDDED_S3_SUFFIX.length;

/** The kind of a local file from the start of its name (`rosters-2026.csv` is a roster). */
export function kindOfFileName(name: string): InputKind | undefined {
  const lower = name.toLowerCase();
  return INPUT_KINDS.find((k) => lower.startsWith(k));
}

/** Why an upload's name, as text, cannot be stored on this machine; undefined when it can. */
export function nameProblem(name: string, kind: InputKind): string | undefined {
  // The embedded S3 answers 400 to such a key, which would stop the whole run at its upload.
  if ([`${kind}/${name}`, `receipts/${kind}/${name}.json`].some(isUnsafeKey)) {
    return 'The embedded S3 refuses names that could point outside its folder: a backslash, or "%" codes that spell one, "/" or "..". Rename the file (letters, digits, spaces, "-" and "_" are safe) and run again.';
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_INPUT_NAME_BYTES) {
    return `The file name is ${bytes} bytes long; the local pipeline stores each upload and its receipt as files named after it, so a name may be at most ${MAX_INPUT_NAME_BYTES} bytes (UTF-8; letters with accents take 2 bytes or more). Shorten the name and run again.`;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file names of a folder as text, or the problem with a name that is not UTF-8. */
function namesOf(dir: string): { name: string; problem?: string }[] {
  return readdirSync(dir, { encoding: 'buffer' }).map((raw) => {
    try {
      return { name: utf8.decode(raw) };
    } catch {
      return {
        name: raw.toString('utf8'),
        problem:
          'The file name is not UTF-8 text (it was written in another encoding), so it cannot be opened by its name here. Rename the file and run again.',
      };
    }
  });
}

/** The files `run` uploads, in name order, and every other entry of the folder with the reason. */
export function listInputFolder(dir: string): { files: InputFile[]; skipped: SkippedFile[] } {
  const files: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  const sorted = namesOf(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, problem } of sorted) {
    const skip = (reason: string) => skipped.push({ file: name, reason });
    if (problem) {
      skip(problem);
      continue;
    }
    const path = join(dir, name);
    if (!statSync(path).isFile()) {
      skip('Not a file: run reads the files directly in the --input folder, not the folders in it.');
      continue;
    }
    const type = inputFileType(name);
    if (!type.readable) {
      skip(type.reason);
      continue;
    }
    const kind = kindOfFileName(name);
    if (!kind) {
      skip(`The name does not start with ${INPUT_KINDS.join(', ')}, so its kind is unknown.`);
      continue;
    }
    const unstorable = nameProblem(name, kind);
    if (unstorable) {
      skip(unstorable);
      continue;
    }
    files.push({ name, kind, path });
  }
  return { files, skipped };
}

/** Errors that mean a file system refuses a name (as opposed to a folder that cannot be written at all). */
const REFUSED_NAME = new Set(['ENAMETOOLONG', 'EINVAL', 'EILSEQ', 'ENOENT']);

/**
 * Tries the longest file names an upload becomes (in the state folder, where the embedded S3 keeps
 * it, and in the receipts folder of --out) and says why a file system refuses one: the rules of
 * the file systems differ (FAT and NTFS refuse `:` or `?`, some refuse bytes that are not UTF-8).
 * Nothing is left behind.
 */
export function refusedNames(
  names: readonly string[],
  places: { stateDir: string; receiptsDir: string },
): Map<string, string> {
  const refused = new Map<string, string>();
  const scratch = mkdtempSync(join(places.stateDir, '.name-check-'));
  try {
    for (const name of names) {
      const tries: [string, string][] = [
        [scratch, `${name}${RECEIPT_SUFFIX}${EMBEDDED_S3_SUFFIX}`],
        [places.receiptsDir, `${name}${RECEIPT_SUFFIX}`],
      ];
      for (const [dir, file] of tries) {
        const code = refusal(join(dir, file));
        if (code) {
          refused.set(
            name,
            `The file system of ${dir === scratch ? places.stateDir : dir} refuses a file named after it (${code}). Rename the file using letters, digits, spaces, "-" and "_", and run again.`,
          );
          break;
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return refused;
}

/** The error code when a file system refuses this path's name; throws for any other failure. */
function refusal(path: string): string | undefined {
  let fd: number;
  try {
    // 'wx': never touch a file that is already there (a receipt of an earlier run stays as it is).
    fd = openSync(path, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return undefined;
    if (REFUSED_NAME.has(code)) return code;
    throw err;
  }
  closeSync(fd);
  rmSync(path);
  return undefined;
}
