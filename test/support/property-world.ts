/**
 * The small world of the order-independence property test (test/integration/order-independence.property.test.ts):
 * five people, the trainings they attend, the rows of each kind of file, how an export writes them,
 * and the corrections an administrator makes.
 */

export const AS_OF = '2026-11-30';

// --- the people and trainings the files talk about --------------------------------------------------

export interface Person {
  id: string;
  first: string;
  last: string;
  email: string;
}
export const PEOPLE: Person[] = [
  { id: 'WI-001', first: 'Ana', last: 'Lopez', email: 'ana.lopez@example.org' },
  { id: 'WI-002', first: 'Ben', last: 'Xiong', email: 'ben.xiong@example.org' },
  { id: 'WI-003', first: 'Cora', last: 'Nguyen', email: 'cora.nguyen@example.org' },
  { id: 'WI-004', first: 'Dev', last: 'Patel', email: 'dev.patel@example.org' },
  { id: 'WI-005', first: 'Eve', last: 'Johnson', email: 'eve.johnson@example.org' },
];
/** A mistyped person_id: a zero typed as the letter O (a person no file otherwise names). */
export const mistyped = (id: string) => id.replace('-00', '-0O');

export interface Training {
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
export const TRAININGS: Training[] = [
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

export interface Who {
  person: number;
  typo: boolean;
}
export interface ApplicantRow {
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
export interface RosterRow {
  training: number;
  /** By person id, or by email only (spelled as written: 0 as is, 1 in mixed case, 2 with spaces around). */
  attendee: { by: 'id'; who: Who } | { by: 'email'; person: number; spelling: number };
  completed: string;
  hoursOff: number;
}
export interface RscRow {
  who: Who;
  date: string;
  hours: number;
  provider: string;
  format: string;
}
export interface EndorsementRow {
  who: Who;
  category: string;
  endorsedOn: string;
  membership: string;
}
/** A training on the association's calendar: described as the rosters do, or with its own title or hours. */
export interface CalendarRow {
  training: number;
  retitled: boolean;
  hoursOff: number;
  url: string;
}
export type Kind = 'applicants' | 'rosters' | 'rsc' | 'endorsements' | 'trainings';
export interface RowOf {
  applicants: ApplicantRow;
  rosters: RosterRow;
  rsc: RscRow;
  endorsements: EndorsementRow;
  trainings: CalendarRow;
}
export type AnyRows = { [K in Kind]: { kind: K; rows: RowOf[K][] } }[Kind];

/** How an export looks: Title Case headers (as Excel users write them), CR LF line ends, a BOM. */
export interface Style {
  titleCase: boolean;
  crlf: boolean;
  bom: boolean;
}

export const PLAIN: Style = { titleCase: false, crlf: false, bom: false };
export const EXCEL: Style = { titleCase: true, crlf: true, bom: true };

export const KEYS: Record<Kind, [string, string] | [string]> = {
  // The applicant in both applicants files counts as the file whose key sorts last gives them.
  applicants: ['applicants/2026-spring.csv', 'applicants/zz-late-additions.csv'],
  rosters: ['rosters/spring-workshop.csv', 'rosters/fall-conference.csv'],
  rsc: ['rsc/supervision-log.csv', 'rsc/dana-roberts.csv'],
  endorsements: ['endorsements/current.csv'],
  // A training on both calendars is described as the one whose key sorts last describes it.
  trainings: ['trainings/calendar.csv', 'trainings/zz-added-dates.csv'],
};
export const ALL_KEYS = Object.values(KEYS).flat();
export const kindOf = (key: string) => key.split('/')[0] as Kind;

export const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const titleCase = (column: string) =>
  column
    .split('_')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');

export function personIdOf(who: Who): string {
  const id = PEOPLE[who.person]?.id ?? '';
  return who.typo ? mistyped(id) : id;
}
export const person = (i: number) => PEOPLE[i] as Person;

export function emailAsWritten(p: Person, spelling: number): string {
  if (spelling === 1) return p.email.replace(/^./, (c) => c.toUpperCase()).replace('example.org', 'Example.ORG');
  if (spelling === 2) return `  ${p.email} `;
  return p.email;
}

export const COLUMNS: Record<Kind, string[]> = {
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

export function cells(file: AnyRows): (string | number)[][] {
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
export function render(file: AnyRows, style: Style): string {
  const header = COLUMNS[file.kind].map((c) => (style.titleCase ? titleCase(c) : c));
  const eol = style.crlf ? '\r\n' : '\n';
  const lines = [header.join(','), ...cells(file).map((row) => row.map(cell).join(','))];
  return `${style.bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

// --- corrections to a file's rows ---------------------------------------------------------------------

export type Edit = 'drop' | 'flip' | 'lower' | 'fix';

export function corrected(file: AnyRows, edit: Edit, at: number): AnyRows {
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
