/** Lambda entry point of the weekly digest. */
import { awsClients } from '#adapters/clients.js';
import { defaultNotificationSettings } from '#core/notify/settings.js';
import { RESOURCE_NAME, readEnv } from '../commons/env.js';
import { exportsWhereabouts, MAIL_ENV, sesMailDeps } from '../commons/mail.js';
import { makeDigestHandler } from './digest-handler.js';

const env = readEnv({ TABLE_NAME: RESOURCE_NAME, ...MAIL_ENV });

export const handler = makeDigestHandler({
  ddb: awsClients().ddb,
  tableName: env.TABLE_NAME,
  ...sesMailDeps(env),
  maxPeopleListed: defaultNotificationSettings().digest.maxPeopleListed,
  whereToRead: exportsWhereabouts(env),
});
