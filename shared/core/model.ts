/** The domain records ingest produces and the rules consume. Dates are ISO `YYYY-MM-DD` strings. */
import type { CategoryCode } from './reference/reference.js';
import type { EducationLevel } from './rules/ruleset.js';

export type IsoDate = string;

export const INPUT_KINDS = ['applicants', 'rosters', 'rsc', 'endorsements', 'trainings'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Demographic and workforce fields reported (in aggregate only) to policymakers. */
export interface Demographics {
  /** SPD-15 category names chosen by the person (zero, one or several). */
  raceEthnicity: string[];
  primaryLanguage?: string;
  gender?: string;
  /** 5-digit FIPS code. */
  county?: string;
  sector?: string;
}

/** A row of the applicant list: someone seeking a category. */
export interface Applicant extends Demographics {
  personId: string;
  firstName: string;
  lastName: string;
  /** Lower-cased, trimmed. */
  email: string;
  category: CategoryCode;
  status?: string;
  applicationDate?: IsoDate;
  education: EducationLevel;
  workExperienceMonths: number;
  examPassed: boolean;
  references: number;
  codeOfEthicsSigned: boolean;
  membershipExpiresOn?: IsoDate;
  county: string;
  employer?: string;
}

/** A row of a training roster: one attendee of one training. */
export interface Attendance {
  trainingId: string;
  trainingTitle?: string;
  trainingDate: IsoDate;
  hours: number;
  /** Competency codes such as "1F.3", normalised. */
  competencies: string[];
  dei: boolean;
  rscTopic: boolean;
  provider?: string;
  /** The attendee: by person id when given, else by email (lower-cased, trimmed). */
  personId?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  completed: boolean;
}

/** A reflective supervision/consultation session received. */
export interface RscSession {
  personId: string;
  sessionDate: IsoDate;
  hours: number;
  providerName?: string;
  providerCategory?: string;
  format?: string;
}

/** A current endorsee. */
export interface Endorsee extends Demographics {
  personId: string;
  category: CategoryCode;
  endorsedOn: IsoDate;
  membershipExpiresOn?: IsoDate;
  firstName?: string;
  lastName?: string;
  email?: string;
}

/**
 * A row of the association's training calendar (the `trainings` kind): a training as the
 * association announces it, past or upcoming. No person is named in it.
 */
export interface CalendarTraining {
  trainingId: string;
  title: string;
  date: IsoDate;
  hours: number;
  /** Competency codes such as "1F.3", normalised. */
  competencies: string[];
  dei: boolean;
  rscTopic: boolean;
  provider?: string;
  /** Where to register: an http(s) address. */
  registrationUrl?: string;
}

/** What a training is, as its roster rows describe it. */
interface TrainingFacts {
  trainingId: string;
  title?: string;
  date: IsoDate;
  hours: number;
  competencies: string[];
  dei: boolean;
  rscTopic: boolean;
}

/** A training as the rules see it for one person: deduplicated by training id. */
export interface TrainingRecord extends TrainingFacts {
  /** True when any row of this training for this person is completed. */
  completed: boolean;
}

/**
 * A training as seen across all rosters and the association's calendar, for pointing people to
 * trainings that close a gap. When the calendar lists it, its description is the calendar's
 * (docs/domain.md, "Suggested trainings").
 */
export interface TrainingSummary extends TrainingFacts {
  provider?: string;
  /** Distinct attendees with a completed attendance. */
  attendees: number;
  /** True when the association's training calendar lists it. */
  listed?: boolean;
  /** Where to register, from the calendar. */
  registrationUrl?: string;
}
