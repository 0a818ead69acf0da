import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ruleset from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { CATEGORIES, CATEGORY_CODES, findCategory, findCounty, SPD15_CATEGORIES } from '#core/reference/reference.js';
import { type GenerateProgress, type GenerateResult, generateDataset } from '#tools/synthetic/generate.js';

type Row = Record<string, string>;

const AS_OF = '2026-06-30';
const PEOPLE = 3000;
const COMPETENCIES = new Set(
  '1A.1 1A.2 1A.3 1B.1 1B.2 1B.3 1B.4 1C.1 1C.2 1C.3 1C.4 1D.1 1D.2 1D.3 1D.4 1E.1 1E.2 1F.1 1F.2 1F.3 1F.4 1F.5 1G.1 1H.1'.split(
    ' ',
  ),
);
// The required columns of docs/contract.md, written out here rather than taken from the generator.
const REQUIRED: Record<string, string[]> = {
  applicants: [
    'person_id',
    'first_name',
    'last_name',
    'email',
    'category',
    'education',
    'work_experience_months',
    'county',
  ],
  rosters: ['training_id', 'training_date', 'hours'],
  rsc: ['person_id', 'session_date', 'hours'],
  endorsements: ['person_id', 'category', 'endorsed_on'],
  trainings: ['training_id', 'training_title', 'training_date', 'hours'],
};
const TRUE = new Set(['yes', 'y', 'true', '1']);
const FALSE = new Set(['no', 'n', 'false', '0']);

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iecmh-synthetic-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Days since 1970 of a YYYY-MM-DD or M/D/YYYY date that exists in the calendar; undefined otherwise. */
function dayOf(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return undefined;
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.getTime() / 86_400_000;
}
const asOfDay = dayOf(AS_OF) as number;

async function readCsv(path: string): Promise<{ header: string[]; rows: Row[] }> {
  const parsed = Papa.parse<Row>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

/** A YYYY-MM-DD or M/D/YYYY date as YYYY-MM-DD. */
function isoOf(text: string): string {
  return new Date((dayOf(text) as number) * 86_400_000).toISOString().slice(0, 10);
}

function share(rows: readonly Row[], test: (row: Row) => boolean): number {
  return rows.filter(test).length / rows.length;
}

describe('generateDataset: determinism', () => {
  async function filesOf(dir: string): Promise<Map<string, Buffer>> {
    const names = (await readdir(dir)).sort();
    return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)));
  }

  it('writes byte-identical files for the same seed', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await generateDataset({ people: 300, seed: 'same', asOf: AS_OF, out: a, files: { rosters: 2 } });
    await generateDataset({ people: 300, seed: 'same', asOf: AS_OF, out: b, files: { rosters: 2 } });
    const [fa, fb] = [await filesOf(a), await filesOf(b)];
    expect([...fa.keys()]).toEqual([
      'applicants.csv',
      'endorsements.csv',
      'rosters-1.csv',
      'rosters-2.csv',
      'rsc.csv',
      'trainings.csv',
    ]);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name) as Buffer), name).toBe(true);
  });

  it('writes different files for a different seed', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await generateDataset({ people: 300, seed: 'one', asOf: AS_OF, out: a });
    await generateDataset({ people: 300, seed: 'two', asOf: AS_OF, out: b });
    const [fa, fb] = [await filesOf(a), await filesOf(b)];
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name) as Buffer), name).toBe(false);
  });

  it('keeps the people the same whatever the number of roster files', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await generateDataset({ people: 300, seed: 'split', asOf: AS_OF, out: a, files: { rosters: 1 } });
    await generateDataset({ people: 300, seed: 'split', asOf: AS_OF, out: b, files: { rosters: 3 } });
    for (const name of ['applicants.csv', 'endorsements.csv', 'rsc.csv']) {
      expect((await readFile(join(a, name))).equals(await readFile(join(b, name))), name).toBe(true);
    }
    const one = (await readFile(join(a, 'rosters.csv'), 'utf8')).split('\n').slice(1).join('\n');
    const three = await Promise.all(
      ['rosters-1.csv', 'rosters-2.csv', 'rosters-3.csv'].map(async (n) =>
        (await readFile(join(b, n), 'utf8')).split('\n').slice(1).join('\n'),
      ),
    );
    expect(three.join('')).toBe(one);
  });
});

describe('generateDataset: options', () => {
  it('refuses a number of people that is not a whole number of at least 1', async () => {
    const out = await tempDir();
    await expect(generateDataset({ people: 0, out })).rejects.toThrow(/people/);
    await expect(generateDataset({ people: 2.5, out })).rejects.toThrow(/people/);
  });

  it('makes exactly the number of endorsees asked for, the rest applicants', async () => {
    for (const endorsees of [0, 137, 300]) {
      const out = await tempDir();
      const r = await generateDataset({ people: 300, endorsees, out });
      expect([r.endorsees, r.applicants]).toEqual([endorsees, 300 - endorsees]);
      expect((await readCsv(join(out, 'endorsements.csv'))).rows).toHaveLength(endorsees);
      expect((await readCsv(join(out, 'applicants.csv'))).rows).toHaveLength(300 - endorsees);
    }
    await expect(generateDataset({ people: 10, endorsees: 11, out: await tempDir() })).rejects.toThrow(/endorsees/);
  });

  it('refuses an as-of date that is not a real YYYY-MM-DD date', async () => {
    const out = await tempDir();
    await expect(generateDataset({ people: 10, asOf: '2026-02-30', out })).rejects.toThrow(/asOf/);
    await expect(generateDataset({ people: 10, asOf: '6/30/2026', out })).rejects.toThrow(/asOf/);
  });

  it('reports the end of every file with its row count', async () => {
    const out = await tempDir();
    const events: GenerateProgress[] = [];
    const result = await generateDataset({ people: 50, seed: 's', out, onProgress: (p) => events.push(p) });
    const done = events.filter((e) => e.done).map((e) => [e.file, e.rows]);
    expect(done).toEqual(result.files.map((f) => [f.name, f.rows]));
  });

  it('makes a usable data set of a single person', async () => {
    const out = await tempDir();
    const result = await generateDataset({ people: 1, seed: 'one', out });
    expect(result.applicants + result.endorsees).toBe(1);
    const rosters = await readCsv(join(out, 'rosters.csv'));
    expect(rosters.rows.length).toBeGreaterThan(0);
  });
});

describe('generateDataset: a few thousand people', () => {
  let result: GenerateResult;
  let applicants: Row[];
  let endorsements: Row[];
  let rosters: Row[];
  let rsc: Row[];
  let calendar: Row[] = [];
  const headers = new Map<string, string[]>();
  const categoryOf = new Map<string, string>();
  const personByEmail = new Map<string, string>();

  beforeAll(async () => {
    const out = await tempDir();
    result = await generateDataset({ people: PEOPLE, seed: 'distributions', asOf: AS_OF, out, files: { rosters: 3 } });
    rosters = [];
    for (const file of result.files) {
      const { header, rows } = await readCsv(file.path);
      headers.set(file.name, header);
      expect(rows.length, file.name).toBe(file.rows);
      if (file.kind === 'applicants') applicants = rows;
      else if (file.kind === 'endorsements') endorsements = rows;
      else if (file.kind === 'rsc') rsc = rows;
      else if (file.kind === 'trainings') calendar = rows;
      else rosters.push(...rows);
    }
    for (const r of [...applicants, ...endorsements]) {
      categoryOf.set(r.person_id as string, findCategory(r.category as string)?.code ?? '?');
      if (r.email) personByEmail.set(r.email, r.person_id as string);
    }
  });

  it('names every file by its kind', () => {
    for (const file of result.files) expect(file.name.startsWith(file.kind), file.name).toBe(true);
    expect(result.files.map((f) => f.name)).toEqual([
      'applicants.csv',
      'endorsements.csv',
      'rosters-1.csv',
      'rosters-2.csv',
      'rosters-3.csv',
      'rsc.csv',
      'trainings.csv',
    ]);
  });

  it('writes every required column of the contract in every header', () => {
    for (const file of result.files) {
      const header = headers.get(file.name) ?? [];
      for (const column of REQUIRED[file.kind] ?? []) expect(header, `${file.name} ${column}`).toContain(column);
    }
  });

  it('splits the people into about 60% applicants and 40% endorsees, each once', () => {
    expect(applicants.length + endorsements.length).toBe(PEOPLE);
    expect(result.applicants).toBe(applicants.length);
    expect(result.endorsees).toBe(endorsements.length);
    expect(endorsements.length / PEOPLE).toBeGreaterThan(0.35);
    expect(endorsements.length / PEOPLE).toBeLessThan(0.45);
    const ids = [...applicants, ...endorsements].map((r) => r.person_id as string);
    expect(new Set(ids).size).toBe(PEOPLE);
    for (const id of ids) expect(id).toMatch(/^P\d{7}$/);
  });

  it('gives every person a unique email', () => {
    const emails = [...applicants, ...endorsements].map((r) => r.email).filter((e) => e);
    expect(new Set(emails).size).toBe(emails.length);
    expect(applicants.every((r) => /^[a-z0-9.-]+@example\.org$/.test(r.email as string))).toBe(true);
  });

  it('writes about eleven and a half roster rows per person', () => {
    expect(rosters.length / PEOPLE).toBeGreaterThan(10.5);
    expect(rosters.length / PEOPLE).toBeLessThan(12.5);
  });

  it('names every category, by code or full name, all 14 appearing, mentors fewest', () => {
    const people = [...applicants, ...endorsements];
    for (const r of people) expect(findCategory(r.category as string), r.category).toBeDefined();
    expect(new Set(categoryOf.values())).toEqual(new Set(CATEGORY_CODES));
    const names = new Set(CATEGORIES.map((c) => c.name));
    expect(people.some((r) => names.has(r.category as string))).toBe(true);
    const codes = [...categoryOf.values()];
    const main = codes.filter((c) => ['IFA', 'IFS', 'ECFA', 'ECFS'].includes(c)).length / codes.length;
    const mentors = codes.filter((c) => c.includes('M-')).length / codes.length;
    expect(main).toBeGreaterThan(0.5);
    expect(mentors).toBeLessThan(0.15);
  });

  it('names Wisconsin counties in all three forms, Milwaukee the most common', () => {
    const people = [...applicants, ...endorsements];
    const counts = new Map<string, number>();
    for (const r of people) {
      const county = findCounty(r.county as string);
      expect(county, r.county).toBeDefined();
      if (county) counts.set(county.name, (counts.get(county.name) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    expect(ranked[0]?.[0]).toBe('Milwaukee');
    expect(people.some((r) => /^\d{5}$/.test(r.county as string))).toBe(true);
    expect(people.some((r) => / County$/.test(r.county as string))).toBe(true);
  });

  it('writes only valid dates, in both formats, none after the as-of date', () => {
    // [column, text, the oldest it may be in days (or undefined: may lie in the future)]
    type Dated = [string, string, number | undefined];
    const dates: Dated[] = [
      ...applicants.flatMap((r): Dated[] => [
        ['application_date', r.application_date as string, 2 * 365],
        ['membership_expires_on', r.membership_expires_on as string, undefined],
      ]),
      ...endorsements.map((r): Dated => ['endorsed_on', r.endorsed_on as string, 8 * 365]),
      ...rosters.map((r): Dated => ['training_date', r.training_date as string, 3 * 365]),
      ...rsc.map((r): Dated => ['session_date', r.session_date as string, 31 * 31]),
    ].filter(([column, text]) => text !== '' || (column !== 'application_date' && column !== 'membership_expires_on'));
    const bad = dates.filter(([, text, maxAge]) => {
      const day = dayOf(text);
      if (day === undefined) return true;
      return maxAge !== undefined && (day > asOfDay || asOfDay - day > maxAge);
    });
    expect(bad).toEqual([]);
    const us = dates.filter(([, text]) => text.includes('/')).length / dates.length;
    expect(us).toBeGreaterThan(0.02);
    expect(us).toBeLessThan(0.2);
  });

  it('keeps most memberships current on the as-of date, some lapsed', () => {
    const expiries = applicants.map((r) => r.membership_expires_on as string).filter((t) => t);
    const current = expiries.filter((t) => (dayOf(t) as number) >= asOfDay).length / expiries.length;
    expect(current).toBeGreaterThan(0.8);
    expect(current).toBeLessThan(0.97);
  });

  it('writes race and ethnicity as SPD-15 names, mostly White, some several, some blank', () => {
    const people = [...applicants, ...endorsements];
    const names = people.flatMap((r) => (r.race_ethnicity as string).split(';').filter((n) => n));
    expect(names.filter((n) => !SPD15_CATEGORIES.includes(n))).toEqual([]);
    expect(share(people, (r) => r.race_ethnicity === 'White')).toBeGreaterThan(0.6);
    expect(share(people, (r) => r.race_ethnicity === 'Black or African American')).toBeGreaterThan(0.03);
    expect(share(people, (r) => (r.race_ethnicity as string).includes(';'))).toBeGreaterThan(0.02);
    expect(share(people, (r) => r.race_ethnicity === '')).toBeGreaterThan(0.02);
  });

  it('writes mostly English as the primary language, then Spanish', () => {
    const people = [...applicants, ...endorsements];
    expect(share(people, (r) => r.primary_language === 'English')).toBeGreaterThan(0.7);
    expect(share(people, (r) => r.primary_language === 'Spanish')).toBeGreaterThan(0.03);
    expect(share(people, (r) => r.primary_language === 'Hmong')).toBeGreaterThan(0.005);
  });

  it('gives applicants education and work consistent with their category, mostly meeting it', () => {
    const levels = ruleset.educationLevels;
    let meets = 0;
    for (const r of applicants) {
      const code = categoryOf.get(r.person_id as string) as string;
      const req = ruleset.initial.requirements.find((q) => q.categories.includes(code));
      const level = levels.indexOf(r.education as string);
      expect(level, r.education).toBeGreaterThanOrEqual(0);
      expect(r.work_experience_months).toMatch(/^\d+$/);
      if (req && level >= levels.indexOf(req.education.min)) meets++;
    }
    expect(meets / applicants.length).toBeGreaterThan(0.75);
    expect(meets / applicants.length).toBeLessThan(0.98);
  });

  it('writes booleans and reference counts the contract accepts, mostly satisfied', () => {
    for (const r of applicants) {
      for (const column of ['exam_passed', 'code_of_ethics_signed']) {
        const v = (r[column] as string).toLowerCase();
        expect(v === '' || TRUE.has(v) || FALSE.has(v), `${column} ${v}`).toBe(true);
      }
      expect(r.references).toMatch(/^\d*$/);
    }
    expect(share(applicants, (r) => r.references === '3')).toBeGreaterThan(0.8);
    expect(share(applicants, (r) => TRUE.has((r.code_of_ethics_signed as string).toLowerCase()))).toBeGreaterThan(0.85);
  });

  it('describes each training the same way on every row, with hours, codes and flags in range', () => {
    const trainings = new Map<string, string>();
    for (const r of rosters) {
      const description = [r.training_title, r.training_date, r.hours, r.competencies, r.dei, r.rsc_topic, r.provider];
      const key = JSON.stringify(description);
      expect(trainings.get(r.training_id as string) ?? key, r.training_id).toBe(key);
      trainings.set(r.training_id as string, key);
    }
    expect(trainings.size).toBeGreaterThanOrEqual(50);
    let dei = 0;
    let rscTopic = 0;
    for (const [id, key] of trainings) {
      expect(id).toMatch(/^T\d{6}$/);
      const [, , hours, competencies, d, t] = JSON.parse(key) as string[];
      const h = Number(hours);
      expect(h >= 1.5 && h <= 12 && Number.isInteger(h * 4), `${id} hours ${hours}`).toBe(true);
      const codes = (competencies as string).split(';');
      expect(codes.length >= 1 && codes.length <= 3, `${id} ${competencies}`).toBe(true);
      for (const c of codes) expect(COMPETENCIES.has(c), c).toBe(true);
      for (const flag of [d, t])
        expect(TRUE.has((flag as string).toLowerCase()) || FALSE.has((flag as string).toLowerCase())).toBe(true);
      if (TRUE.has((d as string).toLowerCase())) dei++;
      if (TRUE.has((t as string).toLowerCase())) rscTopic++;
    }
    expect(dei / trainings.size).toBeGreaterThan(0.08);
    expect(dei / trainings.size).toBeLessThan(0.25);
    expect(rscTopic / trainings.size).toBeGreaterThan(0.04);
    expect(rscTopic / trainings.size).toBeLessThan(0.18);
  });

  it("writes a calendar: the last year's trainings as the rosters describe them, and a year ahead", () => {
    const described = new Map(
      rosters.map((r) => [r.training_id, [r.training_title, r.training_date, r.hours, r.competencies, r.provider]]),
    );
    const ids = calendar.map((r) => r.training_id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const ahead: Row[] = [];
    for (const r of calendar) {
      const day = dayOf(r.training_date as string) as number;
      expect(r.training_title, r.training_id).not.toBe('');
      expect(r.registration_url === '' || /^https:\/\/events\.example\.org\//.test(r.registration_url as string)).toBe(
        true,
      );
      if (day <= asOfDay) {
        expect(asOfDay - day, r.training_id).toBeLessThan(365);
        const roster = described.get(r.training_id);
        if (roster) expect([r.training_title, r.training_date, r.hours, r.competencies, r.provider]).toEqual(roster);
      } else {
        expect(day - asOfDay, r.training_id).toBeLessThanOrEqual(365);
        expect(described.has(r.training_id), r.training_id).toBe(false);
        ahead.push(r);
      }
    }
    expect(ahead.length).toBeGreaterThanOrEqual(24);
    expect(share(ahead, (r) => r.registration_url !== '')).toBeGreaterThan(0.75);
    // Every month left before the 31 December due date offers DEI and RSC-topic hours.
    for (const month of ['07', '08', '09', '10', '11', '12']) {
      const inMonth = ahead.filter((r) => isoOf(r.training_date as string).startsWith(`2026-${month}`));
      expect(
        inMonth.some((r) => TRUE.has((r.dei as string).toLowerCase())),
        month,
      ).toBe(true);
      expect(
        inMonth.some((r) => TRUE.has((r.rsc_topic as string).toLowerCase())),
        month,
      ).toBe(true);
      expect(inMonth.length, month).toBeGreaterThanOrEqual(4);
    }
  });

  it('makes training popularity heavy-tailed', () => {
    const sizes = new Map<string, number>();
    for (const r of rosters) sizes.set(r.training_id as string, (sizes.get(r.training_id as string) ?? 0) + 1);
    const sorted = [...sizes.values()].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    expect(sorted.at(-1) as number).toBeGreaterThan(3 * median);
  });

  it('marks about 95% of attendances completed (yes or blank)', () => {
    const values = rosters.map((r) => (r.completed as string).toLowerCase());
    expect(values.filter((v) => v !== '' && !TRUE.has(v) && !FALSE.has(v))).toEqual([]);
    const completed = share(rosters, (r) => !FALSE.has((r.completed as string).toLowerCase()));
    expect(completed).toBeGreaterThan(0.92);
    expect(completed).toBeLessThan(0.98);
    expect(share(rosters, (r) => r.completed === '')).toBeGreaterThan(0.1);
  });

  it('names 5–15% of attendees by email only, in varied case and spacing, a few of them walk-ins', () => {
    let emailOnly = 0;
    let walkIns = 0;
    let spaced = 0;
    let capitalised = 0;
    let unidentified = 0;
    const unknownIds: string[] = [];
    for (const r of rosters) {
      const id = r.person_id as string;
      const address = r.email as string;
      if (id) {
        if (!categoryOf.has(id)) unknownIds.push(id);
        continue;
      }
      if (address.trim() === '') unidentified++;
      emailOnly++;
      if (address !== address.trim()) spaced++;
      if (address !== address.toLowerCase()) capitalised++;
      if (!personByEmail.has(address.trim().toLowerCase())) walkIns++;
    }
    expect(unknownIds).toEqual([]);
    expect(unidentified).toBe(0);
    expect(emailOnly / rosters.length).toBeGreaterThan(0.05);
    expect(emailOnly / rosters.length).toBeLessThan(0.15);
    expect(spaced).toBeGreaterThan(0);
    expect(capitalised).toBeGreaterThan(0);
    expect(walkIns).toBeGreaterThan(0);
    expect(walkIns / rosters.length).toBeLessThan(0.01);
  });

  it('never lists the same person twice at one training by person id', () => {
    const keys = rosters.filter((r) => r.person_id).map((r) => `${r.training_id} ${r.person_id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('logs about 20 RSC sessions of 1 to 2 hours for each person whose category needs RSC', () => {
    const needsRsc = new Set(
      ruleset.initial.requirements.filter((q) => q.rscHours > 0).flatMap((q) => q.categories as string[]),
    );
    for (const q of ruleset.renewal.rscHours) for (const c of q.categories) needsRsc.add(c);
    const perPerson = new Map<string, number>();
    for (const r of rsc) perPerson.set(r.person_id as string, (perPerson.get(r.person_id as string) ?? 0) + 1);
    expect([...perPerson.keys()].filter((id) => !needsRsc.has(categoryOf.get(id) as string))).toEqual([]);
    const hours = new Set(rsc.map((r) => Number(r.hours)));
    expect([...hours].filter((h) => !(h >= 1 && h <= 2 && Number.isInteger(h * 4)))).toEqual([]);
    const mean = rsc.length / perPerson.size;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(35);
    const eligible = [...categoryOf.values()].filter((c) => needsRsc.has(c)).length;
    expect(perPerson.size / eligible).toBeGreaterThan(0.85);
  });
});
