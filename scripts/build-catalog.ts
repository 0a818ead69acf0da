/** Builds config/catalog/competencies.json from the in-repo crosswalk seed; `--check` exits 1 when the checked-in file differs. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCrosswalk } from '../shared/core/catalog/parse-crosswalk.js';
import { type Catalog, CatalogSchema } from '../shared/core/catalog/schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 'config/catalog/seed-004-competency-crosswalk.txt';
const OUTPUT = 'config/catalog/competencies.json';

/** The catalog file's exact text for a seed's bytes. */
function renderCatalog(seed: Buffer): string {
  const catalog: Catalog = CatalogSchema.parse({
    source: SEED,
    sourceSha256: createHash('sha256').update(seed).digest('hex'),
    entries: parseCrosswalk(seed.toString('utf8')),
  });
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

function main(args: readonly string[]): number {
  const rendered = renderCatalog(readFileSync(join(root, SEED)));
  const target = join(root, OUTPUT);
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // A missing file differs like any other.
    }
    if (current !== rendered) {
      console.error(`${OUTPUT} is out of date with ${SEED}; run npm run build-catalog`);
      return 1;
    }
    console.log(`${OUTPUT} is up to date`);
    return 0;
  }
  writeFileSync(target, rendered);
  console.log(`wrote ${OUTPUT}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
