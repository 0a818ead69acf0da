import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { makeReportsHandler } from '#functions/reports/reports-handler.js';
import { s3CreatedEvent } from '#local/s3-events.js';
import { type PublishSummary, publishReports, REPORT_FILES } from '#services/publish-reports.js';
import { isExcelSafe, parseCsv } from '../support/csv.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * A tiny population designed so that some cells are published, some are suppressed as small
 * (1 to 10) and some only to protect another (complementary suppression). As of 2026-06-30.
 *
 * Applicants (61; eligible ones attended a 30-hour training):
 *   A ×15  IFA   Dane       White                      English  Head Start   eligible
 *   B ×12  IFA   Dane       Black or African American  English  =Child Care  not eligible
 *   C ×3   IFA   Wood       Asian                      Spanish  =Child Care  eligible
 *   D ×20  ECFA  Milwaukee  White                      English  Head Start   not eligible
 *   E ×11  ECFA  Milwaukee  Asian                      Spanish  Head Start   eligible
 * Endorsees (47):
 *   X ×12  IFA   10 Dane, 2 Wood  White             English  Head Start   endorsed 2026-02-01: exempt
 *   Y ×13  ECFA  Milwaukee        Hispanic or Latino (none)  =Child Care  endorsed 2025-03-01, no hours: in_progress
 *   W ×11  IFA   Milwaukee        White;Black        English  Head Start   endorsed 2025-03-01, 16 DEI hours: compliant
 *   Z ×11  IFA   8 Dane, 3 Wood   Asian             English  Head Start   endorsed 2024-03-01, no hours in 2025: lapsed
 */
const AS_OF = '2026-06-30';

interface Person {
  id: string;
  first: string;
  last: string;
  email: string;
}

const LETTERS = 'bcdfghjklmnpqrstvwxz';
/** A made-up word no report text contains by chance, so the PII scan cannot pass or fail by accident. */
const word = (prefix: string, i: number): string => `${prefix}${LETTERS[Math.floor(i / 20) % 20]}o${LETTERS[i % 20]}ix`;

const everyone: Person[] = [];
function person(kind: 'A' | 'E'): Person {
  const i = everyone.length;
  const p = {
    id: `WI-${kind}-${String(i + 1).padStart(4, '0')}`,
    first: word('Qu', i),
    last: word('Zy', i + 7),
    email: `${word('m', i)}.${word('v', i)}@example.org`,
  };
  everyone.push(p);
  return p;
}

const applicantRows: string[] = [
  'person_id,first_name,last_name,email,category,education,work_experience_months,references,code_of_ethics_signed,membership_expires_on,race_ethnicity,primary_language,county,sector',
];
const endorsementRows: string[] = [
  'person_id,category,endorsed_on,membership_expires_on,first_name,last_name,email,county,race_ethnicity,primary_language,sector',
];
const rosterRows: string[] = ['training_id,training_title,training_date,hours,dei,person_id,email,completed'];

function applicants(
  n: number,
  category: string,
  county: string,
  race: string,
  lang: string,
  sector: string,
  eligible: boolean,
) {
  for (let i = 0; i < n; i++) {
    const p = person('A');
    applicantRows.push(
      [
        p.id,
        p.first,
        p.last,
        p.email,
        category,
        'bachelor',
        30,
        3,
        'yes',
        '2027-06-30',
        race,
        lang,
        county,
        sector,
      ].join(','),
    );
    if (eligible) rosterRows.push(['T-INIT', 'Foundations', '2026-01-15', 30, 'no', p.id, '', 'yes'].join(','));
  }
}

function endorsees(
  n: number,
  category: string,
  endorsedOn: string,
  county: string,
  race: string,
  lang: string,
  sector: string,
  hours = false,
) {
  for (let i = 0; i < n; i++) {
    const p = person('E');
    endorsementRows.push(
      [p.id, category, endorsedOn, '2027-01-31', p.first, p.last, p.email, county, `"${race}"`, lang, sector].join(','),
    );
    // Listed by email only, to check that emails in rosters stay out of the reports too.
    if (hours)
      rosterRows.push(['T-RENEW', 'Equity in practice', '2026-02-10', 16, 'yes', '', p.email, 'yes'].join(','));
  }
}

applicants(15, 'IFA', 'Dane', 'White', 'English', 'Head Start', true);
applicants(12, 'IFA', '55025', 'Black or African American', 'English', '=Child Care', false);
applicants(3, 'IFA', 'Wood County', 'Asian', 'SPANISH', '=Child Care', true);
applicants(20, 'ECFA', '55079', 'White', 'English', 'Head Start', false);
applicants(11, 'ECFA', 'Milwaukee', 'Asian', 'Spanish', 'Head Start', true);
endorsees(10, 'IFA', '2026-02-01', 'Dane', 'White', 'English', 'Head Start');
endorsees(2, 'IFA', '2026-02-01', 'Wood', 'White', 'English', 'Head Start');
endorsees(13, 'ECFA', '2025-03-01', 'Milwaukee', 'Hispanic or Latino', '', '=Child Care');
endorsees(11, 'IFA', '2025-03-01', 'Milwaukee', 'White;Black or African American', 'English', 'Head Start', true);
endorsees(8, 'IFA', '2024-03-01', 'Dane', 'Asian', 'English', 'Head Start');
endorsees(3, 'IFA', '2024-03-01', 'Wood', 'Asian', 'English', 'Head Start');

const INPUTS: Record<string, string> = {
  'applicants/applicants.csv': applicantRows.join('\r\n'),
  'endorsements/endorsements.csv': endorsementRows.join('\r\n'),
  'rosters/rosters.csv': rosterRows.join('\n'),
};

/** The hand-computed workforce cells that are not 0 (every other group of the contract's dimensions is 0). */
const WORKFORCE: Record<string, string> = {
  // endorsed (not lapsed): 36, all associates; Milwaukee is the Southeastern region's only county with people.
  'total|All|endorsed': '36',
  'tier|associate|endorsed': '36',
  'region|Southeastern|endorsed': '24',
  'region|Southern|endorsed': 'suppressed', // Dane's 10
  'region|Northern|endorsed': 'suppressed', // Wood's 2
  'category|IFA|endorsed': '23',
  'category|ECFA|endorsed': '13',
  'county|55025|endorsed': 'suppressed', // 10: small
  'county|55141|endorsed': 'suppressed', // 2: small
  'county|55079|endorsed': '24',
  'race_ethnicity|White|endorsed': '12',
  'race_ethnicity|Hispanic or Latino|endorsed': '13',
  'race_ethnicity|Multiracial and/or Multiethnic|endorsed': '11',
  'primary_language|English|endorsed': '23',
  'primary_language|Not reported|endorsed': '13',
  'sector|Head Start|endorsed': '23',
  "sector|'=Child Care|endorsed": '13',
  // applicants: 61, all with a bachelor's degree
  'total|All|applicants': '61',
  'tier|associate|applicants': '61',
  'region|Southeastern|applicants': '31',
  'region|Southern|applicants': 'suppressed', // Dane's 27, complement of Wood's 3
  'region|Northern|applicants': 'suppressed', // Wood's 3
  'education|bachelor|applicants': '61',
  'category|IFA|applicants': '30',
  'category|ECFA|applicants': '31',
  'county|55025|applicants': 'suppressed', // 27: hides Wood's 3
  'county|55141|applicants': 'suppressed', // 3: small
  'county|55079|applicants': '31',
  'race_ethnicity|White|applicants': '35',
  'race_ethnicity|Black or African American|applicants': '12',
  'race_ethnicity|Asian|applicants': '14',
  'primary_language|English|applicants': '47',
  'primary_language|Spanish|applicants': '14',
  'sector|Head Start|applicants': '46',
  "sector|'=Child Care|applicants": '15',
};

/**
 * Hand-computed disparity rows with applicants (columns applicants … suppressed, then assessment).
 * Every group is compared with the rest of its breakdown; none is tested here: each rate either
 * fails the NCHS reliability standard (fewer than 30 applicants, or a Clopper–Pearson interval
 * 0.30 wide or more), is withheld, or has an unreliable rest.
 */
const DISPARITY: Record<string, string[]> = {
  // Statewide 29/61; tier, category and education are context, shown without a comparison.
  'total|All': ['61', '29', '0.4754', '0.3553', '0.5984', '', '', '', 'true', 'false', 'context'],
  'tier|associate': ['61', '29', '0.4754', '0.3553', '0.5984', '', '', '', 'true', 'false', 'context'],
  // IFA 18/30 and ECFA 11/31: intervals about 0.36 wide, so unreliable.
  'category|IFA': ['30', '18', '0.6', '0.4232', '0.7541', '', '', '', 'false', 'false', 'context'],
  'category|ECFA': ['31', '11', '0.3548', '0.2112', '0.5305', '', '', '', 'false', 'false', 'context'],
  'education|bachelor': ['61', '29', '0.4754', '0.3553', '0.5984', '', '', '', 'true', 'false', 'context'],
  // Dane and Wood withhold their applicants (and their regions with them), and so everything else.
  'region|Northern': ['', '', '', '', '', '', '', '', '', 'true', 'withheld'],
  'region|Southern': ['', '', '', '', '', '', '', '', '', 'true', 'withheld'],
  'region|Southeastern': ['31', '11', '0.3548', '0.2112', '0.5305', '', '', '', 'false', 'false', 'unreliable'],
  'county|55025': ['', '', '', '', '', '', '', '', '', 'true', 'withheld'],
  'county|55141': ['', '', '', '', '', '', '', '', '', 'true', 'withheld'],
  'county|55079': ['31', '11', '0.3548', '0.2112', '0.5305', '', '', '', 'false', 'false', 'unreliable'],
  // White 15/35 (interval 0.34 wide); Black 0/12 and Asian 14/14 are under 30 applicants.
  'race_ethnicity|White': ['35', '15', '0.4286', '0.2798', '0.5914', '', '', '', 'false', 'false', 'unreliable'],
  'race_ethnicity|Black or African American': [
    '12',
    '0',
    '0',
    '0',
    '0.2425',
    '',
    '',
    '',
    'false',
    'false',
    'unreliable',
  ],
  'race_ethnicity|Asian': ['14', '14', '1', '0.7847', '1', '', '', '', 'false', 'false', 'unreliable'],
  // English 15/47 is reliable, but its rest (Spanish, 14 applicants) is not.
  'primary_language|English': [
    '47',
    '15',
    '0.3191',
    '0.204',
    '0.4617',
    '',
    '',
    '',
    'true',
    'false',
    'reference_unreliable',
  ],
  'primary_language|Spanish': ['14', '14', '1', '0.7847', '1', '', '', '', 'false', 'false', 'unreliable'],
  // =Child Care has 3 eligible: both sectors withhold eligible (applicants stay published).
  'sector|Head Start': ['46', '', '', '', '', '', '', '', '', 'true', 'withheld'],
  "sector|'=Child Care": ['15', '', '', '', '', '', '', '', '', 'true', 'withheld'],
};

/** Hand-computed compliance cells that are not 0. */
const COMPLIANCE: Record<string, string> = {
  // Statewide, and the one tier: every status count is 0 or at least 11.
  ...Object.fromEntries(
    ['total|All', 'tier|associate'].flatMap((g) => [
      [`${g}|compliant`, '11'],
      [`${g}|in_progress`, '13'],
      [`${g}|lapsed`, '11'],
      [`${g}|exempt`, '12'],
      [`${g}|on_track`, '23'],
      [`${g}|not_yet`, '13'],
    ]),
  ),
  'category|IFA|compliant': '11',
  'category|IFA|lapsed': '11',
  'category|IFA|exempt': '12',
  'category|IFA|on_track': '23',
  'category|ECFA|in_progress': '13',
  'category|ECFA|not_yet': '13',
  // Milwaukee (the Southeastern region's only county with people) publishes every status.
  ...Object.fromEntries(
    ['region|Southeastern', 'county|55079'].flatMap((g) => [
      [`${g}|compliant`, '11'],
      [`${g}|in_progress`, '13'],
      [`${g}|on_track`, '11'],
      [`${g}|not_yet`, '13'],
    ]),
  ),
  // Dane and Wood (withheld in the workforce report: 10 and 2 endorsed) withhold the cells that
  // would add up to those counts, and their lapsed (split 11 between them); their zeros stay.
  ...Object.fromEntries(
    ['region|Southern', 'region|Northern', 'county|55025', 'county|55141'].flatMap((g) =>
      ['lapsed', 'exempt', 'on_track'].map((s) => [`${g}|${s}`, 'suppressed']),
    ),
  ),
};

let stack: TestStack;
let published: PublishSummary;
const objects = new Map<string, string>();

async function readAll(bucket: string): Promise<Map<string, string>> {
  const out = await stack.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const all = new Map<string, string>();
  for (const o of out.Contents ?? []) {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
    all.set(o.Key as string, (await got.Body?.transformToString('utf-8')) ?? '');
  }
  return all;
}

const records = (key: string) => (parseCsv(objects.get(key) ?? '') as string[][]).slice(1);

beforeAll(async () => {
  stack = await startTestStack();
  const outcomes = await stack.ingest(INPUTS);
  expect(outcomes.map((o) => o.receipt.rejected)).toEqual([0, 0, 0]);
  published = await publishReports(
    { ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket },
    AS_OF,
    // Exact counts (maxNoise 0), to compare with the hand-computed tables; release noise has its own tests.
    { now: new Date('2026-06-30T12:00:00Z'), rule: { ...defaultPublishingRule(), maxNoise: 0 } },
  );
  for (const [k, v] of await readAll(stack.reportsBucket)) objects.set(k, v);
});

afterAll(async () => {
  await stack?.destroy();
});

describe('publishing the reports from ingested CSV files', () => {
  it('writes every report file but report.pdf (no PDF renderer given) under the dated prefix and the same bytes under latest/', () => {
    const dated = REPORT_FILES.map((f) => `reports/${AS_OF}/${f}`);
    const latest = REPORT_FILES.map((f) => `latest/${f}`);
    expect([...objects.keys()].sort()).toEqual([...dated, ...latest, 'index.html'].sort());
    expect(published.keys).toEqual([...dated, ...latest]);
    for (const f of REPORT_FILES) expect(objects.get(`latest/${f}`)).toBe(objects.get(`reports/${AS_OF}/${f}`));
  });

  it('counts endorsees (lapsed left out) and applicants exactly as the hand-computed table', () => {
    const rows = records(`reports/${AS_OF}/workforce.csv`);
    const cells = new Map(rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, r[4] === 'true' ? 'suppressed' : r[3]]));
    for (const [k, v] of Object.entries(WORKFORCE)) expect([k, cells.get(k)]).toEqual([k, v]);
    const others = [...cells].filter(([k]) => !(k in WORKFORCE));
    expect(others.filter(([, v]) => v !== '0')).toEqual([]);
    // Every county present, in both populations, and nothing "Not reported" (every row named one).
    for (const population of ['endorsed', 'applicants']) {
      expect(rows.filter((r) => r[0] === 'county' && r[2] === population)).toHaveLength(72);
    }
    expect(published.summary.totals).toEqual({ endorsed: 36, applicants: 61, eligible: 29 });
  });

  it('computes rates, intervals, ratios and flags as the hand-computed table, withholding what it must', () => {
    const rows = records(`reports/${AS_OF}/disparity.csv`);
    const byGroup = new Map(rows.map((r) => [`${r[0]}|${r[1]}`, [...r.slice(2, 12), r[13] ?? '']]));
    for (const [k, v] of Object.entries(DISPARITY)) expect([k, byGroup.get(k)]).toEqual([k, v]);
    const others = [...byGroup].filter(([k]) => !(k in DISPARITY));
    for (const [k, v] of others) {
      const assessment = /^(tier|category|education)\|/.test(k) ? 'context' : 'no_applicants';
      expect([k, v]).toEqual([k, ['0', '0', '', '', '', '', '', '', '', 'false', assessment]]);
    }
  });

  it('counts renewal statuses by tier, category, region and county, withholding cells rather than rows', () => {
    const rows = records(`reports/${AS_OF}/compliance.csv`);
    const cells = new Map(rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, r[4] === 'true' ? 'suppressed' : r[3]]));
    for (const [k, v] of Object.entries(COMPLIANCE)) expect([k, cells.get(k)]).toEqual([k, v]);
    expect([...cells].filter(([k, v]) => !(k in COMPLIANCE) && v !== '0')).toEqual([]);
    expect(rows.filter((r) => r[0] === 'county')).toHaveLength(72 * 7);
  });

  it('publishes no count from 1 to 10 in any file', () => {
    for (const [key, text] of objects) {
      if (!key.endsWith('.csv')) continue;
      const [header, ...rows] = parseCsv(text) as string[][];
      const countColumns = (header ?? []).flatMap((h, i) =>
        ['count', 'applicants', 'eligible'].includes(h) ? [i] : [],
      );
      for (const r of rows) {
        for (const i of countColumns) {
          const n = Number(r[i]);
          expect([key, r[i] !== '' && n >= 1 && n <= 10]).toEqual([key, false]);
        }
      }
    }
    const report = JSON.parse(objects.get('latest/report.json') ?? '{}');
    const counts = [
      ...report.workforce.map((r: { count: number | null }) => r.count),
      ...report.compliance.map((r: { count: number | null }) => r.count),
      ...report.disparity.flatMap((r: { applicants: number | null; eligible: number | null }) => [
        r.applicants,
        r.eligible,
      ]),
    ];
    expect(counts.filter((n) => n !== null && n >= 1 && n <= 10)).toEqual([]);
  });

  it('holds no name, email or person id of the input anywhere in the reports bucket', () => {
    expect(everyone).toHaveLength(108);
    for (const [key, text] of objects) {
      const lower = text.toLowerCase();
      const found = everyone.flatMap((p) =>
        [p.id, p.first, p.last, p.email].filter((s) => lower.includes(s.toLowerCase())),
      );
      expect([key, found]).toEqual([key, []]);
    }
  });

  it('writes CSVs that open cleanly in Excel: UTF-8 BOM and no cell that starts a formula', () => {
    const csvs = [...objects].filter(([k]) => k.endsWith('.csv'));
    expect(csvs).toHaveLength(8);
    for (const [key, text] of csvs) {
      expect([key, text.startsWith('\uFEFF'), isExcelSafe(text)]).toEqual([key, true, true]);
    }
  });

  it('names every input by kind and checksum (no upload name), the ruleset and the suppression rule in the manifest', () => {
    const manifest = JSON.parse(objects.get(`reports/${AS_OF}/manifest.json`) ?? '{}');
    const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
    expect(manifest.asOf).toBe(AS_OF);
    expect(manifest.generatedAt).toBe('2026-06-30T12:00:00.000Z');
    const kindOf = (name: string) => name.split('/')[0];
    expect(manifest.inputs).toEqual(
      Object.keys(INPUTS)
        .map((name) => ({ kind: kindOf(name), sha256: sha(INPUTS[name] ?? '') }))
        .sort((a, b) => (`${a.kind} ${a.sha256}` < `${b.kind} ${b.sha256}` ? -1 : 1)),
    );
    // A file's name can carry a person's name, and its row counts are counts of people: both stay
    // with the administrators (receipts, admin/manifest.json).
    for (const name of Object.keys(INPUTS)) expect(JSON.stringify(manifest)).not.toContain(name);
    expect(manifest.ruleset).toEqual({
      id: 'default-2024',
      version: '2024.1',
      association: 'default',
      effectiveFrom: '2024-01-01',
    });
    expect(manifest.suppression).toMatchObject({ id: 'default', version: '2026.1', minPublishedCount: 11 });
    expect(manifest.software).toEqual({ name: 'iecmh-endorsement-pipeline', version: expect.any(String) });
    for (const f of manifest.files) expect(sha(objects.get(`reports/${AS_OF}/${f.name}`) ?? '')).toBe(f.sha256);
  });

  it('puts the same numbers in report.json and a self-contained report.html', () => {
    const report = JSON.parse(objects.get('latest/report.json') ?? '{}');
    expect(report.summary.totals).toEqual({ endorsed: 36, applicants: 61, eligible: 29 });
    expect(report.workforce).toContainEqual(
      expect.objectContaining({ dimension: 'county', group: '55079', population: 'applicants', count: 31 }),
    );
    const html = objects.get('latest/report.html') ?? '';
    expect(html).toContain(
      'As of 2026-06-30, 36 people hold an endorsement that has not lapsed, and 61 people have applied.',
    );
    expect(html).not.toMatch(/https?:\/\/|<script|<link|<img/i);
  });

  it('reports how long reading, building and writing took', () => {
    expect(published.seconds.read).toBeGreaterThan(0);
    expect(published.seconds.build).toBeGreaterThan(0);
    expect(published.seconds.write).toBeGreaterThan(0);
    expect(published.people).toEqual({ applicants: 61, endorsees: 47, lapsed: 11 });
  });
});

describe('the reports function', () => {
  const deps = () => ({ ...stack, tableName: stack.tableName, reportsBucket: stack.reportsBucket });
  const runs = async () => {
    const out = await stack.s3.send(
      new ListObjectsV2Command({ Bucket: stack.reportsBucket, Prefix: 'reports/', Delimiter: '/' }),
    );
    return (out.CommonPrefixes ?? []).map((p) => p.Prefix).sort();
  };

  it('publishes as of the date a schedule passes, replacing a rerun on the same date', async () => {
    const handler = makeReportsHandler(deps());
    const first = await handler({ asOf: '2026-05-31' }, {} as never);
    const again = await handler({ asOf: '2026-05-31' }, {} as never);
    expect('prefix' in first && first.prefix).toBe('reports/2026-05-31/');
    expect('prefix' in again && again.prefix).toBe('reports/2026-05-31/');
    expect(await runs()).toEqual(['reports/2026-05-31/', `reports/${AS_OF}/`]);
    const manifest = await stack.s3.send(
      new GetObjectCommand({ Bucket: stack.reportsBucket, Key: 'latest/manifest.json' }),
    );
    // An earlier date published later leaves latest/ at the most recent date (contract: As-of dates).
    expect(JSON.parse((await manifest.Body?.transformToString()) ?? '{}').asOf).toBe(AS_OF);
    expect(first).toMatchObject({ latestUpdated: false, latestAsOf: AS_OF });
  });

  it('publishes as of today in Chicago when the eligibility export is written, and ignores other objects', async () => {
    // 03:00 UTC on 1 July is still 30 June in Chicago.
    const handler = makeReportsHandler(deps(), { now: () => new Date('2026-07-01T03:00:00Z') });
    const other = await handler(
      s3CreatedEvent({ bucket: stack.uploadsBucket, key: 'admin/renewals.csv', size: 1 }),
      {} as never,
    );
    expect(other).toEqual({ skipped: 'the S3 event does not announce admin/eligibility.csv' });
    const result = await handler(
      s3CreatedEvent({ bucket: stack.uploadsBucket, key: 'admin/eligibility.csv', size: 1 }),
      {} as never,
    );
    expect('asOf' in result && result.asOf).toBe('2026-06-30');
  });

  it('waits for the last evaluation of a change: an export written while a refresh message is pending starts nothing', async () => {
    const handler = makeReportsHandler(deps(), { now: () => new Date('2026-07-01T15:00:00Z') });
    const table = dynamoTableStore(stack.ddb, stack.tableName);
    const exportWritten = s3CreatedEvent({ bucket: stack.uploadsBucket, key: 'admin/eligibility.csv', size: 1 });
    await table.notePending('MSG#rosters/spring.csv#v2#1');
    try {
      expect(await handler(exportWritten, {} as never)).toEqual({
        skipped: 'changes are still being evaluated; the last evaluation starts the reports',
      });
      // The schedule never waits: it reads the rows instead.
      expect(await handler({ asOf: '2026-06-30' }, {} as never)).toMatchObject({ read: 'rows' });
    } finally {
      await table.clearPending('MSG#rosters/spring.csv#v2#1');
    }
    expect(await handler(exportWritten, {} as never)).toMatchObject({ asOf: '2026-07-01' });
  });

  it('rejects a schedule payload with a date that is not a date', async () => {
    const handler = makeReportsHandler(deps());
    await expect(handler({ asOf: '2026-02-30' }, {} as never)).rejects.toThrow();
  });
});
