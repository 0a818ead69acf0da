/**
 * Renewal compliance counts of endorsees by tier, category, region and county, with a statewide row
 * per status, suppressed cell by cell (docs/domain.md, "Publishing to policymakers safely").
 */
import { fieldsCsv } from '../csv/write.js';
import { type CountPublisher, EXACT_COUNTS } from './noise.js';
import { type CountTable, type LinkedSum, type SuppressionRule, suppressLinked } from './suppress.js';
import {
  ALL,
  countBreakdown,
  countPopulation,
  type Dimension,
  type Grouping,
  groupings,
  type Nesting,
  nestings,
  type ReportPerson,
  type RowDimension,
  TOTAL,
  type WorkforceRow,
  workforceCell,
} from './workforce.js';

/** Renewal statuses in report order (shared/core/renewal/renewal.ts RenewalStatus). */
export const RENEWAL_STATUSES = ['compliant', 'in_progress', 'at_risk', 'lapsed', 'exempt'] as const;
export type RenewalStatusName = (typeof RENEWAL_STATUSES)[number];

/**
 * The statuses collapsed for small groups (docs/domain.md): `on_track` is compliant + exempt, the
 * endorsees who owe nothing more this year; `not_yet` is in_progress + at_risk, those who still
 * owe this year's requirements. In progress is not "on track": the status says only that the
 * requirements are unmet and time remains. Lapsed stays its own column: it is not part of the
 * endorsed count the workforce report publishes, so folding it in would let a reader subtract it out.
 */
export const COLLAPSED_STATUSES = {
  on_track: ['compliant', 'exempt'],
  not_yet: ['in_progress', 'at_risk'],
} as const satisfies Record<string, readonly RenewalStatusName[]>;

/** Every status column of the report: the five statuses, then the two collapsed ones. */
export const COMPLIANCE_STATUSES = [...RENEWAL_STATUSES, 'on_track', 'not_yet'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** The breakdowns compliance is reported by. */
export const COMPLIANCE_DIMENSIONS = ['tier', 'category', 'region', 'county'] as const satisfies readonly Dimension[];
export type ComplianceDimension = (typeof COMPLIANCE_DIMENSIONS)[number];

/** One endorsee, lapsed ones included, with the renewal status on the as-of date. */
export interface ComplianceEndorsee {
  category: string;
  county?: string;
  status: RenewalStatusName;
}

export interface ComplianceRow {
  dimension: ComplianceDimension | typeof TOTAL;
  group: string;
  groupName: string;
  status: ComplianceStatus;
  /** The count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

/** Statuses that count as endorsed (not lapsed) in the workforce report. */
const ENDORSED_STATUSES: ReadonlySet<RenewalStatusName> = new Set(['compliant', 'in_progress', 'at_risk', 'exempt']);

/** True for the statuses the workforce report counts as endorsed. */
export function isEndorsedStatus(status: RenewalStatusName): boolean {
  return ENDORSED_STATUSES.has(status);
}

const complianceCell = (status: ComplianceStatus, dimension: RowDimension, group: string): string =>
  `${status}|${dimension}|${group}`;

/** The exact compliance counts, the workforce's endorsed counts they refer to, and every sum that ties them. */
export interface ComplianceCounts extends CountTable {
  rows: { dimension: ComplianceDimension | typeof TOTAL; group: string; name: string }[];
}

/**
 * Counts endorsees per group and status. The table also holds the workforce report's endorsed counts
 * of the same groups with their own sums: a group's non-lapsed statuses add up to that published
 * count, so the two tables are suppressed as one.
 */
export function countCompliance(
  endorsees: readonly ComplianceEndorsee[],
  by: Record<Dimension, Grouping>,
  nest: readonly Nesting[] = nestings(),
): ComplianceCounts {
  const people = endorsees.map((e): ReportPerson & { status: RenewalStatusName } => ({
    population: 'endorsed',
    category: e.category,
    county: e.county,
    raceEthnicity: [],
    status: e.status,
  }));
  const endorsed = countPopulation(
    people.filter((p) => isEndorsedStatus(p.status)),
    'endorsed',
    by,
    nest,
  );
  const counts = new Map(endorsed.counts);
  const sums: LinkedSum[] = [...endorsed.sums];
  const rows: ComplianceCounts['rows'] = [{ dimension: TOTAL, group: ALL, name: 'Statewide' }];
  const groupsOf = new Map<Dimension, string[]>();
  const tally = (dimension: RowDimension, group: string, members: readonly { status: RenewalStatusName }[]) => {
    for (const s of RENEWAL_STATUSES) {
      counts.set(complianceCell(s, dimension, group), members.filter((p) => p.status === s).length);
    }
    for (const [collapsed, parts] of Object.entries(COLLAPSED_STATUSES) as [
      ComplianceStatus,
      readonly RenewalStatusName[],
    ][]) {
      const ids = parts.map((s) => complianceCell(s, dimension, group));
      counts.set(
        complianceCell(collapsed, dimension, group),
        ids.reduce((t, id) => t + (counts.get(id) ?? 0), 0),
      );
      sums.push({ whole: complianceCell(collapsed, dimension, group), parts: ids });
    }
    // The workforce report publishes this group's endorsed count: the non-lapsed statuses add up to it.
    const endorsedId = workforceCell('endorsed', dimension, group);
    if (!counts.has(endorsedId)) counts.set(endorsedId, members.filter((p) => isEndorsedStatus(p.status)).length);
    sums.push({
      whole: endorsedId,
      parts: Object.keys(COLLAPSED_STATUSES).map((c) => complianceCell(c as ComplianceStatus, dimension, group)),
    });
  };
  tally(TOTAL, ALL, people);
  for (const dimension of COMPLIANCE_DIMENSIONS) {
    const grouping = by[dimension];
    const members = new Map<string, (typeof people)[number][]>();
    for (const p of people) {
      const g = grouping.groupOf(p);
      const group = members.get(g);
      if (group) group.push(p);
      else members.set(g, [p]);
    }
    const groups = countBreakdown(people, grouping);
    groupsOf.set(
      dimension,
      groups.map((g) => g.group),
    );
    for (const g of groups) {
      rows.push({ dimension, group: g.group, name: g.name });
      tally(dimension, g.group, members.get(g.group) ?? []);
    }
  }
  // Each status column: the statewide row is the sum of every breakdown, a coarse group of its fine ones.
  for (const s of COMPLIANCE_STATUSES) {
    const cellOf = (d: RowDimension, g: string) => complianceCell(s, d, g);
    for (const d of COMPLIANCE_DIMENSIONS) {
      sums.push({ whole: cellOf(TOTAL, ALL), parts: (groupsOf.get(d) ?? []).map((g) => cellOf(d, g)) });
    }
    for (const n of nest) {
      const coarse = groupsOf.get(n.coarse) ?? [];
      const fine = groupsOf.get(n.fine) ?? [];
      for (const c of coarse) {
        sums.push({
          whole: cellOf(n.coarse, c),
          parts: fine.filter((f) => n.coarseOf(f) === c).map((f) => cellOf(n.fine, f)),
        });
      }
    }
  }
  return { counts, sums, rows };
}

/**
 * The withheld compliance cells. The workforce report's endorsed counts are fixed (published or
 * withheld as that report decided); a status total from 1 to threshold − 1 withholds its whole column.
 */
export function suppressCompliance(
  counts: ComplianceCounts,
  rule: SuppressionRule,
  workforce: readonly WorkforceRow[],
  ruleWithheld?: ReadonlySet<string>,
): Set<string> {
  // Withheld as the rule decided (ruleWithheld, when the counts were perturbed): a count withheld only
  // because its perturbed value looked small needs no complement here.
  const fixed = new Map<string, boolean>();
  for (const r of workforce) {
    if (r.population !== 'endorsed') continue;
    const id = workforceCell('endorsed', r.dimension, r.group);
    fixed.set(id, ruleWithheld ? ruleWithheld.has(id) : r.suppressed);
  }
  return suppressLinked(counts, rule, {
    fixed,
    roots: COMPLIANCE_STATUSES.map((s) => complianceCell(s, TOTAL, ALL)),
  });
}

/**
 * Compliance rows, statewide first, then every group of each dimension with each status. A small
 * count withholds that cell and the complements that keep it from being worked out (within its
 * group, within its status column, within its region or tier); the rest of the group stays published.
 */
export function complianceRows(
  endorsees: readonly ComplianceEndorsee[],
  rule: SuppressionRule,
  workforce: readonly WorkforceRow[],
  by: Record<Dimension, Grouping> = groupings([], rule),
  publisher: CountPublisher = EXACT_COUNTS,
  ruleWithheld?: ReadonlySet<string>,
): ComplianceRow[] {
  const counts = countCompliance(endorsees, by);
  const withheld = suppressCompliance(counts, rule, workforce, ruleWithheld);
  return counts.rows.flatMap((r) =>
    COMPLIANCE_STATUSES.map((status): ComplianceRow => {
      const id = complianceCell(status, r.dimension, r.group);
      const count = withheld.has(id) ? null : publisher.value(id, counts.counts.get(id) as number);
      return { dimension: r.dimension, group: r.group, groupName: r.name, status, count, suppressed: count === null };
    }),
  );
}

/** The columns of reports/compliance.csv, then a readable group name. */
export const COMPLIANCE_COLUMNS = ['dimension', 'group', 'status', 'count', 'suppressed', 'group_name'] as const;

/** reports/compliance.csv: suppressed cells empty with suppressed=true. */
export function complianceCsv(rows: readonly ComplianceRow[]): string {
  return fieldsCsv(COMPLIANCE_COLUMNS, rows);
}
