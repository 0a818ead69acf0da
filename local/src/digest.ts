/**
 * `iecmh digest`: the weekly digest of the stored results, written to the outbox (`<state>/outbox/`)
 * as AWS would email it (docs/operations.md, "Emails"). It reads what the last `iecmh run` stored;
 * "newly" means since the last digest written from the same state folder.
 */

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { todayIn } from '#core/dates.js';
import { monthOf } from '#core/notify/digest.js';
import { makeDigestHandler } from '#functions/digest/digest-handler.js';
import { DEFAULT_STATE_DIR, startEmbeddedStack } from './embedded.js';
import { asOfOption } from './jobs.js';
import { localDigestDeps } from './outbox.js';
import { formatCount } from './progress.js';
import { localContext } from './queue.js';

export class DigestUsageError extends Error {
  override name = 'DigestUsageError';
}

export async function digestCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { state: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const asOf = asOfOption(values['as-of'], (m) => new DigestUsageError(m)) ?? todayIn();
  const stack = await startEmbeddedStack(resolve(values.state ?? DEFAULT_STATE_DIR));
  try {
    const summary = await makeDigestHandler(localDigestDeps(stack))({ asOf }, localContext('iecmh-digest'));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    const since = summary.since
      ? `since the digest as of ${summary.since}`
      : 'first digest: nothing to compare with yet';
    process.stdout.write(
      [
        `Weekly digest as of ${asOf} (${since}): ${formatCount(summary.newlyEligible)} newly eligible, ${formatCount(summary.newlyAtRisk)} newly at risk, ${formatCount(summary.lapsingThisMonth)} lapsing in ${monthOf(asOf)}.`,
        `Written to ${summary.messageId} (the administrators' email; it names people).`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await stack.close();
  }
}
