/** The columns of each input kind (docs/contract.md), and loose header matching. */
import type { InputKind } from '../model.js';
import { foldLabel } from '../reference/reference.js';
import { LIMITS } from './fields.js';
import { didYouMean, nearMiss } from './near-miss.js';

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
  trainings: cols(
    'training_id*, training_title*, training_date*, hours*, competencies, dei, rsc_topic, provider, registration_url',
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
/** How many headers read as one of ours despite their decoration the warning names. */
const LISTED_READ_AS = 10;

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
  /** For a column the file lacks, the unknown header that nearly names it (shown, never used). */
  nearMisses: Map<string, string>;
  warnings: string[];
}

/** `#`, `No.`, `Number` ending a header: an identifier's column (`Person #`, `Training No.`). */
const NUMBER_SUFFIX = /(?:#|(?:^|[\s_-])(?:no|num|number)\.?)\s*$/i;
/** A trailing note in parentheses or brackets: a unit (`Hours [h]`) or a remark (`Email (work)`). */
const TRAILING_NOTE = /\s*[([][^()[\]]*[)\]]\s*$/;

/**
 * The folded forms a decorated header may stand for, most literal first: its letters and digits
 * alone (`Work Experience (months)`, `*Email*`), without a trailing note (`Hours [h]`), without a
 * `#`/`No.` suffix, and that suffix read as "id" (`Person #`).
 */
function undecorated(raw: string): string[] {
  const t = raw.trim();
  const forms = [foldLabel(t), foldLabel(t.replace(TRAILING_NOTE, ''))];
  if (NUMBER_SUFFIX.test(t)) {
    const base = foldLabel(t.replace(NUMBER_SUFFIX, ''));
    forms.push(base, `${base}id`);
  }
  return forms.filter((f) => f !== '');
}

/** Matches a file's header row against a kind's columns. */
export function matchHeader(kind: InputKind, header: readonly string[]): HeaderMap {
  const specs = COLUMNS[kind];
  const byFolded = new Map(specs.map((s) => [foldHeader(s.name), s.name]));
  const index = new Map<string, number>();
  const label = new Map<string, string>();
  const warnings: string[] = [];
  let repeats = 0;
  const repeat = (raw: string, canonical: string, decorated = false) => {
    if (repeats++ >= LISTED_REPEATS) return;
    const used = (index.get(canonical) ?? 0) + 1;
    warnings.push(
      decorated
        ? `column ${quoted(raw)} reads as ${canonical}, which column ${used} gives already; it is ignored`
        : `column ${quoted(raw)} appears twice; the first one (column ${used}) is used`,
    );
  };
  const claim = (canonical: string, raw: string, i: number) => {
    index.set(canonical, i);
    label.set(canonical, raw.trim());
  };
  // Exact names first, so a decorated header never takes a column the file also names exactly.
  const rest: number[] = [];
  header.forEach((raw, i) => {
    const folded = raw.length > MAX_HEADER_CHARS ? undefined : foldHeader(raw);
    if (folded === '') return;
    const canonical = folded === undefined ? undefined : byFolded.get(folded);
    if (!canonical) rest.push(i);
    else if (index.has(canonical)) repeat(raw, canonical);
    else claim(canonical, raw, i);
  });
  const readAs: string[] = [];
  let readAsCount = 0;
  const unknown: { i: number; forms: string[] }[] = [];
  for (const i of rest) {
    const raw = header[i] as string;
    const forms = raw.length > MAX_HEADER_CHARS ? [] : undecorated(raw);
    const canonical = forms.map((f) => byFolded.get(f)).find((c) => c !== undefined);
    if (!canonical) unknown.push({ i, forms });
    else if (index.has(canonical)) repeat(raw, canonical, true);
    else {
      claim(canonical, raw, i);
      if (readAsCount++ < LISTED_READ_AS) readAs.push(`${quoted(raw)} as ${canonical}`);
    }
  }
  if (readAsCount > 0) {
    const more = readAsCount > LISTED_READ_AS ? ` and ${readAsCount - LISTED_READ_AS} more` : '';
    warnings.push(`column${readAsCount > 1 ? 's' : ''} read as ours: ${readAs.join(', ')}${more}; rename to be sure`);
  }
  // A near miss is only suggested: a column it would fill is still missing (or still the one named exactly).
  const candidates = specs
    .filter((s) => !index.has(s.name))
    .map((s) => ({ folded: foldHeader(s.name), label: s.name, key: s.name }));
  const nearMisses = new Map<string, string>();
  const listed = unknown.slice(0, LISTED).map(({ i, forms }) => {
    const raw = header[i] as string;
    const guess = nearMiss(forms, candidates);
    if (guess && !nearMisses.has(guess)) nearMisses.set(guess, raw.trim());
    return guess ? `${quoted(raw)} (${didYouMean(guess)})` : quoted(raw);
  });
  if (repeats > LISTED_REPEATS) {
    warnings.push(
      `and ${(repeats - LISTED_REPEATS).toLocaleString('en-US')} more columns that repeat one named before`,
    );
  }
  if (unknown.length > 0) {
    const more =
      unknown.length > LISTED ? ` and ${(unknown.length - LISTED).toLocaleString('en-US')} more unknown columns` : '';
    warnings.push(`unknown column${unknown.length > 1 ? 's' : ''} ignored: ${listed.join(', ')}${more}`);
  }
  for (const s of specs) if (!index.has(s.name)) index.set(s.name, -1);
  const missingRequired = specs.filter((s) => s.required && index.get(s.name) === -1).map((s) => s.name);
  return { index, label, missingRequired, nearMisses, warnings };
}

/** What the whole-file message adds for missing columns that a header nearly names. */
export function missingColumnsHint(header: HeaderMap): string {
  const hints = header.missingRequired
    .filter((c) => header.nearMisses.has(c))
    .slice(0, 3)
    .map((c) => ` For ${quoted(header.nearMisses.get(c) as string)}: ${didYouMean(c)}`);
  return hints.join('');
}
