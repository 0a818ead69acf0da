/**
 * Deterministic synthetic input for `iecmh generate`: the five CSV kinds of docs/contract.md
 * ("Input files"), streamed to disk so that 100,000 people and a million roster rows fit in
 * bounded memory.
 *
 * Assumptions behind the distributions (invented but plausible; none describe a real person):
 * - People: 40% current endorsees (endorsements file), 60% applicants (applicants file); each
 *   person is in exactly one of the two. Endorsement dates spread over the past 8 years, more of
 *   them recent (the density falls linearly with age: the programme has grown).
 * - Categories: mostly the associate and specialist categories (IFA, IFS, ECFA, ECFS), fewer
 *   reflective supervisors and mental health specialists, few Mentors (see CATEGORY_WEIGHTS).
 * - Education and work experience follow the category's requirement in the default ruleset
 *   (read from config, so they move with it): about 85% meet it, the rest fall a little short,
 *   so eligibility varies. Associates often have no CDA but enough months of work instead.
 * - Exams (where required), three references, a signed code of ethics: mostly satisfied.
 *   Applicants' membership: mostly expires in the coming year, about 8% lapsed, a few blank.
 *   Endorsees renew membership with the calendar year: about two thirds through the end of next
 *   year, a fifth through this year's end, some on anniversary dates after it; about 3% expired
 *   since last year's end (short this year only), 1.5% expired during last year or blank (which
 *   fails last year's renewal too).
 * - Counties weighted by 2020 census population (Milwaukee, Dane, Waukesha lead). Race and
 *   ethnicity (SPD-15) roughly like Wisconsin: about three quarters White alone, then Black,
 *   Hispanic or Latino, Asian, American Indian or Alaska Native, about 5% two or more, 5% blank.
 *   Primary language: English mostly, then Spanish and Hmong. Gender: mostly women.
 * - Trainings: a pool of max(50, people / 20), dated over the 3 years up to the as-of date, topped
 *   up so that each calendar year has at least 12 general, 4 DEI and 3 RSC-topic stand-alone
 *   trainings (pro rata for the part years at the window's ends). One in 50 of them is a 10-part
 *   competency series (monthly parts of 3 or 6 hours whose codes together cover all 24
 *   competencies, the first part DEI): about 70% of applicants at the specialist tiers and above
 *   take one and 30% of associate applicants; each part is attended by 98% of them. The other
 *   trainings have 1.5 to 12 hours in quarter hours (short sessions commonest), 1 to 3 random
 *   competency codes, 14% are DEI and 10% on providing RSC, and have a heavy-tailed popularity
 *   (Pareto, tail index 2).
 * - Endorsees' training is renewal CE (docs/domain.md, "Annual renewal"; the hours come from the ruleset).
 *   Each calendar year from the endorsement year on is planned whole: about 95% of years are met
 *   (most endorsees rarely miss; a tenth struggle and miss about one year in five), with one DEI
 *   training (a second one in 20% of years), RSC-topic trainings to 3 hours for RSC providers,
 *   then general trainings to 15 hours plus a little more (most up to 4 hours more, a few much
 *   more). A missed year falls short in one way: CE hours (1.5 to 8 hours short), no DEI, no RSC
 *   topic, or RSC received. Trainings fall on days spread through the year, 30% of them drawn
 *   later (the autumn rush), and each is a pool training of the right kind near that day, by
 *   popularity; those before the window or the endorsement, or after the as-of date, are not
 *   written. So a past year is met or missed as planned (with membership, about 6% of
 *   long-standing endorsees lapse) and the current year is as far along as the as-of date makes
 *   it: on 1 November about half have met it and most of the rest are a few hours short. One in
 *   20 attendances is followed by a training started but not completed.
 * - Applicants share the remaining roster rows by popularity (no training above 60% of the
 *   applicants), those at higher tiers attending more (they need more hours), with a spread per
 *   person. Roster rows total about 11.5 per person, about 12 per endorsee over the 3 years and 11
 *   per applicant. About 95% of attendances are completed (a blank means completed). About 10%
 *   of attendees are named by email only (letter case and surrounding spaces vary; never an
 *   endorsee whose email the endorsements file leaves blank) and about 0.4% are walk-ins whose
 *   email matches nobody. With the rest of these assumptions, roughly 15% of applicants are
 *   eligible (more associates, fewer mental health specialists and mentors), competency coverage
 *   and RSC hours being the commonest gaps.
 * - RSC received: applicants whose category needs it, about 22 sessions a person (36 at the mental
 *   health specialist and mentor tiers, which need 50 hours), 1 to 2 hours each, over the 30
 *   months up to the as-of date; 5% of them have none yet. Endorsees whose category needs it at
 *   renewal: regular sessions spread evenly through each calendar year, 1 to 10 hours more than
 *   the year asks, or short of it in the years their plan misses on RSC.
 * - Formats vary as real exports do: dates mostly YYYY-MM-DD, some M/D/YYYY; categories mostly by
 *   code, some by full name; counties by name, some as "X County", some by FIPS; booleans mostly
 *   yes/no, some Y/N, TRUE/FALSE or 1/0.
 *
 * - The training calendar (trainings.csv): the pool's last year and the trainings announced for
 *   the year after the as-of date (calendar.ts says how).
 *
 * Each file's draws are in its own module: people.ts (who they are), applicants.ts, endorsements.ts,
 * trainings.ts (the pool and the series), renewals.ts (endorsees' CE plans), rosters.ts, rsc.ts,
 * calendar.ts (the association's training calendar);
 * spelling.ts varies the formats and files.ts streams each file to disk.
 *
 * Determinism: every part of the data draws from its own stream forked from the seed, and all
 * arithmetic is exactly specified (see random.ts), so a seed gives byte-identical files. The
 * as-of date defaults to a fixed date, not today, for the same reason.
 */
import { mkdir } from 'node:fs/promises';
import { dayNumber } from '#core/dates.js';
import { writeApplicants } from './applicants.js';
import { writeCalendar } from './calendar.js';
import { writeEndorsements } from './endorsements.js';
import { type GeneratedFile, type GenerateProgress, writeFile } from './files.js';
import { drawEndorsed, drawPeople } from './people.js';
import { AliasTable, Random } from './random.js';
import { planRenewals } from './renewals.js';
import { writeRosterFile } from './rosters.js';
import { writeRsc } from './rsc.js';
import { draftTrainings, drawSeries, finishTrainings, SERIES_ATTENDANCE, SERIES_PARTS } from './trainings.js';

export type { GeneratedFile, GenerateProgress } from './files.js';

export const DEFAULT_SEED = 'iecmh';
/** Fixed so that the same seed gives the same files on any day; pass `asOf` to move it. */
export const DEFAULT_AS_OF = '2026-11-01';

/** What `generateDataset` makes and where. */
export interface GenerateOptions {
  /** How many people: applicants plus endorsees. */
  people: number;
  /** Exactly how many of them are endorsees (the rest apply); by default about 40 %, drawn at random. */
  endorsees?: number;
  /** Any text or number (42 and '42' are the same seed); the same seed gives byte-identical files. */
  seed?: string | number;
  /** The date the data is "as of", YYYY-MM-DD: nothing is dated after it but the calendar's upcoming trainings. */
  asOf?: string;
  /** The folder to write into (created if missing; files in it are overwritten). */
  out: string;
  /** How many roster files to split the attendance rows into (by training date); 1 gives `rosters.csv`. */
  files?: { rosters?: number };
  /** Called every 100,000 rows or so of a file, and once when each file is complete. */
  onProgress?: (progress: GenerateProgress) => void;
}

/** What was written: the counts a caller may print or check. */
export interface GenerateResult {
  seed: string;
  asOf: string;
  people: number;
  applicants: number;
  endorsees: number;
  trainings: number;
  files: GeneratedFile[];
}

const ROSTER_ROWS_PER_PERSON = 11.5;
const PEOPLE_PER_TRAINING = 20;
const MIN_TRAININGS = 50;

// One series per this many trainings in the pool.
const TRAININGS_PER_SERIES = 50;

/** Writes applicants.csv, endorsements.csv, rosters*.csv, rsc.csv and trainings.csv for `people` synthetic people into `out`. */
export async function generateDataset(options: GenerateOptions): Promise<GenerateResult> {
  const { people: count, out, onProgress } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`people must be a whole number >= 1: ${count}`);
  const rosterFiles = options.files?.rosters ?? 1;
  if (!Number.isInteger(rosterFiles) || rosterFiles < 1) {
    throw new RangeError(`files.rosters must be a whole number >= 1: ${rosterFiles}`);
  }
  const seed = String(options.seed ?? DEFAULT_SEED);
  const asOfText = options.asOf ?? DEFAULT_AS_OF;
  const asOf = dayNumber(asOfText, 'asOf');
  const root = new Random(seed);
  await mkdir(out, { recursive: true });

  const wanted = options.endorsees;
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < 0 || wanted > count)) {
    throw new RangeError(`endorsees must be a whole number from 0 to people (${count}): ${wanted}`);
  }
  const people = drawPeople(root.fork('people'), count, wanted);
  drawEndorsed(root.fork('endorsed'), people, asOf);
  let endorsees = 0;
  for (const e of people.endorsee) endorsees += e;
  const applicants = count - endorsees;

  const files: GeneratedFile[] = [];
  files.push(
    await writeFile(out, 'applicants.csv', 'applicants', onProgress, (w, drain) =>
      writeApplicants(w, root.fork('applicants'), people, asOf, drain),
    ),
  );
  files.push(
    await writeFile(out, 'endorsements.csv', 'endorsements', onProgress, (w, drain) =>
      writeEndorsements(w, root.fork('endorsements'), people, asOf, drain),
    ),
  );

  const trainingCount = Math.max(MIN_TRAININGS, Math.round(count / PEOPLE_PER_TRAINING));
  const series = drawSeries(root.fork('series'), people, Math.max(1, Math.floor(trainingCount / TRAININGS_PER_SERIES)));
  const trainingRng = root.fork('trainings');
  const drafts = draftTrainings(trainingRng, trainingCount, series, asOf);
  const plans = planRenewals(() => root.fork('plans'), people, drafts, asOf);
  // Endorsees attend what their plans say; the rest of the rows go to applicants by activity.
  const seriesRows = series.members.length * SERIES_PARTS * SERIES_ATTENDANCE;
  const popularRows = count * ROSTER_ROWS_PER_PERSON - seriesRows - plans.members.length;
  const trainings = finishTrainings(trainingRng, drafts, popularRows, applicants > 0 ? applicants : count);
  const attendance = new AliasTable(
    applicants > 0 ? people.activity.map((a, i) => (people.endorsee[i] ? 0 : a)) : people.activity,
  );
  const rosterRng = root.fork('rosters');
  const walkIns = { next: 0 };
  const width = String(rosterFiles).length;
  for (let f = 0; f < rosterFiles; f++) {
    const name = rosterFiles === 1 ? 'rosters.csv' : `rosters-${String(f + 1).padStart(width, '0')}.csv`;
    // Contiguous runs of the date-ordered trainings: each file is one period's rosters.
    const part = trainings.slice(
      Math.floor((f * trainings.length) / rosterFiles),
      Math.floor(((f + 1) * trainings.length) / rosterFiles),
    );
    files.push(
      await writeFile(out, name, 'rosters', onProgress, (w, drain) =>
        writeRosterFile(w, drain, rosterRng, people, attendance, series, plans, part, walkIns),
      ),
    );
  }

  files.push(
    await writeFile(out, 'rsc.csv', 'rsc', onProgress, (w, drain) =>
      writeRsc(w, root.fork('rsc'), people, plans, asOf, drain),
    ),
  );
  files.push(
    await writeFile(out, 'trainings.csv', 'trainings', onProgress, (w, drain) =>
      writeCalendar(w, root.fork('calendar'), trainings, asOf, drain),
    ),
  );

  return {
    seed,
    asOf: asOfText,
    people: count,
    applicants,
    endorsees,
    trainings: trainings.length,
    files,
  };
}
