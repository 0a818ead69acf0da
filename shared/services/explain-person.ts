/**
 * What the system holds on one person and why they are or are not eligible, in plain language:
 * the text `iecmh person` prints and the web app shows (docs/web-api.md). The evaluation and the
 * renewal status are worked out again from the person's stored facts as of the date asked, with the
 * rules in force then, so the explanation matches what the runs decided.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { findPersonFile, type PersonFile } from '#adapters/dynamo/person-file.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { todayIn } from '#core/dates.js';
import { evaluateApplicant, explainEvaluation, mergeTrainings } from '#core/eligibility/index.js';
import type { TrainingSummary } from '#core/model.js';
import { categoryOf } from '#core/reference/reference.js';
import { renewalStatus } from '#core/renewal/renewal.js';
import { rulesetFor, rulesetsInForce } from '#core/rules/registry.js';
import { appliedBy, endorsedBy } from './judge.js';

export type PersonLookup =
  | { found: 'one'; explanation: PersonExplanation }
  | { found: 'none' }
  /** The id matches several people once letter case is ignored: which one was meant? */
  | { found: 'several'; matches: string[] };

export interface PersonExplanation {
  personId: string;
  /** The id as asked for, when it found this person only in another letter case or normal form. */
  requestedId?: string;
  asOf: string;
  /** The plain-language explanation, line by line. */
  lines: string[];
  /** The same as data (`iecmh person --json`). */
  details: Record<string, unknown>;
}

export async function explainPerson(
  deps: { ddb: DynamoDBDocumentClient; tableName: string },
  requestedId: string,
  asOfArg?: string,
): Promise<PersonLookup> {
  const { file, matches } = await findPersonFile(deps.ddb, deps.tableName, requestedId);
  if (matches.length > 1) return { found: 'several', matches };
  if (!file) return { found: 'none' };
  return { found: 'one', explanation: explainFile(file, requestedId, asOfArg) };
}

function explainFile(file: PersonFile, requestedId: string, asOfArg: string | undefined): PersonExplanation {
  const { personId } = file;
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
    ? evaluateApplicant({ applicant, trainings, rscSessions: file.rsc, asOf, ruleset, catalog: loadCatalog() })
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
  const details = {
    personId,
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
  return { personId, requestedId: details.requestedId, asOf, lines, details };
}
