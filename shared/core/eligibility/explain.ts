/** Plain-language lines for a person's file: the outcome, each gap, and trainings that would close a competency gap. */
import { isUpcoming } from '../calendar.js';
import type { Applicant, IsoDate, TrainingSummary } from '../model.js';
import { categoryOf } from '../reference/reference.js';
import type { Evaluation } from './evaluate.js';

/**
 * One suggested training: one still ahead on `asOf` with where to register; a past one marked as
 * past (it was offered, and may be again, but cannot be signed up for).
 */
function describeTraining(t: TrainingSummary, asOf: IsoDate): string {
  const name = t.title ? `${t.title} (${t.trainingId})` : t.trainingId;
  const people = t.attendees === 1 ? '1 person' : `${t.attendees} people`;
  if (isUpcoming(t, asOf)) {
    const register = t.registrationUrl ? `, register at ${t.registrationUrl}` : '';
    return `${name}, ${t.date} (upcoming), ${t.hours} hours${register}`;
  }
  return `${name}, ${t.date} (past), ${t.hours} hours, completed by ${people}`;
}

/** The evaluation as lines a person can read: outcome first, then one line per gap with any suggested trainings. */
export function explainEvaluation(
  evaluation: Evaluation,
  applicant: Applicant,
  suggestions: Record<string, readonly TrainingSummary[]> = {},
): string[] {
  const category = categoryOf(evaluation.category);
  const lines = [
    `${applicant.firstName} ${applicant.lastName} (${applicant.personId}), ${category.name} (${category.code})`,
  ];
  if (evaluation.eligible) {
    lines.push(`Eligible for ${category.code} on ${evaluation.asOf}`);
  } else {
    const n = evaluation.gaps.length;
    lines.push(
      `Not yet eligible for ${category.code} on ${evaluation.asOf}: ${n} requirement${n === 1 ? '' : 's'} not met`,
    );
    for (const gap of evaluation.gaps) {
      lines.push(`- ${gap.message}`);
      const code = gap.id.startsWith('competency:') ? gap.id.slice('competency:'.length) : undefined;
      for (const t of code === undefined ? [] : (suggestions[code] ?? [])) {
        lines.push(`  - a training that covers it: ${describeTraining(t, evaluation.asOf)}`);
      }
    }
  }
  const coverage = `${evaluation.competenciesCovered} of ${evaluation.competenciesRequired} required competencies covered`;
  lines.push(
    `Counted: ${evaluation.trainingHours} training hours (${evaluation.deiHours} on diversity, equity and inclusion, ${evaluation.rscTopicHours} on providing reflective supervision/consultation), ${evaluation.rscHours} hours of reflective supervision/consultation received from ${evaluation.rscWindowFrom} to ${evaluation.asOf}, ${evaluation.competenciesRequired > 0 ? coverage : `${evaluation.competenciesCovered} competencies covered (none required)`}; ruleset ${evaluation.rulesetId}`,
  );
  return lines;
}
