/**
 * The report page at the two sizes the browser tests judge it at: a small association (the size
 * of the real ones: about 150 people, many cells withheld) and a large one (20,000 people drawn
 * by the synthetic generator's choices, every county and group filled). Each is built once per
 * test file and kept in test-artifacts/ to open by hand.
 */
import { writeFileSync } from 'node:fs';
import type { ComplianceEndorsee } from '#core/reports/compliance.js';
import { type ReportDocument, reportHtml } from '#core/reports/html.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';
import { artifactPath } from './browser.js';
import { reportDocument, reportPeople } from './report-people.js';
import { syntheticReportDocument } from './synthetic-report.js';

const rule = defaultPublishingRule();

const people = (n: number, over: Partial<ReportPerson>): ReportPerson[] => reportPeople(n, over, (i) => i % 3 !== 0);

/** Published groups, small ones (Wood, Asian) and their complements, so the page shows both kinds of cell. */
export const SMALL_SAMPLE: readonly ReportPerson[] = [
  ...people(60, {}),
  ...people(35, { county: '55079', raceEthnicity: ['Black or African American'], eligible: false }),
  ...people(4, { county: '55141', raceEthnicity: ['Asian'], sector: 'Child Care' }),
  ...people(40, { population: 'endorsed', eligible: undefined }),
  ...people(14, { population: 'endorsed', eligible: undefined, category: 'ECFA', county: '55079' }),
];
const SMALL_ENDORSEES: ComplianceEndorsee[] = [
  ...Array.from({ length: 40 }, () => ({ category: 'IFA', county: '55025', status: 'compliant' as const })),
  ...Array.from({ length: 14 }, () => ({ category: 'ECFA', county: '55079', status: 'in_progress' as const })),
  ...Array.from({ length: 3 }, () => ({ category: 'ECFA', county: '55079', status: 'lapsed' as const })),
];

export const LARGE_PEOPLE = 20_000;

export interface ReportPage {
  size: 'small' | 'large';
  doc: ReportDocument;
  html: string;
  /** The page's file in test-artifacts/. */
  file: string;
  /** Seconds to build the page (charts included). */
  seconds: number;
}

const built = new Map<ReportPage['size'], Promise<ReportPage>>();

/** The page of one size, built on first use. */
export function reportPage(size: ReportPage['size']): Promise<ReportPage> {
  let page = built.get(size);
  if (!page) {
    page = (async () => {
      const doc =
        size === 'small'
          ? reportDocument(SMALL_SAMPLE, rule, SMALL_ENDORSEES)
          : syntheticReportDocument(LARGE_PEOPLE, rule);
      const started = performance.now();
      const html = await reportHtml(doc);
      const seconds = (performance.now() - started) / 1000;
      const file = artifactPath(`report-${size}.html`);
      writeFileSync(file, html);
      return { size, doc, html, file, seconds };
    })();
    built.set(size, page);
  }
  return page;
}
