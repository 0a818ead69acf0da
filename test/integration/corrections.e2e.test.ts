/**
 * An administrator's corrections, end to end (docs/operations.md, "Correct, withdraw, erase"):
 * five files go up with mistakes, the jobs run, the administrator uploads corrected versions under
 * the same names and deletes a file that went to the wrong folder, the jobs run again, and every
 * output is what a fresh run on the corrected files gives. The files look like exports from a
 * spreadsheet: a BOM, Title Case headers, CR LF line ends, quoted cells, US dates.
 *
 * The people, as of 2026-11-30 (the renewal cycle ends 2026-12-31; the RSC window for applicants
 * opens 2024-11-30):
 *   WI-1001 Maria Gonzalez-Ruiz  IFA applicant; a copy of last year's export (wrong folder) names her
 *                                with her old name and a lapsed membership, and sorts after the
 *                                current file, so while it is there she is not eligible
 *   WI-1002 Aisha Khan           IFA applicant typed as WI-1O02 (letter O) in the first version
 *   WI-1003 Jordan Reyes         IFA applicant the first roster lists at the 30-hour series he did not
 *                                attend: wrongly eligible until the roster is corrected
 *   WI-1004 Sam Olsen            ECFA applicant who completed the series; the first roster says "N"
 *   WI-1099 Tom Becker           in the first applicants file by mistake (not an applicant)
 *   WI-1050 Rosa Delgado         only in last year's export (withdrew her application)
 *   WI-2001 Priya Shah           IFS endorsee; the first RSC log has 12 hours for a 1.5-hour session
 *   WI-2002 Lee Vang             ECFA endorsee linked by email on the roster; the first endorsements
 *                                file has her membership expiring before the renewal is due
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobs } from '#local/jobs.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import { csvRecords } from '../support/csv.js';
import { ADMIN_EXPORTS, type RunOutputs, readObject, readOutputs } from '../support/outputs.js';
import { shareSecret, startTestStack, type TestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';

/** A spreadsheet export: BOM, CR LF, a last line end. */
const excel = (...lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

const APPLICANTS_HEADER =
  'Person ID,First Name,Last Name,Email,Category,Status,Application Date,Education,Work Experience Months,Exam Passed,References,Code of Ethics Signed,Membership Expires On,Race Ethnicity,Primary Language,Gender,County,Sector,Employer';
const MARIA =
  'WI-1001,Maria,Gonzalez-Ruiz,maria.gonzalez@example.org,Infant Family Associate,submitted,2026-03-02,cda,30,,3,yes,2027-06-30,Hispanic or Latino,Spanish,Female,Milwaukee County,Early care and education,"Sunshine Child Care, Inc."';
const JORDAN =
  'WI-1003,Jordan,Reyes,jordan.reyes@example.org,IFA,under review,4/20/2026,associate,26,,3,yes,2027-06-30,White,English,Male,Dane,Home visiting,Dane County Birth to 3';
const SAM =
  'WI-1004,Sam,Olsen,sam.olsen@example.org,ECFA,submitted,5/1/2026,cda,40,,3,yes,2027-06-30,White,English,,Brown,Early care and education,"Olsen Family Child Care"';
const aisha = (id: string) =>
  `${id},Aisha,Khan,aisha.khan@example.org,IFA,submitted,2026-02-14,bachelor,24,,3,Y,2027-03-31,Asian,Somali,Female,55079,Mental health,Milwaukee Health Services`;

const ROSTER_HEADER =
  'Training ID,Training Title,Training Date,Hours,Competencies,DEI,RSC Topic,Provider,Person ID,Email,First Name,Last Name,Completed';
const FOUNDATIONS =
  'T-2026-FND,"Foundations of Infant Mental Health, Series A",2/10/2026,30,1A.1;1B.2;1C.1,No,No,"Statewide Training Collaborative"';
const EQUITY = 'T-2026-EQ,"Equity in Early Childhood, Part 1",3/14/2026,3,1E.1;1F.4,Yes,No,Wisconsin Alliance';
const REFLECTIVE =
  'T-2026-RP,Reflective Practice in Home Visiting,2026-09-15,6,1D.2,No,Yes,"Marathon County Health Dept."';

const RSC_HEADER = 'Person ID,Session Date,Hours,Provider Name,Provider Category,Format';
const rscLog = (july: string) =>
  excel(
    RSC_HEADER,
    'WI-2001,2026-03-10,1.5,"Dana Roberts, LCSW",IMHM-C,Individual',
    'WI-2001,2026-05-12,1.5,"Dana Roberts, LCSW",IMHM-C,Individual',
    `WI-2001,2026-07-14,${july},"Dana Roberts, LCSW",IMHM-C,Individual (virtual)`,
    'WI-2001,9/15/2026,1.5,"Dana Roberts, LCSW",IMHM-C,Group',
  );

const ENDORSEMENTS_HEADER =
  'Person ID,Category,Endorsed On,Membership Expires On,First Name,Last Name,Email,County,Race Ethnicity,Primary Language,Gender,Sector';
const endorsements = (leeMembership: string) =>
  excel(
    ENDORSEMENTS_HEADER,
    'WI-2001,Infant Family Specialist,2025-04-15,2027-06-30,Priya,Shah,priya.shah@example.org,Dane,Asian,English,Female,Mental health',
    `WI-2002,ECFA,9/15/2025,${leeMembership},Lee,Vang,lee.vang@example.org,Marathon,Asian,Hmong,Female,Early care and education`,
  );

const KEYS = {
  applicants: 'applicants/applicants-2026-fall.csv',
  roster: 'rosters/spring-trainings.csv',
  rsc: 'rsc/supervision-log.csv',
  endorsements: 'endorsements/current-endorsees.csv',
  /** Last year's export, uploaded to a folder of its own by mistake. */
  mistaken: 'applicants/old/applicants-2025.csv',
} as const;

/** The first versions, each with its mistake. */
const FIRST: Record<string, string> = {
  [KEYS.applicants]: excel(
    APPLICANTS_HEADER,
    MARIA,
    aisha('WI-1O02'),
    JORDAN,
    SAM,
    'WI-1099,Tom,Becker,tom.becker@example.org,IFA,,2026-06-01,cda,12,,3,yes,2027-06-30,White,English,Male,Dane,Other,Association office',
  ),
  [KEYS.roster]: excel(
    ROSTER_HEADER,
    `${FOUNDATIONS},WI-1001,,Maria,Gonzalez-Ruiz,Y`,
    `${FOUNDATIONS},WI-1002,,Aisha,Khan,Y`,
    `${FOUNDATIONS},WI-1003,,Jordan,Reyes,Y`,
    `${FOUNDATIONS},WI-1004,,Sam,Olsen,N`,
    `${FOUNDATIONS},WI-2001,,Priya,Shah,Y`,
    `${FOUNDATIONS},,"  Lee.Vang@Example.org ",Lee,Vang,Y`,
    `${EQUITY},WI-1001,,Maria,Gonzalez-Ruiz,Y`,
    `${EQUITY},WI-2001,,Priya,Shah,Y`,
    `${EQUITY},WI-2002,,Lee,Vang,Y`,
    `${REFLECTIVE},WI-1003,,Jordan,Reyes,Y`,
  ),
  [KEYS.rsc]: rscLog('12'),
  [KEYS.endorsements]: endorsements('6/30/2026'),
  [KEYS.mistaken]: excel(
    APPLICANTS_HEADER,
    'WI-1001,Maria,Gonzalez,maria.gonzalez@example.org,IFA,submitted,2025-03-02,cda,18,,3,yes,2025-12-31,Hispanic or Latino,Spanish,Female,Milwaukee,Early care and education,"Sunshine Child Care, Inc."',
    'WI-1050,Rosa,Delgado,rosa.delgado@example.org,ECFA,withdrawn,2025-05-20,hs,30,,2,yes,2026-05-31,Hispanic or Latino,Spanish,Female,Racine,Early care and education,Racine Head Start',
  ),
};

/** The corrected versions, uploaded under the same names (the mistaken file is deleted instead). */
const CORRECTED: Record<string, string> = {
  // Aisha's id typed right; Tom gone.
  [KEYS.applicants]: excel(APPLICANTS_HEADER, MARIA, aisha('WI-1002'), JORDAN, SAM),
  // Jordan's row for the series gone; Sam completed it.
  [KEYS.roster]: excel(
    ROSTER_HEADER,
    `${FOUNDATIONS},WI-1001,,Maria,Gonzalez-Ruiz,Y`,
    `${FOUNDATIONS},WI-1002,,Aisha,Khan,Y`,
    `${FOUNDATIONS},WI-1004,,Sam,Olsen,Y`,
    `${FOUNDATIONS},WI-2001,,Priya,Shah,Y`,
    `${FOUNDATIONS},,"  Lee.Vang@Example.org ",Lee,Vang,Y`,
    `${EQUITY},WI-1001,,Maria,Gonzalez-Ruiz,Y`,
    `${EQUITY},WI-2001,,Priya,Shah,Y`,
    `${EQUITY},WI-2002,,Lee,Vang,Y`,
    `${REFLECTIVE},WI-1003,,Jordan,Reyes,Y`,
  ),
  // The July session lasted 1.5 hours.
  [KEYS.rsc]: rscLog('1.5'),
  // Lee's membership runs to mid-2027.
  [KEYS.endorsements]: endorsements('6/30/2027'),
};

/** Who must have left no trace: not an applicant after all, and the applicant only the mistaken file named. */
const GONE = [
  { id: 'WI-1099', name: 'Becker', email: 'tom.becker@example.org' },
  { id: 'WI-1050', name: 'Delgado', email: 'rosa.delgado@example.org' },
  { id: 'WI-1O02', name: 'WI-1O02', email: 'WI-1O02' },
];

const byPerson = (text: unknown) => Object.fromEntries(csvRecords(text).map((r) => [r.person_id, r]));

let stack: TestStack;
let fresh: TestStack;
let before: RunOutputs;
let after: RunOutputs;
let expected: RunOutputs;
let corrections: IngestOutcome[];
let withdrawal: IngestOutcome[];

beforeAll(async () => {
  [stack, fresh] = await Promise.all([startTestStack(), startTestStack()]);
  // One deployment: the fresh run draws the release noise with the same key.
  shareSecret(stack, fresh);
  // The first versions, and the jobs on them.
  await stack.ingest(FIRST);
  await runJobs(stack, AS_OF);
  before = await readOutputs(stack);
  // The corrections: new versions under the same names, and the misplaced file deleted.
  corrections = await stack.ingest(CORRECTED);
  withdrawal = await stack.withdraw([KEYS.mistaken]);
  await runJobs(stack, AS_OF);
  after = await readOutputs(stack);
  // What a fresh run on the corrected files alone gives, the files arriving in another order.
  await fresh.ingest(Object.fromEntries(Object.entries(CORRECTED).reverse()));
  await runJobs(fresh, AS_OF);
  expected = await readOutputs(fresh);
}, 120_000);

afterAll(async () => {
  await Promise.all([stack?.destroy(), fresh?.destroy()]);
});

describe('the first versions, with their mistakes', () => {
  it('gave the results the mistakes imply (so the corrections below change something)', () => {
    const eligibility = byPerson(before.admin['admin/eligibility.csv']);
    expect(Object.keys(eligibility).sort()).toEqual(['WI-1001', 'WI-1003', 'WI-1004', 'WI-1050', 'WI-1099', 'WI-1O02']);
    expect(eligibility['WI-1003']).toMatchObject({ eligible: 'true', training_hours: '36' });
    expect(eligibility['WI-1004']).toMatchObject({ eligible: 'false', training_hours: '0' });
    // Last year's export sorts after this year's file, so its details of Maria counted.
    expect(eligibility['WI-1001']).toMatchObject({ last_name: 'Gonzalez', eligible: 'false', gaps: 'membership' });
    const renewals = byPerson(before.admin['admin/renewals.csv']);
    expect(renewals['WI-2001']).toMatchObject({ status: 'compliant', rsc_hours: '16.5' });
    expect(renewals['WI-2002']?.status).not.toBe('compliant');
  });
});

describe('after the corrections', () => {
  it('every output equals that of a fresh run on the corrected files', () => {
    expect(after.admin).toEqual(expected.admin);
    expect(after.reports).toEqual(expected.reports);
    expect(after.items).toEqual(expected.items);
  });

  it('the person who was wrongly eligible is not eligible now, and the others are judged on the corrected rows', () => {
    const eligibility = byPerson(after.admin['admin/eligibility.csv']);
    expect(Object.keys(eligibility).sort()).toEqual(['WI-1001', 'WI-1002', 'WI-1003', 'WI-1004']);
    // Jordan keeps only the 6-hour training he did attend.
    expect(eligibility['WI-1003']).toMatchObject({ eligible: 'false', gaps: 'training_hours', training_hours: '6' });
    // Aisha's roster row reaches her now that her id is typed right.
    expect(eligibility['WI-1002']).toMatchObject({ first_name: 'Aisha', eligible: 'true', training_hours: '30' });
    // Sam's completed series counts.
    expect(eligibility['WI-1004']).toMatchObject({ eligible: 'true', training_hours: '30' });
    // Maria is judged on this year's file alone.
    expect(eligibility['WI-1001']).toMatchObject({ last_name: 'Gonzalez-Ruiz', eligible: 'true', gaps: '' });
  });

  it('counts the corrected RSC hours, and the corrected membership', () => {
    const renewals = byPerson(after.admin['admin/renewals.csv']);
    // 1.5 + 1.5 + 1.5 + 1.5, not 1.5 + 1.5 + 12 + 1.5: 6 of the 12 hours due by 2026-12-31.
    expect(renewals['WI-2001']).toMatchObject({ status: 'at_risk', rsc_hours: '6', rsc_hours_needed: '12' });
    const outreach = byPerson(after.admin['admin/outreach.csv']);
    expect(outreach['WI-2001']?.missing).toBe('needs 6 more hours of RSC received');
    // Lee, linked by the email on the roster: the series and the DEI training, membership current.
    expect(renewals['WI-2002']).toMatchObject({ status: 'compliant', ce_hours: '33', dei_hours: '3' });
    expect(outreach['WI-2002']).toBeUndefined();
  });

  it('the withdrawn applicant, the one listed by mistake and the mistyped id appear in no export and no item', async () => {
    // Every admin export and report (CSVs, report.json, report.html, both manifests).
    const published = `${JSON.stringify(after.admin)}\n${JSON.stringify(after.reports)}`;
    expect(Object.keys(after.admin)).toEqual([...ADMIN_EXPORTS, 'admin/manifest.json']);
    for (const who of GONE) {
      for (const text of [who.id, who.name, who.email]) expect(published).not.toContain(text);
      expect(await stack.partition(`PERSON#${who.id}`)).toEqual([]);
    }
    expect(after.items.filter((i) => GONE.some((who) => JSON.stringify(i).includes(who.id)))).toEqual([]);
  });

  it('the receipts record what each replacement forgot and the withdrawal, with counts', async () => {
    const replaced = Object.fromEntries(corrections.map((o) => [o.receiptKey, o.receipt.replaced]));
    expect(replaced).toEqual({
      // Tom's row and the row under the mistyped id.
      [`receipts/${KEYS.applicants}.json`]: { forgotten: 2 },
      // Jordan's attendance, and Sam's attendance recorded as not completed.
      [`receipts/${KEYS.roster}.json`]: { forgotten: 2 },
      // The 12-hour session.
      [`receipts/${KEYS.rsc}.json`]: { forgotten: 1 },
      // Both endorsees are still there, rewritten.
      [`receipts/${KEYS.endorsements}.json`]: { forgotten: 0 },
    });
    expect(withdrawal).toMatchObject([{ change: 'withdrawn', forgotten: 2 }]);

    // As the administrator reads them in the bucket.
    const receipt = async (key: string) =>
      JSON.parse((await readObject(stack, stack.uploadsBucket, `receipts/${key}.json`)) ?? 'null');
    expect(await receipt(KEYS.applicants)).toMatchObject({ accepted: 4, rejected: 0, replaced: { forgotten: 2 } });
    expect(await receipt(KEYS.roster)).toMatchObject({ accepted: 9, rejected: 0, replaced: { forgotten: 2 } });
    expect(await receipt(KEYS.rsc)).toMatchObject({ accepted: 4, replaced: { forgotten: 1 } });
    const withdrawn = await receipt(KEYS.mistaken);
    expect(withdrawn).toMatchObject({
      file: 'old/applicants-2025.csv',
      accepted: 2,
      withdrawn: { at: expect.any(String), forgotten: 2 },
    });
    expect(withdrawn.replaced).toBeUndefined();
  });

  it('the manifests list the corrected files only', () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    // The administrators' manifest names each upload, with its counts.
    const admin = after.admin['admin/manifest.json'] as { inputs: { name: string; accepted: number }[] };
    expect(admin.inputs).toEqual(
      Object.entries(CORRECTED)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, body]) => expect.objectContaining({ name, sha256: sha256(body) })),
    );
    // The policymakers' manifest names the inputs by checksum alone.
    const published = after.reports['latest/manifest.json'] as { inputs: { sha256: string }[] };
    expect(published.inputs.map((i) => i.sha256).sort()).toEqual(Object.values(CORRECTED).map(sha256).sort());
  });
});
