/**
 * The evidence a file's encoding is decided from (docs/input-files.md, "Encodings"): whether its
 * non-ASCII bytes are valid UTF-8, and otherwise which 8-bit code page makes them read as the
 * letters and punctuation of names and notes. Pure functions over a sample of bytes.
 */
import iconv from 'iconv-lite';

/** The 8-bit code pages Excel writes: "CSV (Comma delimited)", "CSV (Macintosh)", "CSV (MS-DOS)". */
export type CodePage = 'windows-1252' | 'macintosh' | 'cp437' | 'cp850';

const CODE_PAGES: readonly CodePage[] = ['windows-1252', 'macintosh', 'cp437', 'cp850'];

const REPLACEMENT = 0xfffd;

/** The characters of bytes 0x80–0xFF; bytes the code page leaves undefined are U+FFFD. */
function highHalf(name: string): Uint16Array {
  const bytes = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
  const text = iconv.decode(bytes, name);
  if (text.length !== 128) throw new Error(`${name}: not a single-byte code page`);
  return Uint16Array.from(text, (c) => c.charCodeAt(0));
}

export const HIGH_HALF: Record<CodePage, Uint16Array> = {
  'windows-1252': highHalf('win1252'),
  macintosh: highHalf('macintosh'),
  cp437: highHalf('cp437'),
  cp850: highHalf('cp850'),
};

/**
 * Code page 437 where code page 850 reads the byte otherwise, U+FFFD: what a file from "CSV
 * (MS-DOS)" is decoded with when its sample does not show which of the two it is, so that a byte
 * on which they differ (╡ or Á) is rejected rather than guessed.
 */
export const OEM_UNSETTLED: Uint16Array = HIGH_HALF.cp437.map((c, i) => (c === HIGH_HALF.cp850[i] ? c : REPLACEMENT));

/** Every byte above 0x7F undefined: a file whose code page could not be told. */
export const UNKNOWN_HIGH_HALF: Uint16Array = new Uint16Array(128).fill(REPLACEMENT);

/**
 * The length of the valid UTF-8 multi-byte sequence starting at `i` (2 to 4); 0 when the bytes
 * there are not one; -1 when they are the valid start of one cut off by the end of `buf`.
 * Validity as the WHATWG decoder (and Node's) sees it: no overlong forms, surrogates or code
 * points beyond U+10FFFF.
 */
export function utf8SequenceAt(buf: Uint8Array, i: number): number {
  const b = buf[i] as number;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    if (i + k >= buf.length) return -1;
    const c = buf[i + k] as number;
    if (c < lo || c > hi) return 0;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

export interface Utf8Evidence {
  /** Valid multi-byte sequences. */
  valid: number;
  /**
   * Valid sequences that are no character text would hold there: a C1 control, a private-use or
   * unassigned code point, a combining mark with no letter before it. Code page 850's `Íñ` is
   * one (U+05A4): 8-bit text that happens to be valid UTF-8.
   */
  implausible: number;
  /** Runs of non-ASCII bytes that are not valid sequences (`O’Brien` in Windows-1252: one). */
  invalid: number;
}

/**
 * Counts valid UTF-8 multi-byte sequences and invalid runs in a sample. A sequence cut off by the
 * sample's end counts for neither, unless the sample is the end of the file (`atEnd`). `before`
 * is the byte just before the sample (0x0A at the start of a file).
 */
export function utf8Evidence(sample: Uint8Array, atEnd: boolean, before: number): Utf8Evidence {
  let valid = 0;
  let invalid = 0;
  let implausible = 0;
  let inRun = false;
  // Four bytes at a time through ASCII (most of a file), from the first 4-byte boundary.
  const skip = (4 - (sample.byteOffset & 3)) & 3;
  const words =
    sample.length < skip + 4
      ? new Uint32Array(0)
      : new Uint32Array(sample.buffer, sample.byteOffset + skip, (sample.length - skip) >>> 2);
  for (let i = 0; i < sample.length; i++) {
    if (i >= skip && ((i - skip) & 3) === 0) {
      let w = (i - skip) >>> 2;
      while (w < words.length && ((words[w] as number) & 0x80808080) === 0) w++;
      const next = skip + (w << 2);
      if (next > i) {
        inRun = false;
        i = next - 1;
        continue;
      }
    }
    if ((sample[i] as number) < 0x80) {
      inRun = false;
      continue;
    }
    const n = utf8SequenceAt(sample, i);
    if (n > 0) {
      valid++;
      if (!plausibleUtf8(sample, i, n, i > 0 ? (sample[i - 1] as number) : before)) implausible++;
      inRun = false;
      i += n - 1;
    } else if (n === 0 || atEnd) {
      if (!inRun) invalid++;
      inRun = true;
    } else break;
  }
  return { valid, invalid, implausible };
}

/** Whether the valid UTF-8 sequence at `i` is a character text holds (see Utf8Evidence.implausible). */
function plausibleUtf8(buf: Uint8Array, i: number, n: number, before: number): boolean {
  const b = buf[i] as number;
  const c = buf[i + 1] as number;
  if (n === 2 && b === 0xc2) return c >= 0xa0; // U+0080–U+009F: C1 controls
  if (n === 2 && b < 0xcc) return true; // Latin-1 and Latin Extended letters up to U+02FF
  // Punctuation, currency and symbols from U+2000 (’ – “ € ™), but the combining marks at U+20D0.
  if (n === 3 && b === 0xe2 && c !== 0x83) return true;
  // CJK and Hangul letters.
  if (n === 3 && b >= 0xe3 && b <= 0xed) return true;
  const char = Buffer.from(buf.buffer, buf.byteOffset + i, n).toString('utf8');
  if (/[\p{Cc}\p{Co}\p{Cn}]/u.test(char)) return false;
  if (!/\p{M}/u.test(char)) return true;
  // A combining mark needs a letter (or another multi-byte character) before it.
  return before >= 0x80 || (before >= 0x41 && before <= 0x5a) || (before >= 0x61 && before <= 0x7a);
}

/** How a character reads in context: letters, the punctuation Word types, and what never occurs in names. */
enum K {
  Sep = 0, // space, line end, ASCII punctuation: a word's edge
  Digit,
  Lower, // a lower-case Latin letter: ASCII, or an accented letter common in names (é ñ ü ç ø...)
  LowerRare, // one less common in names (â î û ù ì ò õ æ œ ÿ...)
  Upper,
  UpperRare,
  Apostrophe, // ’ ‘
  Open, // “ « ‹ ¡ ¿
  OpenLow, // „ ‚: German opening quotes, rare here (‚ is what Windows-1252 makes of code page 437's é)
  Close, // ” » › …
  Dash, // – —
  Bullet, // •
  Currency, // € £ ¥ ¢ ¤ ₧
  Unit, // ° ± ² ³ ¹ ¼ ½ ¾ µ × ÷ © ® ™ § ¶ ª º
  Space, // no-break space
  Rare, // ƒ, ‰, † ‡, soft hyphen, ¦ ¬ ¯ ´ ¨ ¸ ·: text, but hardly ever in a roster
  Bad, // box drawing, Greek and mathematics (code page 437, MacRoman), modifier letters, control, undefined
}

/*
 * Which accented letters are common in names (Spanish, French, German, Portuguese, Nordic): the
 * code pages mostly confuse a common letter with a rarer one (MacRoman's ñ is code page 437's û).
 */
const COMMON_LOWER = new Set('éáíóúñüöäçèëïêôàãøå');
const COMMON_UPPER = new Set('ÉÁÍÓÚÑÜÖÄÇÈÅØ');
const OPEN = new Set('“«‹¡¿');
const CLOSE = new Set('”»›…');
const CURRENCY = new Set('€£¥¢¤₧');
const UNIT = new Set('°±²³¹¼½¾µ×÷©®™§¶ªº');
const RARE = new Set('ƒ‰†‡\u00ad¦¬¯´¨¸·');

function kindOf(c: string): K {
  if (c === ' ' || c === '\t' || c === '\r' || c === '\n') return K.Sep;
  if (c >= '0' && c <= '9') return K.Digit;
  const code = c.charCodeAt(0);
  if (code < 0x80) {
    if (c >= 'a' && c <= 'z') return K.Lower;
    if (c >= 'A' && c <= 'Z') return K.Upper;
    return code < 0x20 || code === 0x7f ? K.Bad : K.Sep;
  }
  if (c === '’' || c === '‘') return K.Apostrophe;
  if (OPEN.has(c)) return K.Open;
  if (c === '„' || c === '‚') return K.OpenLow;
  if (CLOSE.has(c)) return K.Close;
  if (c === '–' || c === '—') return K.Dash;
  if (c === '•') return K.Bullet;
  if (CURRENCY.has(c)) return K.Currency;
  if (UNIT.has(c)) return K.Unit;
  if (c === '\u00a0') return K.Space;
  if (RARE.has(c)) return K.Rare;
  if (/\p{Script=Latin}/u.test(c)) {
    if (/\p{Ll}/u.test(c)) return COMMON_LOWER.has(c) ? K.Lower : K.LowerRare;
    if (/\p{Lu}/u.test(c)) return COMMON_UPPER.has(c) ? K.Upper : K.UpperRare;
  }
  return K.Bad;
}

/** The kind of every byte's character in a code page (ASCII included), computed once. */
function kinds(high: Uint16Array): Uint8Array {
  const out = new Uint8Array(256);
  for (let b = 0; b < 256; b++) out[b] = kindOf(String.fromCharCode(b < 0x80 ? b : (high[b - 0x80] as number)));
  return out;
}

const KIND_TABLES = new Map<Uint16Array, Uint8Array>();

/** The kinds of the bytes of a high half (HIGH_HALF's, OEM_UNSETTLED, UNKNOWN_HIGH_HALF), cached. */
export function kindTable(high: Uint16Array): Uint8Array {
  let table = KIND_TABLES.get(high);
  if (!table) {
    table = kinds(high);
    KIND_TABLES.set(high, table);
  }
  return table;
}

const isLower = (k: K) => k === K.Lower || k === K.LowerRare;
const isUpper = (k: K) => k === K.Upper || k === K.UpperRare;
const isLetter = (k: K) => isLower(k) || isUpper(k);

/**
 * How plausible a character is between its neighbours, from -3 to 2. A common accented letter
 * after a letter is a name's letter; an upper-case one right after a lower-case letter (`RenŽe`,
 * `RenÇe`), or between a capital and a lower-case letter (`PÇrez`, `MÅller`), is what a wrong
 * code page makes of an accent; Word's ’ “ ” – belong between letters and spaces; box drawing
 * and mathematics do not occur in names at all.
 */
function plausibility(k: K, before: K, after: K): number {
  const letterBefore = isLetter(before);
  const letterAfter = isLetter(after);
  switch (k) {
    case K.Lower:
    case K.LowerRare: {
      const weight = k === K.Lower ? 2 : 1;
      if (isUpper(before) && isUpper(after)) return -1;
      if (letterBefore) return isUpper(after) ? weight - 1 : weight;
      return letterAfter ? weight - 1 : -1;
    }
    case K.Upper:
    case K.UpperRare: {
      const weight = k === K.Upper ? 2 : 1;
      if (isLower(before)) return -3;
      if (isUpper(before)) return isLower(after) ? -2 : weight;
      return letterAfter ? weight : 0;
    }
    case K.Apostrophe:
      // O’Brien, D’Angelo: 2; don’t, D’az (MacRoman's Díaz): 1.
      if (letterBefore && letterAfter) return isUpper(before) && isUpper(after) ? 2 : 1;
      return letterBefore || letterAfter ? 1 : 0;
    case K.Open:
    case K.OpenLow:
      if (letterBefore && letterAfter) return -2;
      if (letterBefore || before === K.Digit || after === K.Sep) return 0;
      return k === K.Open ? 2 : 1;
    case K.Close:
      if (letterBefore && letterAfter) return -2;
      return before !== K.Sep && !letterAfter ? 1 : 0;
    case K.Dash:
      if (letterBefore && letterAfter) return isLower(before) && isLower(after) ? -2 : -1;
      return (before === K.Sep || before === K.Digit) && (after === K.Sep || after === K.Digit) ? 2 : 0;
    case K.Bullet:
      return before === K.Sep ? 1 : -2;
    case K.Currency:
      if (letterBefore && letterAfter) return -2;
      return before === K.Digit || after === K.Digit || before === K.Sep || after === K.Sep ? 1 : -1;
    case K.Unit:
      // 5°, ½ day, © 2026: next to digits or alone between spaces.
      if (letterBefore && letterAfter) return -2;
      if (before === K.Digit || after === K.Digit) return 1;
      return before === K.Sep && after === K.Sep ? 1 : 0;
    case K.Space:
      return letterBefore && letterAfter ? -2 : 0;
    case K.Rare:
      return -1;
    default:
      return -3;
  }
}

/**
 * In a file read in a code page, whether the valid UTF-8 sequence of `n` bytes at `i` is the code
 * page's characters rather than UTF-8 text pasted into the file: only when they read more
 * plausibly than the one UTF-8 character does (code page 850's `Íñ` is D6 A4, the Hebrew accent
 * U+05A4 in UTF-8; `Ã©` is UTF-8's é). A tie is neither: U+FFFD, and the row is rejected. `kind`
 * is the code page's kindTable; `before` and `after` are the bytes around the sequence (0x0A at
 * the file's edges).
 */
export function readsAsCodePage(
  buf: Uint8Array,
  i: number,
  n: number,
  kind: Uint8Array,
  before: number,
  after: number,
): boolean {
  let codePage = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const prev = k === 0 ? before : (buf[i + k - 1] as number);
    const next = k === n - 1 ? after : (buf[i + k + 1] as number);
    codePage = Math.min(codePage, plausibility(kind[buf[i + k] as number] as K, kind[prev] as K, kind[next] as K));
  }
  const char = Buffer.from(buf.buffer, buf.byteOffset + i, n).toString('utf8');
  const k = kindOf(char);
  // A letter of another script is what UTF-8 text may well hold (a name in Chinese, say).
  const utf8 = k === K.Bad && /\p{L}/u.test(char) ? 1 : plausibility(k, kind[before] as K, kind[after] as K);
  return codePage > utf8;
}

export type LineEnds = 'cr' | 'crlf' | 'lf';

export interface CodePageChoice {
  /** The code page that clearly reads best; undefined when none does (the file is refused). */
  codePage?: CodePage;
  /** For cp437: true when the sample does not tell it from cp850 (decode with OEM_UNSETTLED). */
  unsettled?: boolean;
  /** Per code page: total plausibility, for messages and tests. */
  scores: Record<CodePage, number>;
}

/**
 * Which code page reads the sample as text. Each non-ASCII byte that is not part of a valid
 * UTF-8 sequence (those are rejected in any code page) is scored in context in each code page;
 * line ends that are CR alone (Excel's "CSV (Macintosh)") count toward MacRoman, and Windows-1252
 * wins a tie. The winner must lead the next family by a clear margin and read mostly plausibly.
 * `before` is the byte just before the sample (0x0A at the start of a file).
 */
export function chooseCodePage(sample: Uint8Array, before: number, lineEnds: LineEnds): CodePageChoice {
  const scores = { 'windows-1252': 0, macintosh: 0, cp437: 0, cp850: 0 } as Record<CodePage, number>;
  const implausible = { 'windows-1252': 0, macintosh: 0, cp437: 0, cp850: 0 } as Record<CodePage, number>;
  let scored = 0;
  for (const page of CODE_PAGES) {
    const kind = kindTable(HIGH_HALF[page]);
    let units = 0;
    for (let i = 0; i < sample.length; i++) {
      const b = sample[i] as number;
      if (b < 0x80) continue;
      units++;
      const prev = i > 0 ? (sample[i - 1] as number) : before;
      const seq = b >= 0xc2 && b <= 0xf4 ? utf8SequenceAt(sample, i) : 0;
      if (seq > 0) {
        const after = i + seq < sample.length ? (sample[i + seq] as number) : 0x0a;
        if (!readsAsCodePage(sample, i, seq, kind, prev, after)) {
          // Read as U+FFFD in this code page: its row would be rejected.
          scores[page]--;
          i += seq - 1;
          continue;
        }
      }
      const next = i + 1 < sample.length ? (sample[i + 1] as number) : 0x0a;
      const s = plausibility(kind[b] as K, kind[prev] as K, kind[next] as K);
      scores[page] += s;
      if (s < 0) implausible[page]++;
    }
    scored = Math.max(scored, units);
  }
  if (scored === 0) return { codePage: 'windows-1252', scores };

  // Families: Windows, Mac, MS-DOS (437 and 850 differ only in a few bytes, decided between below).
  const oem: CodePage = scores.cp850 > scores.cp437 ? 'cp850' : 'cp437';
  const prior = (page: CodePage) =>
    page === 'macintosh'
      ? lineEnds === 'cr'
        ? 0.75 * Math.max(1, 0.25 * scored)
        : lineEnds === 'crlf'
          ? -0.75 * Math.max(1, 0.25 * scored)
          : 0
      : page === 'windows-1252'
        ? 0.5
        : 0;
  const ranked = (['windows-1252', 'macintosh', oem] as CodePage[])
    .map((page) => ({ page, score: scores[page] + prior(page) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = ranked as [{ page: CodePage; score: number }, { page: CodePage; score: number }];
  const clear = best.score - second.score >= Math.max(1, 0.1 * scored);
  const readable = scores[best.page] > 0 && implausible[best.page] <= 0.25 * scored;
  if (!clear || !readable) return { scores };
  if (best.page === 'cp437' && scores.cp437 === scores.cp850) return { codePage: 'cp437', unsettled: true, scores };
  return { codePage: best.page, scores };
}
