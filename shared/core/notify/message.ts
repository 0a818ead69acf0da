/**
 * An email to administrators as the core composes it, and the port that sends it. The core writes
 * the words (subject, plain text, a simple HTML twin); an adapter turns them into a MIME message and
 * sends it (SES in AWS) or files it (the local outbox). Nothing here knows how.
 */
import type { MailSender } from './settings.js';

/** Which email a message is (docs/operations.md, "Emails"). */
export type MessageKind = 'rejected-rows' | 'weekly-digest';

/** What a message says: the same content as plain text and as HTML. */
export interface ComposedMessage {
  kind: MessageKind;
  subject: string;
  text: string;
  html: string;
}

/** A composed message with its sender and recipients. */
export interface OutgoingMessage extends ComposedMessage {
  from: MailSender;
  to: readonly string[];
}

/** Sends (or files) a message; the id is the provider's message id or the outbox file. */
export interface Mailer {
  send(message: OutgoingMessage): Promise<{ id: string }>;
}

/** Text made safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A minimal HTML document around a body: no script, no remote content, readable in any mail client. */
export function htmlDocument(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.4; color: #1a1a1a">',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** "1 row" / "3 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
