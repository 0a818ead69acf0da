/**
 * What the functions that email administrators read from their environment (the Notifications
 * construct sets it): the sender, the administrators, the web app's address; and the SES mailer.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { sesMailer } from '#adapters/mail/ses.js';
import { ADMIN_PREFIX } from '#adapters/table-design.js';
import type { Mailer } from '#core/notify/message.js';
import type { MailSender } from '#core/notify/settings.js';

export const MAIL_ENV = {
  MAIL_FROM: z.email(),
  MAIL_FROM_NAME: z.string().min(1),
  /** Comma-separated addresses. */
  ADMIN_EMAILS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    )
    .pipe(z.array(z.email()).min(1)),
  /** The web app, where administrators read receipts and download the exports; absent: the bucket is named instead. */
  APP_URL: z.url().optional(),
  /** The uploads bucket, named in the emails as where the receipts and exports are. */
  UPLOADS_BUCKET: z.string().min(3),
};

export interface MailEnv {
  MAIL_FROM: string;
  MAIL_FROM_NAME: string;
  ADMIN_EMAILS: string[];
  APP_URL?: string;
  UPLOADS_BUCKET: string;
}

export interface MailDeps {
  mailer: Mailer;
  from: MailSender;
  to: string[];
}

export function sesMailDeps(env: MailEnv): MailDeps {
  return {
    mailer: sesMailer(new SESv2Client({})),
    from: { name: env.MAIL_FROM_NAME, address: env.MAIL_FROM },
    to: env.ADMIN_EMAILS,
  };
}

/** Where an administrator in AWS reads an upload's receipt. */
export function receiptWhereabouts(env: MailEnv, upload: { key: string; receiptKey: string }): string[] {
  return [
    ...(env.APP_URL ? [`In the web app, ${env.APP_URL}: Uploads, then ${upload.key}.`] : []),
    `In the uploads bucket ${env.UPLOADS_BUCKET}: ${upload.receiptKey}.`,
  ];
}

/** Where an administrator in AWS finds everyone, with what each still needs. */
export function exportsWhereabouts(env: MailEnv): string[] {
  return [
    ...(env.APP_URL ? [`In the web app, ${env.APP_URL}: Exports (eligibility, renewals, outreach).`] : []),
    `In the uploads bucket ${env.UPLOADS_BUCKET}: ${ADMIN_PREFIX}eligibility.csv, ${ADMIN_PREFIX}renewals.csv, ${ADMIN_PREFIX}outreach.csv.`,
  ];
}
