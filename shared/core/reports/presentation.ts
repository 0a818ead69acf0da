/** How the report shows breakdowns, statuses, groups and numbers: shared by its charts, tables and words. */
import type { COMPLIANCE_STATUSES } from './compliance.js';
import type { Dimension } from './workforce.js';

export const DIMENSION_TITLES: Record<Dimension, string> = {
  tier: 'Endorsement tier',
  category: 'Endorsement category',
  region: 'Public health region',
  county: 'County (FIPS code)',
  race_ethnicity: 'Race and ethnicity (SPD-15)',
  primary_language: 'Primary language',
  sector: 'Sector',
  education: 'Education (applicants)',
};

export const STATUS_TITLES: Record<(typeof COMPLIANCE_STATUSES)[number], string> = {
  compliant: 'Compliant',
  in_progress: 'In progress',
  at_risk: 'At risk',
  lapsed: 'Lapsed',
  exempt: 'Exempt',
  on_track: 'On track (compliant or exempt)',
  not_yet: 'Not yet (in progress or at risk)',
};

/** What a withheld cell reads, in the tables and on the charts' bands. */
export const SUPPRESSED = 'suppressed';

export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
export const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A group as shown: category codes first (the names are long), county names with their FIPS code. */
export function label(group: string, name: string): string {
  if (name === group) return group;
  return /^\d{5}$/.test(group) ? `${name} (${group})` : `${group} · ${name}`;
}

/** A title in the middle of a sentence. */
export const lower = (title: string): string => title.charAt(0).toLowerCase() + title.slice(1);
