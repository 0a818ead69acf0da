/** `iecmh person <person_id>`: what the system holds on one person, and why they are or are not eligible. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { explainPerson } from '#services/explain-person.js';
import { DEFAULT_STATE_DIR, startEmbeddedStack } from './embedded.js';
import { asOfOption } from './jobs.js';

export class PersonUsageError extends Error {
  override name = 'PersonUsageError';
}

/**
 * Runs the command; returns the exit code (0 found, 1 not found, 2 when the id matches several
 * people once letter case is ignored). An id typed in another letter case (`wi-000123`) finds the
 * stored one (`WI-000123`) when it is the only one.
 */
export async function personCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, state: { type: 'string' }, 'as-of': { type: 'string' } },
  });
  const requestedId = positionals[0];
  if (!requestedId) throw new PersonUsageError('person needs a PERSON_ID');
  const asOfArg = asOfOption(values['as-of'], (message) => new PersonUsageError(message));

  const stack = await startEmbeddedStack(resolve(values.state ?? DEFAULT_STATE_DIR));
  try {
    const lookup = await explainPerson(stack, requestedId, asOfArg);
    if (lookup.found === 'several') {
      process.stderr.write(
        `person_id ${requestedId} matches ${lookup.matches.length} people when letter case is ignored: ${lookup.matches.join(', ')}. Give one of them exactly as written.\n`,
      );
      return 2;
    }
    if (lookup.found === 'none') {
      process.stderr.write(
        `No one with person_id ${requestedId} is on file (in any letter case). Upload an applicant or endorsement list that names them.\n`,
      );
      return 1;
    }
    const { explanation } = lookup;
    if (explanation.requestedId !== undefined) {
      process.stderr.write(`No person_id ${requestedId} exactly; showing ${explanation.personId}.\n`);
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(explanation.details, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${explanation.lines.join('\n')}\n`);
    return 0;
  } finally {
    await stack.close();
  }
}
