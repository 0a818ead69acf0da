/** The policymaker reports from one set of people: workforce and disparity rows, a summary, and their CSV text. */
import { fieldsCsv } from '../csv/write.js';
import { type DisparityRow, disparityRows } from './disparity.js';
import { type CountPublisher, EXACT_COUNTS } from './noise.js';
import type { PublishingRule } from './rule.js';
import {
  applicantSuppression,
  groupings,
  type Population,
  type ReportPerson,
  ruleWithheldCells,
  suppressedBreakdowns,
  TOTAL,
  type WorkforceRow,
  workforceRows,
} from './workforce.js';

export interface ReportSummary {
  /** maxNoise: the largest perturbation of a published count (0: exact counts). */
  rule: { id: string; version: string; minPublishedCount: number; maxNoise: number };
  /** Population totals, null when from 1 to minPublishedCount − 1 (then every breakdown of it is suppressed). */
  totals: { endorsed: number | null; applicants: number | null; eligible: number | null };
  /** How many cells were withheld: workforce count cells, and disparity rows with anything withheld. */
  suppressed: { workforceCells: number; disparityRows: number; disparityApplicantCells: number };
  rows: { workforce: number; disparity: number };
}

export interface Reports {
  workforce: WorkforceRow[];
  disparity: DisparityRow[];
  /** The endorsed counts the small-cell rule withholds, noise aside (never published): complianceRows' ruleWithheld. */
  endorsedRuleWithheld: ReadonlySet<string>;
  summary: ReportSummary;
}

/**
 * Builds both reports, computing the applicant suppression once so both files withhold the same cells.
 * `publisher` gives every published count (exact, or perturbed for a release: noise.ts); the summary's
 * totals are the statewide rows as published.
 */
export function buildReports(
  people: readonly ReportPerson[],
  rule: PublishingRule,
  publisher: CountPublisher = EXACT_COUNTS,
): Reports {
  const by = groupings(people, rule);
  const applicants = applicantSuppression(people, rule, by, publisher);
  const endorsed = suppressedBreakdowns(people, 'endorsed', rule, by, publisher);
  const workforce = workforceRows(people, rule, by, publisher, applicants, endorsed);
  const disparity = disparityRows(people, rule, by, publisher, applicants);

  const statewide = (population: Population) =>
    workforce.find((r) => r.population === population && r.dimension === TOTAL)?.count ?? null;
  return {
    workforce,
    disparity,
    endorsedRuleWithheld: ruleWithheldCells('endorsed', endorsed),
    summary: {
      rule: {
        id: rule.id,
        version: rule.version,
        minPublishedCount: rule.minPublishedCount,
        maxNoise: publisher.maxNoise,
      },
      totals: {
        endorsed: statewide('endorsed'),
        applicants: statewide('applicants'),
        // Withheld with the statewide not-eligible count when that is small (the disparity report's statewide row).
        eligible: disparity.find((r) => r.dimension === TOTAL)?.eligible ?? null,
      },
      suppressed: {
        workforceCells: workforce.filter((r) => r.suppressed).length,
        disparityRows: disparity.filter((r) => r.suppressed).length,
        disparityApplicantCells: disparity.filter((r) => r.applicants === null).length,
      },
      rows: { workforce: workforce.length, disparity: disparity.length },
    },
  };
}

/** The contract's columns of reports/workforce.csv, then a readable group name. */
export const WORKFORCE_COLUMNS = ['dimension', 'group', 'population', 'count', 'suppressed', 'group_name'] as const;

/**
 * The contract's columns of reports/disparity.csv, then a readable group name and why a group was or
 * was not tested (`assessment`). No reference column: every group is compared with the rest of its breakdown.
 */
export const DISPARITY_COLUMNS = [
  'dimension',
  'group',
  'applicants',
  'eligible',
  'rate',
  'ci_low',
  'ci_high',
  'ratio_to_reference',
  'p_value',
  'four_fifths_flag',
  'reliable',
  'suppressed',
  'group_name',
  'assessment',
] as const;

/** reports/workforce.csv: suppressed cells empty with suppressed=true. */
export function workforceCsv(rows: readonly WorkforceRow[]): string {
  return fieldsCsv(WORKFORCE_COLUMNS, rows);
}

/** reports/disparity.csv: withheld cells empty; suppressed=true when any count of the group is withheld. */
export function disparityCsv(rows: readonly DisparityRow[]): string {
  return fieldsCsv(DISPARITY_COLUMNS, rows);
}
