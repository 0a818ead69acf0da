/** Points a person to trainings, seen in rosters, that would close a competency gap. */
import type { TrainingSummary } from '../model.js';

// Most attended first: a training many people completed is likely to be offered again; then the newest, then by id.
function compare(a: TrainingSummary, b: TrainingSummary): number {
  if (a.attendees !== b.attendees) return b.attendees - a.attendees;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.trainingId < b.trainingId ? -1 : a.trainingId > b.trainingId ? 1 : 0;
}

/** For each missing code, up to `limit` trainings covering it, most attended first (ties: newest, then by id). */
export function suggestTrainings(
  missingCodes: readonly string[],
  trainings: Iterable<TrainingSummary>,
  limit = 3,
): Record<string, TrainingSummary[]> {
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
    result[code] = [...(byCode.get(code)?.values() ?? [])].sort(compare).slice(0, Math.max(0, limit));
  }
  return result;
}
