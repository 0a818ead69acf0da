/**
 * What an administrator may upload through the web app (docs/web-api.md, "Uploads"): one file of a
 * known kind, a name with nothing that could climb out of the kind's folder, an extension the
 * pipeline reads and a size under its cap. The answer is the one key, content type and size range a
 * presigned POST is then signed for, so the form can write nothing else.
 */
import { z } from 'zod';
import uploadsFile from '#config/web/uploads.json' with { type: 'json' };
import { extensionOf, INPUT_EXTENSIONS } from '../ingest/file-types.js';
import { defaultWorkbookLimits } from '../ingest/workbook.js';
import { INPUT_KINDS, type InputKind } from '../model.js';
import { parseOrThrow } from '../validate.js';

const UploadLimitsSchema = z.object({
  csvMaxBytes: z.number().int().positive(),
  formExpirySeconds: z.number().int().min(60).max(3600),
  maxFileNameLength: z.number().int().min(8).max(900),
});

export type UploadLimits = z.infer<typeof UploadLimitsSchema> & { workbookMaxBytes: number };

let shipped: UploadLimits | undefined;

/** The shipped limits (config/web/uploads.json, and the workbook cap of config/ingest/workbooks.json). */
export function defaultUploadLimits(): UploadLimits {
  shipped ??= {
    ...parseOrThrow(UploadLimitsSchema, uploadsFile, 'config/web/uploads.json is invalid'),
    workbookMaxBytes: defaultWorkbookLimits().maxBytes,
  };
  return shipped;
}

export class UploadRequestError extends Error {
  override name = 'UploadRequestError';
}

/** What a presigned POST is signed for. */
export interface UploadTarget {
  kind: InputKind;
  key: string;
  contentType: string;
  maxBytes: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Characters no file name here needs and some tools misread: controls, slashes, and a few that break links. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]/;

/** Checks an upload request; throws UploadRequestError with what to fix. */
export function uploadTarget(
  request: { kind?: unknown; fileName?: unknown; size?: unknown },
  limits: UploadLimits = defaultUploadLimits(),
): UploadTarget {
  const kind = INPUT_KINDS.find((k) => k === request.kind);
  if (!kind) throw new UploadRequestError(`kind must be one of ${INPUT_KINDS.join(', ')}`);
  const fileName = typeof request.fileName === 'string' ? request.fileName.normalize('NFC').trim() : '';
  if (fileName === '') throw new UploadRequestError('fileName is missing');
  if (fileName.length > limits.maxFileNameLength) {
    throw new UploadRequestError(`the file name is longer than ${limits.maxFileNameLength} characters; shorten it`);
  }
  if (UNSAFE_NAME.test(fileName) || fileName === '.' || fileName === '..' || fileName.startsWith('.')) {
    throw new UploadRequestError('the file name may not start with a dot or hold slashes or control characters');
  }
  const extension = extensionOf(fileName);
  if (!(INPUT_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new UploadRequestError(`only ${INPUT_EXTENSIONS.join(', ')} files can be uploaded (any letter case)`);
  }
  const maxBytes = extension === '.xlsx' ? limits.workbookMaxBytes : limits.csvMaxBytes;
  const size = request.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new UploadRequestError('size must be the file size in bytes');
  }
  if (size > maxBytes) {
    throw new UploadRequestError(
      `the file is ${size.toLocaleString('en-US')} bytes; at most ${maxBytes.toLocaleString('en-US')} are accepted for ${extension} files`,
    );
  }
  return { kind, key: `${kind}/${fileName}`, contentType: CONTENT_TYPES[extension] ?? 'text/csv', maxBytes };
}
