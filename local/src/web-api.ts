/**
 * The web API on the embedded stack (docs/web-api.md): the four groups of routes Lambda runs, built
 * with local stand-ins where AWS would act on its own: forms signed by serve (upload-form.ts), the
 * pipeline run on an upload or a withdrawal as the S3 event would run it, erasure run in process,
 * and exports streamed by serve instead of presigned links to the embedded S3.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { todayIn } from '#core/dates.js';
import { defaultUploadLimits } from '#core/web/upload-request.js';
import type { Claims, WebEvent, WebResult } from '#functions/commons/web.js';
import { EXPORTS, type ExportName, makeWebExportsHandler } from '#functions/web-exports/exports-routes.js';
import { erasureSummary, makeWebPeopleHandler } from '#functions/web-people/people-routes.js';
import { makeWebReportsHandler } from '#functions/web-reports/reports-routes.js';
import { makeWebUploadsHandler } from '#functions/web-uploads/uploads-routes.js';
import type { IngestOutcome } from '#services/ingest-object.js';
import type { EmbeddedStack } from './embedded.js';
import { eraseOnStack } from './erase.js';
import { localIngestQueue, requestAfter, runJobs, withdrawUploads } from './jobs.js';
import { localContext } from './queue.js';
import { s3CreatedEvent } from './s3-events.js';
import { LocalUploadForms, type ReceivedUpload } from './upload-form.js';

/** Where serve streams an administrators' export (behind the session, like every /api/ path). */
export const EXPORTS_PATH = '/api/export-files/';

type Handler = (event: WebEvent, context: ReturnType<typeof localContext>) => Promise<unknown>;

export interface LocalWebApi {
  /** Answers an /api/ request with the claims of its session. */
  call(event: APIGatewayProxyEventV2, claims: Claims): Promise<WebResult | undefined>;
  forms: LocalUploadForms;
  /** Stores a received form's file and runs the pipeline on it, as the S3 event does in AWS. */
  accept(upload: ReceivedUpload): Promise<void>;
  /** Resolves once every change handed to the pipeline has been processed. */
  idle(): Promise<void>;
  /** The admin/ key of an export name, or undefined. */
  exportKey(name: string): string | undefined;
}

export function localWebApi(
  stack: EmbeddedStack,
  options: {
    linkExpirySeconds: number;
    downloadUrl: (run: string, name: string) => string;
    log: (line: string) => void;
  },
): LocalWebApi {
  const forms = new LocalUploadForms();
  // One change at a time, as one process owns the state folder; each waits for the one before.
  let chain: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch((err: unknown) => {
      options.log(`the pipeline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    return next;
  };
  // After a change, the people it reached are evaluated again, as the refresh queue asks in AWS.
  const refresh = (outcomes: IngestOutcome[]) =>
    runJobs(stack, todayIn(), undefined, { request: requestAfter(outcomes) });
  const deps = { ...stack, tableName: stack.tableName, uploadsBucket: stack.uploadsBucket };
  const handlers: [RegExp, Handler][] = [
    [
      /^\/api\/(me|reports)(\/|$)/,
      makeWebReportsHandler({
        s3: stack.s3,
        reportsBucket: stack.reportsBucket,
        linkExpirySeconds: options.linkExpirySeconds,
        downloadUrl: options.downloadUrl,
        signOutUrl: '/signout',
      }) as Handler,
    ],
    [
      /^\/api\/uploads(\/|$)/,
      makeWebUploadsHandler({
        ...deps,
        sign: forms.signer,
        limits: defaultUploadLimits(),
        withdraw: (key) =>
          serially(async () => {
            await refresh(await withdrawUploads(stack, [key]));
          }),
      }) as Handler,
    ],
    [
      /^\/api\/exports(\/|$)/,
      makeWebExportsHandler({
        s3: stack.s3,
        uploadsBucket: stack.uploadsBucket,
        linkExpirySeconds: options.linkExpirySeconds,
        exportUrl: (name: ExportName) => `${EXPORTS_PATH}${name}`,
      }) as Handler,
    ],
    [
      /^\/api\/people(\/|$)/,
      makeWebPeopleHandler({
        ...deps,
        erase: (personIds) => serially(async () => erasureSummary(await eraseOnStack(stack, personIds, todayIn()))),
      }) as Handler,
    ],
  ];
  return {
    forms,
    async call(event, claims) {
      const handler = handlers.find(([path]) => path.test(event.rawPath))?.[1];
      if (!handler) return undefined;
      const withClaims: WebEvent = {
        ...event,
        requestContext: { ...event.requestContext, authorizer: { jwt: { claims } } },
      };
      return (await handler(withClaims, localContext('iecmh-web-api'))) as WebResult;
    },
    async accept(upload) {
      const put = await stack.s3.send(
        new PutObjectCommand({
          Bucket: stack.uploadsBucket,
          Key: upload.key,
          Body: upload.body,
          ContentType: upload.contentType,
        }),
      );
      void serially(async () => {
        const outcomes: IngestOutcome[] = [];
        const queue = localIngestQueue(stack, { onIngested: (o) => void outcomes.push(o) });
        queue.send(
          JSON.stringify(
            s3CreatedEvent({
              bucket: stack.uploadsBucket,
              key: upload.key,
              size: upload.body.byteLength,
              etag: put.ETag,
            }),
          ),
        );
        const drained = await queue.drain();
        if (drained.deadLettered.length > 0)
          options.log(`an upload could not be ingested and was set aside for replay`);
        await refresh(outcomes);
      }).catch(() => undefined);
    },
    idle: async () => {
      await chain;
    },
    exportKey: (name) => (Object.hasOwn(EXPORTS, name) ? EXPORTS[name as ExportName] : undefined),
  };
}
