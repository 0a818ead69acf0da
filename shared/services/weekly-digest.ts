/**
 * The weekly digest (docs/operations.md, "Emails"): reads everyone's stored evaluation and renewal
 * status (as the evaluation and renewal jobs left them, so it says what admin/eligibility.csv and
 * admin/renewals.csv say), compares each person with what the last digest sent saw of them, emails
 * the administrators, and only then records this digest as the one to compare with next time.
 */
import { randomUUID } from 'node:crypto';
import type { Clients } from '../adapters/clients.js';
import {
  type DigestMark,
  type DigestState,
  type MarkChange,
  putDigestState,
  readDigestState,
  scanForDigest,
} from '../adapters/dynamo/digest-store.js';
import { addToDigest, type DigestStanding, digestMessage, NO_STANDING, newDigest } from '../core/notify/digest.js';
import type { Mailer } from '../core/notify/message.js';
import type { MailSender } from '../core/notify/settings.js';

export interface DigestDeps extends Pick<Clients, 'ddb'> {
  tableName: string;
  mailer: Mailer;
  from: MailSender;
  to: readonly string[];
  maxPeopleListed: number;
  /** Where administrators find everyone (the exports), one sentence per way. */
  whereToRead: readonly string[];
}

export interface DigestSummary {
  asOf: string;
  /** The as-of date of the digest this one compared with; absent for the first. */
  since?: string;
  newlyEligible: number;
  newlyAtRisk: number;
  lapsingThisMonth: number;
  eligibleNow: number;
  atRiskNow: number;
  people: number;
  marksWritten: number;
  /** The message id SES gave, or the outbox file. */
  messageId: string;
}

/** What the last digest sent saw of a person: its `now` if the mark is that digest's, else what that run compared with. */
export function standingBefore(mark: DigestMark | undefined, last: DigestState | undefined): DigestStanding {
  if (!mark) return NO_STANDING;
  return last !== undefined && mark.run === last.run ? mark.now : mark.before;
}

const nothing = (s: DigestStanding) => !s.eligible && !s.atRisk;

export async function sendWeeklyDigest(deps: DigestDeps, asOf: string): Promise<DigestSummary> {
  const last = await readDigestState(deps.ddb, deps.tableName);
  const run = `${new Date().toISOString()}#${randomUUID().slice(0, 8)}`;
  const digest = newDigest(asOf, last?.asOf, deps.maxPeopleListed);
  const stats = await scanForDigest(deps.ddb, deps.tableName, ({ today, mark }): MarkChange => {
    const before = standingBefore(mark, last);
    // Nobody judged any more (their upload withdrawn): nothing to compare with next time.
    if (!today) return mark ? 'delete' : undefined;
    const now = addToDigest(digest, today, before);
    // Marks are kept only for what differs from "neither eligible nor at risk", which no mark means.
    if (nothing(now) && nothing(before)) return mark ? 'delete' : undefined;
    return { put: { run, now, before } };
  });
  const message = digestMessage(digest, deps.whereToRead);
  const sent = await deps.mailer.send({ ...message, from: deps.from, to: deps.to });
  await putDigestState(deps.ddb, deps.tableName, { run, asOf, sentAt: new Date().toISOString() });
  return {
    asOf,
    ...(last ? { since: last.asOf } : {}),
    newlyEligible: digest.newlyEligible.count,
    newlyAtRisk: digest.newlyAtRisk.count,
    lapsingThisMonth: digest.lapsingThisMonth.count,
    eligibleNow: digest.eligibleNow,
    atRiskNow: digest.atRiskNow,
    people: stats.people,
    marksWritten: stats.marksWritten,
    messageId: sent.id,
  };
}
