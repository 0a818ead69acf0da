/** Judges one applicant against the initial-endorsement rules of a ruleset on an as-of date. */
import { type Catalog, catalogCodes, requiredCompetencies } from '../catalog/catalog.js';
import { assertIsoDate, minusMonths } from '../dates.js';
import { fromHourUnits, toHourUnits } from '../hours.js';
import type { Applicant, IsoDate, RscSession, TrainingRecord } from '../model.js';
import { type CategoryCode, categoryOf } from '../reference/reference.js';
import { type EducationLevel, initialRequirementFor, type Ruleset } from '../rules/ruleset.js';

/** One unmet requirement: what the person has, what is needed, and a sentence a person can act on. */
export interface Gap {
  /** education, work_experience, training_hours, dei_hours, rsc_topic_hours, rsc_hours, exam, references, membership, code_of_ethics or competency:<code>. */
  id: string;
  have: string | number | boolean | null;
  need: string | number | boolean;
  message: string;
}

export interface Evaluation {
  personId: string;
  category: CategoryCode;
  asOf: IsoDate;
  rulesetId: string;
  eligible: boolean;
  /** Sorted by id. */
  gaps: Gap[];
  /** Completed training hours dated on or before asOf. */
  trainingHours: number;
  deiHours: number;
  rscTopicHours: number;
  /** RSC hours received from rscWindowFrom to asOf, both included. */
  rscHours: number;
  rscWindowFrom: IsoDate;
  /** How many required codes are covered; for a tier without a coverage requirement, how many catalog codes are. */
  competenciesCovered: number;
  /** How many codes the tier must cover (0 when it has no coverage requirement). */
  competenciesRequired: number;
  /** Catalog codes the counted trainings cover, sorted (codes not in the catalog are ignored). */
  coveredCodes: string[];
  /** Required codes not covered, sorted. */
  missingCodes: string[];
}

export interface EvaluateInput {
  applicant: Applicant;
  /** The applicant's trainings, already merged by training id (see mergeTrainings). */
  trainings: readonly TrainingRecord[];
  /** The applicant's RSC sessions from the RSC log. */
  rscSessions: readonly RscSession[];
  asOf: IsoDate;
  ruleset: Ruleset;
  catalog: Catalog;
}

/** Everything about a category's requirements that does not depend on the applicant, computed once per ruleset and catalog. */
interface Plan {
  educationRank: ReadonlyMap<EducationLevel, number>;
  minEducation: EducationLevel;
  orWorkMonths: number | undefined;
  workMonths: number;
  training: number;
  dei: number;
  rscTopic: number;
  rsc: number;
  exam: boolean;
  references: number;
  codeOfEthics: boolean;
  membershipCurrent: boolean;
  rscWindowMonths: number;
  coverageRequired: boolean;
  required: readonly string[];
  /** Every catalog code in order, and as a set to test membership. */
  catalogCodes: readonly string[];
  catalogCodeSet: ReadonlySet<string>;
}

const plans = new WeakMap<Ruleset, WeakMap<Catalog, Map<CategoryCode, Plan>>>();

function planFor(ruleset: Ruleset, catalog: Catalog, category: CategoryCode): Plan {
  let byCatalog = plans.get(ruleset);
  if (!byCatalog) {
    byCatalog = new WeakMap();
    plans.set(ruleset, byCatalog);
  }
  let byCategory = byCatalog.get(catalog);
  if (!byCategory) {
    byCategory = new Map();
    byCatalog.set(catalog, byCategory);
  }
  let plan = byCategory.get(category);
  if (!plan) {
    plan = makePlan(ruleset, catalog, category);
    byCategory.set(category, plan);
  }
  return plan;
}

function makePlan(ruleset: Ruleset, catalog: Catalog, category: CategoryCode): Plan {
  const req = initialRequirementFor(ruleset, category);
  const tierRule = ruleset.tiers[categoryOf(category).tier];
  const common = ruleset.initial.common;
  const codes = catalogCodes(catalog);
  return {
    educationRank: new Map(ruleset.educationLevels.map((level, i) => [level, i])),
    minEducation: req.education.min,
    orWorkMonths: req.education.orWorkMonths,
    workMonths: req.workMonths,
    training: toHourUnits(req.trainingHours),
    dei: toHourUnits(req.deiHours),
    rscTopic: toHourUnits(req.rscTopicHours),
    rsc: toHourUnits(req.rscHours),
    exam: req.exam,
    references: common.references,
    codeOfEthics: common.codeOfEthics,
    membershipCurrent: common.membershipCurrent,
    rscWindowMonths: common.rscWindowMonths,
    coverageRequired: tierRule.coverageRequired,
    required: tierRule.coverageRequired ? requiredCompetencies(catalog, tierRule.competencyTiers) : [],
    catalogCodes: codes,
    catalogCodeSet: new Set(codes),
  };
}

// Evaluations come in batches on one as-of date, so remembering the last window start saves checking the date
// and the arithmetic for every applicant.
let lastWindow = { asOf: '', months: -1, from: '' };

function windowFrom(asOf: IsoDate, months: number): IsoDate {
  if (lastWindow.asOf !== asOf || lastWindow.months !== months) {
    assertIsoDate(asOf, 'as-of date');
    lastWindow = { asOf, months, from: minusMonths(asOf, months) };
  }
  return lastWindow.from;
}

const hoursText = (units: number): string => String(fromHourUnits(units));

/** The applicant's eligibility on asOf: every unmet requirement as a gap, with the counted hours and competencies. */
export function evaluateApplicant(input: EvaluateInput): Evaluation {
  const { applicant, asOf, ruleset } = input;
  const plan = planFor(ruleset, input.catalog, applicant.category);
  const from = windowFrom(asOf, plan.rscWindowMonths);
  const gaps: Gap[] = [];

  let training = 0;
  let dei = 0;
  let rscTopic = 0;
  const covered = new Set<string>();
  // Merged input has one record per id; the guard keeps a repeated record from counting twice all the same.
  const counted = new Set<string>();
  for (const t of input.trainings) {
    if (!t.completed || t.date > asOf || counted.has(t.trainingId)) continue;
    counted.add(t.trainingId);
    const h = toHourUnits(t.hours);
    training += h;
    if (t.dei) dei += h;
    if (t.rscTopic) rscTopic += h;
    for (const code of t.competencies) if (plan.catalogCodeSet.has(code)) covered.add(code);
  }

  let rsc = 0;
  for (const s of input.rscSessions) {
    if (s.sessionDate >= from && s.sessionDate <= asOf) rsc += toHourUnits(s.hours);
  }

  const rank = plan.educationRank.get(applicant.education) ?? -1;
  const minRank = plan.educationRank.get(plan.minEducation) ?? 0;
  const work = applicant.workExperienceMonths;
  if (rank < minRank) {
    if (plan.orWorkMonths === undefined) {
      gaps.push({
        id: 'education',
        have: applicant.education,
        need: plan.minEducation,
        message: `has education ${applicant.education}, needs ${plan.minEducation} or higher`,
      });
    } else if (work < plan.orWorkMonths) {
      // The associate alternative: either education or paid work; when neither holds the gap is education alone.
      gaps.push({
        id: 'education',
        have: applicant.education,
        need: plan.minEducation,
        message: `has education ${applicant.education} and ${work} months of paid work, needs ${plan.minEducation} or higher, or ${plan.orWorkMonths} months of paid work`,
      });
    }
  }
  if (work < plan.workMonths) {
    gaps.push({
      id: 'work_experience',
      have: work,
      need: plan.workMonths,
      message: `has ${work} of ${plan.workMonths} months of paid work experience`,
    });
  }
  if (training < plan.training) {
    gaps.push({
      id: 'training_hours',
      have: fromHourUnits(training),
      need: fromHourUnits(plan.training),
      message: `has ${hoursText(training)} of ${hoursText(plan.training)} training hours`,
    });
  }
  if (dei < plan.dei) {
    gaps.push({
      id: 'dei_hours',
      have: fromHourUnits(dei),
      need: fromHourUnits(plan.dei),
      message: `has ${hoursText(dei)} of ${hoursText(plan.dei)} training hours on diversity, equity and inclusion`,
    });
  }
  if (rscTopic < plan.rscTopic) {
    gaps.push({
      id: 'rsc_topic_hours',
      have: fromHourUnits(rscTopic),
      need: fromHourUnits(plan.rscTopic),
      message: `has ${hoursText(rscTopic)} of ${hoursText(plan.rscTopic)} training hours on providing reflective supervision/consultation`,
    });
  }
  if (rsc < plan.rsc) {
    gaps.push({
      id: 'rsc_hours',
      have: fromHourUnits(rsc),
      need: fromHourUnits(plan.rsc),
      message: `has ${hoursText(rsc)} of ${hoursText(plan.rsc)} hours of reflective supervision/consultation received from ${from} to ${asOf}`,
    });
  }
  if (plan.exam && !applicant.examPassed) {
    gaps.push({ id: 'exam', have: false, need: true, message: 'has not passed the endorsement exam' });
  }
  if (applicant.references < plan.references) {
    gaps.push({
      id: 'references',
      have: applicant.references,
      need: plan.references,
      message: `has ${applicant.references} of ${plan.references} reference ratings`,
    });
  }
  const expires = applicant.membershipExpiresOn;
  if (plan.membershipCurrent && !(expires !== undefined && expires !== '' && expires >= asOf)) {
    gaps.push({
      id: 'membership',
      have: expires || null,
      need: asOf,
      message: expires
        ? `membership expired on ${expires}; it must be current on ${asOf}`
        : `has no membership on file; it must be current on ${asOf}`,
    });
  }
  if (plan.codeOfEthics && !applicant.codeOfEthicsSigned) {
    gaps.push({ id: 'code_of_ethics', have: false, need: true, message: 'has not signed the code of ethics' });
  }

  const missingCodes: string[] = [];
  for (const code of plan.required) {
    if (covered.has(code)) continue;
    missingCodes.push(code);
    gaps.push({
      id: `competency:${code}`,
      have: false,
      need: true,
      message: `no completed training covers competency ${code}`,
    });
  }

  gaps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Walking the catalog's sorted codes orders the covered ones without a sort.
  const coveredCodes = covered.size === 0 ? [] : plan.catalogCodes.filter((code) => covered.has(code));
  return {
    personId: applicant.personId,
    category: applicant.category,
    asOf,
    rulesetId: ruleset.id,
    eligible: gaps.length === 0,
    gaps,
    trainingHours: fromHourUnits(training),
    deiHours: fromHourUnits(dei),
    rscTopicHours: fromHourUnits(rscTopic),
    rscHours: fromHourUnits(rsc),
    rscWindowFrom: from,
    // A tier without a coverage requirement only reports coverage: how many catalog codes the trainings cover.
    competenciesCovered: plan.coverageRequired ? plan.required.length - missingCodes.length : coveredCodes.length,
    competenciesRequired: plan.required.length,
    coveredCodes,
    missingCodes,
  };
}
