/** Small builders for eligibility fixtures: each starts from a plain valid record and takes the fields a test cares about. */
import type { Applicant, Attendance, RscSession, TrainingRecord, TrainingSummary } from '#core/model.js';

export const AS_OF = '2026-11-25';

/** The codes with an Essential entry for the specialist tier, read by hand from the crosswalk (the seed in config/catalog/). */
export const SPECIALIST_CODES = [
  '1A.1',
  '1A.2',
  '1A.3',
  '1B.2',
  '1B.3',
  '1B.4',
  '1C.1',
  '1C.2',
  '1C.3',
  '1C.4',
  '1D.2',
  '1D.4',
  '1E.1',
  '1E.2',
  '1F.1',
  '1F.3',
  '1F.4',
  '1F.5',
  '1G.1',
];
/** The mental health specialist tier adds the two Essential "(MHS)" entries. */
export const MHS_CODES = [...SPECIALIST_CODES, '1B.1', '1D.3'];
/** The mentor tier adds the one "(MHM)" entry. */
export const MENTOR_CODES = [...MHS_CODES, '1H.1'];

/** An applicant who meets every non-hour requirement of any category (master's degree, 36 months of work). */
export function applicant(overrides: Partial<Applicant> = {}): Applicant {
  return {
    personId: 'P1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.org',
    category: 'IFS',
    education: 'master',
    workExperienceMonths: 36,
    examPassed: true,
    references: 3,
    codeOfEthicsSigned: true,
    membershipExpiresOn: '2027-06-30',
    county: '55025',
    raceEthnicity: [],
    ...overrides,
  };
}

/** A completed training of 1 hour dated well before AS_OF, with no competencies or flags. */
export function training(overrides: Partial<TrainingRecord> = {}): TrainingRecord {
  return {
    trainingId: 'T1',
    date: '2026-01-15',
    hours: 1,
    competencies: [],
    dei: false,
    rscTopic: false,
    completed: true,
    ...overrides,
  };
}

/** One roster row: person P1 completed training T1 (1 hour). */
export function attendance(overrides: Partial<Attendance> = {}): Attendance {
  return {
    trainingId: 'T1',
    trainingDate: '2026-01-15',
    hours: 1,
    competencies: [],
    dei: false,
    rscTopic: false,
    personId: 'P1',
    completed: true,
    ...overrides,
  };
}

/** An RSC session received by P1. */
export function rsc(sessionDate: string, hours: number): RscSession {
  return { personId: 'P1', sessionDate, hours };
}

/** A training as seen across rosters, for suggestions. */
export function summary(overrides: Partial<TrainingSummary> = {}): TrainingSummary {
  return {
    trainingId: 'S1',
    date: '2026-01-15',
    hours: 3,
    competencies: [],
    dei: false,
    rscTopic: false,
    attendees: 1,
    ...overrides,
  };
}

export interface HourPlan {
  /** Total completed training hours. */
  total: number;
  /** Of which DEI. */
  dei?: number;
  /** Of which on providing RSC. */
  rscTopic?: number;
  /** Competency codes to cover (carried by the general training). */
  codes?: readonly string[];
}

/**
 * Trainings adding up to exactly `total` hours: a DEI training, an RSC-topic training and a general training that
 * carries the competency codes and the rest of the hours.
 */
export function trainingsFor({ total, dei = 0, rscTopic = 0, codes = [] }: HourPlan): TrainingRecord[] {
  const rows = [training({ trainingId: 'GEN', hours: total - dei - rscTopic, competencies: [...codes] })];
  if (dei > 0) rows.push(training({ trainingId: 'DEI', hours: dei, dei: true }));
  if (rscTopic > 0) rows.push(training({ trainingId: 'RSCT', hours: rscTopic, rscTopic: true }));
  return rows;
}

/** RSC sessions inside the window before AS_OF adding up to `hours` (in sessions of at most 10 hours). */
export function rscFor(hours: number): RscSession[] {
  const sessions: RscSession[] = [];
  let left = hours;
  let month = 1;
  while (left > 0) {
    const h = Math.min(10, left);
    sessions.push(rsc(`2026-${String(month).padStart(2, '0')}-10`, h));
    left -= h;
    month += 1;
  }
  return sessions;
}
