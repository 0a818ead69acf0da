/** Points a person to trainings, seen in rosters or on the association's calendar, that would close a competency gap. */
import { isUpcoming } from '../calendar.js';
import type { IsoDate, TrainingSummary } from '../model.js';

// Most attended first: a training many people completed is likely to be offered again; then the newest, then by id.
function compare(a: TrainingSummary, b: TrainingSummary): number {
  if (a.attendees !== b.attendees) return b.attendees - a.attendees;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.trainingId < b.trainingId ? -1 : a.trainingId > b.trainingId ? 1 : 0;
}

/**
 * Trainings still ahead on `asOf` come before those that are past, the soonest first (one a person
 * can still sign up for is worth more than one that was popular); past ones as `compare` orders them.
 */
function compareOn(asOf: IsoDate | undefined): (a: TrainingSummary, b: TrainingSummary) => number {
  if (asOf === undefined) return compare;
  return (a, b) => {
    const ahead = isUpcoming(a, asOf);
    if (ahead !== isUpcoming(b, asOf)) return ahead ? -1 : 1;
    if (ahead && a.date !== b.date) return a.date < b.date ? -1 : 1;
    return compare(a, b);
  };
}

/**
 * For each missing code, up to `limit` trainings covering it: given `asOf`, those still ahead
 * first (soonest first), then the past ones most attended first (ties: newest, then by id).
 */
export function suggestTrainings(
  missingCodes: readonly string[],
  trainings: Iterable<TrainingSummary>,
  limit = 3,
  asOf?: IsoDate,
): Record<string, TrainingSummary[]> {
  const order = compareOn(asOf);
  const wanted = new Set(missingCodes);
  const byCode = new Map<string, Map<string, TrainingSummary>>();
  for (const code of wanted) byCode.set(code, new Map());
  for (const t of trainings) {
    for (const code of new Set(t.competencies)) {
      const list = byCode.get(code);
      if (!list) continue;
      // The same training listed twice keeps its better-attended summary.
      const seen = list.get(t.trainingId);
      if (!seen || compare(t, seen) < 0) list.set(t.trainingId, t);
    }
  }
  const result: Record<string, TrainingSummary[]> = {};
  for (const code of [...wanted].sort()) {
    result[code] = [...(byCode.get(code)?.values() ?? [])].sort(order).slice(0, Math.max(0, limit));
  }
  return result;
}
