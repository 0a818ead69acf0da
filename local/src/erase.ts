/**
 * `iecmh erase PERSON_ID...`: removes everything stored about people (docs/operations.md, "Correct,
 * withdraw, erase"), re-runs the jobs so the administrators' exports no longer hold them,
 * and compacts the embedded DynamoDB so that no byte of the state folder does either.
 */
import { dynamoTableStore } from '#adapters/dynamo/table-store.js';
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { normaliseIdentifier } from '#core/ingest/fields.js';
import type { ReportPdfRenderer } from '#core/reports/pdf.js';
import { erasePeople } from '#services/erase-people.js';
import { localKeyedHash } from './audit-key.js';
import { type EmbeddedStack, startEmbeddedStack } from './embedded.js';
import { changeCommandArgs, runJobs } from './jobs.js';
import { deleteOutboxMessagesNaming } from './outbox.js';
import { formatCount, Progress } from './progress.js';

export class EraseUsageError extends Error {
  override name = 'EraseUsageError';
}

/** Erases on the embedded stack; the exports (and report.pdf, given `pdf`) are regenerated as of `asOf`. */
export async function eraseOnStack(
  stack: EmbeddedStack,
  personIds: string[],
  asOf: string,
  progress?: Progress,
  pdf?: ReportPdfRenderer,
) {
  // The emails in the outbox that name them go too (a digest lists people by id and name): their
  // ids and emails are read before the items that hold them are deleted.
  const table = dynamoTableStore(stack.ddb, stack.tableName);
  const needles = new Set<string>();
  for (const id of personIds.map(normaliseIdentifier)) {
    needles.add(id);
    for (const item of await table.personItems(id)) if (typeof item.email === 'string') needles.add(item.email);
  }
  const result = await erasePeople(
    {
      ...stack,
      tableName: stack.tableName,
      uploadsBucket: stack.uploadsBucket,
      leaseMs: 0,
      keyedHash: localKeyedHash(stack.stateDir),
    },
    personIds,
    async (request) => {
      await runJobs(stack, asOf, progress, { pdf, request });
    },
  );
  await deleteOutboxMessagesNaming(
    stack.stateDir,
    [...needles].filter((n) => n !== ''),
  );
  // Deleted items stay in LevelDB's files until they are rewritten.
  if (result.erased.length > 0) await stack.compactDynamoDb();
  return result;
}

export async function eraseCommand(argv: string[]): Promise<number> {
  const { targets, asOf, state, json } = changeCommandArgs(
    argv,
    'erase needs at least one PERSON_ID',
    (m) => new EraseUsageError(m),
  );
  const progress = new Progress(process.stderr, json);
  const stack = await startEmbeddedStack(state);
  try {
    const result = await eraseOnStack(stack, targets, asOf, progress, chromiumPdfRenderer());
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const lines = result.erased.map(
        (e, i) =>
          `Erased person ${i + 1} of ${targets.length}: ${formatCount(e.items)} stored item(s), ${formatCount(e.rows)} row(s) removed from ${formatCount(e.sources)} uploaded file(s) (rewritten as new versions). Audit record ${e.hash.slice(0, 12)}… holds no personal data.`,
      );
      for (const e of result.erased) {
        for (const m of e.mentions) {
          lines.push(
            `  ${m.file} still mentions them inside another person's row, line ${m.lines.join(', ')}: edit that cell and upload the file again.`,
          );
        }
      }
      for (const id of result.unknown) lines.push(`Nothing is stored about person_id ${id}: nothing erased for it.`);
      if (result.erased.length > 0) {
        lines.push(
          `Exports regenerated as of ${asOf}. Copies made earlier outside the state folder (for example with run --out) still hold them: run again to replace them.`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return result.unknown.length === 0 ? 0 : 1;
  } finally {
    await stack.close();
  }
}
