/** Renewal compliance: where an endorsee stands on an as-of date against the ruleset's renewal rules. */
import { addYears, daysBetween, parseIsoDate } from '../dates.js';
import { fromHourUnits, toHourUnits } from '../hours.js';
import type { Endorsee, IsoDate, RscSession, TrainingRecord } from '../model.js';
import type { CategoryCode } from '../reference/reference.js';
import type { Ruleset } from '../rules/ruleset.js';
import { type Cycle, cyclePosition } from './cycle.js';

export type RenewalStatus = 'exempt' | 'lapsed' | 'compliant' | 'at_risk' | 'in_progress';

/** Hours counted in a cycle. DEI and RSC-topic hours are part of the CE hours, not added to them. */
export interface RenewalHours {
  ceHours: number;
  deiHours: number;
  rscTopicHours: number;
  /** RSC received. */
  rscHours: number;
}

/** What a cycle asks of this person; all zero (and no membership date) when the cycle is exempt. */
export interface RenewalNeeded extends RenewalHours {
  /** Membership must be current through this date; null when the ruleset asks for none. */
  membershipThrough: IsoDate | null;
}

/** Needed minus counted, never below zero; `membership` is true when membership is missing. */
export interface RenewalShortfall extends RenewalHours {
  membership: boolean;
}

export interface RenewalResult extends RenewalHours {
  personId: string;
  category: CategoryCode;
  asOf: IsoDate;
  rulesetId: string;
  cycleStart: IsoDate;
  cycleEnd: IsoDate;
  dueDate: IsoDate;
  status: RenewalStatus;
  needed: RenewalNeeded;
  shortfall: RenewalShortfall;
  /** Whether the previous cycle was met by its due date; null when it was not judged (exempt or none). */
  previousCycleMet: boolean | null;
  /** The due date of the previous cycle; null when it was not judged. */
  previousDueDate: IsoDate | null;
  /** What the previous cycle lacked; null when it was not judged. */
  previousShortfall: RenewalShortfall | null;
}

export interface RenewalInput {
  endorsee: Endorsee;
  /** The endorsee's trainings, already one per training id. */
  trainings: readonly TrainingRecord[];
  /** The endorsee's RSC sessions received. */
  rscSessions: readonly RscSession[];
  asOf: IsoDate;
  /** The rules in force on the as-of date: they place the cycles and judge the current one. */
  ruleset: Ruleset;
  /**
   * The rules in force on a date, so the previous cycle is judged by the rules of its own time
   * (an association that asks for more hours from January must not lapse those who met last
   * year's). Without it, `ruleset` judges both cycles.
   */
  rulesetOn?: (date: IsoDate) => Ruleset;
}

interface CycleJudgement {
  hours: RenewalHours;
  needed: RenewalNeeded;
  shortfall: RenewalShortfall;
  met: boolean;
}

/** The renewal status of one endorsee on an as-of date (docs/domain.md, "Annual renewal"). */
export function renewalStatus(input: RenewalInput): RenewalResult {
  const { endorsee, trainings, rscSessions, asOf, ruleset } = input;
  parseIsoDate(asOf, 'as-of date');
  parseIsoDate(endorsee.endorsedOn, `endorsement date of ${endorsee.personId}`);
  const rules = ruleset.renewal;
  const { current, previous } = cyclePosition(endorsee.endorsedOn, asOf, ruleset);

  const isExempt = (cycle: Cycle, inForce: Ruleset): boolean =>
    cycle.endorsementCycle && inForce.renewal.firstCycleExempt;
  const judge = (cycle: Cycle, upTo: IsoDate, inForce: Ruleset): CycleJudgement =>
    judgeCycle(cycle, upTo, isExempt(cycle, inForce), endorsee, trainings, rscSessions, inForce);

  // The current cycle counts what is dated up to the as-of date; the previous one everything in
  // it, judged by the rules in force on its due date.
  const now = judge(current, asOf, ruleset);
  const previousRules = previous && input.rulesetOn ? input.rulesetOn(previous.end) : ruleset;
  const before = previous && !isExempt(previous, previousRules) ? judge(previous, previous.end, previousRules) : null;

  let status: RenewalStatus;
  if (isExempt(current, ruleset)) status = 'exempt';
  else if (before && !before.met) status = 'lapsed';
  else if (now.met) status = 'compliant';
  else if (daysBetween(asOf, current.end) <= rules.atRiskDays) status = 'at_risk';
  else status = 'in_progress';

  return {
    personId: endorsee.personId,
    category: endorsee.category,
    asOf,
    rulesetId: ruleset.id,
    cycleStart: current.start,
    cycleEnd: current.end,
    dueDate: current.end,
    status,
    ...now.hours,
    needed: now.needed,
    shortfall: now.shortfall,
    previousCycleMet: before ? before.met : null,
    previousDueDate: before && previous ? previous.end : null,
    previousShortfall: before ? before.shortfall : null,
  };
}

/** Counts one cycle's hours dated from its start to `upTo` and compares them with what it needs. */
function judgeCycle(
  cycle: Cycle,
  upTo: IsoDate,
  exempt: boolean,
  endorsee: Endorsee,
  trainings: readonly TrainingRecord[],
  rscSessions: readonly RscSession[],
  ruleset: Ruleset,
): CycleJudgement {
  const inCycle = (date: IsoDate): boolean => date >= cycle.start && date <= upTo;
  let ce = 0;
  let dei = 0;
  let topic = 0;
  for (const t of trainings) {
    if (!t.completed || !inCycle(t.date)) continue;
    const h = toHourUnits(t.hours);
    ce += h;
    if (t.dei) dei += h;
    if (t.rscTopic) topic += h;
  }
  let rsc = 0;
  for (const s of rscSessions) {
    if (inCycle(s.sessionDate)) rsc += toHourUnits(s.hours);
  }

  const needed = exempt ? nothingNeeded() : neededFor(cycle, endorsee, ruleset);
  const membership =
    needed.membershipThrough !== null &&
    (endorsee.membershipExpiresOn === undefined || endorsee.membershipExpiresOn < needed.membershipThrough);
  const short = (need: number, have: number): number => fromHourUnits(Math.max(0, toHourUnits(need) - have));
  const shortfall: RenewalShortfall = {
    ceHours: short(needed.ceHours, ce),
    deiHours: short(needed.deiHours, dei),
    rscTopicHours: short(needed.rscTopicHours, topic),
    rscHours: short(needed.rscHours, rsc),
    membership,
  };
  const met =
    !membership &&
    shortfall.ceHours === 0 &&
    shortfall.deiHours === 0 &&
    shortfall.rscTopicHours === 0 &&
    shortfall.rscHours === 0;
  return {
    hours: {
      ceHours: fromHourUnits(ce),
      deiHours: fromHourUnits(dei),
      rscTopicHours: fromHourUnits(topic),
      rscHours: fromHourUnits(rsc),
    },
    needed,
    shortfall,
    met,
  };
}

function nothingNeeded(): RenewalNeeded {
  return { ceHours: 0, deiHours: 0, rscTopicHours: 0, rscHours: 0, membershipThrough: null };
}

/** The requirements of a non-exempt cycle for this endorsee; ruleset numbers are per cycle. */
function neededFor(cycle: Cycle, endorsee: Endorsee, ruleset: Ruleset): RenewalNeeded {
  const rules = ruleset.renewal;
  return {
    ceHours: rules.trainingHours,
    deiHours: rules.deiHours,
    rscTopicHours: rules.rscTopicHours.categories.includes(endorsee.category) ? rules.rscTopicHours.hours : 0,
    rscHours: rscHoursNeeded(cycle, endorsee, ruleset),
    membershipThrough: rules.membershipCurrentThroughDue ? cycle.end : null,
  };
}

/**
 * RSC received a cycle needs. The long-standing rule is judged per cycle: endorsed on or before the
 * cycle's first day minus `yearsEndorsed` years (1 January of Y−3 by default) lowers the hours.
 */
function rscHoursNeeded(cycle: Cycle, endorsee: Endorsee, ruleset: Ruleset): number {
  const { longStandingRsc, rscHours } = ruleset.renewal;
  if (
    longStandingRsc.categories.includes(endorsee.category) &&
    endorsee.endorsedOn <= addYears(cycle.start, -longStandingRsc.yearsEndorsed)
  ) {
    return longStandingRsc.hours;
  }
  return rscHours.find((rule) => rule.categories.includes(endorsee.category))?.hours ?? 0;
}
