/**
 * Judges everyone in a population on a date: applicants' eligibility and endorsees' renewal status.
 * A run as of D sees only what was true on D: applicants who had applied and endorsees who had been
 * endorsed by then (the core leaves out trainings and RSC sessions dated after D).
 */
import { attendanceOf, type Population } from '../adapters/dynamo/population.js';
import type { Catalog } from '../core/catalog/schema.js';
import { type Evaluation, evaluateApplicant, mergeTrainings } from '../core/eligibility/index.js';
import type { Applicant, Endorsee, RscSession, TrainingRecord } from '../core/model.js';
import { type RenewalResult, renewalStatus } from '../core/renewal/renewal.js';
import type { Ruleset } from '../core/rules/ruleset.js';

export interface Judged<P, R> {
  person: P;
  trainings: TrainingRecord[];
  result: R;
}

/** True when an applicant had applied by `asOf` (an application without a date counts as before any date). */
export function appliedBy(applicant: Pick<Applicant, 'applicationDate'>, asOf: string): boolean {
  return !applicant.applicationDate || applicant.applicationDate <= asOf;
}

/** True when an endorsee had been endorsed by `asOf`. */
export function endorsedBy(endorsee: Pick<Endorsee, 'endorsedOn'>, asOf: string): boolean {
  return endorsee.endorsedOn <= asOf;
}

/** Every applicant's evaluation, in person-id order; applicants who applied after `asOf` are left out. */
export function* judgeApplicants(
  p: Population,
  asOf: string,
  ruleset: Ruleset,
  catalog: Catalog,
): Generator<Judged<Applicant, Evaluation>> {
  for (const id of [...p.applicants.keys()].sort()) {
    const applicant = p.applicants.get(id) as Applicant;
    if (!appliedBy(applicant, asOf)) continue;
    const trainings = mergeTrainings(attendanceOf(p, id, applicant.email));
    const result = evaluateApplicant({
      applicant,
      trainings,
      rscSessions: p.rsc.get(id) ?? [],
      asOf,
      ruleset,
      catalog,
    });
    yield { person: applicant, trainings, result };
  }
}

/**
 * Every endorsee's renewal status, in person-id order (`rulesetOn`: see RenewalInput); endorsees
 * endorsed after `asOf` are left out.
 */
export function* judgeEndorsees(
  p: Population,
  asOf: string,
  ruleset: Ruleset,
  rulesetOn?: (date: string) => Ruleset,
): Generator<Judged<Endorsee, RenewalResult> & { rscSessions: RscSession[] }> {
  for (const id of [...p.endorsees.keys()].sort()) {
    const endorsee = p.endorsees.get(id) as Endorsee;
    if (!endorsedBy(endorsee, asOf)) continue;
    const trainings = mergeTrainings(attendanceOf(p, id, endorsee.email));
    const rscSessions = p.rsc.get(id) ?? [];
    const result = renewalStatus({ endorsee, trainings, rscSessions, asOf, ruleset, rulesetOn });
    yield { person: endorsee, trainings, rscSessions, result };
  }
}
