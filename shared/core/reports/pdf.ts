/**
 * The port through which publishing prints report.html to report.pdf. Printing needs a browser,
 * which the core cannot hold: the services take a ReportPdfRenderer when they are given one (the
 * reports function and the local runner pass the headless Chromium of shared/adapters/pdf/), and
 * without one a run writes no PDF and its manifest lists none (docs/contract.md, "Output files").
 */
export interface ReportPdfRenderer {
  /**
   * Prints a self-contained page (report.html: no script, nothing to load) with its print style
   * sheet, on US Letter pages; resolves to the PDF's bytes.
   */
  print(html: string): Promise<Uint8Array>;
}

/** The PDF's file name in a run, next to report.html. */
export const REPORT_PDF = 'report.pdf';
