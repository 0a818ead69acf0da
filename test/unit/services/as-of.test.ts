/**
 * The contract's as-of dates: a run as of D judges only applicants who had applied by D (a blank
 * application date counts as before) and endorsees endorsed by D, and counts only those it judged.
 */
import { describe, expect, it } from 'vitest';
import type { Population } from '#adapters/dynamo/population.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { rulesetFor, rulesetsInForce } from '#core/rules/registry.js';
import { appliedBy, endorsedBy, judgeApplicants, judgeEndorsees } from '#services/judge.js';
import { buildReportFiles } from '#services/publish-reports.js';
import { applicant } from '../eligibility/builders.js';
import { endorsee } from '../renewal/builders.js';

function population(): Population {
  return {
    applicants: new Map(
      [
        applicant({ personId: 'A-BLANK', email: 'blank@example.org' }),
        applicant({ personId: 'A-MARCH', email: 'march@example.org', applicationDate: '2026-03-01' }),
        applicant({ personId: 'A-D', email: 'd@example.org', applicationDate: '2026-03-31' }),
        applicant({ personId: 'A-MAY', email: 'may@example.org', applicationDate: '2026-05-01' }),
      ].map((a) => [a.personId, a]),
    ),
    endorsees: new Map(
      [
        endorsee({ personId: 'E-OLD', endorsedOn: '2024-07-01' }),
        endorsee({ personId: 'E-D', endorsedOn: '2026-03-31' }),
        endorsee({ personId: 'E-APRIL', endorsedOn: '2026-04-15' }),
      ].map((e) => [e.personId, e]),
    ),
    attendance: new Map(),
    rsc: new Map(),
    trainings: new Map(),
    files: [],
    items: 0,
  };
}

const applicantsOn = (asOf: string) =>
  [...judgeApplicants(population(), asOf, rulesetFor(asOf), loadCatalog())].map((j) => j.person.personId);
const endorseesOn = (asOf: string) => {
  const ruleset = rulesetFor(asOf);
  return [...judgeEndorsees(population(), asOf, ruleset, rulesetsInForce(ruleset.association))].map(
    (j) => j.person.personId,
  );
};

describe('judging as of a date', () => {
  it('leaves out an applicant who applied after the date and takes them in on a later date', () => {
    expect(applicantsOn('2026-03-31')).toEqual(['A-BLANK', 'A-D', 'A-MARCH']);
    expect(applicantsOn('2026-05-01')).toEqual(['A-BLANK', 'A-D', 'A-MARCH', 'A-MAY']);
  });

  it('counts a blank application date as before any date', () => {
    expect(applicantsOn('2026-01-15')).toEqual(['A-BLANK']);
    expect(appliedBy({ applicationDate: undefined }, '2026-01-15')).toBe(true);
    expect(appliedBy({ applicationDate: '' }, '2026-01-15')).toBe(true);
  });

  it('leaves out an endorsee endorsed after the date and takes them in from the day of the endorsement', () => {
    expect(endorseesOn('2026-03-31')).toEqual(['E-D', 'E-OLD']);
    expect(endorseesOn('2026-04-15')).toEqual(['E-APRIL', 'E-D', 'E-OLD']);
    expect(endorsedBy({ endorsedOn: '2026-04-15' }, '2026-04-14')).toBe(false);
  });

  it('counts in the reports only the applicants and endorsees judged on the date', async () => {
    const march = await buildReportFiles(population(), '2026-03-31', { now: new Date('2026-04-01T00:00:00Z') });
    // E-OLD did no hours in 2025 and lapsed; E-D is in their exempt first year.
    expect(march.people).toEqual({ applicants: 3, endorsees: 2, lapsed: 1 });
    const may = await buildReportFiles(population(), '2026-05-01', { now: new Date('2026-05-02T00:00:00Z') });
    expect(may.people).toEqual({ applicants: 4, endorsees: 3, lapsed: 1 });
  });
});
