/**
 * Builds config/reference/us-counties.json, the counties of every US state and territory by FIPS
 * code and name, from the us-atlas package (US Census Bureau cartographic boundaries): ingest reads
 * a county outside the association's state from it (docs/input-files.md, "Counties outside the
 * state"). The states' postal codes are written here (us-atlas names states but gives no codes).
 * `--check` exits 1 when the checked-in file differs. The package is a dev dependency.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeometryCollection, Topology } from 'topojson-specification';
import usAtlasPackage from 'us-atlas/package.json' with { type: 'json' };
import { writeOrCheck } from './generated-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = 'config/reference/us-counties.json';
const SOURCE = 'us-atlas/counties-10m.json';

/** USPS codes of the states and territories by FIPS state code (FIPS 5-2). */
export const STATE_CODES: Readonly<Record<string, string>> = {
  '01': 'AL',
  '02': 'AK',
  '04': 'AZ',
  '05': 'AR',
  '06': 'CA',
  '08': 'CO',
  '09': 'CT',
  '10': 'DE',
  '11': 'DC',
  '12': 'FL',
  '13': 'GA',
  '15': 'HI',
  '16': 'ID',
  '17': 'IL',
  '18': 'IN',
  '19': 'IA',
  '20': 'KS',
  '21': 'KY',
  '22': 'LA',
  '23': 'ME',
  '24': 'MD',
  '25': 'MA',
  '26': 'MI',
  '27': 'MN',
  '28': 'MS',
  '29': 'MO',
  '30': 'MT',
  '31': 'NE',
  '32': 'NV',
  '33': 'NH',
  '34': 'NJ',
  '35': 'NM',
  '36': 'NY',
  '37': 'NC',
  '38': 'ND',
  '39': 'OH',
  '40': 'OK',
  '41': 'OR',
  '42': 'PA',
  '44': 'RI',
  '45': 'SC',
  '46': 'SD',
  '47': 'TN',
  '48': 'TX',
  '49': 'UT',
  '50': 'VT',
  '51': 'VA',
  '53': 'WA',
  '54': 'WV',
  '55': 'WI',
  '56': 'WY',
  '60': 'AS',
  '66': 'GU',
  '69': 'MP',
  '72': 'PR',
  '78': 'VI',
};

interface Named {
  id?: string | number;
  properties?: { name?: string } | null;
}

/** The file's exact text: states (FIPS, code, name) and counties (FIPS → name), sorted by FIPS. */
export function renderUsCounties(us: Topology): string {
  const geometries = (name: string) => (us.objects[name] as GeometryCollection).geometries as Named[];
  const states = geometries('states')
    .map((g) => {
      const fips = String(g.id);
      const code = STATE_CODES[fips];
      if (!code) throw new Error(`state ${fips} (${g.properties?.name}) has no postal code in STATE_CODES`);
      return { fips, code, name: String(g.properties?.name) };
    })
    .sort((a, b) => (a.fips < b.fips ? -1 : 1));
  const counties = Object.fromEntries(
    geometries('counties')
      .map((g) => [String(g.id), String(g.properties?.name)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
  const comment =
    `The counties (and county equivalents) of every US state and territory by 5-digit FIPS code, from ${SOURCE} ` +
    `(us-atlas ${usAtlasPackage.version}, US Census Bureau cartographic boundaries), with the states' USPS codes. ` +
    "Ingest reads a county outside the association's state from it (docs/input-files.md). " +
    'Built by scripts/build-us-counties.ts; do not edit by hand.';
  return `${JSON.stringify({ $comment: comment, states, counties }, null, 2)}\n`;
}

function main(args: readonly string[]): number {
  const us = JSON.parse(readFileSync(join(root, 'node_modules', SOURCE), 'utf8')) as Topology;
  return writeOrCheck(
    { root, output: OUTPUT, source: SOURCE, script: 'build-us-counties', rendered: renderUsCounties(us) },
    args,
  );
}

// Run as a command, not when a test imports the builder.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
