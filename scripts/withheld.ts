/**
 * `npm run withheld -- DIR...`: the share of withheld cells in the policymaker reports of a run
 * (docs/benchmarks.md, "Withheld cells"). DIR is a run's `--out` folder or its `reports/` folder.
 * Prints a table per folder, then (last line) one JSON object with the figures.
 *
 *   npx iecmh run --input examples --out /tmp/x --state /tmp/x-state && npm run withheld -- /tmp/x
 *
 * A cell is one published count: a workforce row's count, a compliance row's count, a disparity
 * row's applicants and eligible. A disparity row is withheld when any of its counts is
 * (its `suppressed` column). Figures are given for all rows and for the statewide `total` rows alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

interface Share {
  cells: number;
  withheld: number;
  share: number;
}

interface FileFigures {
  rows: number;
  withheldRows: number;
  cells: Share;
  /** The same over the rows with dimension `total` (zero cells when the file has none). */
  totals: Share;
  /** Withheld cells per dimension. */
  byDimension: Record<string, Share>;
}

function records(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const { data, errors } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (errors.length > 0) throw new Error(`${file} is not CSV: ${errors[0]?.message}`);
  return data;
}

const share = (cells: number, withheld: number): Share => ({
  cells,
  withheld,
  share: cells === 0 ? 0 : withheld / cells,
});

/** Counts the cells of one report file; `cellsOf` gives each row's count cells, true where withheld. */
function figures(rows: Record<string, string>[], cellsOf: (r: Record<string, string>) => boolean[]): FileFigures {
  const tally = new Map<string, [number, number]>();
  let cells = 0;
  let withheld = 0;
  for (const r of rows) {
    const own = cellsOf(r);
    const d = r.dimension ?? '';
    const t = tally.get(d) ?? [0, 0];
    t[0] += own.length;
    t[1] += own.filter(Boolean).length;
    tally.set(d, t);
    cells += own.length;
    withheld += own.filter(Boolean).length;
  }
  const total = tally.get('total') ?? [0, 0];
  return {
    rows: rows.length,
    withheldRows: rows.filter((r) => r.suppressed === 'true').length,
    cells: share(cells, withheld),
    totals: share(total[0], total[1]),
    byDimension: Object.fromEntries([...tally].map(([d, [c, w]]) => [d, share(c, w)])),
  };
}

function measure(dir: string): Record<string, FileFigures> {
  const reports = existsSync(join(dir, 'reports', 'workforce.csv')) ? join(dir, 'reports') : dir;
  const withheld = (v: string | undefined) => v === undefined || v === '';
  return {
    workforce: figures(records(join(reports, 'workforce.csv')), (r) => [withheld(r.count)]),
    disparity: figures(records(join(reports, 'disparity.csv')), (r) => [withheld(r.applicants), withheld(r.eligible)]),
    compliance: figures(records(join(reports, 'compliance.csv')), (r) => [withheld(r.count)]),
  };
}

const pct = (s: Share) => (s.cells === 0 ? '–' : `${(100 * s.share).toFixed(1)}%`);

const dirs = process.argv.slice(2).filter((a) => a !== '--');
if (dirs.length === 0) {
  process.stderr.write('usage: npm run withheld -- DIR... (a run --out folder or its reports/ folder)\n');
  process.exit(2);
}
const all: Record<string, Record<string, FileFigures>> = {};
for (const dir of dirs) {
  const m = measure(dir);
  all[dir] = m;
  process.stdout.write(`\n${dir}\n`);
  process.stdout.write('file         rows  withheld rows  cells  withheld cells  share   totals withheld\n');
  for (const [file, f] of Object.entries(m)) {
    process.stdout.write(
      `${file.padEnd(11)} ${String(f.rows).padStart(5)}  ${String(f.withheldRows).padStart(13)}  ${String(f.cells.cells).padStart(5)}  ${String(f.cells.withheld).padStart(14)}  ${pct(f.cells).padStart(6)}  ${f.totals.cells === 0 ? 'no total rows' : `${f.totals.withheld} of ${f.totals.cells}`}\n`,
    );
  }
}
process.stdout.write(`${JSON.stringify(all)}\n`);
