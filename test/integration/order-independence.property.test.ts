/**
 * Order and history never matter (docs/operations.md, "Correct, withdraw, erase"): after any
 * sequence of uploads, replacements and withdrawals, every output equals that of a fresh run on
 * the sources that are current, as of the same date.
 *
 * Each run applies a sequence of operations to one stack: a first version of each kind of file
 * (0 to 8 rows about five people; the training calendar's about the rosters' trainings, with its
 * own titles, hours and registration links), then two or three random changes: upload a small file
 * under one of nine keys (new, or replacing the version there), correct the file under a key (drop
 * a row, flip a `completed` flag or a registration link, lower hours, fix a mistyped person_id or
 * a calendar's title), copy a file's rows to the other
 * key of its kind (the same facts in two files), or withdraw a key. A fresh stack then receives
 * only the current files, in a shuffled order. After the jobs run on both as of the same date, the
 * table's items (receipts aside, without the version tag `sv`), the admin exports and the reports
 * under `latest/` must be equal.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runJobs } from '#local/jobs.js';
import { csvRecords } from '../support/csv.js';
import { readOutputs } from '../support/outputs.js';
import { shareSecret, startTestStack } from '../support/stack.js';

const AS_OF = '2026-11-30';

// --- the people and trainings the files talk about --------------------------------------------------

interface Person {
  id: string;
  first: string;
  last: string;
  email: string;
}
const PEOPLE: Person[] = [
  { id: 'WI-001', first: 'Ana', last: 'Lopez', email: 'ana.lopez@example.org' },
  { id: 'WI-002', first: 'Ben', last: 'Xiong', email: 'ben.xiong@example.org' },
  { id: 'WI-003', first: 'Cora', last: 'Nguyen', email: 'cora.nguyen@example.org' },
  { id: 'WI-004', first: 'Dev', last: 'Patel', email: 'dev.patel@example.org' },
  { id: 'WI-005', first: 'Eve', last: 'Johnson', email: 'eve.johnson@example.org' },
];
/** A mistyped person_id: a zero typed as the letter O (a person no file otherwise names). */
const mistyped = (id: string) => id.replace('-00', '-0O');

interface Training {
  id: string;
  title: string;
  date: string;
  hours: number;
  competencies: string;
  dei: string;
  rscTopic: string;
}
/**
 * The first training alone gives an associate the 30 hours they need (lowered by 2, it no longer
 * does); the last is after the as-of date.
 */
const TRAININGS: Training[] = [
  {
    id: 'T-2026-01',
    title: 'Foundations of Infant Mental Health (series)',
    date: '2026-02-10',
    hours: 30,
    competencies: '1A.1;1B.2;1C.1',
    dei: 'no',
    rscTopic: 'no',
  },
  {
    id: 'T-2026-02',
    title: 'Equity in Early Childhood, Part 1',
    date: '3/14/2026',
    hours: 3,
    competencies: '1E.1;1F.4',
    dei: 'yes',
    rscTopic: 'no',
  },
  {
    id: 'T-2026-03',
    title: 'Reflective Practice in Home Visiting',
    date: '2026-09-15',
    hours: 9,
    competencies: '1D.2',
    dei: 'no',
    rscTopic: 'yes',
  },
  {
    id: 'T-2027-01',
    title: 'Winter Institute',
    date: '2027-01-12',
    hours: 6,
    competencies: '1C.4',
    dei: 'no',
    rscTopic: 'no',
  },
];

// --- rows and files ---------------------------------------------------------------------------------

interface Who {
  person: number;
  typo: boolean;
}
interface ApplicantRow {
  who: Who;
  lastName: number;
  category: string;
  applicationDate: string;
  education: string;
  workMonths: number;
  references: number;
  ethics: string;
  membership: string;
  county: string;
  race: string;
}
interface RosterRow {
  training: number;
  /** By person id, or by email only (spelled as written: 0 as is, 1 in mixed case, 2 with spaces around). */
  attendee: { by: 'id'; who: Who } | { by: 'email'; person: number; spelling: number };
  completed: string;
  hoursOff: number;
}
interface RscRow {
  who: Who;
  date: string;
  hours: number;
  provider: string;
  format: string;
}
interface EndorsementRow {
  who: Who;
  category: string;
  endorsedOn: string;
  membership: string;
}
/** A training on the association's calendar: described as the rosters do, or with its own title or hours. */
interface CalendarRow {
  training: number;
  retitled: boolean;
  hoursOff: number;
  url: string;
}
type Kind = 'applicants' | 'rosters' | 'rsc' | 'endorsements' | 'trainings';
interface RowOf {
  applicants: ApplicantRow;
  rosters: RosterRow;
  rsc: RscRow;
  endorsements: EndorsementRow;
  trainings: CalendarRow;
}
type AnyRows = { [K in Kind]: { kind: K; rows: RowOf[K][] } }[Kind];

/** How an export looks: Title Case headers (as Excel users write them), CR LF line ends, a BOM. */
interface Style {
  titleCase: boolean;
  crlf: boolean;
  bom: boolean;
}

const PLAIN: Style = { titleCase: false, crlf: false, bom: false };
const EXCEL: Style = { titleCase: true, crlf: true, bom: true };

const KEYS: Record<Kind, [string, string] | [string]> = {
  // The applicant in both applicants files counts as the file whose key sorts last gives them.
  applicants: ['applicants/2026-spring.csv', 'applicants/zz-late-additions.csv'],
  rosters: ['rosters/spring-workshop.csv', 'rosters/fall-conference.csv'],
  rsc: ['rsc/supervision-log.csv', 'rsc/dana-roberts.csv'],
  endorsements: ['endorsements/current.csv'],
  // A training on both calendars is described as the one whose key sorts last describes it.
  trainings: ['trainings/calendar.csv', 'trainings/zz-added-dates.csv'],
};
const ALL_KEYS = Object.values(KEYS).flat();
const kindOf = (key: string) => key.split('/')[0] as Kind;

const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const titleCase = (column: string) =>
  column
    .split('_')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');

function personIdOf(who: Who): string {
  const id = PEOPLE[who.person]?.id ?? '';
  return who.typo ? mistyped(id) : id;
}
const person = (i: number) => PEOPLE[i] as Person;

function emailAsWritten(p: Person, spelling: number): string {
  if (spelling === 1) return p.email.replace(/^./, (c) => c.toUpperCase()).replace('example.org', 'Example.ORG');
  if (spelling === 2) return `  ${p.email} `;
  return p.email;
}

const COLUMNS: Record<Kind, string[]> = {
  applicants: [
    'person_id',
    'first_name',
    'last_name',
    'email',
    'category',
    'application_date',
    'education',
    'work_experience_months',
    'references',
    'code_of_ethics_signed',
    'membership_expires_on',
    'race_ethnicity',
    'county',
  ],
  rosters: [
    'training_id',
    'training_title',
    'training_date',
    'hours',
    'competencies',
    'dei',
    'rsc_topic',
    'person_id',
    'email',
    'first_name',
    'last_name',
    'completed',
  ],
  rsc: ['person_id', 'session_date', 'hours', 'provider_name', 'format'],
  endorsements: ['person_id', 'category', 'endorsed_on', 'membership_expires_on', 'first_name', 'last_name', 'email'],
  trainings: [
    'training_id',
    'training_title',
    'training_date',
    'hours',
    'competencies',
    'dei',
    'rsc_topic',
    'registration_url',
  ],
};

function cells(file: AnyRows): (string | number)[][] {
  switch (file.kind) {
    case 'applicants':
      return file.rows.map((r) => {
        const p = person(r.who.person);
        return [
          personIdOf(r.who),
          p.first,
          r.lastName === 0 ? p.last : `${p.last}-Rivera`,
          p.email,
          r.category,
          r.applicationDate,
          r.education,
          r.workMonths,
          r.references,
          r.ethics,
          r.membership,
          r.race,
          r.county,
        ];
      });
    case 'rosters':
      return file.rows.map((r) => {
        const t = TRAININGS[r.training] as Training;
        const a = r.attendee;
        const p = person(a.by === 'id' ? a.who.person : a.person);
        return [
          t.id,
          t.title,
          t.date,
          t.hours - r.hoursOff,
          t.competencies,
          t.dei,
          t.rscTopic,
          a.by === 'id' ? personIdOf(a.who) : '',
          a.by === 'email' ? emailAsWritten(p, a.spelling) : '',
          p.first,
          p.last,
          r.completed,
        ];
      });
    case 'rsc':
      return file.rows.map((r) => [personIdOf(r.who), r.date, r.hours, r.provider, r.format]);
    case 'endorsements':
      return file.rows.map((r) => {
        const p = person(r.who.person);
        return [personIdOf(r.who), r.category, r.endorsedOn, r.membership, p.first, p.last, p.email];
      });
    case 'trainings':
      return file.rows.map((r) => {
        const t = TRAININGS[r.training] as Training;
        const title = r.retitled ? `${t.title} (revised)` : t.title;
        return [t.id, title, t.date, t.hours - r.hoursOff, t.competencies, t.dei, t.rscTopic, r.url];
      });
  }
}

/** The bytes of a file as an administrator's export would hold them. */
function render(file: AnyRows, style: Style): string {
  const header = COLUMNS[file.kind].map((c) => (style.titleCase ? titleCase(c) : c));
  const eol = style.crlf ? '\r\n' : '\n';
  const lines = [header.join(','), ...cells(file).map((row) => row.map(cell).join(','))];
  return `${style.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

// --- corrections to a file's rows ---------------------------------------------------------------------

type Edit = 'drop' | 'flip' | 'lower' | 'fix';

function corrected(file: AnyRows, edit: Edit, at: number): AnyRows {
  if (file.rows.length === 0) return file;
  const i = at % file.rows.length;
  if (edit === 'drop') return { ...file, rows: file.rows.filter((_, j) => j !== i) } as AnyRows;
  const change = <R>(rows: R[], f: (r: R) => R): R[] => rows.map((r, j) => (j === i ? f(r) : r));
  const fixWho = (w: Who): Who => ({ ...w, typo: false });
  switch (file.kind) {
    case 'applicants':
      return {
        kind: 'applicants',
        rows: change(file.rows, (r) =>
          edit === 'flip'
            ? { ...r, ethics: r.ethics === 'no' ? 'yes' : 'no' }
            : edit === 'lower'
              ? { ...r, workMonths: Math.max(0, r.workMonths - 24), references: Math.max(0, r.references - 1) }
              : { ...r, who: fixWho(r.who) },
        ),
      };
    case 'rosters':
      return {
        kind: 'rosters',
        rows: change(file.rows, (r) =>
          edit === 'flip'
            ? { ...r, completed: r.completed === 'no' ? 'yes' : 'no' }
            : edit === 'lower'
              ? { ...r, hoursOff: r.hoursOff + 2 }
              : { ...r, attendee: r.attendee.by === 'id' ? { by: 'id', who: fixWho(r.attendee.who) } : r.attendee },
        ),
      };
    case 'rsc':
      return {
        kind: 'rsc',
        rows: change(file.rows, (r) =>
          edit === 'lower'
            ? { ...r, hours: r.hours > 1 ? r.hours - 1 : 0.5 }
            : edit === 'fix'
              ? { ...r, who: fixWho(r.who) }
              : { ...r, format: r.format === 'Individual' ? 'Group' : 'Individual' },
        ),
      };
    case 'endorsements':
      return {
        kind: 'endorsements',
        rows: change(file.rows, (r) =>
          edit === 'fix'
            ? { ...r, who: fixWho(r.who) }
            : { ...r, membership: r.membership === '2027-12-31' ? '2026-10-31' : '2027-12-31' },
        ),
      };
    case 'trainings':
      return {
        kind: 'trainings',
        rows: change(file.rows, (r) =>
          edit === 'flip'
            ? { ...r, url: r.url === '' ? 'https://events.example.org/register' : '' }
            : edit === 'lower'
              ? { ...r, hoursOff: r.hoursOff + 1 }
              : { ...r, retitled: false },
        ),
      };
  }
}

// --- arbitraries ------------------------------------------------------------------------------------------

// One row in five names a mistyped person_id.
const who: fc.Arbitrary<Who> = fc.record({
  person: fc.nat(PEOPLE.length - 1),
  typo: fc.nat(4).map((n) => n === 4),
});

// Mostly what an associate needs (so some are eligible and a correction can change that).
const applicantRow: fc.Arbitrary<ApplicantRow> = fc.record({
  who,
  lastName: fc.nat(1),
  category: fc.constantFrom('IFA', 'IFA', 'Infant Family Associate', 'ECFA', 'IFS'),
  applicationDate: fc.constantFrom('', '2026-03-02', '4/15/2026', '2026-12-10'),
  education: fc.constantFrom('cda', 'bachelor', 'hs', 'master'),
  workMonths: fc.constantFrom(30, 6, 48),
  references: fc.constantFrom(3, 3, 3, 3, 2),
  ethics: fc.constantFrom('yes', 'Y', 'yes', 'yes', 'no'),
  membership: fc.constantFrom('2027-06-30', '2027-06-30', '2027-06-30', '2026-09-30'),
  county: fc.constantFrom('Dane', 'Milwaukee County', '55025'),
  race: fc.constantFrom('', 'White', 'Asian;White', 'Black or African American'),
});
const rosterRow: fc.Arbitrary<RosterRow> = fc.record({
  training: fc.constantFrom(0, 0, 0, 1, 2, 3),
  attendee: fc.oneof(
    { weight: 3, arbitrary: fc.record({ by: fc.constant('id' as const), who }) },
    {
      weight: 1,
      arbitrary: fc.record({
        by: fc.constant('email' as const),
        person: fc.nat(PEOPLE.length - 1),
        spelling: fc.nat(2),
      }),
    },
  ),
  completed: fc.constantFrom('yes', 'yes', '', 'no'),
  hoursOff: fc.constantFrom(0, 0, 0, 0, 0, 2),
});
const rscRow: fc.Arbitrary<RscRow> = fc.record({
  who,
  // 2024-06-15 is outside the 24-month window before the as-of date, 2026-12-05 after the as-of date.
  date: fc.constantFrom('2025-03-02', '2025-12-01', '2026-06-20', '2024-06-15', '2026-12-05'),
  hours: fc.constantFrom(1, 1.5, 2, 4.5, 12),
  provider: fc.constantFrom('Dana Roberts, LCSW', 'Lee Xiong, MSW'),
  format: fc.constantFrom('Individual', 'Group'),
});
const endorsementRow: fc.Arbitrary<EndorsementRow> = fc.record({
  who,
  category: fc.constantFrom('IFA', 'IFS', 'ECFA', 'IMHM-C'),
  endorsedOn: fc.constantFrom('2024-03-01', '2025-12-01', '2026-12-20'),
  membership: fc.constantFrom('2027-12-31', '2027-12-31', '2026-10-31'),
});

const calendarRow: fc.Arbitrary<CalendarRow> = fc.record({
  training: fc.nat(TRAININGS.length - 1),
  retitled: fc.boolean(),
  hoursOff: fc.constantFrom(0, 0, 1),
  url: fc.constantFrom('', 'https://events.example.org/register'),
});
const rows = <R>(row: fc.Arbitrary<R>) => fc.array(row, { maxLength: 8 });
const fileArb: fc.Arbitrary<AnyRows> = fc.oneof(
  rows(applicantRow).map((r) => ({ kind: 'applicants' as const, rows: r })),
  rows(rosterRow).map((r) => ({ kind: 'rosters' as const, rows: r })),
  rows(rscRow).map((r) => ({ kind: 'rsc' as const, rows: r })),
  rows(endorsementRow).map((r) => ({ kind: 'endorsements' as const, rows: r })),
  rows(calendarRow).map((r) => ({ kind: 'trainings' as const, rows: r })),
);
const styleArb: fc.Arbitrary<Style> = fc.record({ titleCase: fc.boolean(), crlf: fc.boolean(), bom: fc.boolean() });

/**
 * Corrections, copies and withdrawals name the key they act on by `pick`, an index into the keys
 * that hold something at that point (for a withdrawal, one time in five any key: deleting a key
 * that was never uploaded, or twice, is harmless).
 */
type Op =
  | { op: 'upload'; slot: number; file: AnyRows; style: Style }
  | { op: 'correct'; pick: number; edit: Edit; at: number }
  | { op: 'copy'; pick: number; style: Style }
  | { op: 'withdraw'; pick: number; stray: boolean }
  /** The jobs run in between (as the refresh queue runs them after uploads): results they store must follow later changes. */
  | { op: 'jobs' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ op: 'jobs' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('correct' as const),
      pick: fc.nat(7),
      edit: fc.constantFrom<Edit>('drop', 'flip', 'lower', 'fix'),
      at: fc.nat(7),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('upload' as const), slot: fc.nat(1), file: fileArb, style: styleArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('withdraw' as const),
      pick: fc.nat(7),
      stray: fc.nat(4).map((n) => n === 4),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('copy' as const), pick: fc.nat(7), style: styleArb }) },
);

/** A permutation of `xs` from a list of random numbers (ties in reverse order). */
function shuffled<T>(xs: T[], by: number[]): T[] {
  return xs
    .map((x, i) => ({ x, r: by[i % by.length] ?? 0, i }))
    .sort((a, b) => a.r - b.r || b.i - a.i)
    .map((e) => e.x);
}

// --- the property ---------------------------------------------------------------------------------------

const counts = {
  sequences: 0,
  uploads: 0,
  corrections: 0,
  copies: 0,
  withdrawals: 0,
  jobs: 0,
  replaced: 0,
  forgotten: 0,
  /** Applicants found eligible at the end, over all sequences (the data does reach both outcomes). */
  eligible: 0,
  applicants: 0,
};

afterAll(() => {
  console.log(
    `order independence: ${counts.sequences} sequences, ` +
      `${counts.uploads + counts.corrections + counts.copies + counts.withdrawals} operations ` +
      `(${counts.uploads} uploads, ${counts.corrections} corrections, ${counts.copies} copies, ` +
      `${counts.withdrawals} withdrawals, ${counts.jobs} job runs in between; ${counts.replaced} versions replaced an earlier one, ` +
      `${counts.forgotten} stored items forgotten on the way; ${counts.eligible} of ${counts.applicants} applicants ` +
      'eligible at the end)',
  );
});

describe('after any sequence of uploads, replacements and withdrawals', () => {
  it('every output equals that of a fresh run on the current files (same as-of date)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A first version of each kind of file, then a few random changes.
        fc
          .tuple(
            fc.array(applicantRow, { minLength: 1, maxLength: 5 }),
            fc.array(rosterRow, { minLength: 1, maxLength: 5 }),
            // Who completed the 30-hour series (so that some applicants are eligible, until a correction).
            fc.subarray([0, 1, 2, 3, 4]),
            fc.array(rscRow, { maxLength: 5 }),
            fc.array(endorsementRow, { maxLength: 4 }),
            fc.array(calendarRow, { maxLength: 4 }),
            fc.nat(31),
            fc.array(opArb, { minLength: 2, maxLength: 3 }),
          )
          .map(([applicants, rosters, series, rsc, endorsements, calendar, slots, changes]): Op[] => [
            { op: 'upload', slot: slots & 1, file: { kind: 'applicants', rows: applicants }, style: PLAIN },
            {
              op: 'upload',
              slot: (slots >> 1) & 1,
              file: {
                kind: 'rosters',
                rows: [
                  ...series.map(
                    (person): RosterRow => ({
                      training: 0,
                      attendee: { by: 'id', who: { person, typo: false } },
                      completed: 'yes',
                      hoursOff: 0,
                    }),
                  ),
                  ...rosters,
                ],
              },
              style: EXCEL,
            },
            { op: 'upload', slot: (slots >> 2) & 1, file: { kind: 'rsc', rows: rsc }, style: PLAIN },
            { op: 'upload', slot: (slots >> 3) & 1, file: { kind: 'endorsements', rows: endorsements }, style: EXCEL },
            { op: 'upload', slot: (slots >> 4) & 1, file: { kind: 'trainings', rows: calendar }, style: PLAIN },
            ...changes,
          ]),
        fc.array(fc.nat(100), { minLength: ALL_KEYS.length, maxLength: ALL_KEYS.length }),
        async (ops, order) => {
          // Prepare
          const [history, fresh] = await Promise.all([startTestStack(), startTestStack()]);
          // One deployment: the fresh run draws the release noise with the same key.
          shareSecret(history, fresh);
          try {
            /** The files as they are now (withdrawn ones gone), and the last rows and style seen under each key. */
            const current = new Map<string, string>();
            const last = new Map<string, { file: AnyRows; style: Style }>();
            const upload = async (key: string, file: AnyRows, style: Style) => {
              const body = render(file, style);
              await history.ingest({ [key]: body });
              current.set(key, body);
              last.set(key, { file, style });
            };

            // Act: the history
            counts.sequences++;
            const pick = (keys: string[], i: number) => keys[i % keys.length] as string;
            for (const op of ops) {
              const known = [...last.keys()];
              if (op.op === 'upload') {
                counts.uploads++;
                const key = KEYS[op.file.kind][op.slot % KEYS[op.file.kind].length] as string;
                await upload(key, op.file, op.style);
              } else if (op.op === 'correct' && known.length > 0) {
                counts.corrections++;
                // A corrected version of what the key held last (a withdrawn file comes back corrected).
                const key = pick(known, op.pick);
                const before = last.get(key) as { file: AnyRows; style: Style };
                await upload(key, corrected(before.file, op.edit, op.at), before.style);
              } else if (op.op === 'copy' && known.length > 0) {
                counts.copies++;
                // The same rows under the other key of the kind: the same facts in two files.
                const key = pick(known, op.pick);
                const to = KEYS[kindOf(key)].find((k) => k !== key) ?? key;
                await upload(to, (last.get(key) as { file: AnyRows }).file, op.style);
              } else if (op.op === 'jobs') {
                counts.jobs++;
                await runJobs(history, AS_OF);
              } else if (op.op === 'withdraw') {
                counts.withdrawals++;
                const now = [...current.keys()];
                const key = op.stray || now.length === 0 ? pick(ALL_KEYS, op.pick) : pick(now, op.pick);
                await history.withdraw([key]);
                current.delete(key);
              }
            }
            counts.forgotten += history.outcomes.reduce((n, o) => n + o.forgotten, 0);
            counts.replaced += history.outcomes.filter((o) => o.receipt.replaced).length;
            // Act: the jobs after the history and, beside them, a fresh run on the current files in another order
            const files = shuffled([...current.entries()], order);
            const [after, expected] = await Promise.all([
              runJobs(history, AS_OF).then(() => readOutputs(history)),
              (async () => {
                if (files.length > 0) await fresh.ingest(Object.fromEntries(files));
                await runJobs(fresh, AS_OF);
                return readOutputs(fresh);
              })(),
            ]);

            // Assess
            const judged = csvRecords(expected.admin['admin/eligibility.csv']);
            counts.applicants += judged.length;
            counts.eligible += judged.filter((r) => r.eligible === 'true').length;
            expect(after.admin).toEqual(expected.admin);
            expect(after.reports).toEqual(expected.reports);
            expect(after.items).toEqual(expected.items);
          } finally {
            await history.destroy();
            await fresh.destroy();
          }
        },
      ),
      { numRuns: 20 },
    );
    // The sequences did replace and withdraw: the property was not met by storing everything.
    expect(counts.replaced).toBeGreaterThan(0);
    expect(counts.forgotten).toBeGreaterThan(0);
    expect(counts.withdrawals).toBeGreaterThan(0);
  }, 300_000);
});
