/** The columns of each input kind (contract.md), and loose header matching. */
import type { InputKind } from '../model.js';

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
  header.forEach((raw, i) => {
    const folded = foldHeader(raw);
    if (folded === '') return;
    const canonical = byFolded.get(folded);
    if (!canonical) {
      unknown.push(raw.trim());
      return;
    }
    if (index.has(canonical)) {
      warnings.push(
        `column "${raw.trim()}" appears twice; the first one (column ${(index.get(canonical) ?? 0) + 1}) is used`,
      );
      return;
    }
    index.set(canonical, i);
    label.set(canonical, raw.trim());
  });
  if (unknown.length > 0) {
    warnings.push(`unknown column${unknown.length > 1 ? 's' : ''} ignored: ${unknown.map((u) => `"${u}"`).join(', ')}`);
  }
  for (const s of specs) if (!index.has(s.name)) index.set(s.name, -1);
  const missingRequired = specs.filter((s) => s.required && index.get(s.name) === -1).map((s) => s.name);
  return { index, label, missingRequired, warnings };
}
