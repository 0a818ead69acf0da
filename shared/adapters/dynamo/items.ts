/**
 * How domain records become items of the single table. Keys are deterministic, so the same
 * row written twice (a re-uploaded file, an overlapping roster, a repeated event) is one item.
 *
 *   PERSON#<id>   APPLICANT                 the applicant profile
 *   PERSON#<id>   ENDORSEE                  the endorsement
 *   PERSON#<id>   ATT#<training>#<C|N>      a training attended, completed (C) or not (N)
 *   EMAIL#<email> ATT#<training>#<C|N>      the same, for an attendee known only by email
 *   PERSON#<id>   RSC#<date>#<digest>       an RSC session received
 *   TRAINING#<id> TRAINING                  what a training is (title, date, hours, competencies)
 *   FILE#<key>    RECEIPT                   the receipt of an ingested file
 */
import { createHash } from 'node:crypto';
import type { Receipt } from '../../core/ingest/ingest.js';
import type { InputRecord } from '../../core/ingest/schemas.js';
import type { Applicant, Attendance, Endorsee, RscSession } from '../../core/model.js';
import type { Item } from './batch-writer.js';

export const personKey = (personId: string) => `PERSON#${personId}`;
export const emailKey = (email: string) => `EMAIL#${email}`;
export const trainingKey = (trainingId: string) => `TRAINING#${trainingId}`;

function digest(...parts: (string | number | undefined)[]): string {
  return createHash('sha1')
    .update(parts.map((p) => p ?? '').join('\u0001'))
    .digest('base64url')
    .slice(0, 12);
}

export function applicantItem(a: Applicant): Item {
  return { pk: personKey(a.personId), sk: 'APPLICANT', type: 'applicant', ...a };
}

export function endorseeItem(e: Endorsee): Item {
  return { pk: personKey(e.personId), sk: 'ENDORSEE', type: 'endorsee', ...e };
}

/** The attendee's partition: the person when the row names one, else the email (linked later). */
export function attendanceItem(a: Attendance): Item {
  const pk = a.personId !== undefined ? personKey(a.personId) : emailKey(a.email as string);
  return {
    pk,
    sk: `ATT#${a.trainingId}#${a.completed ? 'C' : 'N'}`,
    type: 'attendance',
    trainingId: a.trainingId,
    date: a.trainingDate,
    hours: a.hours,
    competencies: a.competencies,
    dei: a.dei,
    rscTopic: a.rscTopic,
    completed: a.completed,
    personId: a.personId,
    email: a.email,
  };
}

/** What a training is, as rosters describe it (one item per training). */
export function trainingItem(a: Attendance): Item {
  return {
    pk: trainingKey(a.trainingId),
    sk: 'TRAINING',
    type: 'training',
    trainingId: a.trainingId,
    title: a.trainingTitle,
    date: a.trainingDate,
    hours: a.hours,
    competencies: a.competencies,
    dei: a.dei,
    rscTopic: a.rscTopic,
    provider: a.provider,
  };
}

export function rscItem(s: RscSession): Item {
  return {
    pk: personKey(s.personId),
    sk: `RSC#${s.sessionDate}#${digest(s.hours, s.providerName, s.providerCategory, s.format)}`,
    type: 'rsc',
    ...s,
  };
}

/** The receipt's counts (its error list stays in the S3 receipt: an item holds at most 400 KB). */
export function receiptItem(key: string, receipt: Receipt, extra: Record<string, unknown> = {}): Item {
  const { errors, ...counts } = receipt;
  return { pk: `FILE#${key}`, sk: 'RECEIPT', type: 'receipt', ...extra, ...counts, errorCount: errors.length };
}

/** The items one validated record becomes. */
export function itemsOf(input: InputRecord): Item[] {
  switch (input.kind) {
    case 'applicants':
      return [applicantItem(input.record)];
    case 'endorsements':
      return [endorseeItem(input.record)];
    case 'rsc':
      return [rscItem(input.record)];
    case 'rosters':
      return [attendanceItem(input.record)];
  }
}
