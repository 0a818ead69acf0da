import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { removePersonRows } from '#core/ingest/erase-rows.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { InputKind } from '#core/model.js';
import { chunksOf } from '#test-support/chunks.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The file's lines with their line ends attached ("a\r\n", "b\n", "c"). */
const linesOf = (s: string) => s.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

/** The original text without the given 1-based physical lines: what the rewritten file must be. */
const without = (s: string, ...drop: number[]) =>
  linesOf(s)
    .filter((_, i) => !drop.includes(i + 1))
    .join('');

async function accepted(kind: InputKind, bytes: Uint8Array | string): Promise<InputRecord[]> {
  const stored: InputRecord[] = [];
  await ingestFile({ kind, file: 'x.csv', source: chunksOf(bytes, 4096), sink: async (r) => void stored.push(...r) });
  return stored;
}

const ROSTER_HEADER =
  'training_id,training_title,training_date,hours,competencies,dei,rsc_topic,provider,person_id,email,first_name,last_name,completed';

describe('removePersonRows', () => {
  it('removes the person by id and the email-only rows that reach them (any case, spaces), and nothing else', async () => {
    const file = [
      ROSTER_HEADER,
      'T1,Attachment,2026-01-10,3,,,,,P1,,Ann,Lee,yes',
      'T1,Attachment,2026-01-10,3,,,,,P10,,Bo,Ng,yes',
      'T1,Attachment,2026-01-10,3,,,,,,  Ann.Lee@Example.ORG ,Ann,Lee,yes',
      'T1,Attachment,2026-01-10,3,,,,,,ann.leeson@example.org,Ann,Leeson,yes',
      'T2,Reflective practice,2026-02-01,2,,,,,p1,,Ann,Lee,yes',
      'T2,Reflective practice,2026-02-01,2,,,,,P2,other@example.org,Cy,Do,yes',
      '',
    ].join('\n');
    const out = removePersonRows({
      kind: 'rosters',
      bytes: utf8(file),
      personIds: ['P1'],
      emails: ['ann.lee@example.org'],
    });
    expect(out.removed).toEqual([2, 4, 6]);
    expect(out.unusable).toBeUndefined();
    expect(out.mentions).toBeUndefined();
    expect(out.text).toBe(without(file, 2, 4, 6));
    expect(out.text).toContain('P10');
    // Ingesting the rewritten file yields exactly the other people's records.
    const before = await accepted('rosters', file);
    const after = await accepted('rosters', out.text);
    expect(before).toHaveLength(6);
    expect(after).toEqual([before[1], before[3], before[5]]);
  });

  it('an id that is a prefix of another id removes only the exact id', () => {
    const file =
      'person_id,session_date,hours\nP1,2026-01-05,1\nP10,2026-01-05,1\nP100,2026-01-05,1\nXP1,2026-01-05,1\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([2]);
    expect(out.text).toBe('person_id,session_date,hours\nP10,2026-01-05,1\nP100,2026-01-05,1\nXP1,2026-01-05,1\n');
  });

  it('keeps CRLF line ends, and other rows byte for byte', () => {
    const file =
      'person_id,session_date,hours,provider_name\r\nP2,2026-01-05,1,"Smith, Jo"\r\nP1,2026-01-05,1,X\r\nP3,1/5/2026,2.5,  spaced  \r\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([3]);
    expect(out.text).toBe(
      'person_id,session_date,hours,provider_name\r\nP2,2026-01-05,1,"Smith, Jo"\r\nP3,1/5/2026,2.5,  spaced  \r\n',
    );
  });

  it('keeps mixed line ends and blank lines as they were, and a last line without line end', () => {
    const file = 'person_id,session_date,hours\r\n\r\nP2,2026-01-05,1\nP1,2026-01-05,1\r\n\n,,\rP3,2026-01-05,1';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([4]);
    expect(out.text).toBe(without(file, 4));
    expect(out.text).toBe('person_id,session_date,hours\r\n\r\nP2,2026-01-05,1\n\n,,\rP3,2026-01-05,1');
  });

  it('removes every line of a removed record with a quoted line break, and keeps such a record of someone else whole', () => {
    const file = [
      ROSTER_HEADER,
      'T1,"Attachment,\r\npart ""one""",2026-01-10,3,,,,,P2,,Bo,Ng,yes',
      'T1,"Attachment,\r\npart ""one""\r\n",2026-01-10,3,,,,,P1,,Ann,Lee,yes',
      'T2,Plain,2026-01-11,1,,,,,P3,,Cy,Do,yes',
      '',
    ].join('\r\n');
    // Physical lines: 1 header; 2-3 P2; 4-6 P1; 7 P3.
    const out = removePersonRows({ kind: 'rosters', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([4]);
    expect(out.text).toBe(without(file, 4, 5, 6));
    expect(out.text).toContain('"Attachment,\r\npart ""one""",2026-01-10,3,,,,,P2');
    expect(out.text).not.toContain('P1,');
  });

  it('reads a semicolon-separated file and keeps it semicolon-separated', () => {
    const file = 'person_id;session_date;hours;provider_name\nP1;2026-01-05;1,5;A\nP2;2026-01-05;2;"B; C"\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['p1'], emails: [] });
    expect(out.removed).toEqual([2]);
    expect(out.text).toBe('person_id;session_date;hours;provider_name\nP2;2026-01-05;2;"B; C"\n');
  });

  it('reads a Windows-1252 file with accented names and gives its kept lines back as the same text', () => {
    const file =
      'person_id,first_name,last_name,email,category,education,work_experience_months,county\r\n' +
      'P1,Zoë,Müller,zoe@example.org,IFS,bachelors,24,Oakland\r\n' +
      'P2,José,Núñez,jose@example.org,IFS,bachelors,24,Wayne\r\n' +
      'P3,Françoise,Dœuf,FRANÇOISE@example.org,IFS,bachelors,24,Kent\r\n';
    const bytes = iconv.encode(file, 'win1252');
    expect(bytes.includes(0xeb)).toBe(true); // ë as one Windows-1252 byte: not UTF-8
    const out = removePersonRows({
      kind: 'applicants',
      bytes,
      personIds: [],
      emails: ['Zoe@Example.org', 'françoise@example.org'],
    });
    expect(out.removed).toEqual([2, 4]);
    expect(out.text).toBe(without(file, 2, 4));
    expect(out.text).toContain('José,Núñez');
  });

  it('reads a UTF-16 file with BOM', () => {
    const file = 'person_id,session_date,hours\r\nP1,2026-01-05,1\r\nP2,2026-01-05,1\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file, 'utf16le')]);
    const out = removePersonRows({ kind: 'rsc', bytes, personIds: ['P1'], emails: [] });
    expect(out.text).toBe('person_id,session_date,hours\r\nP2,2026-01-05,1\r\n');
  });

  it('gives text without BOM for a UTF-8 file with BOM', () => {
    const file = '\uFEFFperson_id,session_date,hours\nP1,2026-01-05,1\nP2,2026-01-05,1\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.text).toBe('person_id,session_date,hours\nP2,2026-01-05,1\n');
  });

  it('removes rows ingest rejects (a bad date, too few cells, a stray quote) when they hold the person', async () => {
    const file =
      'person_id,session_date,hours\n' +
      'P1,2026-02-30,1\n' + // not a real date: rejected by ingest, still the person's row
      'P2,2026-01-05,1\n' +
      'P1\n' + // too few cells
      'P1,20"26-01-05,1\n' + // a quote inside an unquoted cell is a plain character
      'P3,2026-01-05,1\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([2, 4, 5]);
    expect(out.text).toBe('person_id,session_date,hours\nP2,2026-01-05,1\nP3,2026-01-05,1\n');
    expect(await accepted('rsc', out.text)).toEqual(await accepted('rsc', file));
  });

  it('removes a line with a malformed quote that mentions the person, and only that line', async () => {
    // ingest rejects line 3 alone and reads line 4 on its own (parse.ts): removing line 3 leaves what everyone else reads unchanged.
    const file = 'person_id,session_date,hours\nP2,2026-01-05,1\n"P1 "x,2026-01-05,1\nP3,2026-01-05,1\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.removed).toEqual([3]);
    expect(out.text).toBe('person_id,session_date,hours\nP2,2026-01-05,1\nP3,2026-01-05,1\n');
    expect(await accepted('rsc', out.text)).toEqual(await accepted('rsc', file));
    // A malformed record that does not mention the person stays.
    const other = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P9'], emails: [] });
    expect(other).toEqual({ text: file, removed: [] });
  });

  it('compares after NFC normalisation and case folding', () => {
    const decomposed = 'rene\u0301@example.org'; // é as e + combining accent
    const file = `person_id,session_date,hours,provider_name\nP2,2026-01-05,1,${decomposed}\nP3,2026-01-05,1,STRASSE\n`;
    const out = removePersonRows({
      kind: 'rsc',
      bytes: utf8(file),
      personIds: ['straße'],
      emails: ['  RENÉ@EXAMPLE.ORG '],
    });
    expect(out.removed).toEqual([2, 3]);
  });

  it('reports, without removing, a kept row that mentions the person inside a longer cell', () => {
    const file = 'person_id,session_date,hours,provider_name\nP2,2026-01-05,1,"covers for P1, see ann@example.org"\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: ['ann@example.org'] });
    expect(out.removed).toEqual([]);
    expect(out.mentions).toEqual([2]);
    expect(out.text).toBe(file);
  });

  it('ignores blank ids and emails (they would match every blank cell)', () => {
    const file = 'person_id,session_date,hours,provider_name\nP2,2026-01-05,1,\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: [' '], emails: [''] });
    expect(out).toEqual({ text: file, removed: [] });
  });

  it('still removes the person from a file whose header cannot be matched, header line included', () => {
    const file = 'P1,2026-01-05,1\nP2,2026-01-05,1\nP1,2026-01-06,2\n';
    const out = removePersonRows({ kind: 'rsc', bytes: utf8(file), personIds: ['P1'], emails: [] });
    expect(out.unusable).toMatch(/missing required columns person_id, session_date, hours/);
    expect(out.removed).toEqual([1, 3]);
    expect(out.text).toBe('P2,2026-01-05,1\n');
  });

  it('says when the bytes are not text at all, and gives nothing to upload', () => {
    const xlsx = Buffer.from('PK\x03\x04\x14\x00\x06\x00P1-rest-of-zip', 'latin1');
    const out = removePersonRows({ kind: 'rsc', bytes: xlsx, personIds: ['P1'], emails: [] });
    expect(out).toEqual({ text: '', removed: [], unusable: expect.stringMatching(/Excel workbook/) });
  });

  it('an empty file is unusable and stays empty', () => {
    expect(removePersonRows({ kind: 'rsc', bytes: new Uint8Array(0), personIds: ['P1'], emails: [] })).toEqual({
      text: '',
      removed: [],
      unusable: expect.stringMatching(/empty/),
    });
  });

  it("for any file of whole-cell ids, quoted line breaks, delimiters and line ends: exactly the person's records go", async () => {
    const cell = fc.constantFrom('P1', 'p1 ', 'P10', 'P2', 'ann@example.org', ' ANN@example.ORG', 'x', '', '1');
    const quoted = fc.constantFrom('"a\nb"', '"a\r\nP1"', '"P1"', '"say ""hi"""', '"x,y"', 'plain');
    const end = fc.constantFrom('\n', '\r\n', '\r');
    const row = fc.record({ id: cell, other: cell, note: quoted, end });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(',', ';'), end, fc.array(row, { maxLength: 25 }), async (d, headerEnd, rows) => {
        const header = ['person_id', 'session_date', 'hours', 'provider_name', 'format'].join(d) + headerEnd;
        const lines = rows.map((r) => [r.id, '2026-01-05', '1', r.note.replaceAll(',', d), r.other].join(d) + r.end);
        const isPerson = (v: string) => ['p1', 'ann@example.org'].includes(v.trim().toLowerCase());
        const theirs = rows.map((r) => isPerson(r.id) || isPerson(r.other) || r.note === '"P1"');
        const file = header + lines.join('');
        const out = removePersonRows({
          kind: 'rsc',
          bytes: utf8(file),
          personIds: ['P1'],
          emails: ['Ann@Example.org'],
        });
        expect(out.text).toBe(header + lines.filter((_, i) => !theirs[i]).join(''));
        expect(out.removed).toHaveLength(theirs.filter(Boolean).length);
        const kept = await accepted('rsc', out.text);
        const all = await accepted('rsc', file);
        const mentionsPerson = (r: InputRecord) =>
          Object.values(r.record).some((v) => typeof v === 'string' && isPerson(v));
        expect(kept).toEqual(all.filter((r) => !mentionsPerson(r)));
      }),
      { numRuns: 200 },
    );
  });
});
