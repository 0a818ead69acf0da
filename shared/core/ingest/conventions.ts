/**
 * A file's own conventions for dates and numbers, settled from the file itself before its rows
 * are validated (docs/input-files.md, "Dates and numbers"): `12/11/2026` is 11 December in a US
 * export and 12 November in a European one, `1,000` is a thousand in one and one in the other.
 * A value is rewritten to its one canonical form (YYYY-MM-DD, a plain decimal) only when its
 * meaning is certain; otherwise the row is rejected with a message, never stored as a guess.
 */
import { isoDate } from '../dates.js';
import type { InputKind } from '../model.js';
import { detach, show } from './fields.js';

export type DateOrder = 'month-first' | 'day-first';

/** A problem with one cell, by canonical column name. */
export interface ConventionIssue {
  column: string;
  message: string;
}

const READY = { status: 'ready' } as const;

export type Prepared =
  | { status: 'ready' }
  | { status: 'rejected'; issues: ConventionIssue[] }
  /** A date's day/month order is not settled yet: hold the row until the file settles it. */
  | { status: 'held' };

const DATE_COLUMNS: Record<InputKind, readonly string[]> = {
  applicants: ['application_date', 'membership_expires_on'],
  rosters: ['training_date'],
  rsc: ['session_date'],
  endorsements: ['endorsed_on', 'membership_expires_on'],
  trainings: ['training_date'],
};

const NUMBER_COLUMNS: Record<InputKind, readonly string[]> = {
  applicants: ['work_experience_months', 'references'],
  rosters: ['hours'],
  rsc: ['hours'],
  endorsements: [],
  trainings: ['hours'],
};

/** A whole number, or one with one or two decimals: read the same in every convention. */
const PLAIN_NUMBER = /^\d+(\.\d\d?)?$/;

/** YYYY/MM/DD and YYYY.MM.DD: year first is always year-month-day. */
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;

/** D/M/YYYY or M/D/YYYY with `/`, `.` or `-` between the parts (ISO dates never match: they start with the year). */
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

type Row = Record<string, string | undefined>;

/** What one numeric date says about the file's order. */
interface DateReading {
  cell: string;
  first: number;
  second: number;
  year: number;
  separator: string;
}

function readNumericDate(cell: string): DateReading | undefined {
  const m = NUMERIC_DATE.exec(cell);
  if (!m) return undefined;
  return { cell, first: Number(m[1]), second: Number(m[3]), separator: m[2] as string, year: Number(m[4]) };
}

/** The only order a date can be read in, when it settles it (13/1/2026 can only be day-first). */
function orderShownBy(d: DateReading): DateOrder | undefined {
  if (d.first > 12 && d.second <= 12) return 'day-first';
  if (d.second > 12 && d.first <= 12) return 'month-first';
  return undefined;
}

const ORDER_EXAMPLE: Record<DateOrder, string> = { 'month-first': 'M/D/YYYY', 'day-first': 'D/M/YYYY' };

/**
 * Numbers as people and spreadsheets write them. Returns the canonical decimal text, undefined
 * for text that is no number at all (the field's own rule reports it), or a message when the
 * number's meaning depends on a convention the file does not settle.
 */
export function normaliseNumber(
  cell: string,
  decimalComma: boolean,
): { value: string } | { message: string } | undefined {
  const t = cell.trim();
  if (/^\d+(\.\d+)?$|^\.\d+$/.test(t)) {
    // "1.500" in a file whose decimals are commas is a thousand and a half, not one and a half.
    if (decimalComma && /^\d{1,3}(\.\d{3})+$/.test(t)) {
      return {
        message: `${show(t)} could be ${t.replace(/\./g, '')} (with "." separating thousands, as in this semicolon-separated file) or ${Number(t)}; write the number without a thousands separator (1500) and with a decimal comma or point only for fractions (1,5 or 1.5)`,
      };
    }
    return { value: t };
  }
  // Thousands grouped by spaces (as French and many European exports write them): never a decimal.
  const spaced = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:([.,])(\d+))?$/.exec(t);
  if (spaced) return { value: `${(spaced[1] as string).replace(/\D/g, '')}${spaced[3] ? `.${spaced[3]}` : ''}` };
  // 1,000.5 and 1.000,5: both separators present, so each one's role is certain.
  if (/^\d{1,3}(,\d{3})+\.\d+$/.test(t)) return { value: t.replace(/,/g, '') };
  if (/^\d{1,3}(\.\d{3})+,\d+$/.test(t)) return { value: t.replace(/\./g, '').replace(',', '.') };
  // 1.000.000: only thousands can repeat.
  if (/^\d{1,3}(\.\d{3}){2,}$/.test(t)) return { value: t.replace(/\./g, '') };
  if (/^\d{1,3}(,\d{3}){2,}$/.test(t)) return { value: t.replace(/,/g, '') };
  // 1,000: thousands in a comma-separated (US) export, but one with three decimals where commas mark decimals.
  if (/^\d{1,3},\d{3}$/.test(t)) {
    if (!decimalComma) return { value: t.replace(',', '') };
    return {
      message: `${show(t)} could be ${t.replace(',', '')} (with "," separating thousands) or ${t.replace(',', '.')} (with a decimal comma, as in this semicolon-separated file); write the number without a thousands separator (1000) or with a decimal point (1.5)`,
    };
  }
  // 1,5 and 12,25: a comma followed by other than three digits can only be a decimal comma.
  if (/^\d+,\d+$/.test(t)) return { value: t.replace(',', '.') };
  if (/^[\d.,\s\u00a0\u202f]+$/.test(t) && /\d/.test(t)) {
    return {
      message: `${show(t)} is not a number this file's separators make certain; write it as a plain number such as 1000 or 1.5`,
    };
  }
  return undefined;
}

/** `list` with `item` added, made when the first item comes. */
function added<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

/**
 * Settles the file's conventions from its own cells, row by row. A row whose date could be read
 * either way waits ("held") until a date that can only be read one way settles the order, or the
 * file ends (`settleAtEnd`).
 */
export class FileConventions {
  /** Settled by the file's own unambiguous dates, or (at the end) by the file's conventions. */
  order: DateOrder | undefined;
  /** The date that settled the order, for the receipt. */
  settledBy: { line: number; cell: string } | undefined;
  /** When nothing settled it: ambiguous dates are rejected instead of read one way. */
  private refuseAmbiguous = false;
  private readonly dateColumns: readonly string[];
  private readonly numberColumns: readonly string[];
  /** A European export: semicolons between cells (the list separator where the decimal mark is a comma). */
  private readonly decimalComma: boolean;
  /** Dates written with `.` or `-` (12.11.2026) are a day-first convention. */
  private dayFirstSeparators = 0;
  /**
   * What a date cell reads as once nothing can change it (its text is no D/M date, or the order is
   * settled): exports repeat a training's date on every attendee's row, and this runs on each.
   */
  private readonly settledDates = new Map<string, string>();
  /** The current row's rewrites, as column, value pairs one after the other (see prepare). */
  private readonly rewrites: string[] = [];
  /** The number cell last found plain (PLAIN_NUMBER). */
  private lastPlainNumber: string | undefined;
  /** The date cell last read from `settledDates` (a settled reading never changes, even once the map is cleared). */
  private lastDate: { cell: string; value: string } | undefined;

  constructor(kind: InputKind, delimiter: string | undefined) {
    this.dateColumns = DATE_COLUMNS[kind];
    this.numberColumns = NUMBER_COLUMNS[kind];
    this.decimalComma = delimiter === ';';
  }

  /** Whether the file's conventions point to day-first when none of its dates settles the order. */
  get pointsToDayFirst(): boolean {
    return this.decimalComma || this.dayFirstSeparators > 0;
  }

  /**
   * Rewrites the row's date and number cells to canonical text where their meaning is certain.
   * Mutates `row` only when it returns `ready`.
   */
  prepare(row: Row, line: number): Prepared {
    // Made only when a cell needs one: most rows need neither, and this runs on every row. The
    // rewrites (column, value, column, value...) go to one list kept for every row, its first
    // `written` entries this row's: a file of M/D/YYYY dates rewrites a cell on each of its rows.
    let issues: ConventionIssue[] | undefined;
    const rewrites = this.rewrites;
    let written = 0;
    let held = false;
    for (const column of this.numberColumns) {
      const cell = row[column];
      // Most cells are plain numbers every convention reads alike (no group of three decimals): no
      // work, and a training's rows repeat the same one (a comparison, no regular expression).
      if (cell === undefined || cell === this.lastPlainNumber) continue;
      if (PLAIN_NUMBER.test(cell)) {
        this.lastPlainNumber = detach(cell);
        continue;
      }
      if (cell.trim() === '') continue;
      const n = normaliseNumber(cell, this.decimalComma);
      if (n === undefined) continue;
      if ('message' in n) issues = added(issues, { column, message: n.message });
      else if (n.value !== cell) {
        rewrites[written++] = column;
        rewrites[written++] = n.value;
      }
    }
    for (const column of this.dateColumns) {
      const cell = row[column];
      if (cell === undefined) continue;
      // An export repeats a training's date on its attendees' rows, one after another: most rows need no lookup.
      const known = cell === this.lastDate?.cell ? this.lastDate.value : this.settledDates.get(cell);
      if (known !== undefined) {
        // Copied: a slice of the cell would keep its whole chunk of the file alive.
        if (this.lastDate?.cell !== cell) this.lastDate = { cell: detach(cell), value: known };
        if (known !== cell) {
          rewrites[written++] = column;
          rewrites[written++] = known;
        }
        continue;
      }
      const yearFirst = YEAR_FIRST.exec(cell.trim());
      if (yearFirst) {
        const value = isoDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
        this.remember(cell, value);
        rewrites[written++] = column;
        rewrites[written++] = value;
        continue;
      }
      const d = readNumericDate(cell.trim());
      if (!d) {
        this.remember(cell, cell);
        continue;
      }
      if (d.separator !== '/') this.dayFirstSeparators++;
      const shown = orderShownBy(d);
      if (shown && this.order === undefined) {
        this.order = shown;
        this.settledBy = { line, cell: d.cell };
      }
      if (d.first === d.second || (shown !== undefined && shown === this.order)) {
        const value = this.toIso(d, shown ?? 'month-first');
        this.remember(cell, value);
        rewrites[written++] = column;
        rewrites[written++] = value;
      } else if (shown !== undefined) {
        issues = added(issues, { column, message: this.contradicts(d, shown) });
      } else if (this.order !== undefined) {
        const value = this.toIso(d, this.order);
        this.remember(cell, value);
        rewrites[written++] = column;
        rewrites[written++] = value;
      } else if (this.refuseAmbiguous) {
        issues = added(issues, { column, message: this.unsettled(d) });
      } else {
        held = true;
      }
    }
    if (issues !== undefined) return { status: 'rejected', issues };
    if (held) return { status: 'held' };
    for (let i = 0; i < written; i += 2) row[rewrites[i] as string] = rewrites[i + 1];
    return READY;
  }

  /**
   * Nothing in the file settled the order (or too many rows are waiting): a comma-separated file
   * is read month-first, as the US `M/D/YYYY` the input format names; a file whose conventions
   * point to day-first has its ambiguous dates rejected from here on.
   */
  settleAtEnd(): void {
    if (this.order !== undefined) return;
    if (this.pointsToDayFirst) this.refuseAmbiguous = true;
    else this.order = 'month-first';
  }

  /** A sentence for the receipt when the order was settled by the file's own dates or refused. */
  describe(): string | undefined {
    if (this.settledBy && this.order === 'day-first') {
      return `dates were read day-first (${ORDER_EXAMPLE['day-first']}), as line ${this.settledBy.line} (${show(this.settledBy.cell)}) shows`;
    }
    if (this.refuseAmbiguous) {
      return 'this file does not show whether its dates are day-first or month-first, so dates that could be read either way were rejected; write dates as YYYY-MM-DD';
    }
    return undefined;
  }

  private remember(cell: string, value: string): void {
    if (this.settledDates.size >= 10_000) this.settledDates.clear();
    // Copied, so a remembered cell does not keep its whole chunk of the file alive.
    this.settledDates.set(detach(cell), detach(value));
  }

  private toIso(d: DateReading, order: DateOrder): string {
    const [m, day] = order === 'day-first' ? [d.second, d.first] : [d.first, d.second];
    // Out-of-range parts are left for the date rule to report ("not a real date").
    if (m < 1 || m > 12 || day < 1) return d.cell;
    return isoDate(d.year, m, day);
  }

  private contradicts(d: DateReading, shown: DateOrder): string {
    const at = this.settledBy ? ` (line ${this.settledBy.line}: ${show(this.settledBy.cell)})` : '';
    return `${show(d.cell)} can only be ${shown} (${ORDER_EXAMPLE[shown]}), but this file's earlier dates are ${this.order}${at}; write dates as YYYY-MM-DD`;
  }

  private unsettled(d: DateReading): string {
    const a = isoDate(d.year, d.second, d.first);
    const b = isoDate(d.year, d.first, d.second);
    return `${show(d.cell)} could be ${a} (day first) or ${b} (month first), and nothing in this file settles which; write dates as YYYY-MM-DD`;
  }
}
