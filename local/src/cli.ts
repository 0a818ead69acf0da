/** The `iecmh` command: the pipeline on this machine, with no AWS account. */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPdfRenderer } from '#adapters/pdf/chromium.js';
import { todayIn } from '#core/dates.js';
import { inputFileType } from '#core/ingest/file-types.js';
import { INPUT_KINDS, type InputKind } from '#core/model.js';
import { DigestUsageError, digestCommand } from './digest.js';
import { DEFAULT_STATE_DIR } from './embedded.js';
import { EraseUsageError, eraseCommand } from './erase.js';
import { asOfOption } from './jobs.js';
import { PersonUsageError, personCommand } from './person.js';
import { formatCount } from './progress.js';
import { replayCommand } from './replay.js';
import { kindOfFileName, runPipeline } from './run.js';
import { serveCommand } from './serve.js';
import { describeReceipt, validateFile, validationExitCode } from './validate.js';
import { WithdrawUsageError, withdrawCommand } from './withdraw.js';

const DEFAULT_STATE = DEFAULT_STATE_DIR;

const USAGE = `iecmh: the endorsement data pipeline on this machine (embedded DynamoDB and S3, no AWS account)

  iecmh run --input DIR --out DIR [--as-of YYYY-MM-DD] [--state DIR] [--segments N] [--json]
      upload every .csv and .txt file in DIR, ingest, evaluate, compute renewals, publish reports; copy results
      to --out (every other entry of DIR is listed on stderr with why it was skipped); --segments N evaluates
      everyone and computes renewals in N segments, as the fan-out state machines do in AWS
  iecmh validate FILE [--kind applicants|rosters|rsc|endorsements|trainings] [--json]
      dry run of one file: exit 0 all rows valid, 1 some rows rejected, 2 file unusable
  iecmh generate --people N [--endorsees E] [--seed S] --out DIR
      realistic synthetic input, the same for the same seed
  iecmh person PERSON_ID [--as-of YYYY-MM-DD] [--json] [--state DIR]
      what the system holds on one person, and why they are or are not eligible
  iecmh serve [--port 8080] [--state DIR]
      the policymakers' reports API and a page listing reports with download links
  iecmh replay [--state DIR]
      send the uploads that kept failing (the dead-letter folder) through ingest again
  iecmh withdraw NAME... [--as-of YYYY-MM-DD] [--state DIR] [--json]
      forget uploaded files (by file name or folder/name) as deleting them from the bucket does; re-run the jobs
  iecmh erase PERSON_ID... [--as-of YYYY-MM-DD] [--state DIR] [--json]
      remove everything stored about people (their rows in the uploaded files too); re-run the jobs
  iecmh digest [--as-of YYYY-MM-DD] [--state DIR] [--json]
      the administrators' weekly digest (newly eligible, newly at risk, lapsing this month) to <state>/outbox/

State (the embedded DynamoDB and S3) persists in --state (default ${DEFAULT_STATE}).`;

class UsageError extends Error {
  override name = 'UsageError';
}

function asOfDate(value: string | undefined): string {
  // Today where the association works, as the scheduled jobs in AWS judge it (not the UTC date).
  return asOfOption(value, (message) => new UsageError(message)) ?? todayIn();
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      state: { type: 'string' },
      segments: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (!values.input || !values.out) throw new UsageError('run needs --input DIR and --out DIR');
  const segments = values.segments === undefined ? 1 : Number(values.segments);
  if (!Number.isInteger(segments) || segments < 1 || segments > 100) {
    throw new UsageError(`--segments must be a whole number from 1 to 100, not ${values.segments}`);
  }
  if (!existsSync(values.input)) throw new UsageError(`--input ${values.input} does not exist`);
  const started = Date.now();
  const summary = await runPipeline({
    input: values.input,
    out: values.out,
    state: values.state ?? DEFAULT_STATE,
    asOf: asOfDate(values['as-of']),
    segments,
    quiet: values.quiet || values.json,
    // Said at once, whatever the output mode: a file passed over must never go unnoticed.
    onSkipped: (s) => process.stderr.write(`iecmh run: skipped ${JSON.stringify(s.file)}: ${s.reason}\n`),
    // report.pdf next to report.html, printed by the headless Chromium the reports function uses in AWS.
    pdf: chromiumPdfRenderer(),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const skipped = summary.skipped.length;
  const out: string[] = [
    `Pipeline ran on ${summary.files.length} files (as of ${summary.asOf}).` +
      (skipped > 0
        ? ` ${skipped} other ${skipped === 1 ? 'entry' : 'entries'} of the folder skipped (said why above).`
        : ''),
    '',
  ];
  // The file column is as wide as the longest name, so the counts line up whatever files are given.
  const width = Math.max(20, ...summary.files.map((f) => f.file.length));
  for (const f of summary.files) {
    const status = f.unusable
      ? 'NOT USABLE'
      : `${formatCount(f.accepted)} accepted, ${formatCount(f.rejected)} rejected`;
    out.push(`  ${f.file.padEnd(width)} ${f.kind.padEnd(12)} ${formatCount(f.rows).padStart(9)} rows  ${status}`);
  }
  for (const d of summary.deadLettered) out.push(`  a file kept failing and was set aside: ${d}`);
  const emails = summary.emails.length;
  out.push(
    '',
    emails > 0
      ? `Emails to administrators: ${emails} written to ${join(resolve(values.state ?? DEFAULT_STATE), 'outbox')}/ as .eml files (one per file with rejected rows or not read; in AWS, SES sends them).`
      : 'Emails to administrators: none (no file had rejected rows).',
  );
  if (summary.evaluation) {
    const e = summary.evaluation;
    out.push(
      '',
      `Eligibility: ${formatCount(e.eligible)} of ${formatCount(e.applicants)} applicants eligible (ruleset ${e.rulesetId}).`,
    );
  }
  if (summary.renewals) {
    const counts = Object.entries(summary.renewals.byStatus).map(
      ([s, n]) => `${formatCount(n)} ${s.replace('_', ' ')}`,
    );
    out.push(`Renewals: ${counts.join(', ')}.`);
  }
  out.push(
    '',
    `Results are in ${summary.out}:`,
    '  receipts/               one receipt per input file (rows accepted and rejected, with reasons)',
    '  admin/eligibility.csv   every applicant: eligible or not, and exactly what is missing (administrators only)',
    '  admin/renewals.csv      every endorsee: renewal status and hours this year (administrators only)',
    '  admin/outreach.csv      endorsees at risk: what is missing and trainings that would close it',
    '  reports/                for policymakers: report.html, report.pdf, workforce.csv, disparity.csv,',
    '                          compliance.csv, dictionary.csv (what every column means), report.json,',
    '                          manifest.json (no names, no small counts)',
  );
  out.push(
    '',
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s. State kept in ${values.state ?? DEFAULT_STATE}.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function validate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { kind: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('validate needs a FILE');
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const name = basename(file);
  const kind = (values.kind ?? kindOfFileName(name)) as InputKind | undefined;
  if (!kind || !INPUT_KINDS.includes(kind)) {
    const type = inputFileType(name);
    if (!type.readable && values.kind === undefined) {
      process.stderr.write(`${name}: ${type.reason}\n`);
      return 2;
    }
    throw new UsageError(
      `cannot tell what kind of file ${name} is: name it applicants*.csv, rosters*.csv, rsc*.csv, endorsements*.csv or trainings*.csv (or .txt, .xlsx), or pass --kind`,
    );
  }
  const receipt = await validateFile(file, kind);
  process.stdout.write(`${values.json ? JSON.stringify(receipt, null, 2) : describeReceipt(receipt)}\n`);
  return validationExitCode(receipt);
}

async function generate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: 'string' },
      endorsees: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
    },
  });
  const people = Number(values.people);
  if (!values.out || !Number.isInteger(people) || people < 1) {
    throw new UsageError('generate needs --people N (a whole number) and --out DIR');
  }
  const endorsees = values.endorsees === undefined ? undefined : Number(values.endorsees);
  if (endorsees !== undefined && !(Number.isInteger(endorsees) && endorsees >= 0 && endorsees <= people)) {
    throw new UsageError('--endorsees must be a whole number from 0 to the number of people');
  }
  const { generateDataset } = await import('#tools/synthetic/generate.js');
  const started = Date.now();
  const result = await generateDataset({
    people,
    endorsees,
    seed: values.seed,
    out: values.out,
    asOf: values['as-of'] ? asOfDate(values['as-of']) : undefined,
  });
  process.stdout.write(
    `Generated ${formatCount(people)} people into ${resolve(values.out)} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n${JSON.stringify(result, null, 2)}\n`,
  );
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run,
  validate,
  generate,
  person: personCommand,
  serve: serveCommand,
  replay: replayCommand,
  withdraw: withdrawCommand,
  erase: eraseCommand,
  digest: digestCommand,
};

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = command ? 0 : 2;
    return;
  }
  const fn = COMMANDS[command];
  if (!fn) {
    process.stderr.write(`iecmh: unknown command "${command}"\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await fn(rest);
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof PersonUsageError ||
      err instanceof WithdrawUsageError ||
      err instanceof EraseUsageError ||
      err instanceof DigestUsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`iecmh ${command}: ${err.message}\n\nRun "iecmh --help" for usage.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `iecmh ${command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 3;
  }
}

await main();
