/**
 * Builds config/reference/wisconsin-county-map.json, the county boundaries the report's map draws,
 * from the us-atlas package (US Census Bureau cartographic boundaries at 1:10,000,000): the 72
 * counties with a FIPS code starting 55, made a topology of their own (shared borders stored once),
 * simplified and quantized so that the map in report.html stays small. `--check` exits 1 when the
 * checked-in file differs. The report reads the file; the packages used here are dev dependencies.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';
import usAtlasPackage from 'us-atlas/package.json' with { type: 'json' };
import { writeOrCheck } from './generated-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = 'config/reference/wisconsin-county-map.json';
const SOURCE = 'us-atlas/counties-10m.json';
const WISCONSIN = '55';
/** Share of the boundary points kept: half keeps every county recognisable at the report's 420 px. */
const KEEP = 0.5;
/** Grid the coordinates are rounded to: finer than a pixel at the report's size. */
const QUANTIZATION = 1e4;

/** Wisconsin's counties from the national topology, each with its FIPS code as id and nothing else. */
export function wisconsinCountyTopology(us: Topology): Topology {
  const counties = us.objects.counties as GeometryCollection;
  const wisconsin: GeometryCollection = {
    type: 'GeometryCollection',
    geometries: counties.geometries
      .filter((g) => String(g.id).startsWith(WISCONSIN))
      .map((g) => ({ ...g, properties: {} }))
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1)),
  };
  // topojson-server types a topology by GeoJSON properties (which may be null); topojson-simplify wants objects.
  const weighted = presimplify(topology({ counties: feature(us, wisconsin) }) as Topology<Objects>);
  const simplified = simplify(weighted, quantile(weighted, KEEP));
  // presimplify adds each point's weight as a third coordinate; the map needs only two.
  simplified.arcs = simplified.arcs.map((arc) => arc.map(([x, y]) => [x as number, y as number]));
  return quantize(simplified, QUANTIZATION);
}

/** The map file's exact text. */
export function renderCountyMap(us: Topology): string {
  const map = wisconsinCountyTopology(us);
  const comment =
    `Wisconsin's counties (FIPS 55xxx) for the report's map, from ${SOURCE} (us-atlas ${usAtlasPackage.version}, ` +
    'US Census Bureau cartographic boundaries, 1:10,000,000), simplified and quantized. ' +
    'Built by scripts/build-county-map.ts; do not edit by hand.';
  return `${JSON.stringify({ $comment: comment, ...map })}\n`;
}

function main(args: readonly string[]): number {
  const us = JSON.parse(readFileSync(join(root, 'node_modules', SOURCE), 'utf8')) as Topology;
  return writeOrCheck(
    { root, output: OUTPUT, source: SOURCE, script: 'build-county-map', rendered: renderCountyMap(us) },
    args,
  );
}

// Run as a command, not when a test imports the builder.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
