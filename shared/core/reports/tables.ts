/**
 * The report's tables, one per breakdown under its chart: every group with its published numbers,
 * and "suppressed" where a number is withheld. All three share one template; each function here
 * only decides what goes in the cells.
 */
import { NOT_REPORTED } from '../reference/reference.js';
import { COMPLIANCE_STATUSES, type ComplianceRow } from './compliance.js';
import type { DisparityRow } from './disparity.js';
import { integer, label, percent, ratio, STATUS_TITLES, SUPPRESSED } from './presentation.js';
import { template } from './template.js';
import { type Dimension, POPULATIONS, type WorkforceRow } from './workforce.js';

/** One cell: a number (right-aligned), a withheld one, or a word; `flag` shows it as a warning. */
interface Cell {
  text: string;
  className?: 'num' | 'suppressed';
  flag?: boolean;
}

interface Table {
  columns: readonly string[];
  rows: { label: string; reference: boolean; cells: Cell[] }[];
}

// One row a line, so that a table reads (and is searched) row by row in the page's source.
const TABLE = template<Table>(`<table><thead><tr><th scope="col">Group</th>
<%_ for (const column of it.columns) { _%>
<th scope="col"><%= column %></th>
<%_ } _%>
</tr></thead><tbody>
<%_ for (const row of it.rows) { %>
<tr><th scope="row"><%= row.label %>
<%_ if (row.reference) { %> <em>(reference)</em><% } _%>
</th>
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
const NOT_COMPARED: Cell = { text: 'not compared' };

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

export function workforceTable(dimension: Dimension, rows: readonly WorkforceRow[]): string {
  return TABLE({
    columns: ['Endorsed (not lapsed)', 'Applicants'],
    rows: [...countsByGroup(dimension, rows, (r) => r.population)].map(([group, e]) => ({
      label: label(group, e.name),
      reference: false,
      cells: POPULATIONS.map((p) => count(e.counts[p] ?? null)),
    })),
  });
}

export function disparityTable(dimension: Dimension, rows: readonly DisparityRow[]): string {
  return TABLE({
    columns: ['Applicants', 'Eligible', 'Rate', '95% interval', 'Ratio to reference', 'Four-fifths flag'],
    rows: rows
      .filter((r) => r.dimension === dimension)
      .map((r) => {
        // A rate or ratio is withheld with its group; one that is merely missing (no applicants) is a dash.
        const rateCell = (v: number | null, f: (n: number) => string): Cell =>
          v === null && !r.suppressed ? NONE : count(v, f);
        const interval: Cell =
          r.ciLow === null || r.ciHigh === null
            ? r.suppressed
              ? WITHHELD
              : NONE
            : { text: `${percent.format(r.ciLow)} – ${percent.format(r.ciHigh)}`, className: 'num' };
        // "Not reported" shows its rate but is never compared (docs/domain.md, "Disparity measures").
        const notCompared = r.group === NOT_REPORTED && !r.suppressed && r.rate !== null;
        const flag: Cell =
          r.fourFifthsFlag === null
            ? notCompared
              ? NOT_COMPARED
              : r.suppressed
                ? WITHHELD
                : NONE
            : r.fourFifthsFlag
              ? { text: 'below four-fifths', flag: true }
              : { text: 'no' };
        return {
          label: label(r.group, r.groupName),
          reference: r.reference,
          cells: [
            count(r.applicants),
            count(r.eligible),
            rateCell(r.rate, (n) => percent.format(n)),
            interval,
            notCompared ? NOT_COMPARED : rateCell(r.ratioToReference, (n) => ratio.format(n)),
            flag,
          ],
        };
      }),
  });
}

export function complianceTable(dimension: string, rows: readonly ComplianceRow[]): string {
  return TABLE({
    columns: COMPLIANCE_STATUSES.map((s) => STATUS_TITLES[s]),
    rows: [...countsByGroup(dimension, rows, (r) => r.status)].map(([group, e]) => ({
      label: label(group, e.name),
      reference: false,
      cells: COMPLIANCE_STATUSES.map((s) => count(e.counts[s] ?? null)),
    })),
  });
}
