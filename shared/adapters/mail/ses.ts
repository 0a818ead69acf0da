/** The Mailer that sends through Amazon SES (v2 API), as the raw MIME message the outbox would file. */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#core/notify/message.js';
import { toMime } from './mime.js';

export function sesMailer(client: SESv2Client): Mailer {
  return {
    async send(message) {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from.address,
          Destination: { ToAddresses: [...message.to] },
          Content: { Raw: { Data: await toMime(message) } },
        }),
      );
      return { id: out.MessageId ?? '' };
    },
  };
}
