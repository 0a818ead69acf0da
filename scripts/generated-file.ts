/**
 * A file built from a package's data by a script (the county map, the US counties): written, or
 * with `--check` compared with what is committed, so a stale copy fails the check instead of
 * shipping.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedFile {
  /** The repository's root. */
  root: string;
  /** Where the file goes, from the root. */
  output: string;
  /** What it is built from (named in the message when it is stale). */
  source: string;
  /** The npm script that rebuilds it. */
  script: string;
  rendered: string;
}

/** Writes the file, or with `--check` among `args` says whether it is up to date; returns the exit code. */
export function writeOrCheck(file: GeneratedFile, args: readonly string[]): number {
  const target = join(file.root, file.output);
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // A missing file differs like any other.
    }
    if (current !== file.rendered) {
      console.error(`${file.output} is out of date with ${file.source}; run npm run ${file.script}`);
      return 1;
    }
    console.log(`${file.output} is up to date`);
    return 0;
  }
  writeFileSync(target, file.rendered);
  console.log(`wrote ${file.output} (${Buffer.byteLength(file.rendered)} bytes)`);
  return 0;
}
