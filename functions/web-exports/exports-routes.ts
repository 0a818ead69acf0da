/**
 * The web API's exports route, for administrators (docs/web-api.md): the eligibility, renewals and
 * outreach exports with a short-lived link each. In AWS a link is a presigned GET of the uploads
 * bucket's admin/ object; `iecmh serve` passes `exportUrl` and streams the file itself.
 */
import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ELIGIBILITY_KEY } from '#adapters/table-design.js';
import { OUTREACH_KEY, RENEWALS_KEY } from '#services/renewals-all.js';
import { checkLinkExpiry } from '#services/report-runs.js';
import { json, makeWebHandler, type WebRoute } from '../commons/web.js';

/** The exports an administrator downloads, by the name the app shows. */
export const EXPORTS = { eligibility: ELIGIBILITY_KEY, renewals: RENEWALS_KEY, outreach: OUTREACH_KEY } as const;
export type ExportName = keyof typeof EXPORTS;

export interface WebExportsDeps {
  s3: S3Client;
  uploadsBucket: string;
  linkExpirySeconds: number;
  /** The link to an export instead of a presigned S3 URL (serve streams it under its session). */
  exportUrl?: (name: ExportName) => string;
}

export function webExportsRoutes(deps: WebExportsDeps): WebRoute[] {
  checkLinkExpiry(deps.linkExpirySeconds);
  return [
    {
      method: 'GET',
      path: '/api/exports',
      who: 'administrators',
      handler: async () => {
        const exports = [];
        for (const [name, key] of Object.entries(EXPORTS) as [ExportName, string][]) {
          let head: { LastModified?: Date; ContentLength?: number };
          try {
            head = await deps.s3.send(new HeadObjectCommand({ Bucket: deps.uploadsBucket, Key: key }));
          } catch (err) {
            if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') continue;
            throw err;
          }
          const url =
            deps.exportUrl?.(name) ??
            (await getSignedUrl(deps.s3, new GetObjectCommand({ Bucket: deps.uploadsBucket, Key: key }), {
              expiresIn: deps.linkExpirySeconds,
            }));
          exports.push({
            name,
            file: key.slice(key.lastIndexOf('/') + 1),
            url,
            lastModified: head.LastModified?.toISOString() ?? null,
            size: head.ContentLength ?? 0,
          });
        }
        return json(200, { exports, expiresInSeconds: deps.linkExpirySeconds });
      },
    },
  ];
}

export function makeWebExportsHandler(deps: WebExportsDeps) {
  return makeWebHandler(webExportsRoutes(deps));
}
