/**
 * The email after an upload whose receipt has rejected rows, or that could not be read
 * (docs/operations.md, "Emails"). Mail is a courtesy on top of the receipt: a failure to send is
 * logged and never fails the ingest, whose receipt is already written.
 */
import type { Mailer } from '../core/notify/message.js';
import { needsRejectedRowsEmail, rejectedRowsMessage } from '../core/notify/rejected-rows.js';
import type { MailSender } from '../core/notify/settings.js';
import type { IngestOutcome } from './ingest-object.js';

export interface ReceiptNotifier {
  mailer: Mailer;
  from: MailSender;
  to: readonly string[];
  maxRowsListed: number;
  /** Where the administrator reads this upload's whole receipt, one sentence per way. */
  whereToRead: (upload: { key: string; receiptKey: string }) => readonly string[];
  /** Logs ids and counts (the upload's key), never the message. */
  log?: (message: string, data?: Record<string, unknown>) => void;
}

export type NotifyResult = { sent: string } | 'not needed' | 'failed';

/** Sends the rejected-rows email when the outcome calls for one; never throws. */
export async function notifyRejectedRows(n: ReceiptNotifier, outcome: IngestOutcome): Promise<NotifyResult> {
  if (outcome.change !== 'ingested' || !needsRejectedRowsEmail(outcome.receipt)) return 'not needed';
  const key = `${outcome.kind}/${outcome.receipt.file}`;
  try {
    const message = rejectedRowsMessage({
      receipt: outcome.receipt,
      uploadKey: key,
      whereToRead: n.whereToRead({ key, receiptKey: outcome.receiptKey }),
      maxRowsListed: n.maxRowsListed,
    });
    const { id } = await n.mailer.send({ ...message, from: n.from, to: n.to });
    n.log?.('rejected-rows email sent', { key, rejected: outcome.receipt.rejected, messageId: id });
    return { sent: id };
  } catch (err) {
    // The error's name only: SES's messages quote addresses, and logs hold no emails.
    n.log?.('rejected-rows email NOT sent; the receipt is written', {
      key,
      error: err instanceof Error ? err.name : 'unknown',
    });
    return 'failed';
  }
}
