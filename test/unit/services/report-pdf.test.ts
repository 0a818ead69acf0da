/**
 * report.pdf through the ReportPdfRenderer port: given a renderer, the run prints report.html with it,
 * lists the PDF in the manifest with its size and checksum and writes it just before the manifest;
 * without one there is no PDF and the manifest names none. The renderer here is a stand-in that
 * records what it was asked to print; the real Chromium one is tested in test/browser/report-print.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyPopulation, type Population } from '#adapters/dynamo/population.js';
import type { ReportPdfRenderer } from '#core/reports/pdf.js';
import { buildReportFiles, REPORT_FILES, REPORT_PDF, writtenFiles } from '#services/publish-reports.js';
import { applicant } from '../eligibility/builders.js';

function population(): Population {
  const applicants = Array.from({ length: 12 }, (_, i) =>
    applicant({ personId: `A-${i}`, email: `a${i}@example.org` }),
  );
  return { ...emptyPopulation(), applicants: new Map(applicants.map((a) => [a.personId, a])) };
}

/** A renderer that answers with fixed bytes and keeps the pages it was given. */
function recordingRenderer(): ReportPdfRenderer & { printed: string[] } {
  const printed: string[] = [];
  return {
    printed,
    print: async (html) => {
      printed.push(html);
      return new TextEncoder().encode(`%PDF-1.7 stand-in of ${html.length} characters`);
    },
  };
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const NOW = new Date('2026-06-30T12:00:00Z');

describe('report.pdf through the renderer port', () => {
  it('prints the report page once and lists the PDF in the manifest with its size and checksum', async () => {
    const renderer = recordingRenderer();
    const built = await buildReportFiles(population(), '2026-06-30', { now: NOW, pdf: renderer });

    expect(renderer.printed).toEqual([built.files['report.html']]);
    const pdf = built.files[REPORT_PDF] as Uint8Array;
    const manifest = JSON.parse(built.files['manifest.json']) as {
      files: { name: string; bytes: number; sha256: string }[];
    };
    expect(manifest.files.find((f) => f.name === REPORT_PDF)).toEqual({
      name: REPORT_PDF,
      bytes: pdf.length,
      sha256: sha256(pdf),
    });
    expect(built.pdfSeconds).toBeGreaterThan(0);
  });

  it('writes no PDF and lists none without a renderer, and the other files are the same', async () => {
    const withPdf = await buildReportFiles(population(), '2026-06-30', { now: NOW, pdf: recordingRenderer() });
    const without = await buildReportFiles(population(), '2026-06-30', { now: NOW });

    expect(without.files[REPORT_PDF]).toBeUndefined();
    expect(JSON.stringify(JSON.parse(without.files['manifest.json']).files)).not.toContain(REPORT_PDF);
    for (const name of REPORT_FILES.filter((f) => f !== 'manifest.json')) {
      expect([name, without.files[name]]).toEqual([name, withPdf.files[name]]);
    }
    expect(without.pdfSeconds).toBe(0);
  });

  it('writes the PDF after the other files and before the manifest, whose presence means the run is whole', async () => {
    const withPdf = await buildReportFiles(population(), '2026-06-30', { now: NOW, pdf: recordingRenderer() });
    const without = await buildReportFiles(population(), '2026-06-30', { now: NOW });

    expect(writtenFiles(withPdf.files)).toEqual([...REPORT_FILES.slice(0, -1), REPORT_PDF, 'manifest.json']);
    expect(writtenFiles(without.files)).toEqual([...REPORT_FILES]);
  });
});
