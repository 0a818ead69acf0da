/** `iecmh person <person_id>`: what the system holds on one person, and why they are or are not eligible. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findPersonFile } from '#adapters/dynamo/person-file.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { todayIn } from '#core/dates.js';
import { evaluateApplicant, explainEvaluation, mergeTrainings } from '#core/eligibility/index.js';
import type { TrainingSummary } from '#core/model.js';
import { categoryOf } from '#core/reference/reference.js';
import { renewalStatus } from '#core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '#core/rules/registry.js';
import { appliedBy, endorsedBy } from '#services/judge.js';
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
    const { file, matches } = await findPersonFile(stack.ddb, stack.tableName, requestedId);
    if (matches.length > 1) {
      process.stderr.write(
        `person_id ${requestedId} matches ${matches.length} people when letter case is ignored: ${matches.join(', ')}. Give one of them exactly as written.\n`,
      );
      return 2;
    }
    if (!file) {
      process.stderr.write(
        `No one with person_id ${requestedId} is on file (in any letter case). Upload an applicant or endorsement list that names them.\n`,
      );
      return 1;
    }
    const { personId } = file;
    if (personId !== requestedId) {
      process.stderr.write(`No person_id ${requestedId} exactly; showing ${personId}.\n`);
    }
    const stored = file.evaluation as { asOf?: string; suggestions?: Record<string, TrainingSummary[]> } | undefined;
    const asOf = asOfArg ?? stored?.asOf ?? todayIn();
    const ruleset = rulesetFor(asOf);
    const trainings = mergeTrainings(file.attendance);
    // As the runs judge it: someone who applied (or was endorsed) after the as-of date is not judged on it.
    const applicant = file.applicant && appliedBy(file.applicant, asOf) ? file.applicant : undefined;
    const endorsee = file.endorsee && endorsedBy(file.endorsee, asOf) ? file.endorsee : undefined;
    const notYet: string[] = [];
    if (file.applicant && !applicant) {
      const a = file.applicant;
      notYet.push(
        `${a.firstName} ${a.lastName} (${a.personId}) had not applied by ${asOf}: the application for ${categoryOf(a.category).name} (${a.category}) is dated ${a.applicationDate}, so there is no evaluation as of ${asOf}.`,
      );
    }
    if (file.endorsee && !endorsee) {
      const e = file.endorsee;
      notYet.push(
        `${e.personId} was not yet endorsed on ${asOf}: endorsed ${categoryOf(e.category).name} (${e.category}) on ${e.endorsedOn}, so there is no renewal status as of ${asOf}.`,
      );
    }
    const evaluation = applicant
      ? evaluateApplicant({
          applicant,
          trainings,
          rscSessions: file.rsc,
          asOf,
          ruleset,
          catalog: loadCatalog(),
        })
      : undefined;
    const renewal = endorsee
      ? renewalStatus({
          endorsee,
          trainings,
          rscSessions: file.rsc,
          asOf,
          ruleset,
          rulesetOn: rulesetsInForce(ruleset.association),
        })
      : undefined;

    if (values.json) {
      const out = {
        personId,
        // The id as typed, when it found this person only in another letter case or normal form.
        requestedId: personId === requestedId ? undefined : requestedId,
        asOf,
        applicant: file.applicant,
        endorsee: file.endorsee,
        notYet: notYet.length > 0 ? notYet : undefined,
        trainings: trainings.map((t) => ({ ...t, title: file.trainings.get(t.trainingId)?.title })),
        rscSessions: file.rsc,
        evaluation,
        // Suggestions kept with the stored evaluation; none when the person is not evaluated on this date.
        suggestions: evaluation ? stored?.suggestions : undefined,
        renewal,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }

    const lines: string[] = [...notYet];
    if (applicant && evaluation) {
      const suggestions: Record<string, TrainingSummary[]> = {};
      for (const [code, list] of Object.entries(stored?.suggestions ?? {})) {
        suggestions[code] = list.map((t) => ({ ...file.trainings.get(t.trainingId), ...t }) as TrainingSummary);
      }
      lines.push(...explainEvaluation(evaluation, applicant, suggestions));
    }
    if (endorsee && renewal) {
      const e = endorsee;
      lines.push(
        '',
        `Endorsed ${categoryOf(e.category).name} (${e.category}) since ${e.endorsedOn}; renewal due ${renewal.dueDate}: ${renewal.status.replace('_', ' ')}`,
        `  this year: ${renewal.ceHours} of ${renewal.needed.ceHours} CE hours (${renewal.deiHours} DEI), ${renewal.rscHours} of ${renewal.needed.rscHours} hours of RSC received`,
      );
    }
    const completed = trainings.filter((t) => t.completed);
    lines.push(
      '',
      `Trainings on file (${completed.length} completed, ${trainings.length - completed.length} not completed):`,
    );
    for (const t of [...trainings].sort((a, b) => (a.date < b.date ? 1 : -1))) {
      const title = (file.trainings.get(t.trainingId)?.title ?? '').replace(/\s+/g, ' ');
      const flags = [t.dei ? 'DEI' : '', t.rscTopic ? 'on providing RSC' : '', t.completed ? '' : 'NOT COMPLETED']
        .filter(Boolean)
        .join(', ');
      lines.push(
        `  ${t.date}  ${t.trainingId}  ${t.hours} h  ${title}${t.competencies.length ? ` [${t.competencies.join(' ')}]` : ''}${flags ? ` (${flags})` : ''}`,
      );
    }
    const rscHours = file.rsc.reduce((n, s) => n + s.hours, 0);
    lines.push(
      '',
      `RSC sessions received on file: ${file.rsc.length} (${Math.round(rscHours * 100) / 100} hours in all)`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await stack.close();
  }
}
