/** The report's summary in words, the page's first section. */
import { RENEWAL_STATUSES } from './compliance.js';
import type { DisparityRow } from './disparity.js';
import { CONTEXT_DIMENSIONS, DIMENSIONS } from './groupings.js';
import type { ReportDocument } from './html.js';
import { DIMENSION_TITLES, integer, percent, STATUS_TITLES } from './presentation.js';
import { disparityFlagsTable } from './tables.js';

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

  paragraphs.push(...disparitySentences(doc));

  // The statewide rows: each renewal status published on its own (a withheld one is named as such).
  const statewide = doc.compliance.filter(
    (r) => r.dimension === 'total' && RENEWAL_STATUSES.includes(r.status as never),
  );
  if (statewide.some((r) => !r.suppressed)) {
    const byStatus = statewide.map(
      (r) =>
        `${r.count === null ? 'a number too small to publish' : integer.format(r.count)} ${STATUS_TITLES[r.status].toLowerCase()}`,
    );
    paragraphs.push(`Renewal of endorsements this year: ${byStatus.join(', ')}.`);
  }

  const withheld =
    doc.summary.suppressed.workforceCells +
    doc.summary.suppressed.disparityRows +
    new Set(doc.compliance.filter((r) => r.suppressed).map((r) => `${r.dimension}|${r.group}`)).size;
  paragraphs.push(
    `To protect privacy, no count from 1 to ${min - 1} is published, nor any rate or ratio computed from one, and further cells are withheld where they would let a withheld count be worked out (${integer.format(withheld)} cells or rows withheld in all). Withheld cells read "suppressed" in the tables and are drawn as markers, never as bars, in the charts: they are not zero.`,
  );
  const noise = doc.rule.maxNoise;
  if (noise > 0) {
    paragraphs.push(
      `So that two releases cannot be compared to learn about one person, every published count differs from the exact count by at most ${noise} (random noise, drawn again whenever the data change); rates and tests are computed from the published counts. Exact counts stay with the association's administrators.`,
    );
  }
  return paragraphs;
}

const groups = (n: number): string => `${integer.format(n)} ${n === 1 ? 'group' : 'groups'}`;

/** Why groups of one breakdown could not be assessed, in words, e.g. "2 withheld, 3 unreliable". */
function notAssessed(rows: readonly DisparityRow[]): { count: number; why: string } {
  const reasons: [DisparityRow['assessment'], string][] = [
    ['withheld', 'withheld to protect privacy'],
    ['unreliable', 'too few applicants for a reliable rate'],
    ['reference_withheld', 'not compared because the rest would reveal a withheld “Not reported” count'],
    ['reference_unreliable', 'not compared because the rest of the breakdown is too small for a reliable rate'],
  ];
  const parts = reasons
    .map(([a, words]) => ({ n: rows.filter((r) => r.assessment === a).length, words }))
    .filter((x) => x.n > 0);
  return {
    count: parts.reduce((s, x) => s + x.n, 0),
    why: parts.map((x) => `${integer.format(x.n)} ${x.words}`).join(', '),
  };
}

/**
 * The disparity findings: what the comparison is, then one sentence per demographic breakdown
 * saying how many groups were tested, how many flagged and how many could not be assessed. A
 * breakdown with no group tested is said to be unassessed, never free of disparity.
 */
export function disparitySentences(doc: ReportDocument): string[] {
  const { fourFifths, significance } = doc.rule;
  const sentences = DIMENSIONS.filter((d) => !CONTEXT_DIMENSIONS.has(d)).flatMap((d) => {
    const rows = doc.disparity.filter((r) => r.dimension === d);
    if (rows.length === 0) return [];
    const title = DIMENSION_TITLES[d];
    const tested = rows.filter((r) => r.assessment === 'tested').length;
    const flagged = rows.filter((r) => r.fourFifthsFlag === true).length;
    const missing = notAssessed(rows);
    const unassessed = missing.count === 0 ? '' : `; ${groups(missing.count)} could not be assessed (${missing.why})`;
    if (tested === 0) {
      return missing.count === 0
        ? []
        : [
            `${title}: no group could be tested${unassessed}, so this report cannot say whether eligibility differs between its groups.`,
          ];
    }
    return [`${title}: ${groups(tested)} tested, ${integer.format(flagged)} flagged${unassessed}.`];
  });
  const anyFlag = doc.disparity.some((r) => r.fourFifthsFlag === true);
  const anyTested = doc.disparity.some((r) => r.assessment === 'tested');
  const outcome = anyFlag
    ? 'The flagged groups are listed in the table below.'
    : anyTested
      ? 'No tested group is flagged.'
      : 'No group could be tested, so this report cannot say whether eligibility differs between groups.';
  const how = `Each group's eligibility rate is compared with the rest of its breakdown (everyone else whose value is reported); a group is flagged when its rate is below ${fourFifths} of the rest's (29 CFR 1607.4(D)) and the difference is statistically significant (two-proportion z-test, Benjamini–Hochberg adjusted p-value below ${significance}). Rates that fail the NCHS reliability standard for proportions are not tested.`;
  return [`${how} ${outcome}`, ...(sentences.length > 0 ? [sentences.join(' ')] : [])];
}

/** The table of flagged groups for the summary; empty when none is flagged. */
export function flaggedGroupsTable(doc: ReportDocument): string {
  if (!doc.disparity.some((r) => r.fourFifthsFlag === true)) return '';
  return disparityFlagsTable(doc.disparity, (d) => DIMENSION_TITLES[d as keyof typeof DIMENSION_TITLES] ?? d);
}
