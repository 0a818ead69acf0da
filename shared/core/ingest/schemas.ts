/** One zod schema per input kind: a row of raw cells in, a domain record out. */
import { z } from 'zod';
import type { Applicant, Attendance, CalendarTraining, Endorsee, InputKind, RscSession } from '../model.js';
import { calendarTitle, registrationUrl } from './calendar-fields.js';
import {
  category,
  competencies,
  county,
  date,
  education,
  email,
  flag,
  hours,
  identifier,
  LIMITS,
  optionalText,
  personName,
  raceEthnicity,
  wholeNumber,
} from './fields.js';

/** The most hours one roster row or RSC session may claim before it is taken for a typing error. */
export const MAX_TRAINING_HOURS = 200;
/** A session cannot be longer than a day; one of more than config/ingest/plausibility.json allows is warned of. */
export const MAX_RSC_SESSION_HOURS = 24;

const demographics = {
  race_ethnicity: raceEthnicity(),
  primary_language: optionalText(LIMITS.name),
  gender: optionalText(LIMITS.name),
  sector: optionalText(LIMITS.text),
};

export const ApplicantRow = z
  .object({
    person_id: identifier(true),
    first_name: personName(true),
    last_name: personName(true),
    email: email(true),
    category: category(),
    status: optionalText(LIMITS.name),
    application_date: date(false),
    education: education(),
    work_experience_months: wholeNumber(1200),
    exam_passed: flag(false),
    references: wholeNumber(20, 0),
    code_of_ethics_signed: flag(false),
    membership_expires_on: date(false),
    county: county(true),
    employer: optionalText(LIMITS.text),
    ...demographics,
  })
  .transform(
    (r): Applicant => ({
      personId: r.person_id as string,
      firstName: r.first_name as string,
      lastName: r.last_name as string,
      email: r.email as string,
      category: r.category,
      status: r.status,
      applicationDate: r.application_date,
      education: r.education,
      workExperienceMonths: r.work_experience_months,
      examPassed: r.exam_passed,
      references: r.references,
      codeOfEthicsSigned: r.code_of_ethics_signed,
      membershipExpiresOn: r.membership_expires_on,
      county: r.county as string,
      employer: r.employer,
      raceEthnicity: r.race_ethnicity,
      primaryLanguage: r.primary_language,
      gender: r.gender,
      sector: r.sector,
    }),
  );

/** The cells of a roster row that describe the training: the same on every attendee's row of it. */
const rosterTrainingFields = {
  training_id: identifier(true),
  training_title: optionalText(LIMITS.title),
  training_date: date(true),
  hours: hours(MAX_TRAINING_HOURS),
  competencies: competencies(),
  dei: flag(false),
  rsc_topic: flag(false),
  provider: optionalText(LIMITS.text),
};
/** The cells of a roster row that describe the attendee. */
const rosterAttendeeFields = {
  person_id: identifier(false),
  email: email(false),
  first_name: personName(false),
  last_name: personName(false),
  completed: flag(true),
};
export const ROSTER_TRAINING_COLUMNS = Object.keys(rosterTrainingFields) as (keyof typeof rosterTrainingFields)[];

type RosterTraining = z.output<z.ZodObject<typeof rosterTrainingFields>>;
type RosterAttendee = z.output<z.ZodObject<typeof rosterAttendeeFields>>;

/** The problem with an attendee no training can be credited to, if so (checked once every cell is valid). */
export function uncreditable(r: RosterAttendee): RowIssue | undefined {
  if (r.person_id !== undefined || r.email !== undefined) return undefined;
  return {
    path: ['person_id'],
    message: 'the attendee has neither a person_id nor an email, so the training cannot be credited to anyone',
  };
}

/** A problem with one row: the column (`path[0]`) and what is wrong. */
export interface RowIssue {
  path: readonly PropertyKey[];
  message: string;
}

function someoneToCredit(r: RosterAttendee, ctx: z.core.$RefinementCtx<RosterAttendee>) {
  const issue = uncreditable(r);
  if (issue) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
}

/** One attendance from the two halves of a roster row. */
export function attendanceOf(t: RosterTraining, a: RosterAttendee): Attendance {
  return {
    trainingId: t.training_id as string,
    trainingTitle: t.training_title,
    trainingDate: t.training_date as string,
    hours: t.hours,
    competencies: t.competencies,
    dei: t.dei,
    rscTopic: t.rsc_topic,
    provider: t.provider,
    // An attendee is identified by person_id when given; the email is kept only to link email-only rows.
    personId: a.person_id,
    email: a.person_id === undefined ? a.email : undefined,
    firstName: a.first_name,
    lastName: a.last_name,
    completed: a.completed,
  };
}

/** The training half of a roster row, validated once per distinct training by the ingest (see readers.ts). */
export const RosterTrainingPart = z.object(rosterTrainingFields);
/** The attendee half of a roster row (the reader applies `uncreditable` once both halves are valid). */
export const RosterAttendeePart = z.object(rosterAttendeeFields);

/** A whole roster row: the two halves above, checked together. */
export const RosterRow = z
  .object({ ...rosterTrainingFields, ...rosterAttendeeFields })
  .superRefine(someoneToCredit)
  .transform((r): Attendance => attendanceOf(r, r));

export const RscRow = z
  .object({
    person_id: identifier(true),
    session_date: date(true),
    hours: hours(MAX_RSC_SESSION_HOURS),
    provider_name: optionalText(LIMITS.name),
    provider_category: optionalText(LIMITS.name),
    format: optionalText(LIMITS.name),
  })
  .transform(
    (r): RscSession => ({
      personId: r.person_id as string,
      sessionDate: r.session_date as string,
      hours: r.hours,
      providerName: r.provider_name,
      providerCategory: r.provider_category,
      format: r.format,
    }),
  );

export const EndorsementRow = z
  .object({
    person_id: identifier(true),
    category: category(),
    endorsed_on: date(true),
    membership_expires_on: date(false),
    first_name: personName(false),
    last_name: personName(false),
    email: email(false),
    county: county(false),
    ...demographics,
  })
  .transform(
    (r): Endorsee => ({
      personId: r.person_id as string,
      category: r.category,
      endorsedOn: r.endorsed_on as string,
      membershipExpiresOn: r.membership_expires_on,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      county: r.county,
      raceEthnicity: r.race_ethnicity,
      primaryLanguage: r.primary_language,
      gender: r.gender,
      sector: r.sector,
    }),
  );

/**
 * A row of the association's training calendar: the training's cells as a roster gives them
 * (the same rules: dates, hours, competency codes, yes/no), with a title required and where to
 * register.
 */
export const CalendarRow = z
  .object({
    ...rosterTrainingFields,
    training_title: calendarTitle(),
    registration_url: registrationUrl(),
  })
  .transform(
    (r): CalendarTraining => ({
      trainingId: r.training_id as string,
      title: r.training_title as string,
      date: r.training_date as string,
      hours: r.hours,
      competencies: r.competencies,
      dei: r.dei,
      rscTopic: r.rsc_topic,
      provider: r.provider,
      registrationUrl: r.registration_url,
    }),
  );

export type InputRecord =
  | { kind: 'applicants'; record: Applicant }
  | { kind: 'rosters'; record: Attendance }
  | { kind: 'rsc'; record: RscSession }
  | { kind: 'endorsements'; record: Endorsee }
  | { kind: 'trainings'; record: CalendarTraining };

export const ROW_SCHEMAS = {
  applicants: ApplicantRow,
  rosters: RosterRow,
  rsc: RscRow,
  endorsements: EndorsementRow,
  trainings: CalendarRow,
} satisfies Record<InputKind, z.ZodType>;
