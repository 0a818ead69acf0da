/**
 * The local stand-in for SES: every email the pipeline would send to administrators is written to
 * `<state>/outbox/` as an `.eml` file (docs/operations.md, "Emails"), from the sender and to the
 * administrators of config/notifications.json. Erasing a person removes the messages that name them.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { type OutboxMailer, outboxMailer } from '#adapters/mail/outbox.js';
import { defaultNotificationSettings } from '#core/notify/settings.js';
import type { ReceiptNotifier } from '#services/notify-receipt.js';
import type { DigestDeps } from '#services/weekly-digest.js';
import type { EmbeddedStack } from './embedded.js';

export const outboxDir = (stateDir: string) => join(stateDir, 'outbox');

/** The outbox of a state folder, telling `onSent` of each file written. */
export function localMailer(stateDir: string, onSent?: (path: string) => void): OutboxMailer {
  const outbox = outboxMailer(outboxDir(stateDir));
  return {
    dir: outbox.dir,
    async send(message) {
      const sent = await outbox.send(message);
      onSent?.(sent.id);
      return sent;
    },
  };
}

/** The rejected-rows email of the local stack. */
export function localReceiptNotifier(stateDir: string, onSent?: (path: string) => void): ReceiptNotifier {
  const settings = defaultNotificationSettings();
  return {
    mailer: localMailer(stateDir, onSent),
    from: settings.sender,
    to: settings.administrators,
    maxRowsListed: settings.rejectedRows.maxRowsListed,
    whereToRead: ({ key }) => [
      `receipts/${key.slice(key.indexOf('/') + 1)}.json in the --out folder of npx iecmh run.`,
      `npx iecmh serve: the web app lists each upload with its receipt (${key}).`,
    ],
  };
}

/** The weekly digest's dependencies on the local stack. */
export function localDigestDeps(stack: EmbeddedStack): DigestDeps {
  const settings = defaultNotificationSettings();
  return {
    ddb: stack.ddb,
    tableName: stack.tableName,
    mailer: localMailer(stack.stateDir),
    from: settings.sender,
    to: settings.administrators,
    maxPeopleListed: settings.digest.maxPeopleListed,
    whereToRead: [
      'admin/eligibility.csv, admin/renewals.csv and admin/outreach.csv in the --out folder of npx iecmh run.',
      'npx iecmh serve: the web app downloads the same exports.',
    ],
  };
}

/**
 * Deletes the outbox messages that name any of `needles` (person ids, emails), read decoded (a
 * quoted-printable body can split a word across lines), letter case ignored. Returns how many went.
 */
export async function deleteOutboxMessagesNaming(stateDir: string, needles: readonly string[]): Promise<number> {
  const dir = outboxDir(stateDir);
  if (needles.length === 0 || !existsSync(dir)) return 0;
  const wanted = needles.map((n) => n.toLowerCase());
  let deleted = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.eml')) continue;
    const path = join(dir, name);
    const raw = readFileSync(path);
    const mail = await PostalMime.parse(raw);
    const text = [raw.toString('utf8'), mail.subject ?? '', mail.text ?? '', mail.html ?? ''].join('\n').toLowerCase();
    if (!wanted.some((n) => text.includes(n))) continue;
    rmSync(path);
    deleted++;
  }
  return deleted;
}
