/**
 * What the emails to administrators need besides their content: who sends them, who gets them, how
 * much each lists, and when the weekly digest goes (config/notifications.json, validated here).
 * A deployment sets its own sender and administrators in infra/config.ts; the shipped file holds the
 * defaults, which `iecmh` uses for its outbox (docs/operations.md, "Emails").
 */
import { z } from 'zod';
import shippedFile from '#config/notifications.json' with { type: 'json' };
import { parseOrThrow } from '../validate.js';

/** A sender: the address SES sends from (a verified identity in AWS) and the name mail clients show. */
export const MailSender = z.strictObject({
  name: z.string().min(1).max(100),
  address: z.email(),
});
export type MailSender = z.infer<typeof MailSender>;

/** EventBridge Scheduler cron: six fields (minutes hours day-of-month month day-of-week year). */
export const ScheduleCron = z.string().regex(/^cron\((\S+ ){5}\S+\)$/, {
  message: 'must be an EventBridge Scheduler cron(...) expression with six fields',
});

export const NotificationSettingsSchema = z.strictObject({
  $comment: z.string().optional(),
  sender: MailSender,
  /** Who gets every email: the association's administrators (each address once). */
  administrators: z
    .array(z.email())
    .min(1)
    .max(50)
    .refine((list) => new Set(list.map((a) => a.toLowerCase())).size === list.length, {
      message: 'lists an address twice',
    }),
  rejectedRows: z.strictObject({
    /** Rejected rows listed in the email; the receipt holds the rest. */
    maxRowsListed: z.number().int().min(1).max(200),
  }),
  digest: z.strictObject({
    /** When the weekly digest goes (in AWS; locally `iecmh digest` sends it when run). */
    schedule: ScheduleCron,
    /** People listed per section of the digest; the rest are counted. */
    maxPeopleListed: z.number().int().min(1).max(500),
  }),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export class InvalidNotificationSettingsError extends Error {
  override name = 'InvalidNotificationSettingsError';
}

/** Validates parsed notification settings; the error names the source and each bad field. */
export function parseNotificationSettings(data: unknown, source: string): NotificationSettings {
  return parseOrThrow(
    NotificationSettingsSchema,
    data,
    `notification settings ${source} are invalid`,
    InvalidNotificationSettingsError,
  );
}

let shipped: NotificationSettings | undefined;

/** The shipped settings (config/notifications.json), validated once. */
export function defaultNotificationSettings(): NotificationSettings {
  shipped ??= parseNotificationSettings(shippedFile, 'config/notifications.json');
  return shipped;
}
