/**
 * report.pdf printed by headless Chromium (ReportPdfRenderer, shared/core/reports/pdf.ts). The
 * browser is `@sparticuz/chromium`, a Chromium for x86_64 Linux shipped inside its npm package,
 * which runs in an x86_64 Lambda and on this project's machines without a system package; it is
 * driven by playwright-core. One browser per print, always closed, so a publish leaves no process.
 */
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';
import type { ReportPdfRenderer } from '#core/reports/pdf.js';

/**
 * @sparticuz/chromium's flags made for a browser that visits the web: the report loads nothing, so
 * nothing is gained by turning off web security or allowing insecure content, and they stay off.
 */
const UNSAFE = new Set(['--disable-web-security', '--allow-running-insecure-content']);

export interface ChromiumPdfOptions {
  /**
   * Lambda allows one process only: `--single-process` (on by @sparticuz/chromium) is needed there.
   * Elsewhere it is left off, as a multi-process browser is the better tested one.
   */
  singleProcess?: boolean;
  /** Starts the browser instead of the default launch (the tests start theirs from an unpacked copy). */
  launch?: () => Promise<Browser>;
  /** Longest wait for one print, in milliseconds (default 120 s). */
  timeoutMs?: number;
}

/** Launches @sparticuz/chromium headless, with no sandbox (Lambda has none to offer) and none of its unsafe flags. */
export async function launchSparticuzChromium(options: { singleProcess?: boolean } = {}): Promise<Browser> {
  const args = sparticuz.args.filter((a) => !UNSAFE.has(a) && (options.singleProcess || a !== '--single-process'));
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args, headless: true });
}

/**
 * Page number and total in the bottom margin. Chromium fills the spans by class name; the template
 * has its own tiny style because the page's styles do not reach the margins.
 */
const FOOTER = `<div style="font:8px system-ui,sans-serif;color:#444;width:100%;text-align:center">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`;

export function chromiumPdfRenderer(options: ChromiumPdfOptions = {}): ReportPdfRenderer {
  const launch = options.launch ?? (() => launchSparticuzChromium({ singleProcess: options.singleProcess }));
  const timeout = options.timeoutMs ?? 120_000;
  return {
    async print(html) {
      const browser = await launch();
      try {
        // Offline and without script: the page needs neither, so a report can never reach out while printing.
        const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
        const page = await context.newPage();
        page.setDefaultTimeout(timeout);
        await page.setContent(html, { waitUntil: 'load', timeout });
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({
          // The page's @page rule sets the size (US Letter) and margins.
          preferCSSPageSize: true,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate: '<span></span>',
          footerTemplate: FOOTER,
          // Headings become the PDF's outline and the structure is tagged, for screen readers.
          tagged: true,
          outline: true,
        });
        return new Uint8Array(pdf);
      } finally {
        await browser.close();
      }
    },
  };
}
