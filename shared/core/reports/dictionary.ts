/**
 * The data dictionary of the policymakers' reports (docs/contract.md, "Output files"): every column
 * of every CSV and every top-level field of report.json and manifest.json, with its type and meaning.
 * It is data: reports/dictionary.csv and the page's "Data dictionary" section are both drawn from
 * DICTIONARY below. The CSV files' entries are typed by their column lists, so a column added to a
 * file without a description does not compile; test/unit/reports/dictionary.test.ts checks every
 * header and field of the files a run writes against it, including the JSON files' fields.
 *
 * To describe a new column: add it under its file, in the file's column order, with one of the types
 * of FIELD_TYPES and a description a reader of the file alone can follow.
 */
import { fieldsCsv } from '../csv/write.js';
import { INPUT_KINDS } from '../model.js';
import { OUTSIDE_STATE } from '../reference/us-counties.js';
import type { DISPARITY_COLUMNS, WORKFORCE_COLUMNS } from './build.js';
import { type COMPLIANCE_COLUMNS, COMPLIANCE_DIMENSIONS, COMPLIANCE_STATUSES } from './compliance.js';
import type { ReportDocument } from './html.js';
import { DIMENSIONS, POPULATIONS } from './workforce.js';

/** What a cell or field holds; FIELD_TYPES says how each is written. */
export const FIELD_TYPES = {
  text: 'text',
  integer: 'a whole number (empty or null when withheld)',
  fraction: 'a number from 0 to 1 (empty or null when withheld or not defined)',
  number: 'a number (empty or null when withheld or not defined)',
  boolean: 'true or false',
  date: 'a date, YYYY-MM-DD',
  timestamp: 'an instant, ISO 8601 in UTC',
  object: 'a JSON object',
  array: 'a JSON array of objects',
} as const;
export type FieldType = keyof typeof FIELD_TYPES;

export interface FieldEntry {
  type: FieldType;
  description: string;
}

export interface FileEntry<F extends string = string> {
  /** What the file is for, in a sentence or two. */
  about: string;
  fields: Record<F, FieldEntry>;
}

/** The columns of reports/dictionary.csv itself. */
export const DICTIONARY_COLUMNS = ['file', 'field', 'type', 'description'] as const;

const list = (values: readonly string[]): string => values.join(', ');

// Columns several CSV files share, described once.
const dimensionOf = (dimensions: readonly string[]): FieldEntry => ({
  type: 'text',
  description: `The breakdown the row belongs to: ${list(dimensions)}; or total, the statewide row (group All).`,
});
const dimension = dimensionOf(DIMENSIONS);
const group: FieldEntry = {
  type: 'text',
  description: `The group within the breakdown: a tier, a category code, a region, a county FIPS code (5 digits), "${OUTSIDE_STATE}" (a county of another state), an SPD-15 race and ethnicity name, "Multiracial and/or Multiethnic", a language, sector or education level as given, "Other" (values too rare to show alone), "Not reported" (left blank), or All for the statewide row.`,
};
const groupName: FieldEntry = {
  type: 'text',
  description:
    'The group as a reader knows it: the tier, category, region or county name; otherwise the same as group.',
};
const suppressed: FieldEntry = {
  type: 'boolean',
  description:
    "true when a count of the row is withheld: it is from 1 to one less than the publishing rule's minimum (manifest.json, suppression.minPublishedCount), or it would let such a count be worked out. A withheld cell is empty, never zero.",
};

/** Every report file with a fixed layout, and what each of its columns or top-level fields means. */
export const DICTIONARY = {
  'workforce.csv': {
    about: 'How many people hold an endorsement (not lapsed) and how many have applied, by breakdown.',
    fields: {
      dimension,
      group,
      population: {
        type: 'text',
        description: `Who is counted: ${list(POPULATIONS)} (endorsed: holding an endorsement that has not lapsed; applicants: everyone who has applied by the as-of date).`,
      },
      count: { type: 'integer', description: 'Distinct people of the population in the group.' },
      suppressed,
      group_name: groupName,
    },
  } satisfies FileEntry<(typeof WORKFORCE_COLUMNS)[number]>,
  'disparity.csv': {
    about:
      'Eligibility of applicants by group: the share who meet every requirement, its interval, and how it compares with the rest of its breakdown (every other applicant whose value is reported).',
    fields: {
      dimension,
      group,
      applicants: { type: 'integer', description: 'Applicants in the group.' },
      eligible: { type: 'integer', description: 'Applicants in the group who meet every requirement of the ruleset.' },
      rate: { type: 'fraction', description: 'eligible / applicants.' },
      ci_low: {
        type: 'fraction',
        description: 'Lower end of the Wilson score interval of the rate (95%: z in manifest.json, suppression.z).',
      },
      ci_high: { type: 'fraction', description: 'Upper end of the same interval.' },
      ratio_to_reference: {
        type: 'number',
        description:
          "The rate divided by the rest's rate (the Relative Rate Index); empty unless the group was tested (see assessment).",
      },
      p_value: {
        type: 'fraction',
        description:
          'Two-sided two-proportion z-test (pooled variance) of the group against the rest, Benjamini–Hochberg adjusted over the groups tested in the breakdown; empty unless tested.',
      },
      four_fifths_flag: {
        type: 'boolean',
        description:
          'true when the ratio is below suppression.fourFifths (29 CFR 1607.4(D)) and p_value below suppression.significance: a sign of possible disparity; empty unless tested.',
      },
      reliable: {
        type: 'boolean',
        description:
          'Whether the rate passes the NCHS standard for proportions (suppression.reliability); an unreliable rate is not tested. Empty without a rate.',
      },
      suppressed,
      group_name: groupName,
      assessment: {
        type: 'text',
        description:
          'Why the group was or was not tested: tested, context (category, tier, education, statewide), not_reported, no_applicants, withheld, unreliable, reference_withheld, reference_unreliable.',
      },
    },
  } satisfies FileEntry<(typeof DISPARITY_COLUMNS)[number]>,
  'compliance.csv': {
    about: `Renewal status of endorsees by ${list(COMPLIANCE_DIMENSIONS)}.`,
    fields: {
      dimension: dimensionOf(COMPLIANCE_DIMENSIONS),
      group,
      status: {
        type: 'text',
        description: `The renewal status: ${list(COMPLIANCE_STATUSES)}. on_track (compliant or exempt) and not_yet (in progress or at risk) stand for their statuses where a group is too small to show each; lapsed endorsees are not counted as endorsed in workforce.csv.`,
      },
      count: { type: 'integer', description: 'Endorsees of the group with that status.' },
      suppressed,
      group_name: groupName,
    },
  } satisfies FileEntry<(typeof COMPLIANCE_COLUMNS)[number]>,
  'dictionary.csv': {
    about: 'This data dictionary: every column of the CSV files and every field of the JSON files.',
    fields: {
      file: { type: 'text', description: 'The report file described.' },
      field: { type: 'text', description: 'A column of the CSV file, or a top-level field of the JSON file.' },
      type: { type: 'text', description: `What it holds: ${list(Object.keys(FIELD_TYPES))}.` },
      description: { type: 'text', description: 'What it means.' },
    },
  } satisfies FileEntry<(typeof DICTIONARY_COLUMNS)[number]>,
  'report.json': {
    about: 'Every number of the report in one JSON document: the page and the PDF are drawn from it.',
    fields: {
      asOf: { type: 'date', description: 'The date the report describes: who had applied or was endorsed by then.' },
      generatedAt: { type: 'timestamp', description: 'When the report was built.' },
      ruleset: {
        type: 'object',
        description:
          'The eligibility ruleset applicants were judged by: id, version, association and effectiveFrom (a date).',
      },
      rule: {
        type: 'object',
        description:
          'The publishing rule: id, version, minPublishedCount (the smallest count published besides zero), z (of the interval), fourFifths, significance and maxNoise (every published count is within maxNoise of the exact count: noise drawn again whenever the data change, so that releases cannot be differenced).',
      },
      summary: {
        type: 'object',
        description:
          'Totals (endorsed, applicants, eligible; null when withheld) and how many cells and rows were withheld.',
      },
      workforce: { type: 'array', description: 'The rows of workforce.csv, with the columns in camelCase.' },
      disparity: { type: 'array', description: 'The rows of disparity.csv, with the columns in camelCase.' },
      compliance: { type: 'array', description: 'The rows of compliance.csv, with the columns in camelCase.' },
      trend: {
        type: 'object',
        description:
          'points: the statewide totals (endorsed, applicants, eligible, eligibilityRate, compliance by status) of up to rule.trendReleases earlier dated releases, as they published them, then of this one, oldest first; null when withheld, absent when a release did not publish it.',
      },
    },
  } satisfies FileEntry<keyof ReportDocument>,
  'manifest.json': {
    about:
      "What the release is made of. It names no uploaded file (a file name can carry a person's) and gives no count of rows.",
    fields: {
      generatedAt: { type: 'timestamp', description: 'When the release was built.' },
      asOf: { type: 'date', description: 'The date the release describes.' },
      inputs: {
        type: 'array',
        description: `Each input the numbers come from, by kind (${list(INPUT_KINDS)}) and SHA-256 checksum only.`,
      },
      ruleset: { type: 'object', description: 'The eligibility ruleset: id, version, association and effectiveFrom.' },
      suppression: {
        type: 'object',
        description:
          'The publishing rule: id, version, minPublishedCount, z, fourFifths, significance, maxNoise (the largest perturbation of a published count), how the reference group is chosen and the reliability standard.',
      },
      software: { type: 'object', description: 'The name and version of the software that built the release.' },
      files: {
        type: 'array',
        description: 'Every other file of the release with its size in bytes and SHA-256 checksum, to check a copy.',
      },
    },
  } satisfies FileEntry,
} as const;

export type DescribedFile = keyof typeof DICTIONARY;

/** One line of the dictionary: a field of a file. */
export interface DictionaryLine {
  file: DescribedFile;
  field: string;
  type: FieldType;
  description: string;
}

/** The dictionary as lines, file by file in DICTIONARY's order and each file's fields in column order. */
export function dictionaryLines(): DictionaryLine[] {
  return Object.entries(DICTIONARY).flatMap(([file, entry]) =>
    Object.entries(entry.fields as Record<string, FieldEntry>).map(([field, { type, description }]) => ({
      file: file as DescribedFile,
      field,
      type,
      description,
    })),
  );
}

/** reports/dictionary.csv, written like the other report CSVs (fieldsCsv: BOM, CRLF, no formula cells). */
export function dictionaryCsv(): string {
  return fieldsCsv(DICTIONARY_COLUMNS, dictionaryLines());
}

/**
 * How a file's fields (a CSV header, a JSON document's top-level keys) and the dictionary differ:
 * fields it does not describe, and descriptions of fields the file no longer has.
 */
export function dictionaryGaps(file: string, fields: readonly string[]): { undescribed: string[]; stale: string[] } {
  const described = Object.keys((DICTIONARY as Record<string, FileEntry>)[file]?.fields ?? {});
  return {
    undescribed: fields.filter((f) => !described.includes(f)),
    stale: described.filter((f) => !fields.includes(f)),
  };
}
