/** Report inputs for tests: `n` applicants in Dane County, English-speaking, White, half of them eligible unless said otherwise. */
import type { ReportPerson } from '#core/reports/workforce.js';

export function reportPeople(
  n: number,
  over: Partial<ReportPerson> = {},
  eligible: (i: number) => boolean = (i) => i % 2 === 0,
): ReportPerson[] {
  return Array.from({ length: n }, (_, i) => ({
    population: 'applicants',
    category: 'IFA',
    county: '55025',
    raceEthnicity: ['White'],
    primaryLanguage: 'English',
    sector: 'Head Start',
    eligible: eligible(i),
    ...over,
  }));
}
