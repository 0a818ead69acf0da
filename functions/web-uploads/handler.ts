/** Lambda entry point of the web API's upload routes (administrators only). */

import { awsClients } from '#adapters/clients.js';
import { s3UploadSigner } from '#adapters/s3/presigned-post.js';
import { defaultUploadLimits } from '#core/web/upload-request.js';
import { RESOURCE_NAME, readEnv } from '../commons/env.js';
import { makeWebUploadsHandler } from './uploads-routes.js';

const env = readEnv({ UPLOADS_BUCKET: RESOURCE_NAME, TABLE_NAME: RESOURCE_NAME });
const clients = awsClients();

export const handler = makeWebUploadsHandler({
  ...clients,
  tableName: env.TABLE_NAME,
  uploadsBucket: env.UPLOADS_BUCKET,
  sign: s3UploadSigner(clients.s3, env.UPLOADS_BUCKET),
  limits: defaultUploadLimits(),
});
