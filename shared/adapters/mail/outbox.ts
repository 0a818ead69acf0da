/**
 * The Mailer of the local stack: each message is written as an `.eml` file (RFC 5322, the bytes SES
 * would send) to an outbox folder, `<state>/outbox/`, where a mail client or a test can open it.
 * File names say when and which email, never a person or an upload's name.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mailer } from '#core/notify/message.js';
import { toMime } from './mime.js';

export interface OutboxMailer extends Mailer {
  readonly dir: string;
}

export function outboxMailer(dir: string): OutboxMailer {
  return {
    dir,
    async send(message) {
      const date = new Date();
      const bytes = await toMime(message, { date });
      // Readable only by this user, like the state folder it lives in: a digest names people.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stamp = date.toISOString().replaceAll(':', '').replace('.', '-');
      const path = join(dir, `${stamp}-${message.kind}-${randomBytes(3).toString('hex')}.eml`);
      writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
      return { id: path };
    },
  };
}
