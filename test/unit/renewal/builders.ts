/** Small builders for renewal tests: an endorsee, trainings and RSC sessions with only what a test is about. */
import type { Endorsee, RscSession, TrainingRecord, TrainingSummary } from '#core/model.js';
import { type RenewalResult, renewalStatus } from '#core/renewal/renewal.js';
import { shippedRulesets } from '#core/rules/registry.js';
import type { Ruleset } from '#core/rules/ruleset.js';

/** The shipped default ruleset (15 CE hours a calendar year, 1 DEI, 3 on providing RSC, 12 RSC received). */
export const defaultRuleset: Ruleset = shippedRulesets().find((r) => r.association === 'default') as Ruleset;

/** An endorsement date early enough that every year a test looks at, and the year before it, is judged. */
export const LONG_AGO = '2018-05-10';

/**
 * An Infant Family Associate endorsed in mid-2024, whose membership runs well past any test date:
 * 2024 was their exempt first year, so on a 2025 as-of date only 2025 itself is judged.
 */
export function endorsee(overrides: Partial<Endorsee> = {}): Endorsee {
  return {
    personId: 'P-1',
    category: 'IFA',
    endorsedOn: '2024-07-01',
    membershipExpiresOn: '2035-12-31',
    raceEthnicity: [],
    ...overrides,
  };
}

let nextTraining = 0;

/** A completed training of plain CE hours unless flags say otherwise. */
export function training(date: string, hours: number, flags: Partial<TrainingRecord> = {}): TrainingRecord {
  nextTraining += 1;
  return {
    trainingId: `T-${nextTraining}`,
    date,
    hours,
    competencies: [],
    dei: false,
    rscTopic: false,
    completed: true,
    ...flags,
  };
}

/** An RSC session received. */
export function rsc(sessionDate: string, hours: number): RscSession {
  return { personId: 'P-1', sessionDate, hours };
}

/**
 * Everything the default ruleset asks of any category in one year: 15 CE hours of which 1 DEI and
 * 3 on providing RSC, and 12 hours of RSC received, all dated in the spring of that year.
 */
export function fullYear(year: number): { trainings: TrainingRecord[]; rscSessions: RscSession[] } {
  return {
    trainings: [
      training(`${year}-03-10`, 11),
      training(`${year}-04-10`, 1, { dei: true }),
      training(`${year}-05-10`, 3, { rscTopic: true }),
    ],
    rscSessions: [rsc(`${year}-02-01`, 6), rsc(`${year}-06-01`, 6)],
  };
}

/** Runs renewalStatus with empty histories and the default ruleset unless given. */
export function evaluate(args: {
  endorsee?: Endorsee;
  trainings?: TrainingRecord[];
  rscSessions?: RscSession[];
  asOf: string;
  ruleset?: Ruleset;
  rulesetOn?: (date: string) => Ruleset;
}): RenewalResult {
  return renewalStatus({
    endorsee: args.endorsee ?? endorsee(),
    trainings: args.trainings ?? [],
    rscSessions: args.rscSessions ?? [],
    asOf: args.asOf,
    ruleset: args.ruleset ?? defaultRuleset,
    rulesetOn: args.rulesetOn,
  });
}

/** A training as seen across rosters, for outreach suggestions. */
export function summary(trainingId: string, overrides: Partial<TrainingSummary> = {}): TrainingSummary {
  return {
    trainingId,
    title: trainingId,
    date: '2025-09-15',
    hours: 3,
    competencies: [],
    dei: false,
    rscTopic: false,
    attendees: 10,
    ...overrides,
  };
}
