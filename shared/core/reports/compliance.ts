/** Renewal compliance counts of endorsees by category and county, suppressed like the workforce report. */
import { fieldsCsv } from '../csv/write.js';
import { type SuppressionRule, suppressJointly } from './suppress.js';
import { countBreakdown, type Dimension, groupings, type ReportPerson, type WorkforceRow } from './workforce.js';

/** Renewal statuses in report order (shared/core/renewal/renewal.ts RenewalStatus). */
export const COMPLIANCE_STATUSES = ['compliant', 'in_progress', 'at_risk', 'lapsed', 'exempt'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** The breakdowns compliance is reported by. */
export const COMPLIANCE_DIMENSIONS = ['category', 'county'] as const;
export type ComplianceDimension = (typeof COMPLIANCE_DIMENSIONS)[number];

/** One endorsee, lapsed ones included, with the renewal status on the as-of date. */
export interface ComplianceEndorsee {
  category: string;
  county?: string;
  status: ComplianceStatus;
}

export interface ComplianceRow {
  dimension: ComplianceDimension;
  group: string;
  groupName: string;
  status: ComplianceStatus;
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

/** Statuses that count as endorsed (not lapsed) in the workforce report. */
const ENDORSED_STATUSES: ReadonlySet<ComplianceStatus> = new Set(['compliant', 'in_progress', 'at_risk', 'exempt']);

/**
 * Compliance rows for both dimensions. A group's statuses are suppressed together (suppressJointly
 * with one count per status, each status total being public). The groups the workforce report
 * withholds from its `endorsed` counts are forced out here too: otherwise a published row's
 * non-lapsed statuses would add up to that group's withheld endorsed count.
 */
export function complianceRows(
  endorsees: readonly ComplianceEndorsee[],
  rule: SuppressionRule,
  workforce: readonly WorkforceRow[],
): ComplianceRow[] {
  // Category and county groupings do not depend on the people; only the free-text ones do.
  const by = groupings([], rule);
  const people = endorsees.map((e): ReportPerson & { status: ComplianceStatus } => ({
    population: 'endorsed',
    category: e.category,
    county: e.county,
    raceEthnicity: [],
    status: e.status,
  }));
  const rows: ComplianceRow[] = [];
  for (const dimension of COMPLIANCE_DIMENSIONS) {
    const grouping = by[dimension];
    const groups = countBreakdown(people, grouping);
    const counts = new Map<string, number[]>(groups.map((g) => [g.group, COMPLIANCE_STATUSES.map(() => 0)]));
    for (const p of people) {
      const row = counts.get(grouping.groupOf(p)) as number[];
      const k = COMPLIANCE_STATUSES.indexOf(p.status);
      row[k] = (row[k] ?? 0) + 1;
    }
    const withheldInWorkforce = workforce
      .filter((r) => r.population === 'endorsed' && r.dimension === (dimension as Dimension) && r.suppressed)
      .map((r) => r.group)
      .filter((g) => counts.has(g));
    const suppressed = suppressJointly(
      groups.map((g) => ({ group: g.group, counts: counts.get(g.group) ?? [] })),
      rule,
      withheldInWorkforce,
    );
    for (const g of groups) {
      const values = counts.get(g.group) ?? [];
      COMPLIANCE_STATUSES.forEach((status, k) => {
        const hidden = suppressed.has(g.group);
        rows.push({
          dimension,
          group: g.group,
          groupName: g.name,
          status,
          count: hidden ? null : (values[k] ?? 0),
          suppressed: hidden,
        });
      });
    }
  }
  return rows;
}

/** True for the statuses the workforce report counts as endorsed. */
export function isEndorsedStatus(status: ComplianceStatus): boolean {
  return ENDORSED_STATUSES.has(status);
}

/** The columns of reports/compliance.csv, then a readable group name. */
export const COMPLIANCE_COLUMNS = ['dimension', 'group', 'status', 'count', 'suppressed', 'group_name'] as const;

/** reports/compliance.csv: suppressed cells empty with suppressed=true. */
export function complianceCsv(rows: readonly ComplianceRow[]): string {
  return fieldsCsv(COMPLIANCE_COLUMNS, rows);
}
