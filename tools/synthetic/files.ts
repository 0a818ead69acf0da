/** The files `iecmh generate` writes: each kind's columns, and one file streamed to disk with progress reports. */
import { join } from 'node:path';
import type { InputKind } from '#core/model.js';
import { CsvFileWriter } from './csv-writer.js';

/** The columns written for each kind (docs/contract.md, "Input files"). */
export const COLUMNS = {
  applicants: [
    'person_id',
    'first_name',
    'last_name',
    'email',
    'category',
    'status',
    'application_date',
    'education',
    'work_experience_months',
    'exam_passed',
    'references',
    'code_of_ethics_signed',
    'membership_expires_on',
    'race_ethnicity',
    'primary_language',
    'gender',
    'county',
    'sector',
    'employer',
  ],
  rosters: [
    'training_id',
    'training_title',
    'training_date',
    'hours',
    'competencies',
    'dei',
    'rsc_topic',
    'provider',
    'person_id',
    'email',
    'first_name',
    'last_name',
    'completed',
  ],
  rsc: ['person_id', 'session_date', 'hours', 'provider_name', 'provider_category', 'format'],
  endorsements: [
    'person_id',
    'category',
    'endorsed_on',
    'membership_expires_on',
    'first_name',
    'last_name',
    'email',
    'county',
    'race_ethnicity',
    'primary_language',
    'gender',
    'sector',
  ],
  trainings: [
    'training_id',
    'training_title',
    'training_date',
    'hours',
    'competencies',
    'dei',
    'rsc_topic',
    'provider',
    'registration_url',
  ],
} as const satisfies Record<InputKind, readonly string[]>;

/** How far the writing of one file has got. */
export interface GenerateProgress {
  file: string;
  rows: number;
  done: boolean;
}

/** One file written, with its kind and number of data rows. */
export interface GeneratedFile {
  kind: InputKind;
  name: string;
  path: string;
  rows: number;
}

const PROGRESS_EVERY = 100_000;

/** Writes the writer's buffer when full and reports progress every PROGRESS_EVERY rows. */
export type Drain = () => Promise<void>;

export async function writeFile(
  dir: string,
  name: string,
  kind: InputKind,
  onProgress: ((progress: GenerateProgress) => void) | undefined,
  body: (writer: CsvFileWriter, drain: Drain) => Promise<void>,
): Promise<GeneratedFile> {
  const path = join(dir, name);
  const writer = CsvFileWriter.open(path, COLUMNS[kind]);
  let nextReport = PROGRESS_EVERY;
  const drain: Drain = async () => {
    if (!writer.full) return;
    await writer.flush();
    if (onProgress && writer.rows >= nextReport) {
      onProgress({ file: name, rows: writer.rows, done: false });
      nextReport = (Math.floor(writer.rows / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
    }
  };
  try {
    await body(writer, drain);
    await writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  onProgress?.({ file: name, rows: writer.rows, done: true });
  return { kind, name, path, rows: writer.rows };
}
