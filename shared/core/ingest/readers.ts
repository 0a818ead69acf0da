/**
 * Row readers: each turns one row's cells into a record or the problems found, using the kind's
 * zod schema. Rosters repeat a training's cells on every attendee's row, so their reader validates
 * the training half once per distinct text of it in a file and the attendee half on every row;
 * a test holds it to exactly what the whole-row schema `RosterRow` says, row for row.
 */
import type { z } from 'zod';
import type { InputKind } from '../model.js';
import { detach, detachValue, type FieldRule, ruleOf } from './fields.js';
import {
  attendanceOf,
  type InputRecord,
  ROSTER_TRAINING_COLUMNS,
  ROW_SCHEMAS,
  RosterAttendeePart,
  RosterTrainingPart,
  type RowIssue,
  uncreditable,
} from './schemas.js';

export type RawRow = Record<string, string | undefined>;

export type RowResult<T> = { success: true; data: T } | { success: false; issues: readonly RowIssue[] };

export type RowReader<T> = (row: RawRow) => RowResult<T>;

type RecordOf<K extends InputKind> = Extract<InputRecord, { kind: K }>['record'];

function schemaReader<T>(schema: z.ZodType<T>): RowReader<T> {
  return (row) => {
    const r = schema.safeParse(row);
    return r.success ? { success: true, data: r.data } : { success: false, issues: r.error.issues };
  };
}

/** Distinct trainings remembered per file before the memory is cleared (a roster holds far fewer). */
const TRAINING_MEMORY = 5_000;

type TrainingResult = RowResult<z.output<typeof RosterTrainingPart>>;

interface Remembered {
  /** The training's cells as they were read, copied out of the file's text. */
  cells: (string | undefined)[];
  result: TrainingResult;
}

/**
 * Whether a row carries exactly the remembered cells of its training. Compiled once with plain
 * property reads (the column names are the schema's own, never the file's): this runs on every row.
 */
const sameCells = new Function(
  'row',
  'cells',
  `return ${ROSTER_TRAINING_COLUMNS.map((c, i) => {
    if (!/^[a-z_]+$/.test(c)) throw new Error(`unexpected column ${c}`);
    return `row.${c} === cells[${i}]`;
  }).join(' && ')};`,
) as (row: RawRow, cells: (string | undefined)[]) => boolean;

/**
 * A zod object of field rules (fields.ts) read without zod: each cell's rule is called directly, and
 * a row where any rule reports a problem is handed back (undefined) to be parsed by the schema
 * itself, so a rejected row's issues are zod's own. An accepted row costs no zod payloads: on a
 * large roster they were a third of the work. The reader is compiled once with plain property
 * reads (the column names are the schema's own, never the file's). Undefined when some field is
 * not a rule of fields.ts.
 *
 * The values are written into one object, the same on every call (its caller copies what it keeps
 * before reading the next row): a new one per row of a large roster was only garbage to collect.
 */
export function directReader<T extends z.ZodObject>(schema: T): ((row: RawRow) => z.output<T> | undefined) | undefined {
  const columns = Object.keys(schema.shape);
  const rules: FieldRule[] = [];
  for (const c of columns) {
    const rule = ruleOf(schema.shape[c] as z.ZodType);
    if (rule === undefined || !/^[a-z_]+$/.test(c)) return undefined;
    rules.push(rule);
  }
  const ctx = {
    failed: false,
    addIssue() {
      this.failed = true;
    },
  };
  const fill = new Function(
    'rules',
    'ctx',
    `return (row, out) => { ${columns.map((c, i) => `out.${c} = rules[${i}](row.${c}, ctx);`).join(' ')} };`,
  )(rules, ctx) as (row: RawRow, out: z.output<T>) => void;
  // Every field from the start, in the schema's order: one shape for every row.
  const out = Object.fromEntries(columns.map((c) => [c, undefined])) as z.output<T>;
  return (row) => {
    ctx.failed = false;
    fill(row, out);
    return ctx.failed ? undefined : out;
  };
}

/** Shared by every row without problems (a new empty list per row was garbage to collect). */
const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/**
 * The roster reader: the training half validated once per distinct training (the same training
 * id with the same cells), the attendee half on every row. An accepted row's result is one object
 * rewritten for each row (its caller takes the record before reading the next row), as the direct
 * reader's values are.
 */
export function rosterReader(): RowReader<RecordOf<'rosters'>> {
  const trainings = new Map<string, Remembered>();
  /** The previous row's training: an export lists a training's attendees together, so most rows need no lookup. */
  let last: Remembered | undefined;
  const training = (row: RawRow): TrainingResult => {
    if (last !== undefined && sameCells(row, last.cells)) return last.result;
    const id = row.training_id ?? '';
    const known = trainings.get(id);
    if (known !== undefined && sameCells(row, known.cells)) {
      last = known;
      return known.result;
    }
    const r = RosterTrainingPart.safeParse(row);
    // Kept values are copied out of the file's text, so a remembered training does not pin a chunk.
    const result: TrainingResult = r.success
      ? { success: true, data: Object.freeze(mapValues(r.data, detachValue)) }
      : // Only what a receipt needs: zod's issues also hold the cell, which would pin its chunk.
        { success: false, issues: r.error.issues.map((i) => ({ path: [...i.path], message: detach(i.message) })) };
    if (trainings.size >= TRAINING_MEMORY) trainings.clear();
    last = { cells: ROSTER_TRAINING_COLUMNS.map((c) => detachValue(row[c])), result };
    trainings.set(detach(id), last);
    return result;
  };
  const direct = directReader(RosterAttendeePart);
  const accepted: { success: true; data: RecordOf<'rosters'> } = { success: true, data: {} as RecordOf<'rosters'> };
  return (row) => {
    const t = training(row);
    // The direct reader's values (read before the next row), or zod's own when a cell has a problem.
    let attendee = direct?.(row);
    let issues = NO_ISSUES;
    if (attendee === undefined) {
      const parsed = RosterAttendeePart.safeParse(row);
      if (parsed.success) attendee = parsed.data;
      else issues = parsed.error.issues;
    }
    if (t.success && attendee !== undefined) {
      // As in the whole-row schema, the row-level check runs once every cell is valid.
      const issue = uncreditable(attendee);
      if (issue) return { success: false, issues: [issue] };
      accepted.data = attendanceOf(t.data, attendee);
      return accepted;
    }
    return { success: false, issues: [...(t.success ? [] : t.issues), ...issues] };
  };
}

function mapValues<T extends object>(o: T, fn: <V>(v: V) => V): T {
  const out = {} as T;
  for (const k of Object.keys(o) as (keyof T)[]) out[k] = fn(o[k]);
  return out;
}

/** Each kind's row schema, checked here to yield exactly the record that kind's input holds. */
const RECORD_SCHEMAS: { [K in InputKind]: z.ZodType<RecordOf<K>> } = ROW_SCHEMAS;

/** A fresh reader for one file of a kind (readers may remember what they have seen in the file). */
export function readerFor<K extends InputKind>(kind: K): RowReader<RecordOf<K>> {
  if (kind === 'rosters') return rosterReader() as RowReader<RecordOf<K>>;
  return schemaReader(RECORD_SCHEMAS[kind]);
}
