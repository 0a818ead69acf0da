/**
 * Upload forms signed and received by `iecmh serve` itself (docs/web-api.md, "Uploads"): the
 * stand-in for S3's presigned POST. The form's policy (key, content type, size cap, expiry) is
 * signed with a secret of this run; the form is accepted only from a signed-in session, with a valid
 * signature, before expiry, for exactly the policy's key, and with a file no larger than the cap.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { PresignedUpload, UploadForm, UploadSigner } from '#adapters/s3/presigned-post.js';

/** Where serve receives its forms: under /api/, so behind the session check. */
export const UPLOAD_FORM_PATH = '/api/upload-form';

interface Policy {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresAt: string;
}

export class UploadFormError extends Error {
  override name = 'UploadFormError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ReceivedUpload {
  key: string;
  contentType: string;
  body: Uint8Array;
}

/** Multipart overhead allowed beyond the file itself (field names, boundaries, the other fields). */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export class LocalUploadForms {
  private readonly secret = randomBytes(32);

  constructor(private readonly now: () => Date = () => new Date()) {}

  private sign(policy: string): string {
    return createHmac('sha256', this.secret).update(policy).digest('base64url');
  }

  /** The signer the upload routes use locally. */
  readonly signer: UploadSigner = async (form: UploadForm): Promise<PresignedUpload> => {
    const expiresAt = new Date(this.now().getTime() + form.expiresInSeconds * 1000).toISOString();
    const policy: Policy = { key: form.key, contentType: form.contentType, maxBytes: form.maxBytes, expiresAt };
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64url');
    return {
      url: UPLOAD_FORM_PATH,
      fields: { key: form.key, 'Content-Type': form.contentType, policy: encoded, signature: this.sign(encoded) },
      expiresAt,
    };
  };

  /** Reads and checks a posted form; throws UploadFormError (400, 403, 413) when it may not be stored. */
  async receive(req: IncomingMessage, largestCap: number): Promise<ReceivedUpload> {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > largestCap + FORM_OVERHEAD_BYTES) {
      throw new UploadFormError(413, 'the file is larger than any upload accepts');
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) throw new UploadFormError(400, 'post the form as multipart/form-data');
    const body = Readable.toWeb(capped(req, largestCap + FORM_OVERHEAD_BYTES)) as ReadableStream<Uint8Array>;
    let form: FormData;
    try {
      form = await new Request('http://serve.local/', {
        method: 'POST',
        headers: { 'content-type': type },
        body,
        duplex: 'half',
      } as RequestInit).formData();
    } catch (err) {
      if (err instanceof UploadFormError || (err as { cause?: unknown }).cause instanceof UploadFormError) {
        throw new UploadFormError(413, 'the file is larger than any upload accepts');
      }
      throw new UploadFormError(400, 'the form could not be read');
    }
    const encoded = String(form.get('policy') ?? '');
    const signature = String(form.get('signature') ?? '');
    const expected = Buffer.from(this.sign(encoded));
    if (
      encoded === '' ||
      expected.length !== Buffer.byteLength(signature) ||
      !timingSafeEqual(expected, Buffer.from(signature))
    ) {
      throw new UploadFormError(403, 'the form is not signed by this server');
    }
    const policy = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Policy;
    if (new Date(policy.expiresAt).getTime() < this.now().getTime()) {
      throw new UploadFormError(403, 'the form has expired; upload the file again');
    }
    if (form.get('key') !== policy.key || form.get('Content-Type') !== policy.contentType) {
      throw new UploadFormError(403, 'the form fields do not match what was signed');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new UploadFormError(400, 'the form has no file field');
    if (file.size > policy.maxBytes) {
      throw new UploadFormError(413, `the file is larger than ${policy.maxBytes.toLocaleString('en-US')} bytes`);
    }
    return { key: policy.key, contentType: policy.contentType, body: new Uint8Array(await file.arrayBuffer()) };
  }
}

/** The request's body, failing once more than `max` bytes have come (a body without Content-Length too). */
function capped(req: IncomingMessage, max: number): Readable {
  let seen = 0;
  return req.compose(async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      seen += chunk.length;
      if (seen > max) throw new UploadFormError(413, 'the file is larger than any upload accepts');
      yield chunk;
    }
  }) as unknown as Readable;
}
