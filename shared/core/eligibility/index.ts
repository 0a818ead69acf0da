/** The eligibility core: merging roster rows, judging applicants, suggesting trainings, explaining outcomes. */
export { type EvaluateInput, type Evaluation, evaluateApplicant, type Gap } from './evaluate.js';
export { explainEvaluation } from './explain.js';
export { mergeTrainings } from './merge.js';
export { suggestTrainings } from './suggest.js';
