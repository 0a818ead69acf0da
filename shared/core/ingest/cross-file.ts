/**
 * Warnings about what one file says against what other current uploads hold (docs/input-files.md,
 * "Warnings"): the same person_id named differently, one email given to two person_ids, one
 * training described two ways. They go in the administrators' receipt only, which names the other
 * upload; nothing here reaches reports/. The table lookups are the adapter's (stored-facts.ts).
 */
import {
  describeTraining,
  descriptionDifferences,
  type FileFacts,
  listed,
  namesDiffer,
  nameText,
  type PersonName,
  type TrainingDescription,
} from './row-checks.js';

/** What other current uploads hold for the keys one file names. */
export interface StoredFacts {
  /** person_id → the names applicant and endorsement rows of other uploads give. */
  people: Map<string, { name: PersonName; kind: 'applicant' | 'endorsee'; source: string }[]>;
  /** email → the person_ids applicant and endorsement rows of other uploads give it to. */
  emails: Map<string, { personId: string; source: string }[]>;
  /** training_id → how other rosters (`roster`) and the association's calendar (`calendar`) describe it. */
  trainings: Map<string, { description: TrainingDescription; from: 'roster' | 'calendar'; source: string }[]>;
  /** Keys the file names that were not looked up (beyond the bound on lookups per upload). */
  notLookedUp: number;
  /** The training_ids looked up (whether or not another upload describes them). */
  trainingsLookedUp: Set<string>;
}

export function emptyStoredFacts(): StoredFacts {
  return { people: new Map(), emails: new Map(), trainings: new Map(), notLookedUp: 0, trainingsLookedUp: new Set() };
}

/** The warnings for one file (`key`, its upload key) against the other uploads' facts. */
export function crossFileWarnings(key: string, facts: FileFacts, stored: StoredFacts): string[] {
  const kind = key.split('/')[0];
  return [
    nameWarning(kind, facts, stored),
    emailWarning(facts, stored),
    trainingWarning(key, facts, stored),
    stored.notLookedUp > 0
      ? `${stored.notLookedUp.toLocaleString('en-US')} person_ids, emails and training_ids of this file were not compared with other uploads (a file is compared for at most config/ingest/plausibility.json's maxLookups)`
      : undefined,
  ].filter((w): w is string => w !== undefined);
}

function nameWarning(kind: string | undefined, facts: FileFacts, stored: StoredFacts): string | undefined {
  const found: string[] = [];
  for (const [personId, name] of facts.people) {
    const others = (stored.people.get(personId) ?? []).filter((o) => namesDiffer(o.name, name));
    if (others.length === 0) continue;
    found.push(
      `${personId}: ${nameText(name)} here, ${others.map((o) => `${nameText(o.name)} in ${o.source}`).join(', ')}`,
    );
  }
  if (found.length === 0) return undefined;
  const which =
    kind === 'rosters'
      ? "A roster's names are not stored: the applicants' or endorsements' name counts."
      : 'Of two uploads of one kind, the one whose name sorts last counts; eligibility.csv shows the applicant name, renewals.csv the endorsement name.';
  return `${found.length === 1 ? 'a person_id is' : `${found.length} person_ids are`} named differently in other uploads: ${listed(found)}. ${which} If these are different people, give each their own person_id.`;
}

function emailWarning(facts: FileFacts, stored: StoredFacts): string | undefined {
  const found: string[] = [];
  for (const [email, personId] of facts.emails) {
    const others = (stored.emails.get(email) ?? []).filter((o) => o.personId !== personId);
    if (others.length === 0) continue;
    const first = [personId, ...others.map((o) => o.personId)].sort()[0];
    found.push(
      `${email}: ${personId} here, ${others.map((o) => `${o.personId} in ${o.source}`).join(', ')} (email-only roster rows go to ${first})`,
    );
  }
  if (found.length === 0) return undefined;
  return `${found.length === 1 ? 'an email is' : `${found.length} emails are`} given to another person_id in other uploads: ${listed(found)}. Both are stored as given; roster rows that name only such an email are credited to the person_id that sorts first. Give each person their own email, or one person_id if they are one person.`;
}

function trainingWarning(key: string, facts: FileFacts, stored: StoredFacts): string | undefined {
  const found: string[] = [];
  const here = key.startsWith('trainings/') ? 'calendar' : 'roster';
  for (const [id, description] of facts.trainings) {
    const others = (stored.trainings.get(id) ?? [])
      .map((o) => ({ ...o, parts: descriptionDifferences(description, o.description) }))
      .filter((o) => o.parts.length > 0);
    if (others.length === 0) continue;
    const parts = [...new Set(others.flatMap((o) => o.parts))];
    // Attendees are credited as the roster whose upload key sorts last describes the training.
    const rosters = [
      ...(here === 'roster' ? [key] : []),
      ...others.filter((o) => o.from === 'roster').map((o) => o.source),
    ];
    const credited = rosters.sort().at(-1);
    const described = others.map((o) => `${describeTraining(o.description, parts)} in ${o.source}`);
    found.push(
      `${id}: ${describeTraining(description, parts)} here, ${described.join(', ')}${credited ? `; attendees are credited as ${credited === key ? 'this file' : credited} describes it` : ''}`,
    );
  }
  if (found.length === 0) return undefined;
  return `${found.length === 1 ? 'a training_id is' : `${found.length} training_ids are`} described differently in other uploads: ${listed(found)}. One training has one date, hours and title: of the rosters describing it, the one whose name sorts last counts for every attendee; suggestions show the calendar's description where the calendar lists it. Correct the file that is wrong.`;
}
