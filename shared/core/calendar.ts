/**
 * The association's training calendar beside the rosters (docs/domain.md, "Suggested trainings"):
 * which description of a training counts, and which trainings are still ahead on a date.
 */
import type { CalendarTraining, IsoDate, TrainingSummary } from './model.js';

/**
 * A training as suggestions and a person's file show it. When the calendar lists it, the calendar's
 * title, date, hours, competencies and flags count (the association's official description), its
 * provider when it names one, and its registration link; attendance comes from the rosters alone.
 * What an attendee is credited stays what their roster row says (docs/domain.md): the calendar
 * describes a training, it does not record who attended it or for how long.
 */
export function describedTraining(
  roster: TrainingSummary | undefined,
  calendar: CalendarTraining | undefined,
): TrainingSummary | undefined {
  if (!calendar) return roster;
  return {
    trainingId: calendar.trainingId,
    title: calendar.title,
    date: calendar.date,
    hours: calendar.hours,
    competencies: calendar.competencies,
    dei: calendar.dei,
    rscTopic: calendar.rscTopic,
    provider: calendar.provider ?? roster?.provider,
    attendees: roster?.attendees ?? 0,
    listed: true,
    registrationUrl: calendar.registrationUrl,
  };
}

/** Whether a training is still ahead on `asOf`: dated after it (a training on `asOf` itself has begun). */
export function isUpcoming(training: { date: IsoDate }, asOf: IsoDate): boolean {
  return training.date > asOf;
}

/**
 * How a suggested training reads in the administrators' exports: an upcoming one with its date and
 * where to register, a past one marked as past, so it is never taken for something to sign up for.
 */
export function trainingWhen(training: { date: IsoDate; registrationUrl?: string }, asOf: IsoDate): string {
  if (!isUpcoming(training, asOf)) return `past, ${training.date}`;
  return training.registrationUrl
    ? `upcoming, ${training.date}, register at ${training.registrationUrl}`
    : `upcoming, ${training.date}`;
}
