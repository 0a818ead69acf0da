/**
 * "Never stored as something else", fuzzed. Each file is written the way a real exporter writes
 * it (Excel on Windows, on a Mac, in MS-DOS format, in a European locale: its encoding, separator,
 * line ends, date and number formats), from rows whose meaning is known, and then some of its
 * lines are damaged the way people damage them (a value with the separator left unquoted, a name
 * pasted from Word in another encoding, a cell starting with a stray quote, a NUL byte). The
 * property: every row is either stored exactly as meant or rejected at its own line; an undamaged
 * row is always stored (a damaged line costs only itself); nothing is stored that was not meant;
 * and a file may be refused whole only for its encoding. The counts it ran are printed.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import { Random } from '#tools/synthetic/random.js';
import { chunksOf } from '../support/chunks.js';

interface Exporter {
  name: string;
  encoding: 'utf8' | 'utf8-bom' | 'win1252' | 'macintosh' | 'cp437';
  delimiter: ',' | ';' | '\t';
  lineEnd: '\r\n' | '\n' | '\r';
  date: 'iso' | 'month-first' | 'day-first' | 'dotted';
  decimalComma: boolean;
}

/** The exports people really upload. */
const EXPORTERS: Exporter[] = [
  {
    name: 'CSV UTF-8 (Windows)',
    encoding: 'utf8-bom',
    delimiter: ',',
    lineEnd: '\r\n',
    date: 'month-first',
    decimalComma: false,
  },
  {
    name: 'CSV (Comma delimited)',
    encoding: 'win1252',
    delimiter: ',',
    lineEnd: '\r\n',
    date: 'month-first',
    decimalComma: false,
  },
  {
    name: 'CSV (Macintosh)',
    encoding: 'macintosh',
    delimiter: ',',
    lineEnd: '\r',
    date: 'month-first',
    decimalComma: false,
  },
  {
    name: 'CSV (MS-DOS)',
    encoding: 'cp437',
    delimiter: ',',
    lineEnd: '\r\n',
    date: 'month-first',
    decimalComma: false,
  },
  { name: 'Google Sheets', encoding: 'utf8', delimiter: ',', lineEnd: '\r\n', date: 'iso', decimalComma: false },
  {
    name: 'Text (Tab delimited)',
    encoding: 'win1252',
    delimiter: '\t',
    lineEnd: '\r\n',
    date: 'month-first',
    decimalComma: false,
  },
  {
    name: 'Excel, Spanish locale',
    encoding: 'utf8-bom',
    delimiter: ';',
    lineEnd: '\r\n',
    date: 'day-first',
    decimalComma: true,
  },
  {
    name: 'Excel, German locale',
    encoding: 'win1252',
    delimiter: ';',
    lineEnd: '\r\n',
    date: 'dotted',
    decimalComma: true,
  },
  { name: 'LibreOffice, UK', encoding: 'utf8', delimiter: ',', lineEnd: '\n', date: 'day-first', decimalComma: false },
];

const NAMES = ['Renée Chávez', 'O’Brien', 'José Muñoz', 'Zoë Ngata', 'Dana Roberts, LCSW', 'Ana', 'François Lévesque'];
const IDS = ['P', 'WI-NIÑEZ-', 'CAPACITACIÓN-'];
const HOURS = [1, 1.5, 2.25, 0.5, 10];
type Damage = 'unquotedSeparator' | 'pastedFromWord' | 'strayQuote' | 'nul';
const DAMAGES: Damage[] = ['unquotedSeparator', 'pastedFromWord', 'strayQuote', 'nul'];

interface Meant {
  personId: string;
  sessionDate: string;
  hours: number;
  providerName: string;
}

/** What the exporter can write of a text: characters its code page lacks come out as "?", as Excel writes them. */
function representable(text: string, e: Exporter): string {
  if (e.encoding === 'utf8' || e.encoding === 'utf8-bom') return text;
  return iconv.decode(iconv.encode(text, e.encoding), e.encoding);
}

function formatDate(iso: string, e: Exporter): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (e.date === 'iso') return iso;
  if (e.date === 'month-first') return `${m}/${d}/${y}`;
  if (e.date === 'day-first') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return `${d}.${m}.${y}`;
}

function quote(cell: string, e: Exporter): string {
  return /["\r\n]/.test(cell) || cell.includes(e.delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function encode(text: string, e: Exporter): Buffer {
  if (e.encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (e.encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return iconv.encode(text, e.encoding);
}

interface Written {
  bytes: Buffer;
  exporter: Exporter;
  /** What each data line means, by its line number in the file. */
  meant: Map<number, Meant>;
  damaged: Set<number>;
}

function writeFile(r: Random): Written {
  const e = r.pick(EXPORTERS);
  const rows = r.int(2, 60);
  const meant = new Map<number, Meant>();
  const damaged = new Set<number>();
  const lines: Buffer[] = [encode(['person_id', 'session_date', 'hours', 'provider_name'].join(e.delimiter), e)];
  for (let i = 0; i < rows; i++) {
    const line = i + 2;
    // An id the exporter cannot write (Excel writes "?" for what its code page lacks) is no id at all.
    const prefix = r.pick(IDS);
    // The first row's date can be read only one way, so the file settles its own day/month order.
    const day = i === 0 ? 25 : r.int(1, 28);
    const m: Meant = {
      personId: representable(prefix, e) === prefix ? `${prefix}${line}` : `P${line}`,
      sessionDate: `2026-${String(r.int(1, 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      hours: r.pick(HOURS),
      providerName: representable(r.pick(NAMES), e),
    };
    const hours = e.decimalComma ? String(m.hours).replace('.', ',') : String(m.hours);
    const cells = [m.personId, formatDate(m.sessionDate, e), hours, m.providerName].map((c) => quote(c, e));
    let bytes = encode(cells.join(e.delimiter), e);
    const damage = i > 0 && r.int(0, 9) === 0 ? r.pick(DAMAGES) : undefined;
    const withProvider = (text: string) => encode([...cells.slice(0, 3), text].join(e.delimiter), e);
    if (damage === 'unquotedSeparator') {
      m.providerName = `Dana Roberts${e.delimiter} LCSW`;
      bytes = withProvider(m.providerName);
    } else if (damage === 'strayQuote') {
      m.providerName = '"Bobby" Smith';
      bytes = withProvider(m.providerName);
    } else if (damage === 'nul') {
      m.providerName = 'Ana\u0000';
      bytes = withProvider(m.providerName);
    } else if (damage === 'pastedFromWord') {
      // A name typed in another program's encoding: Windows-1252 in a UTF-8 file, UTF-8 in any other.
      const utf8File = e.encoding.startsWith('utf8');
      m.providerName = utf8File ? 'O’Brien' : 'Chávez';
      const other = utf8File ? iconv.encode(m.providerName, 'win1252') : Buffer.from(m.providerName, 'utf8');
      bytes = Buffer.concat([encode(`${cells.slice(0, 3).join(e.delimiter)}${e.delimiter}`, e), other]);
    }
    if (damage) damaged.add(line);
    meant.set(line, m);
    lines.push(bytes);
  }
  const lineEnd = encode(e.lineEnd, e).subarray(e.encoding === 'utf8-bom' ? 3 : 0);
  return { bytes: Buffer.concat(lines.flatMap((l) => [l, lineEnd])), exporter: e, meant, damaged };
}

const FILES = 600;

describe('every value is stored as meant or its row rejected, whatever the exporter', () => {
  it(`holds for ${FILES} exported files with damaged lines`, async () => {
    const r = new Random('fuzz-meant-values');
    const counts = { files: 0, rows: 0, stored: 0, rejectedDamaged: 0, storedDamaged: 0, refusedFiles: 0 };
    const byExporter = new Map<string, number>();
    for (let f = 0; f < FILES; f++) {
      const { bytes, exporter, meant, damaged } = writeFile(r);
      const label = `file ${f} (${exporter.name})`;
      const stored: InputRecord[] = [];
      const receipt = await ingestFile({
        kind: 'rsc',
        file: `rsc-${f}.csv`,
        source: chunksOf(bytes, r.int(1, 4096)),
        sink: async (records) => void stored.push(...records),
      });
      counts.files++;
      byExporter.set(exporter.name, (byExporter.get(exporter.name) ?? 0) + 1);
      if (receipt.unusable) {
        // Only an encoding the file's evidence cannot settle may refuse a whole file.
        expect(receipt.errors[0]?.message, label).toMatch(/encod|UTF-8|save/i);
        expect(stored, label).toEqual([]);
        counts.refusedFiles++;
        continue;
      }
      expect(receipt.rows, label).toBe(meant.size);
      const rejectedLines = new Set(receipt.errors.map((e) => e.line));
      const byId = new Map(stored.map((s) => [(s.record as unknown as Meant).personId, s.record as unknown as Meant]));
      for (const [line, m] of meant) {
        const errors = JSON.stringify(receipt.errors.filter((e) => e.line === line));
        if (!damaged.has(line)) {
          expect(rejectedLines.has(line), `${label}: undamaged line ${line} was rejected: ${errors}`).toBe(false);
        }
        if (rejectedLines.has(line)) {
          expect(byId.has(m.personId), `${label}: line ${line} both rejected and stored`).toBe(false);
          counts.rejectedDamaged++;
        } else {
          expect(byId.get(m.personId), `${label}: line ${line} (damaged: ${damaged.has(line)})`).toMatchObject(m);
          if (damaged.has(line)) counts.storedDamaged++;
        }
      }
      // Nothing is stored that no line meant (a shifted cell, a row glued from two lines).
      const meantIds = new Set([...meant.values()].map((m) => m.personId));
      expect(
        stored.filter((s) => !meantIds.has((s.record as unknown as Meant).personId)),
        label,
      ).toEqual([]);
      expect(stored.length + receipt.rejected, label).toBe(meant.size);
      counts.rows += receipt.rows;
      counts.stored += stored.length;
    }
    console.log(
      `fuzz meant values: ${counts.files} files, ${counts.rows} rows, ${counts.stored} stored as meant; damaged lines: ${counts.rejectedDamaged} rejected, ${counts.storedDamaged} read as meant; ${counts.refusedFiles} files refused for their encoding; exporters ${JSON.stringify(Object.fromEntries(byExporter))}`,
    );
    expect(counts.files).toBe(FILES);
    expect(counts.refusedFiles).toBeLessThan(FILES / 10);
  }, 300_000);
});
