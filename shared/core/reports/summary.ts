/** The report's summary in words, the page's first section. */
import { COMPLIANCE_STATUSES } from './compliance.js';
import type { ReportDocument } from './html.js';
import { DIMENSION_TITLES, integer, label, lower, percent, STATUS_TITLES } from './presentation.js';
import { DIMENSIONS } from './workforce.js';

/** The summary in words; every number in it is a published total or derived from published totals only. */
export function summaryParagraphs(doc: ReportDocument): string[] {
  const { totals } = doc.summary;
  const min = doc.rule.minPublishedCount;
  const count = (n: number | null, noun: string) =>
    n === null ? `a number of ${noun} too small to publish` : `${integer.format(n)} ${noun}`;
  const paragraphs: string[] = [];
  let first = `As of ${doc.asOf}, ${count(totals.endorsed, 'people')} hold an endorsement that has not lapsed, and ${count(totals.applicants, 'people')} have applied.`;
  if (totals.applicants !== null && totals.eligible !== null && totals.applicants > 0) {
    first += ` ${integer.format(totals.eligible)} applicants (${percent.format(totals.eligible / totals.applicants)}) meet every requirement of the ruleset ${doc.ruleset.id} (version ${doc.ruleset.version}).`;
  }
  paragraphs.push(first);

  const flagged = doc.disparity.filter((r) => r.fourFifthsFlag === true);
  if (flagged.length === 0) {
    paragraphs.push("No published group's eligibility rate is below four-fifths of the highest rate in its breakdown.");
  } else {
    const byDimension = DIMENSIONS.map((d) => {
      const groups = flagged.filter((r) => r.dimension === d);
      return groups.length === 0
        ? ''
        : `${lower(DIMENSION_TITLES[d])}: ${groups.map((r) => `${label(r.group, r.groupName)} (${percent.format(r.rate ?? 0)})`).join(', ')}`;
    }).filter((s) => s !== '');
    paragraphs.push(
      `Eligibility rates below four-fifths of the highest rate in their breakdown (a sign of possible disparity, 29 CFR 1607.4(D)) — ${byDimension.join('; ')}.`,
    );
  }

  const category = doc.compliance.filter((r) => r.dimension === 'category');
  if (category.length > 0 && category.every((r) => !r.suppressed)) {
    const byStatus = COMPLIANCE_STATUSES.map((s) => {
      const n = category.filter((r) => r.status === s).reduce((sum, r) => sum + (r.count ?? 0), 0);
      return `${integer.format(n)} ${STATUS_TITLES[s].toLowerCase()}`;
    });
    paragraphs.push(`Renewal of endorsements this year: ${byStatus.join(', ')}.`);
  }

  const withheld =
    doc.summary.suppressed.workforceCells +
    doc.summary.suppressed.disparityRows +
    new Set(doc.compliance.filter((r) => r.suppressed).map((r) => `${r.dimension}|${r.group}`)).size;
  paragraphs.push(
    `To protect privacy, no count from 1 to ${min - 1} is published, nor any rate or ratio computed from one, and further cells are withheld where they would let a withheld count be worked out (${integer.format(withheld)} cells or rows withheld in all). Withheld cells read "suppressed" in the tables and are drawn as hatched bars in the charts: they are not zero.`,
  );
  return paragraphs;
}
