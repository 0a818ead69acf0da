/**
 * A composed message as an RFC 5322 message (MIME, multipart/alternative: plain text and HTML), built
 * by nodemailer's MailComposer, which encodes non-ASCII headers (RFC 2047) and bodies. SES sends these
 * bytes as they are and the local outbox files them, so what a test reads is what AWS would send.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage } from '#core/notify/message.js';

export interface MimeOptions {
  /** The Date header (default now). */
  date?: Date;
}

export async function toMime(message: OutgoingMessage, options: MimeOptions = {}): Promise<Buffer> {
  const domain = message.from.address.split('@')[1] ?? 'localhost';
  const composer = new MailComposer({
    from: { name: message.from.name, address: message.from.address },
    to: [...message.to],
    subject: message.subject,
    text: message.text,
    html: message.html,
    date: options.date ?? new Date(),
    messageId: `<${randomUUID()}@${domain}>`,
    // Which email this is, for mail rules ("Emails" in docs/operations.md names each).
    headers: { 'X-IECMH-Message': message.kind, 'Auto-Submitted': 'auto-generated' },
    // Only the strings given here go into a message: never a file or a URL named in the content.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
