/**
 * The weekly digest for administrators (docs/operations.md, "Emails"): who became eligible, whose
 * renewal became at risk since the last digest, and who is due this month without having met this
 * year's requirements. "Since the last digest" compares each person with what the last digest that
 * was sent saw of them (their standing, kept in the table); the first digest has nothing to compare
 * with, so it counts and lists no one as new.
 *
 * Each section keeps a count and a bounded list, so the digest of any number of people is made in
 * bounded memory. People are listed by id and name: the digest goes to administrators only, who
 * hold the same in admin/eligibility.csv and admin/renewals.csv; nothing else about them is in it.
 */
import type { RenewalStatus } from '../renewal/renewal.js';
import { type ComposedMessage, escapeHtml, htmlDocument, plural } from './message.js';

/** What the digest remembers of a person between digests. */
export interface DigestStanding {
  eligible: boolean;
  atRisk: boolean;
}

/** A person as the stored results say today. */
export interface PersonToday {
  personId: string;
  /** First and last name as the upload gives them; empty when no upload names them. */
  name: string;
  /** The stored evaluation's verdict; absent when the person has no evaluation (not an applicant). */
  eligible?: boolean;
  /** The stored renewal status; absent when the person has none (not an endorsee). */
  renewal?: { status: RenewalStatus; dueDate: string };
}

export const NO_STANDING: DigestStanding = Object.freeze({ eligible: false, atRisk: false });

export function standingOf(p: PersonToday): DigestStanding {
  return { eligible: p.eligible === true, atRisk: p.renewal?.status === 'at_risk' };
}

/** Due in the as-of date's month, on or after it, with this year's requirements not met yet. */
export function isLapsingThisMonth(renewal: PersonToday['renewal'], asOf: string): boolean {
  if (!renewal) return false;
  const notMet = renewal.status === 'at_risk' || renewal.status === 'in_progress';
  return notMet && renewal.dueDate >= asOf && renewal.dueDate.slice(0, 7) === asOf.slice(0, 7);
}

export interface ListedPerson {
  personId: string;
  name: string;
  dueDate?: string;
}

/** A count and the first `max` people in `compare` order, however many are added. */
export class DigestSection {
  count = 0;
  readonly people: ListedPerson[] = [];

  constructor(
    readonly max: number,
    private readonly compare: (a: ListedPerson, b: ListedPerson) => number = byId,
  ) {}

  add(person: ListedPerson): void {
    this.count++;
    const { people } = this;
    const last = people.at(-1);
    if (people.length >= this.max && last && this.compare(person, last) >= 0) return;
    let lo = 0;
    let hi = people.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(people[mid] as ListedPerson, person) <= 0) lo = mid + 1;
      else hi = mid;
    }
    people.splice(lo, 0, person);
    if (people.length > this.max) people.pop();
  }
}

const byId = (a: ListedPerson, b: ListedPerson) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0);
const byDueThenId = (a: ListedPerson, b: ListedPerson) =>
  (a.dueDate ?? '') < (b.dueDate ?? '') ? -1 : (a.dueDate ?? '') > (b.dueDate ?? '') ? 1 : byId(a, b);

export interface DigestData {
  asOf: string;
  /** The as-of date of the last digest sent; absent for the first digest. */
  since?: string;
  newlyEligible: DigestSection;
  newlyAtRisk: DigestSection;
  lapsingThisMonth: DigestSection;
  eligibleNow: number;
  atRiskNow: number;
}

export function newDigest(asOf: string, since: string | undefined, maxListed: number): DigestData {
  return {
    asOf,
    since,
    newlyEligible: new DigestSection(maxListed),
    newlyAtRisk: new DigestSection(maxListed),
    lapsingThisMonth: new DigestSection(maxListed, byDueThenId),
    eligibleNow: 0,
    atRiskNow: 0,
  };
}

/**
 * Adds one person to the digest, given what the last digest saw of them (`before`; NO_STANDING when
 * it did not see them). Returns their standing now, which the next digest compares with.
 */
export function addToDigest(digest: DigestData, person: PersonToday, before: DigestStanding): DigestStanding {
  const now = standingOf(person);
  const listed: ListedPerson = { personId: person.personId, name: person.name };
  const first = digest.since === undefined;
  if (now.eligible) digest.eligibleNow++;
  if (now.atRisk) digest.atRiskNow++;
  if (!first && now.eligible && !before.eligible) digest.newlyEligible.add(listed);
  if (!first && now.atRisk && !before.atRisk) digest.newlyAtRisk.add({ ...listed, dueDate: person.renewal?.dueDate });
  if (isLapsingThisMonth(person.renewal, digest.asOf)) {
    digest.lapsingThisMonth.add({ ...listed, dueDate: person.renewal?.dueDate });
  }
  return now;
}

/** "June 2026" for 2026-06-30. */
export function monthOf(asOf: string): string {
  return new Date(`${asOf.slice(0, 7)}-01T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

interface Section {
  title: string;
  explains: string;
  section: DigestSection;
}

function sections(d: DigestData): Section[] {
  const month = monthOf(d.asOf);
  return [
    {
      title: 'Newly eligible',
      explains: 'applicants who meet every requirement now and did not at the last digest',
      section: d.newlyEligible,
    },
    {
      title: 'Newly at risk',
      explains:
        'endorsees whose renewal became at risk since the last digest: due soon, with this year’s requirements not met',
      section: d.newlyAtRisk,
    },
    {
      title: `Lapsing in ${month}`,
      explains: `endorsees due in ${month} who have not met this year’s requirements yet; their endorsement lapses if they do not by the due date`,
      section: d.lapsingThisMonth,
    },
  ];
}

const personLine = (p: ListedPerson) =>
  `${p.personId}${p.name ? `  ${p.name}` : ''}${p.dueDate ? `  (due ${p.dueDate})` : ''}`;

export function digestMessage(d: DigestData, whereToRead: readonly string[]): ComposedMessage {
  const parts = sections(d);
  const subject = `Weekly digest as of ${d.asOf}: ${d.newlyEligible.count.toLocaleString('en-US')} newly eligible, ${d.newlyAtRisk.count.toLocaleString('en-US')} newly at risk, ${d.lapsingThisMonth.count.toLocaleString('en-US')} lapsing in ${monthOf(d.asOf)}`;
  const opening =
    d.since === undefined
      ? `Weekly digest as of ${d.asOf}. This is the first digest: there is no earlier one to compare with, so nobody is counted as newly eligible or newly at risk. From the next digest on, those sections list what changed since the one before.`
      : `Weekly digest as of ${d.asOf}, compared with the digest as of ${d.since}.`;
  const now = `Now: ${plural(d.eligibleNow, 'applicant')} eligible, ${plural(d.atRiskNow, 'endorsee')} at risk.`;
  const more = (s: DigestSection) => s.count - s.people.length;

  const text = [
    opening,
    '',
    ...parts.flatMap(({ title, explains, section }) => [
      `${title}: ${section.count.toLocaleString('en-US')} (${explains})`,
      ...section.people.map((p) => `  ${personLine(p)}`),
      ...(more(section) > 0 ? [`  ... and ${more(section).toLocaleString('en-US')} more`] : []),
      '',
    ]),
    now,
    '',
    'Everyone, with what each person still needs:',
    ...whereToRead.map((w) => `  ${w}`),
    '',
    'This email goes to the administrators of the endorsement pipeline; it names people, so do not forward it.',
    '',
  ].join('\n');

  const html = htmlDocument(
    subject,
    [
      `<p>${escapeHtml(opening)}</p>`,
      ...parts.map(({ title, explains, section }) =>
        [
          `<h2 style="font-size: 17px">${escapeHtml(title)}: ${section.count.toLocaleString('en-US')}</h2>`,
          `<p style="color: #555">${escapeHtml(explains)}</p>`,
          section.people.length > 0
            ? `<ul>${section.people.map((p) => `<li>${escapeHtml(personLine(p))}</li>`).join('')}</ul>`
            : '',
          more(section) > 0 ? `<p>... and ${more(section).toLocaleString('en-US')} more</p>` : '',
        ]
          .filter((s) => s !== '')
          .join('\n'),
      ),
      `<p>${escapeHtml(now)}</p>`,
      '<p>Everyone, with what each person still needs:</p>',
      `<ul>${whereToRead.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`,
      '<p style="color: #555">This email goes to the administrators of the endorsement pipeline; it names people, so do not forward it.</p>',
    ].join('\n'),
  );
  return { kind: 'weekly-digest', subject, text, html };
}
