/** Parses the competency crosswalk (the seed in config/catalog/) into catalog entries, normalising its inconsistent spellings. */
import type { CatalogEntry, CompetencyTier } from './schema.js';

export class CrosswalkParseError extends Error {
  override name = 'CrosswalkParseError';
}

const CODE_LINE = /^(\d[A-Z]\.\d+)\.?\s+(\S.*)$/;
// Repeated before each block of entries; it explains the (MHS)/(MHM) markers and is not an entry.
const BOILERPLATE = /^Unless otherwise noted\b/;
const FIELDS = [
  { key: 'importance', label: 'Essential or important?' },
  { key: 'domain', label: 'IECMHC Endorsement Competency' },
  { key: 'knowledgeArea', label: 'Knowledge/Skill Area' },
  { key: 'demonstratedBy', label: 'As Demonstrated by/Other Work Experience (and Interview)' },
] as const;
type FieldKey = (typeof FIELDS)[number]['key'];

const MARKER = /\s*\((MHS|MHM)\)\s*$/i;

// The seed spells some labels several ways; each spelling folds to one key and the key names the canonical form.
const CANONICAL: Record<string, string> = {
  lawregulationandagencypolicy: 'Law, Regulation & Agency Policy',
  governmentlawandregulation: 'Government, Law, & Regulation',
};

function foldSpelling(label: string): string {
  return label
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '');
}

function tidy(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u00a0\s]+/g, ' ')
    .trim();
}

/** A domain or knowledge-area label in its canonical spelling, without a tier marker. */
export function normaliseLabel(label: string): string {
  const bare = tidy(label).replace(MARKER, '');
  return CANONICAL[foldSpelling(bare)] ?? bare;
}

function appliesFrom(knowledgeArea: string): CompetencyTier {
  const marker = MARKER.exec(tidy(knowledgeArea))?.[1]?.toUpperCase();
  if (marker === 'MHS') return 'mhs';
  if (marker === 'MHM') return 'mentor';
  return 'specialist';
}

function fieldOf(line: string, label: string): string | undefined {
  if (!line.startsWith(label)) return undefined;
  const rest = line.slice(label.length);
  // A colon ends the label; the empty "as demonstrated by" has nothing after it.
  return rest.startsWith(':') ? rest.slice(1) : undefined;
}

interface Draft {
  code: string;
  line: number;
  textLines: string[];
  fields: Partial<Record<FieldKey, string>>;
}

function finish(draft: Draft): CatalogEntry {
  const { importance, domain, knowledgeArea, demonstratedBy } = draft.fields;
  if (importance === undefined || domain === undefined || knowledgeArea === undefined || demonstratedBy === undefined) {
    throw new CrosswalkParseError(`entry ${draft.code} at line ${draft.line} is incomplete`);
  }
  const level = tidy(importance).toLowerCase();
  if (level !== 'essential' && level !== 'important') {
    throw new CrosswalkParseError(
      `entry ${draft.code} at line ${draft.line}: importance "${tidy(importance)}" is neither Essential nor Important`,
    );
  }
  return {
    code: draft.code,
    text: tidy(draft.textLines.join(' ')),
    importance: level === 'essential' ? 'Essential' : 'Important',
    domain: normaliseLabel(domain),
    knowledgeArea: normaliseLabel(knowledgeArea),
    appliesFrom: appliesFrom(knowledgeArea),
    demonstratedBy: tidy(demonstratedBy),
  };
}

/** Every entry of the crosswalk text, in file order; throws CrosswalkParseError naming the line of anything unexpected. */
export function parseCrosswalk(text: string): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  let draft: Draft | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || BOILERPLATE.test(line)) return;
    const code = CODE_LINE.exec(line);
    if (code) {
      if (draft) entries.push(finish(draft));
      draft = { code: code[1] as string, line: lineNo, textLines: [code[2] as string], fields: {} };
      return;
    }
    // Lines before the first code are the crosswalk's introduction.
    if (!draft) return;
    const next = FIELDS[Object.keys(draft.fields).length];
    if (!next) {
      throw new CrosswalkParseError(`line ${lineNo}: unexpected text after the last field of entry ${draft.code}`);
    }
    const value = fieldOf(line, next.label);
    if (value !== undefined) {
      draft.fields[next.key] = value;
      return;
    }
    if (Object.keys(draft.fields).length > 0 || FIELDS.some((f) => fieldOf(line, f.label) !== undefined)) {
      throw new CrosswalkParseError(`line ${lineNo}: expected "${next.label}:" in entry ${draft.code}`);
    }
    // Before the first field, a line continues the competency's text.
    draft.textLines.push(line);
  });
  if (draft) entries.push(finish(draft));
  if (entries.length === 0) throw new CrosswalkParseError('no competency entries found');
  assertOneSpelling(entries);
  return entries;
}

// A new spelling the canonical table does not know would split one label in two; refuse it instead of guessing.
function assertOneSpelling(entries: readonly CatalogEntry[]): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    for (const label of [e.domain, e.knowledgeArea]) {
      const key = foldSpelling(label);
      const first = seen.get(key);
      if (first !== undefined && first !== label) {
        throw new CrosswalkParseError(`"${label}" and "${first}" are spellings of one label; add it to CANONICAL`);
      }
      seen.set(key, label);
    }
  }
}
