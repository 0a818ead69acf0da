/** Deduplicates one person's roster rows into trainings, so a repeated or re-uploaded row never counts twice. */
import type { Attendance, TrainingRecord } from '../model.js';

/**
 * Orders the rows that could describe a training: completed rows first, then the latest date, then the most hours,
 * then the remaining fields. Being a total order, it makes the result independent of the order rows arrive in
 * (DynamoDB pages and re-uploads give no useful order).
 */
function preferred(a: Attendance, b: Attendance): Attendance {
  if (a.completed !== b.completed) return a.completed ? a : b;
  if (a.trainingDate !== b.trainingDate) return a.trainingDate > b.trainingDate ? a : b;
  if (a.hours !== b.hours) return a.hours > b.hours ? a : b;
  return tieKey(a) >= tieKey(b) ? a : b;
}

function tieKey(a: Attendance): string {
  return JSON.stringify([a.dei, a.rscTopic, [...a.competencies].sort(), a.trainingTitle ?? '']);
}

/**
 * One record per training id for one person's attendances: completed when any row is completed, and when rows
 * disagree on date, hours, flags or competencies the values come from one completed row (see `preferred`), never a mix.
 */
export function mergeTrainings(attendances: readonly Attendance[]): TrainingRecord[] {
  const chosen = new Map<string, Attendance>();
  const titles = new Map<string, string>();
  for (const row of attendances) {
    const current = chosen.get(row.trainingId);
    chosen.set(row.trainingId, current ? preferred(current, row) : row);
    if (row.trainingTitle && !titles.has(row.trainingId)) titles.set(row.trainingId, row.trainingTitle);
  }
  const records: TrainingRecord[] = [];
  for (const [trainingId, row] of chosen) {
    const title = row.trainingTitle ?? titles.get(trainingId);
    records.push({
      trainingId,
      ...(title === undefined ? {} : { title }),
      date: row.trainingDate,
      hours: row.hours,
      competencies: [...new Set(row.competencies)].sort(),
      dei: row.dei,
      rscTopic: row.rscTopic,
      completed: row.completed,
    });
  }
  return records.sort((a, b) => (a.trainingId < b.trainingId ? -1 : a.trainingId > b.trainingId ? 1 : 0));
}
