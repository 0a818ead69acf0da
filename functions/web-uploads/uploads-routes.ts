/**
 * The web API's upload routes, for administrators (docs/web-api.md): sign a form for one upload,
 * list the uploads with their versions, read a receipt, withdraw an upload. Withdrawing deletes the
 * object; in AWS its S3 event reaches the pipeline as any delete does, and `iecmh serve` passes a
 * `withdraw` that also runs the pipeline locally.
 */

import { deleteObject } from '#adapters/s3/objects.js';
import type { UploadSigner } from '#adapters/s3/presigned-post.js';
import { type UploadLimits, UploadRequestError, uploadTarget } from '#core/web/upload-request.js';
import { isUploadKey, receiptOf, type UploadHistoryDeps, uploadHistory } from '#services/upload-history.js';
import { json, jsonBody, makeWebHandler, WebError, type WebEvent, type WebRoute } from '../commons/web.js';

export interface WebUploadsDeps extends UploadHistoryDeps {
  sign: UploadSigner;
  limits: UploadLimits;
  /** Forgets an upload; by default deletes the object and leaves the rest to its S3 event. */
  withdraw?: (key: string) => Promise<void>;
}

/** The `key` query parameter naming an upload; 400 when it names none. */
function uploadKeyParameter(event: WebEvent): string {
  const key = event.queryStringParameters?.key ?? '';
  if (!isUploadKey(key)) throw new WebError(400, 'key must name an upload, as <kind>/<file name>');
  return key;
}

export function webUploadsRoutes(deps: WebUploadsDeps): WebRoute[] {
  const withdraw = deps.withdraw ?? ((key: string) => deleteObject(deps.s3, deps.uploadsBucket, key));
  return [
    {
      method: 'POST',
      path: '/api/uploads',
      who: 'administrators',
      handler: async (event) => {
        const body = jsonBody(event);
        let target: ReturnType<typeof uploadTarget>;
        try {
          target = uploadTarget(body, deps.limits);
        } catch (err) {
          if (err instanceof UploadRequestError)
            throw new WebError(err.message.startsWith('the file is ') ? 413 : 400, err.message);
          throw err;
        }
        const signedAt = new Date().toISOString();
        const form = await deps.sign({ ...target, expiresInSeconds: deps.limits.formExpirySeconds });
        // signedAt: the server's clock, which the receipt's time is compared with (`since`).
        return json(200, { key: target.key, kind: target.kind, maxBytes: target.maxBytes, signedAt, ...form });
      },
    },
    {
      method: 'GET',
      path: '/api/uploads',
      who: 'administrators',
      handler: async () => json(200, { sources: await uploadHistory(deps) }),
    },
    {
      method: 'DELETE',
      path: '/api/uploads',
      who: 'administrators',
      handler: async (event) => {
        const key = uploadKeyParameter(event);
        const known = (await uploadHistory(deps)).find((e) => e.key === key);
        if (!known || known.status === 'withdrawn') throw new WebError(404, `no current upload ${key}`);
        await withdraw(key);
        return json(200, { key, withdrawn: true });
      },
    },
    {
      method: 'GET',
      path: '/api/uploads/receipt',
      who: 'administrators',
      handler: async (event) => {
        const key = uploadKeyParameter(event);
        const sinceText = event.queryStringParameters?.since;
        const since = sinceText ? new Date(sinceText) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new WebError(400, 'since must be a date and time (ISO 8601)');
        const found = await receiptOf(deps, key, since);
        if (!found) throw new WebError(404, `no receipt for ${key} yet`);
        return json(200, { ...(found.receipt as object), writtenAt: found.writtenAt });
      },
    },
  ];
}

export function makeWebUploadsHandler(deps: WebUploadsDeps) {
  return makeWebHandler(webUploadsRoutes(deps));
}
