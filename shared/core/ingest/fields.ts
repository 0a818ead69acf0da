/**
 * Field rules shared by the row schemas: each takes the raw cell text (undefined when the
 * column is absent) and yields a clean value, or a message a person can act on.
 */
import { z } from 'zod';
import { looksLikeDate, parseDate } from '../dates.js';
import { findCategory, findCounty, findRaceEthnicity, SPD15_CATEGORIES } from '../reference/reference.js';
import { ASSOCIATION_STATE, readOtherCounty } from '../reference/us-counties.js';
import type { EducationLevel } from '../rules/ruleset.js';
import { didYouMean } from './near-miss.js';
import { categorySuggestion, countySuggestion, raceEthnicitySuggestion } from './value-suggestions.js';

export const LIMITS = {
  name: 100,
  id: 64,
  email: 254,
  text: 200,
  title: 300,
  list: 500,
};

/** What a field rule may do with zod's context: report an issue (it never reads the value from it). */
type Ctx = Pick<z.core.$RefinementCtx, 'addIssue'>;

export const show = (v: string) => (v.length > 40 ? `"${v.slice(0, 37)}..."` : `"${v}"`);

function fail(ctx: Ctx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

/** A field rule's own function: what its zod transform runs on a cell. */
export type FieldRule = (v: string | undefined, ctx: Ctx) => unknown;

const RULES = new WeakMap<z.ZodType, FieldRule>();

/**
 * Each field rule is a single zod transform over the cell's text (undefined when the column is
 * absent): cells are always strings, so a string schema piped into it would only add work to each
 * of a million rows.
 */
const cell = {
  transform: <T>(fn: (v: string | undefined, ctx: Ctx) => T) => {
    const schema = z.transform<string | undefined, T>((v, ctx) => fn(v, ctx));
    RULES.set(schema, fn);
    return schema;
  },
};

/**
 * The function behind a field rule made here, for a reader that calls it on a cell without zod's
 * object parse (readers.ts); undefined for any other schema.
 */
export function ruleOf(schema: z.ZodType): FieldRule | undefined {
  return RULES.get(schema);
}

const CACHE_LIMIT = 20_000;

/**
 * V8 makes a view of its parent (a sliced string) only of a substring this long or longer, and
 * joins strings without copying (a cons string) only from this length: a shorter string is always
 * its own characters.
 */
const SHORTEST_VIEW = 13;

/**
 * A copy of a string that does not point into the text it was cut from. V8 keeps substrings as
 * views of their parent, so caching a cell would otherwise keep its whole 256 KB chunk alive. A
 * short string (most ids and names) is returned as it is: it is never a view, and its copy made
 * two strings more for each person a large roster names.
 */
export function detach(s: string): string {
  return s.length < SHORTEST_VIEW ? s : ` ${s}`.slice(1);
}

export function detachValue<T>(value: T): T {
  if (typeof value === 'string') return detach(value) as T;
  if (Array.isArray(value)) return Object.freeze(value.map((x) => (typeof x === 'string' ? detach(x) : x))) as T;
  return value;
}

/**
 * Remembers the clean value of each raw text a field has seen (exports repeat the same dates,
 * categories and competency lists on thousands of rows). Used only where working the value out
 * costs more than a lookup. Failures are not cached: each one is reported again.
 */
function cached<T>(fn: (v: string | undefined, ctx: Ctx) => T): (v: string | undefined, ctx: Ctx) => T {
  const seen = new Map<string, T>();
  /** The value of an empty cell, remembered apart: an optional column is empty on most rows, and needs no lookup. */
  let blank: { value: T } | undefined;
  return (v, ctx) => {
    if (v === undefined) return fn(v, ctx);
    if (v === '') {
      if (blank !== undefined) return blank.value;
      const out = fn(v, ctx);
      if ((out as unknown) !== z.NEVER && out !== undefined) blank = { value: detachValue(out) };
      return out;
    }
    const hit = seen.get(v);
    if (hit !== undefined) return hit;
    const out = fn(v, ctx);
    if ((out as unknown) !== z.NEVER && out !== undefined) {
      if (seen.size >= CACHE_LIMIT) seen.clear();
      seen.set(detach(v), detachValue(out));
    }
    return out;
  };
}

/**
 * `s` without the white space around it. A cell that starts and ends with a printable ASCII
 * character (no such character is white space) is `s` itself: most cells of a large file are, and
 * the test costs less than the call to trim.
 */
export function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim();
}

/** Trimmed text; blank becomes undefined. */
function clean(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = trimmed(v);
  return t === '' ? undefined : t;
}

function tooLong(ctx: Ctx, t: string, max: number): boolean {
  if (t.length <= max) return false;
  fail(ctx, `is ${t.length.toLocaleString('en-US')} characters long; at most ${max} are allowed`);
  return true;
}

export const optionalText = (max = LIMITS.text) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return undefined;
    return tooLong(ctx, t, max) ? z.NEVER : t;
  });

/**
 * A person's first or last name: one line. A name holding a line break is a quote that opened in
 * it and closed on a later line, which glued the lines between into this one value.
 */
export const personName = (required: boolean) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return required ? fail(ctx, 'is required but empty') : undefined;
    if (t.includes('\n')) {
      return fail(
        ctx,
        `${show(t.slice(0, t.indexOf('\n')))} runs onto the next line${t.split('\n').length > 2 ? 's' : ''}: a quote opened in it closes only later, so those lines were read as part of this name. Check the quotes on this line`,
      );
    }
    return tooLong(ctx, t, LIMITS.name) ? z.NEVER : t;
  });

/** Letters and digits of any script (WI-NIÑEZ-01), their combining marks, and . _ : / - (never the keys' `#`). */
const ID = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._:/-]*$/u;

/** A letter or digit of ASCII. */
const isAsciiAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Whether `t` is an ASCII id, /^[A-Za-z0-9][A-Za-z0-9._:\/-]*$/: tested on every row's id, where
 * looking at each character costs less than calling into a regular expression.
 */
function isAsciiId(t: string): boolean {
  if (t.length === 0 || !isAsciiAlnum(t.charCodeAt(0))) return false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    // . _ : / -
    if (!isAsciiAlnum(c) && c !== 46 && c !== 95 && c !== 58 && c !== 47 && c !== 45) return false;
  }
  return true;
}

/**
 * An identifier used in keys, in NFC: the same id typed on a Mac (decomposed Ñ) and on Windows
 * (composed Ñ) is one id (docs/input-files.md).
 */
export function normaliseIdentifier(text: string): string {
  const t = text.trim();
  return isAsciiId(t) ? t : t.normalize('NFC');
}

/**
 * The form in which text is compared ignoring letter case: trimmed, NFC, full case folding as far
 * as JavaScript offers it (upper then lower case folds "ß" and "SS" alike; NFC again because case
 * mapping can decompose). Erasure finds a person's cells with it, `person` lookups their id.
 */
export function foldCase(s: string): string {
  return s.trim().normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** An identifier used in keys: letters and digits of any script and . _ : / - only, compared in NFC. */
export const identifier = (required: boolean) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return required ? fail(ctx, 'is required but empty') : undefined;
    // Most ids are plain ASCII (already NFC, and isAsciiId's characters are all ID's): one test, not two.
    if (isAsciiId(t)) return tooLong(ctx, t, LIMITS.id) ? z.NEVER : t;
    const id = normaliseIdentifier(t);
    if (tooLong(ctx, id, LIMITS.id)) return z.NEVER;
    if (!ID.test(id)) return fail(ctx, `${show(id)} may hold only letters, digits and . _ : / -`);
    return id;
  });

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;

/** An email address, lower-cased (addresses are matched case-insensitively). */
export const email = (required: boolean) =>
  cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return required ? fail(ctx, 'is required but empty') : undefined;
      if (tooLong(ctx, t, LIMITS.email)) return z.NEVER;
      if (!EMAIL.test(t)) return fail(ctx, `${show(t)} is not a valid email address`);
      return t.normalize('NFC').toLowerCase();
    }),
  );

export const date = (required: boolean) =>
  cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return required ? fail(ctx, 'is required but empty') : undefined;
      const iso = parseDate(t);
      if (iso !== undefined) return iso;
      if (looksLikeDate(t)) return fail(ctx, `${show(t)} is not a real date`);
      return fail(ctx, `${show(t)} is not a date; write YYYY-MM-DD (2026-03-31) or M/D/YYYY (3/31/2026)`);
    }),
  );

/**
 * What a yes/no word in lower case means, else undefined. Compared word by word: a cell's text is
 * new on every row, and a lookup in a set would first work out its hash.
 */
function yesNo(t: string): boolean | undefined {
  switch (t) {
    case 'yes':
    case 'y':
    case 'true':
    case '1':
      return true;
    case 'no':
    case 'n':
    case 'false':
    case '0':
      return false;
  }
  return undefined;
}

/** yes/no, y/n, true/false, 1/0 in any case; blank takes the default. */
export const flag = (whenBlank: boolean) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return whenBlank;
    // Most cells are written in lower case already: no lower-cased copy to make.
    const word = yesNo(t) ?? yesNo(t.toLowerCase());
    if (word !== undefined) return word;
    return fail(ctx, `${show(t)} is not yes or no (yes/no, y/n, true/false, 1/0)`);
  });

const DECIMAL = /^\d+(\.\d+)?$|^\.\d+$/;

/** Hours: a positive decimal number no larger than `max`. */
export const hours = (max: number) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return fail(ctx, 'is required but empty');
    if (/^-/.test(t)) return fail(ctx, `${show(t)} is negative; hours must be more than 0`);
    // Commas were settled by the file's conventions (conventions.ts) before this rule sees the cell.
    if (!DECIMAL.test(t)) return fail(ctx, `${show(t)} is not a number of hours (write 1.5, not "1h30")`);
    const n = Number(t);
    if (n === 0) return fail(ctx, 'is 0; hours must be more than 0');
    if (n > max) return fail(ctx, `${show(t)} is more than ${max} hours`);
    return n;
  });

/** A whole number from 0 to `max`; blank takes `whenBlank` (undefined: required). */
export const wholeNumber = (max: number, whenBlank?: number) =>
  cell.transform((v, ctx) => {
    const t = clean(v);
    if (t === undefined) return whenBlank ?? fail(ctx, 'is required but empty');
    if (!/^\d+$/.test(t)) {
      return fail(ctx, /^-/.test(t) ? `${show(t)} is negative` : `${show(t)} is not a whole number`);
    }
    const n = Number(t);
    if (n > max) return fail(ctx, `${show(t)} is more than ${max}`);
    return n;
  });

export const category = () =>
  cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return fail(ctx, 'is required but empty');
      const c = findCategory(t);
      if (!c) {
        const guess = categorySuggestion(t);
        const hint = guess ? didYouMean(guess) : 'use a code such as IFS or a full name';
        return fail(ctx, `${show(t)} is not an endorsement category; ${hint}`);
      }
      return c.code;
    }),
  );

const EDUCATION_ALIASES: Record<string, EducationLevel> = {};
for (const [level, aliases] of Object.entries({
  none: ['none', 'no degree', 'no diploma'],
  hs: ['hs', 'high school', 'high school diploma', 'ged', 'diploma', 'hsed'],
  cda: ['cda', 'child development associate', 'cda credential'],
  associate: ['associate', 'associates', "associate's", 'associate degree', 'aa', 'as', 'aas'],
  bachelor: ['bachelor', 'bachelors', "bachelor's", 'bachelor degree', 'ba', 'bs', 'bsw', 'bsn'],
  master: ['master', 'masters', "master's", 'master degree', 'ma', 'ms', 'msw', 'med', 'mse', 'mft'],
  doctorate: ['doctorate', 'doctoral', 'doctoral degree', 'phd', 'psyd', 'edd', 'md'],
} satisfies Record<EducationLevel, string[]>)) {
  for (const a of aliases) EDUCATION_ALIASES[a.replace(/[^a-z]/g, '')] = level as EducationLevel;
}

export const education = () =>
  cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return fail(ctx, 'is required but empty');
      const level = EDUCATION_ALIASES[t.toLowerCase().replace(/[^a-z]/g, '')];
      if (!level) {
        return fail(
          ctx,
          `${show(t)} is not an education level (none, hs, cda, associate, bachelor, master, doctorate)`,
        );
      }
      return level;
    }),
  );

export const county = (required: boolean) =>
  cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return required ? fail(ctx, 'is required but empty') : undefined;
      const c = findCounty(t);
      if (c) return c.fips;
      // A county of another state is accepted (the row checks warn of it, row-checks.ts).
      const other = readOtherCounty(t);
      if (other.county) return other.county.fips;
      const guess = countySuggestion(t);
      const hint = guess ? `; ${didYouMean(guess)}` : other.hint ? `; ${other.hint}` : '';
      return fail(ctx, `${show(t)} is not a ${ASSOCIATION_STATE.name} county name or 5-digit FIPS code${hint}`);
    }),
  );

/**
 * A `;`-separated list: each item mapped by `item` (a clean value, or a message for a bad one),
 * blanks skipped, repeats dropped.
 */
function semicolonList(item: (text: string) => { value?: string; skip?: boolean; error?: string }) {
  return cell.transform(
    cached((v, ctx) => {
      const t = clean(v);
      if (t === undefined) return [] as string[];
      if (tooLong(ctx, t, LIMITS.list)) return z.NEVER;
      const out: string[] = [];
      for (const part of t.split(';')) {
        const p = part.trim();
        if (p === '') continue;
        const r = item(p);
        if (r.error) return fail(ctx, r.error);
        if (r.value !== undefined && !out.includes(r.value)) out.push(r.value);
      }
      return out;
    }),
  );
}

export const raceEthnicity = () =>
  semicolonList((p) => {
    if (p.toLowerCase() === 'not reported') return { skip: true };
    const name = findRaceEthnicity(p);
    if (name) return { value: name };
    const guess = raceEthnicitySuggestion(p);
    // With a suggestion the list of categories is left out: the message stays short (at most 300 characters).
    return {
      error: `${show(p)} is not an SPD-15 category${guess ? `; ${didYouMean(guess)}` : ` (${SPD15_CATEGORIES.join('; ')})`}`,
    };
  });

const CODE = /^1([A-Ha-h])\.(\d{1,2})\.?$/;

/** Competency codes such as 1F.3 joined by `;` (a trailing period is allowed). */
export const competencies = () =>
  semicolonList((p) => {
    const m = CODE.exec(p);
    if (!m) return { error: `${show(p)} is not a competency code such as 1F.3` };
    return { value: `1${(m[1] as string).toUpperCase()}.${Number(m[2])}` };
  });
