/** Outreach for endorsees not yet renewed: what is missing in plain words, and trainings that would close it. */

import { isUpcoming } from '../calendar.js';
import { formatHours, fromHourUnits, toHourUnits } from '../hours.js';
import type { IsoDate, TrainingSummary } from '../model.js';
import type { Ruleset } from '../rules/ruleset.js';
import { currentCyclesSpan } from './cycle.js';
import type { RenewalResult, RenewalShortfall } from './renewal.js';

export interface Outreach {
  /** For example "needs 4.5 more CE hours, 1 of them DEI; 3 more hours of RSC received". */
  missing: string;
  /** Trainings of the current cycle that would close the training gap, those still ahead first. */
  suggestions: TrainingSummary[];
}

/** Hours still missing, in words: rounded up to hundredths, so a shortfall never reads 0. */
const missingHours = (hours: number): string => formatHours(hours, 'up');

const hoursWord = (hours: number): string => (missingHours(hours) === '1' ? 'hour' : 'hours');

/**
 * Training hours still to take: the CE shortfall, but never fewer than the DEI and RSC-topic hours
 * still missing together, since those are part of the CE hours (assuming separate trainings).
 */
function trainingHoursToTake(s: RenewalShortfall): number {
  return fromHourUnits(Math.max(toHourUnits(s.ceHours), toHourUnits(s.deiHours) + toHourUnits(s.rscTopicHours)));
}

/** "needs …" for a shortfall, or the empty string when nothing is short. */
function describeShortfall(s: RenewalShortfall, membershipThrough: IsoDate | null): string {
  const parts: string[] = [];
  const take = trainingHoursToTake(s);
  if (take > 0) {
    const of: [number, string][] = [];
    if (s.deiHours > 0) of.push([s.deiHours, 'DEI']);
    if (s.rscTopicHours > 0) of.push([s.rscTopicHours, 'on providing RSC']);
    // "1 of them DEI and 3 on providing RSC": only the first part says "of them".
    const detail = of.map(([h, what], i) => `${missingHours(h)}${i === 0 ? ' of them' : ''} ${what}`).join(' and ');
    parts.push(`${missingHours(take)} more CE ${hoursWord(take)}${detail ? `, ${detail}` : ''}`);
  }
  if (s.rscHours > 0) parts.push(`${missingHours(s.rscHours)} more ${hoursWord(s.rscHours)} of RSC received`);
  if (s.membership) parts.push(`membership current through ${membershipThrough ?? 'the due date'}`);
  return parts.length > 0 ? `needs ${parts.join('; ')}` : '';
}

/** What an endorsee still misses this cycle, in plain words, and up to `limit` recent trainings that would close it. */
export function outreach(
  result: RenewalResult,
  recentTrainings: Iterable<TrainingSummary>,
  limit = 3,
  /** Training ids the endorsee already has, never suggested again. */
  exclude: Iterable<string> = [],
): Outreach {
  const current = describeShortfall(result.shortfall, result.needed.membershipThrough);
  let missing = current || 'nothing missing';
  if (result.status === 'lapsed') {
    // The previous cycle's gaps are in result.previousShortfall; the words say what happened and what is next.
    const which = result.previousDueDate ? `the cycle due ${result.previousDueDate}` : 'the previous cycle';
    missing = `lapsed: the requirements of ${which} were not met`;
    if (current) missing += `; this cycle ${current}`;
  }
  return { missing, suggestions: suggestTrainings(result, recentTrainings, limit, new Set(exclude)) };
}

/**
 * The trainings outreach can suggest to anyone on an as-of date under the ruleset in force then:
 * those of some hours dated where a current cycle can be (currentCyclesSpan). A renewal job keeps
 * these, once, instead of every training of the association's history, which grows every year.
 */
export function suggestableTrainings(
  trainings: Iterable<TrainingSummary>,
  asOf: IsoDate,
  ruleset: Ruleset,
): TrainingSummary[] {
  const { start, end } = currentCyclesSpan(asOf, ruleset);
  const kept: TrainingSummary[] = [];
  for (const t of trainings) if (t.hours > 0 && t.date >= start && t.date <= end) kept.push(t);
  return kept;
}

/**
 * Trainings dated in the current cycle that add to a short training requirement. Those still ahead on
 * the as-of date come first (the association's calendar lists them; one can still be taken before the
 * due date), then past ones, which the exports mark as past. Within each, best first: those that close
 * the DEI / RSC-topic gaps when those are short, then the most hours towards the CE gap; then, ahead,
 * the soonest; past, the most attended (a proxy for trainings offered again), then the most recent.
 */
function suggestTrainings(
  result: RenewalResult,
  recentTrainings: Iterable<TrainingSummary>,
  limit: number,
  exclude: ReadonlySet<string>,
): TrainingSummary[] {
  const s = result.shortfall;
  const ceGap = toHourUnits(s.ceHours);
  const deiShort = s.deiHours > 0;
  const topicShort = s.rscTopicHours > 0;
  if (limit <= 0 || (ceGap === 0 && !deiShort && !topicShort)) return [];

  const seen = new Set<string>();
  const ranked: { t: TrainingSummary; ahead: boolean; specific: number; towardCe: number }[] = [];
  for (const t of recentTrainings) {
    if (seen.has(t.trainingId) || exclude.has(t.trainingId)) continue;
    seen.add(t.trainingId);
    if (t.date < result.cycleStart || t.date > result.cycleEnd || t.hours <= 0) continue;
    const specific = (deiShort && t.dei ? 1 : 0) + (topicShort && t.rscTopic ? 1 : 0);
    if (specific === 0 && ceGap === 0) continue;
    ranked.push({ t, ahead: isUpcoming(t, result.asOf), specific, towardCe: Math.min(toHourUnits(t.hours), ceGap) });
  }
  const byDate = (a: TrainingSummary, b: TrainingSummary) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  ranked.sort(
    (a, b) =>
      Number(b.ahead) - Number(a.ahead) ||
      b.specific - a.specific ||
      b.towardCe - a.towardCe ||
      (a.ahead ? byDate(a.t, b.t) : b.t.attendees - a.t.attendees || byDate(b.t, a.t)) ||
      (a.t.trainingId < b.t.trainingId ? -1 : a.t.trainingId > b.t.trainingId ? 1 : 0),
  );
  return ranked.slice(0, limit).map((r) => r.t);
}
