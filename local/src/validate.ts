/** `iecmh validate`: a dry run of one file; writes nothing. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { todayIn } from '#core/dates.js';
import { inputFileType, unreadTypeReceipt } from '#core/ingest/file-types.js';
import { ingestFile, type Receipt } from '#core/ingest/ingest.js';
import type { InputKind } from '#core/model.js';

/** Exit code for a receipt: 0 all rows valid, 1 some rows rejected, 2 file unusable. */
export function validationExitCode(r: Receipt): 0 | 1 | 2 {
  if (r.unusable) return 2;
  return r.rejected > 0 ? 1 : 0;
}

/** The receipt ingest would give the file; a type `run` and the ingest function do not read is unusable here too. */
export async function validateFile(path: string, kind: InputKind): Promise<Receipt> {
  const file = basename(path);
  const type = inputFileType(file);
  if (!type.readable) return unreadTypeReceipt(kind, file, type.reason);
  // Dates after today in the association's time zone are warned of, as when the file is uploaded.
  return ingestFile({ kind, file, source: createReadStream(path, { highWaterMark: 256 * 1024 }), today: todayIn() });
}

/** The receipt in words, for a person at a terminal. */
export function describeReceipt(r: Receipt, maxErrors = 50): string {
  const lines: string[] = [];
  if (r.unusable) {
    lines.push(`${r.file}: not usable as a ${r.kind} file.`, `  ${r.errors[0]?.message ?? ''}`);
    return lines.join('\n');
  }
  lines.push(
    `${r.file} (${r.kind}): ${r.rows} row${r.rows === 1 ? '' : 's'}, ${r.accepted} accepted, ${r.rejected} rejected` +
      (r.encoding ? ` [${r.encoding}]` : ''),
  );
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const e of r.errors.slice(0, maxErrors)) {
    lines.push(`  line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
  }
  const more = r.errors.length - maxErrors + (r.errorsOmitted ?? 0);
  if (more > 0) lines.push(`  ... and ${more} more errors (use --json for all)`);
  return lines.join('\n');
}
