/** Report inputs for tests: people to count, and the document report.html is built from. */
import { buildReports } from '#core/reports/build.js';
import { type ComplianceEndorsee, complianceRows } from '#core/reports/compliance.js';
import type { ReportDocument } from '#core/reports/html.js';
import type { PublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';

/** `n` applicants in Dane County, English-speaking, White, half of them eligible unless said otherwise. */

export function reportPeople(
  n: number,
  over: Partial<ReportPerson> = {},
  eligible: (i: number) => boolean = (i) => i % 2 === 0,
): ReportPerson[] {
  return Array.from({ length: n }, (_, i) => ({
    population: 'applicants',
    category: 'IFA',
    county: '55025',
    raceEthnicity: ['White'],
    primaryLanguage: 'English',
    sector: 'Head Start',
    eligible: eligible(i),
    ...over,
  }));
}

/** The report document of these people and endorsees under the default ruleset, as of 2026-06-30. */
export function reportDocument(
  sample: readonly ReportPerson[],
  rule: PublishingRule,
  endorsees: ComplianceEndorsee[] = [],
): ReportDocument {
  const built = buildReports(sample, rule);
  return {
    asOf: '2026-06-30',
    generatedAt: '2026-06-30T12:00:00.000Z',
    ruleset: { id: 'default-2024', version: '2024.1', association: 'default', effectiveFrom: '2024-01-01' },
    // Built with exact counts: the page says so (maxNoise 0).
    rule: { ...rule, maxNoise: built.summary.rule.maxNoise },
    summary: built.summary,
    workforce: built.workforce,
    disparity: built.disparity,
    compliance: complianceRows(endorsees, rule, built.workforce),
  };
}
