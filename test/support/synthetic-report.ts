/**
 * A report document of a large association, drawn with the synthetic generator's seeded choices
 * (tools/synthetic: race and ethnicity, language and sector as its files draw them), without
 * writing and ingesting its files: the browser tests need the page of 20,000 people, not the pipeline.
 */
import { CATEGORIES, COUNTIES } from '#core/reference/reference.js';
import { COMPLIANCE_STATUSES, type ComplianceEndorsee, isEndorsedStatus } from '#core/reports/compliance.js';
import type { ReportDocument } from '#core/reports/html.js';
import type { PublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';
import { LANGUAGE, RACE_ETHNICITY, sectorFor } from '#tools/synthetic/people.js';
import { Random } from '#tools/synthetic/random.js';
import { reportDocument } from './report-people.js';

/** `n` people, 40% of them endorsees, spread over every category and county; the same seed, the same people. */
export function syntheticReportDocument(n: number, rule: PublishingRule, seed = 'report-page'): ReportDocument {
  const rng = new Random(seed);
  const people: ReportPerson[] = [];
  const endorsees: ComplianceEndorsee[] = [];
  for (let i = 0; i < n; i++) {
    const category = CATEGORIES[rng.int(0, CATEGORIES.length - 1)] as (typeof CATEGORIES)[number];
    // Squaring a uniform draw crowds people into the first counties, as real associations are crowded into a few.
    const county = (COUNTIES[Math.floor(COUNTIES.length * rng.next() ** 2)] as (typeof COUNTIES)[number]).fips;
    const person = {
      category: category.code,
      county,
      raceEthnicity: RACE_ETHNICITY.pick(rng).split(';').filter(Boolean),
      primaryLanguage: LANGUAGE.pick(rng),
      sector: sectorFor(rng, category.code),
    };
    if (rng.chance(0.4)) {
      const status = COMPLIANCE_STATUSES[rng.int(0, COMPLIANCE_STATUSES.length - 1)] as ComplianceEndorsee['status'];
      endorsees.push({ category: person.category, county, status });
      if (isEndorsedStatus(status)) people.push({ population: 'endorsed', ...person });
    } else {
      people.push({ population: 'applicants', ...person, eligible: rng.chance(0.55) });
    }
  }
  return reportDocument(people, rule, endorsees);
}
