/**
 * The data dictionary describes every column of every report CSV and every top-level field of
 * report.json and manifest.json, as the files of a real build have them: adding a column or a field
 * without describing it, or dropping one and leaving its description, fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Population } from '#adapters/dynamo/population.js';
import { DICTIONARY, DICTIONARY_COLUMNS, dictionaryGaps, dictionaryLines } from '#core/reports/dictionary.js';
import { buildReportFiles, REPORT_FILES } from '#services/publish-reports.js';
import { isExcelSafe, parseCsv } from '#test-support/csv.js';
import { applicant } from '../eligibility/builders.js';
import { endorsee } from '../renewal/builders.js';

/** Twelve applicants and twelve endorsees: enough for every file to have rows; the numbers do not matter here. */
function population(): Population {
  return {
    applicants: new Map(
      Array.from({ length: 12 }, (_, i) => applicant({ personId: `A-${i}`, email: `a${i}@example.org` })).map((a) => [
        a.personId,
        a,
      ]),
    ),
    endorsees: new Map(
      Array.from({ length: 12 }, (_, i) => endorsee({ personId: `E-${i}`, endorsedOn: '2025-07-01' })).map((e) => [
        e.personId,
        e,
      ]),
    ),
    attendance: new Map(),
    rsc: new Map(),
    trainings: new Map(),
    files: [],
    items: 0,
  };
}

const built = await buildReportFiles(population(), '2026-06-30', { now: new Date('2026-06-30T12:00:00Z') });
const csvFiles = REPORT_FILES.filter((f) => f.endsWith('.csv'));
const jsonFiles = REPORT_FILES.filter((f) => f.endsWith('.json'));

describe('the data dictionary', () => {
  it.each(csvFiles)('describes every column of %s, and no column it lacks', (file) => {
    const [header] = parseCsv(built.files[file]);
    expect(header?.length).toBeGreaterThan(0);
    expect(dictionaryGaps(file, header ?? [])).toEqual({ undescribed: [], stale: [] });
  });

  it.each(jsonFiles)('describes every top-level field of %s, and no field it lacks', (file) => {
    const fields = Object.keys(JSON.parse(built.files[file]) as object);
    expect(dictionaryGaps(file, fields)).toEqual({ undescribed: [], stale: [] });
  });

  it('finds a column added without a description, and a description left for a dropped column', () => {
    const [header = []] = parseCsv(built.files['workforce.csv']);
    expect(dictionaryGaps('workforce.csv', [...header, 'median_age'])).toEqual({
      undescribed: ['median_age'],
      stale: [],
    });
    expect(dictionaryGaps('workforce.csv', header.slice(1))).toEqual({ undescribed: [], stale: [header[0]] });
    expect(dictionaryGaps('roster.csv', ['name']).undescribed).toEqual(['name']);
  });

  it('describes exactly the report files with columns or fields, each field with a type and words', () => {
    expect(Object.keys(DICTIONARY).sort()).toEqual([...csvFiles, ...jsonFiles].sort());
    for (const line of dictionaryLines()) {
      expect([line.file, line.field, line.description.length > 10]).toEqual([line.file, line.field, true]);
    }
  });

  it('writes dictionary.csv with one safe row per field, in the dictionary order', () => {
    const [header, ...rows] = parseCsv(built.files['dictionary.csv']);
    expect(header).toEqual([...DICTIONARY_COLUMNS]);
    expect(rows.map(([file, field]) => `${file}:${field}`)).toEqual(
      dictionaryLines().map((l) => `${l.file}:${l.field}`),
    );
    expect(isExcelSafe(built.files['dictionary.csv'])).toBe(true);
  });

  it('shows the same fields in report.html, in a section listed in the contents', () => {
    const html = built.files['report.html'];
    expect(html).toContain('<a href="#dictionary">Data dictionary</a>');
    const section = html.slice(html.indexOf('<section id="dictionary"'));
    for (const line of dictionaryLines()) expect(section).toContain(`<tr><td>${line.field}</td><td>${line.type}</td>`);
  });

  it('lists dictionary.csv in the manifest, and no report.pdf when no renderer was given', () => {
    const manifest = JSON.parse(built.files['manifest.json']) as { files: { name: string }[] };
    expect(manifest.files.map((f) => f.name)).toContain('dictionary.csv');
    expect(manifest.files.map((f) => f.name)).not.toContain('report.pdf');
    expect(built.files['report.pdf']).toBeUndefined();
  });
});
