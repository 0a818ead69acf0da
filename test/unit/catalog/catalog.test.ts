/** The competency catalog: built reproducibly from the in-repo seed, and matching the facts of docs/domain.md. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Catalog,
  InvalidCatalogError,
  loadCatalog,
  parseCatalog,
  requiredCompetencies,
} from '#core/catalog/catalog.js';
import { CrosswalkParseError, parseCrosswalk } from '#core/catalog/parse-crosswalk.js';
import { MENTOR_CODES, MHS_CODES, SPECIALIST_CODES } from '../eligibility/builders.js';

const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const SEED = repoFile('config/catalog/seed-004-competency-crosswalk.txt');
const ORIGINAL_SEED = repoFile('../shared/seeds/004_12d54bbfaddab2db.txt');

describe('the catalog file', () => {
  const seed = readFileSync(SEED);
  const shipped = JSON.parse(readFileSync(repoFile('config/catalog/competencies.json'), 'utf8')) as Catalog;

  it('holds exactly what the parser makes of the in-repo seed', () => {
    expect(shipped.entries).toEqual(parseCrosswalk(seed.toString('utf8')));
    expect(shipped.source).toBe('config/catalog/seed-004-competency-crosswalk.txt');
    expect(shipped.sourceSha256).toBe(createHash('sha256').update(seed).digest('hex'));
  });

  it.skipIf(!existsSync(ORIGINAL_SEED))('keeps the in-repo seed byte-identical to seed 004', () => {
    expect(seed.equals(readFileSync(ORIGINAL_SEED))).toBe(true);
  });

  it('loads validated, once', () => {
    expect(loadCatalog()).toBe(loadCatalog());
    expect(loadCatalog().entries).toHaveLength(shipped.entries.length);
  });
});

describe('the facts of the crosswalk (docs/domain.md)', () => {
  const { entries } = loadCatalog();

  it('has 31 entries over 24 codes, 22 Essential and 9 Important', () => {
    expect(entries).toHaveLength(31);
    expect(new Set(entries.map((e) => e.code)).size).toBe(24);
    expect(entries.filter((e) => e.importance === 'Essential')).toHaveLength(22);
    expect(entries.filter((e) => e.importance === 'Important')).toHaveLength(9);
  });

  it('has seven codes twice, each once Essential and once Important with different knowledge areas', () => {
    const twice = [...new Set(entries.map((e) => e.code))].filter(
      (code) => entries.filter((e) => e.code === code).length === 2,
    );

    expect(twice).toEqual(['1C.1', '1C.2', '1C.4', '1D.2', '1D.3', '1E.1', '1E.2']);
    for (const code of twice) {
      const pair = entries.filter((e) => e.code === code);
      expect(pair.map((e) => e.importance).sort()).toEqual(['Essential', 'Important']);
      expect(pair[0]?.knowledgeArea).not.toBe(pair[1]?.knowledgeArea);
    }
  });

  it('normalises the law and regulation spellings so no variant survives', () => {
    const domains = new Set(entries.map((e) => e.domain));
    const areas = new Set(entries.map((e) => e.knowledgeArea));

    expect(domains).toContain('Law, Regulation & Agency Policy');
    expect(domains).not.toContain('Law, Regulation, and Agency Policy');
    expect(domains).not.toContain('Law, Regulation and Agency Policy');
    expect(entries.filter((e) => e.domain === 'Law, Regulation & Agency Policy')).toHaveLength(6);
    expect(areas).toContain('Government, Law, & Regulation');
    expect(areas).not.toContain('Government, Law & Regulation');
    expect(entries.filter((e) => e.knowledgeArea === 'Government, Law, & Regulation')).toHaveLength(3);
  });

  it('drops the (MHS) and (MHM) markers from labels', () => {
    const labels = entries.flatMap((e) => [e.domain, e.knowledgeArea]);

    expect(labels.filter((l) => /\(MH[SM]\)/.test(l))).toEqual([]);
    expect(entries.find((e) => e.code === '1H.1')).toMatchObject({
      domain: 'Administration',
      knowledgeArea: 'Program development',
      appliesFrom: 'mentor',
    });
  });

  it('parses both 1D.3 entries, which lack the period after the code', () => {
    const d3 = entries.filter((e) => e.code === '1D.3');

    expect(d3).toHaveLength(2);
    expect(d3.every((e) => e.text.startsWith('Understands implicit bias'))).toBe(true);
  });

  it('keeps the one entry with an empty "as demonstrated by"', () => {
    const empty = entries.filter((e) => e.demonstratedBy === '');

    expect(empty.map((e) => [e.code, e.importance])).toEqual([['1D.3', 'Important']]);
  });

  it('joins a continuation line to the competency text', () => {
    const first = entries[0];

    expect(first?.code).toBe('1A.1');
    expect(first?.text).toMatch(/families and others who care|young children\. Grasps and can convey/);
    expect(first?.text.endsWith('infants, young children and/or families.')).toBe(true);
  });

  it('takes applicability from the knowledge area alone', () => {
    const from = (tier: string) => entries.filter((e) => e.appliesFrom === tier).map((e) => e.code);

    expect(from('mhs')).toEqual(['1B.1', '1C.1', '1D.3']);
    expect(from('mentor')).toEqual(['1H.1']);
  });
});

describe('requiredCompetencies', () => {
  const catalog = loadCatalog();

  it('requires 19 codes of the specialist tier', () => {
    expect(requiredCompetencies(catalog, ['specialist'])).toEqual(SPECIALIST_CODES);
  });

  it('adds 1B.1 and 1D.3 for the mhs tier (21)', () => {
    expect(requiredCompetencies(catalog, ['specialist', 'mhs'])).toEqual([...MHS_CODES].sort());
    expect(MHS_CODES).toHaveLength(21);
  });

  it('adds 1H.1 for the mentor tier (22)', () => {
    expect(requiredCompetencies(catalog, ['specialist', 'mhs', 'mentor'])).toEqual([...MENTOR_CODES].sort());
    expect(MENTOR_CODES).toHaveLength(22);
  });

  it('requires nothing for no tiers', () => {
    expect(requiredCompetencies(catalog, [])).toEqual([]);
  });
});

describe('parseCrosswalk', () => {
  const entry = (head: string, demonstrated = ' Something') =>
    [
      head,
      'Essential or important?: Essential',
      'IECMHC Endorsement Competency: Law, Regulation and Agency Policy',
      'Knowledge/Skill Area: Government, Law & Regulation (MHS)',
      `As Demonstrated by/Other Work Experience (and Interview):${demonstrated}`,
    ].join('\r\n');

  it('reads CRLF text with a byte-order mark, skipping the introduction and the boilerplate', () => {
    const text = `\uFEFFIntroduction.\r\nUnless otherwise noted, these apply.\r\n${entry('9Z.1. Does “things”.')}\r\n`;

    expect(parseCrosswalk(text)).toEqual([
      {
        code: '9Z.1',
        text: 'Does “things”.',
        importance: 'Essential',
        domain: 'Law, Regulation & Agency Policy',
        knowledgeArea: 'Government, Law, & Regulation',
        appliesFrom: 'mhs',
        demonstratedBy: 'Something',
      },
    ]);
  });

  it('refuses an entry whose fields are out of order, naming the line', () => {
    const text = ['9Z.1. Does things.', 'Knowledge/Skill Area: Unique', 'Essential or important?: Essential'].join(
      '\n',
    );

    expect(() => parseCrosswalk(text)).toThrow(CrosswalkParseError);
    expect(() => parseCrosswalk(text)).toThrow(/line 2: expected "Essential or important\?:" in entry 9Z.1/);
  });

  it('refuses an importance that is neither Essential nor Important', () => {
    const text = entry('9Z.1. Does things.').replace(
      'Essential or important?: Essential',
      'Essential or important?: Vital',
    );

    expect(() => parseCrosswalk(text)).toThrow(/neither Essential nor Important/);
  });

  it('refuses text with no entries', () => {
    expect(() => parseCrosswalk('Just an introduction.\n')).toThrow(CrosswalkParseError);
  });
});

describe('parseCatalog', () => {
  it('refuses catalog data with a bad field, naming its path', () => {
    const bad = { ...loadCatalog(), entries: [{ ...loadCatalog().entries[0], importance: 'Vital' }] };

    expect(() => parseCatalog(bad, 'bad.json')).toThrow(InvalidCatalogError);
    expect(() => parseCatalog(bad, 'bad.json')).toThrow(/entries\[0\]\.importance/);
  });
});
