/**
 * The report's tables, one per breakdown under its chart: every group with its published numbers,
 * and "suppressed" where a number is withheld. All three share one template; each function here
 * only decides what goes in the cells.
 */
import { COMPLIANCE_STATUSES, type ComplianceRow } from './compliance.js';
import type { Assessment, DisparityRow } from './disparity.js';
import { integer, label, percent, ratio, STATUS_TITLES, SUPPRESSED } from './presentation.js';
import { template } from './template.js';
import { type Dimension, POPULATIONS, TOTAL, type WorkforceRow } from './workforce.js';

/** One cell: a number (right-aligned), a withheld one, or a word; `flag` shows it as a warning. */
interface Cell {
  text: string;
  className?: 'num' | 'suppressed';
  flag?: boolean;
}

interface Table {
  columns: readonly string[];
  rows: { label: string; cells: Cell[] }[];
}

// One row a line, so that a table reads (and is searched) row by row in the page's source.
const TABLE = template<Table>(`<table><thead><tr><th scope="col">Group</th>
<%_ for (const column of it.columns) { _%>
<th scope="col"><%= column %></th>
<%_ } _%>
</tr></thead><tbody>
<%_ for (const row of it.rows) { %>
<tr><th scope="row"><%= row.label %></th>
<%_ for (const cell of row.cells) { _%>
<td<% if (cell.className) { %> class="<%= cell.className %>"<% } %>>
<%_ if (cell.flag) { _%>
<strong class="flag"><%= cell.text %></strong>
<%_ } else { _%>
<%= cell.text %>
<%_ } _%>
</td>
<%_ } _%>
</tr>
<%_ } %>
</tbody></table>`);

const WITHHELD: Cell = { text: SUPPRESSED, className: 'suppressed' };
const NONE: Cell = { text: '–' };

const count = (value: number | null, format: (n: number) => string = (n) => integer.format(n)): Cell =>
  value === null ? WITHHELD : { text: format(value), className: 'num' };

/** The groups of one breakdown in first-seen order, each with its counts by `key`. */
function countsByGroup<R extends { dimension: string; group: string; groupName: string; count: number | null }>(
  dimension: string,
  rows: readonly R[],
  key: (row: R) => string,
): Map<string, { name: string; counts: Partial<Record<string, number | null>> }> {
  const byGroup = new Map<string, { name: string; counts: Partial<Record<string, number | null>> }>();
  for (const r of rows.filter((x) => x.dimension === dimension)) {
    const entry = byGroup.get(r.group) ?? { name: r.groupName, counts: {} };
    entry.counts[key(r)] = r.count;
    byGroup.set(r.group, entry);
  }
  return byGroup;
}

/** A count the inputs do not carry for a population (endorsees' education): not withheld, never collected. */
const NOT_COLLECTED: Cell = { text: 'not collected' };

/** One breakdown's counts, then its statewide row (docs/contract.md: every table carries its total). */
export function workforceTable(dimension: Dimension, rows: readonly WorkforceRow[]): string {
  const groups = [
    ...countsByGroup(dimension, rows, (r) => r.population),
    ...countsByGroup(TOTAL, rows, (r) => r.population),
  ];
  return TABLE({
    columns: ['Endorsed (not lapsed)', 'Applicants'],
    rows: groups.map(([group, e]) => ({
      label: label(group, e.name),
      cells: POPULATIONS.map((p) => (p in e.counts ? count(e.counts[p] ?? null) : NOT_COLLECTED)),
    })),
  });
}

/** What a row's flag cell says when the group was not tested (docs/domain.md, "Disparity measures"). */
const NOT_TESTED: Record<Exclude<Assessment, 'tested' | 'withheld' | 'context'>, string> = {
  not_reported: 'not compared',
  no_applicants: '–',
  unreliable: 'not tested: rate unreliable',
  reference_withheld: 'not tested: rest withheld',
  reference_unreliable: 'not tested: rest unreliable',
};

/**
 * One breakdown's eligibility rates. A context breakdown (category) shows rates only; a
 * demographic one adds the comparison with the rest: ratio, adjusted p-value and flag.
 */
export function disparityTable(dimension: Dimension, rows: readonly DisparityRow[]): string {
  const mine = rows.filter((r) => r.dimension === dimension);
  const context = mine.every((r) => r.assessment === 'context');
  const rateColumns = ['Applicants', 'Eligible', 'Rate', '95% interval', 'Reliable (NCHS)'];
  return TABLE({
    columns: context ? rateColumns : [...rateColumns, 'Ratio to the rest', 'Adjusted p-value', 'Flag'],
    rows: mine.map((r) => {
      // A number is withheld with its group; one that is merely missing (no applicants, not tested) is a dash.
      const cell = (v: number | null, f: (n: number) => string): Cell =>
        v === null && !r.suppressed ? NONE : count(v, f);
      const interval: Cell =
        r.ciLow === null || r.ciHigh === null
          ? r.suppressed
            ? WITHHELD
            : NONE
          : { text: `${percent.format(r.ciLow)} – ${percent.format(r.ciHigh)}`, className: 'num' };
      const reliable: Cell =
        r.reliable === null ? (r.suppressed ? WITHHELD : NONE) : { text: r.reliable ? 'yes' : 'no' };
      const cells = [
        count(r.applicants),
        count(r.eligible),
        cell(r.rate, (n) => percent.format(n)),
        interval,
        reliable,
      ];
      if (!context) {
        const untested = r.assessment === 'tested' || r.assessment === 'withheld' || r.assessment === 'context';
        const why: Cell | undefined = untested
          ? undefined
          : { text: NOT_TESTED[r.assessment as keyof typeof NOT_TESTED] };
        const flag: Cell =
          r.fourFifthsFlag === null
            ? (why ?? (r.suppressed ? WITHHELD : NONE))
            : r.fourFifthsFlag
              ? { text: 'flagged', flag: true }
              : { text: 'no' };
        cells.push(why ?? cell(r.ratioToReference, (n) => ratio.format(n)), why ?? cell(r.pValue, pValueText), flag);
      }
      return { label: label(r.group, r.groupName), cells };
    }),
  });
}

/** A p-value as read: three decimals, and "< 0.001" below that. */
const pValueText = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));

/** The flagged groups of every breakdown: one row each, with the numbers that flagged it. */
export function disparityFlagsTable(rows: readonly DisparityRow[], titles: (dimension: string) => string): string {
  const flagged = rows.filter((r) => r.fourFifthsFlag === true);
  return TABLE({
    columns: ['Breakdown', 'Rate', 'Ratio to the rest', 'Adjusted p-value'],
    rows: flagged.map((r) => ({
      label: label(r.group, r.groupName),
      cells: [
        { text: titles(r.dimension) },
        count(r.rate, (n) => percent.format(n)),
        count(r.ratioToReference, (n) => ratio.format(n)),
        count(r.pValue, pValueText),
      ],
    })),
  });
}

export function complianceTable(dimension: string, rows: readonly ComplianceRow[]): string {
  return TABLE({
    columns: COMPLIANCE_STATUSES.map((s) => STATUS_TITLES[s]),
    rows: [...countsByGroup(dimension, rows, (r) => r.status), ...countsByGroup(TOTAL, rows, (r) => r.status)].map(
      ([group, e]) => ({
        label: label(group, e.name),
        cells: COMPLIANCE_STATUSES.map((s) => count(e.counts[s] ?? null)),
      }),
    ),
  });
}
