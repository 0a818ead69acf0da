/** The columns of each input kind (docs/contract.md), and loose header matching. */
import type { InputKind } from '../model.js';
import { LIMITS } from './fields.js';

export interface ColumnSpec {
  name: string;
  required: boolean;
}

const cols = (spec: string): ColumnSpec[] =>
  spec.split(/\s*,\s*/).map((c) => ({ name: c.replace('*', ''), required: c.endsWith('*') }));

export const COLUMNS: Record<InputKind, ColumnSpec[]> = {
  applicants: cols(
    'person_id*, first_name*, last_name*, email*, category*, status, application_date, education*, work_experience_months*, exam_passed, references, code_of_ethics_signed, membership_expires_on, race_ethnicity, primary_language, gender, county*, sector, employer',
  ),
  rosters: cols(
    'training_id*, training_title, training_date*, hours*, competencies, dei, rsc_topic, provider, person_id, email, first_name, last_name, completed',
  ),
  rsc: cols('person_id*, session_date*, hours*, provider_name, provider_category, format'),
  endorsements: cols(
    'person_id*, category*, endorsed_on*, membership_expires_on, first_name, last_name, email, county, race_ethnicity, primary_language, gender, sector',
  ),
};

/** Header names match case-insensitively, ignoring spaces, `_` and `-`. */
export function foldHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * A header cell is limited like a data cell (fields.ts LIMITS.text): a longer one names no column
 * of ours, whatever it folds to, and is shown cut.
 */
export const MAX_HEADER_CHARS = LIMITS.text;
/** How many unknown columns the warning names, and repeated columns get a warning each; the rest are counted (receipts stay small). */
const LISTED = 20;
const LISTED_REPEATS = 5;

/** A header cell as a warning quotes it: at most 40 characters, as fields.ts shows cell values. */
function quoted(raw: string): string {
  const t = raw.trim();
  return t.length > 40 ? `"${t.slice(0, 37)}..."` : `"${t}"`;
}

export interface HeaderMap {
  /** For each canonical column, the index of its cell in a record (-1 when absent). */
  index: Map<string, number>;
  /** The header as written in the file, per canonical column (for error messages). */
  label: Map<string, string>;
  missingRequired: string[];
  warnings: string[];
}

/** Matches a file's header row against a kind's columns. */
export function matchHeader(kind: InputKind, header: readonly string[]): HeaderMap {
  const specs = COLUMNS[kind];
  const byFolded = new Map(specs.map((s) => [foldHeader(s.name), s.name]));
  const index = new Map<string, number>();
  const label = new Map<string, string>();
  const warnings: string[] = [];
  const unknown: string[] = [];
  let unknownCount = 0;
  let repeats = 0;
  header.forEach((raw, i) => {
    const folded = raw.length > MAX_HEADER_CHARS ? undefined : foldHeader(raw);
    if (folded === '') return;
    const canonical = folded === undefined ? undefined : byFolded.get(folded);
    if (!canonical) {
      if (unknownCount++ < LISTED) unknown.push(quoted(raw));
      return;
    }
    if (index.has(canonical)) {
      if (repeats++ < LISTED_REPEATS) {
        warnings.push(
          `column ${quoted(raw)} appears twice; the first one (column ${(index.get(canonical) ?? 0) + 1}) is used`,
        );
      }
      return;
    }
    index.set(canonical, i);
    label.set(canonical, raw.trim());
  });
  if (repeats > LISTED_REPEATS) {
    warnings.push(
      `and ${(repeats - LISTED_REPEATS).toLocaleString('en-US')} more columns that repeat one named before`,
    );
  }
  if (unknownCount > 0) {
    const more =
      unknownCount > LISTED ? ` and ${(unknownCount - LISTED).toLocaleString('en-US')} more unknown columns` : '';
    warnings.push(`unknown column${unknownCount > 1 ? 's' : ''} ignored: ${unknown.join(', ')}${more}`);
  }
  for (const s of specs) if (!index.has(s.name)) index.set(s.name, -1);
  const missingRequired = specs.filter((s) => s.required && index.get(s.name) === -1).map((s) => s.name);
  return { index, label, missingRequired, warnings };
}
