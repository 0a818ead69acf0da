/** applicants.csv: everyone who applies, with what their category asks for mostly met. */
import { lastDayOfYear, yearOfDay } from '#core/dates.js';
import type { CsvFileWriter } from './csv-writer.js';
import type { Drain } from './files.js';
import { email, GENDER, LANGUAGE, type People, personId, RACE_ETHNICITY, sectorFor } from './people.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import { type Random, WeightedChoice } from './random.js';
import { booleanText, COUNTY, categoryText, countyText, dateText } from './spelling.js';
import { APPLICATION_STATUSES, EMPLOYER_KINDS, FIRST_NAMES, LAST_NAMES } from './vocabulary.js';

/** Application dates spread over this many days up to the as-of date. */
const APPLICATION_DAYS = 2 * 365;

const STATUS = WeightedChoice.of(APPLICATION_STATUSES);

function employerText(rng: Random): string {
  const place = rng.chance(0.5) ? COUNTY.pick(rng).name : rng.pick(LAST_NAMES);
  return `${place} ${rng.pick(EMPLOYER_KINDS)}`;
}

function workMonthsFor(rng: Random, profile: CategoryProfile): number {
  const req = profile.workMonths;
  if (profile.workReplacesEducation) return Math.max(0, Math.round(rng.normal(40, 30)));
  if (req === 0) return rng.int(0, 240);
  if (rng.chance(0.12)) return rng.int(Math.floor(req / 4), req - 1);
  return req + Math.max(0, Math.round(rng.normal(48, 36)));
}

function membershipText(rng: Random, asOf: number, lapsedShare: number): string {
  const r = rng.next();
  if (r < lapsedShare) return dateText(rng, asOf - rng.int(1, 600));
  if (r < lapsedShare + 0.03) return '';
  // Many associations renew memberships with the calendar year.
  if (rng.chance(0.4)) return dateText(rng, lastDayOfYear(yearOfDay(asOf) + (rng.chance(0.7) ? 0 : 1)));
  return dateText(rng, asOf + rng.int(0, 400));
}

export async function writeApplicants(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  asOf: number,
  drain: Drain,
): Promise<void> {
  for (let i = 0; i < people.count; i++) {
    if (people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    const exam = p.exam
      ? rng.chance(0.85)
        ? booleanText(rng, true)
        : rng.chance(0.5)
          ? booleanText(rng, false)
          : ''
      : rng.chance(0.9)
        ? ''
        : booleanText(rng, false);
    const r = rng.next();
    const references = r < 0.9 ? '3' : r < 0.92 ? '' : String(rng.int(0, 2));
    const ethics = rng.chance(0.92) ? booleanText(rng, true) : rng.chance(0.4) ? booleanText(rng, false) : '';
    writer.row([
      personId(i),
      FIRST_NAMES[people.first[i] as number] as string,
      LAST_NAMES[people.last[i] as number] as string,
      email(people, i),
      categoryText(rng, p),
      STATUS.pick(rng),
      rng.chance(0.92) ? dateText(rng, asOf - rng.int(0, APPLICATION_DAYS)) : '',
      p.education.pick(rng),
      String(workMonthsFor(rng, p)),
      exam,
      references,
      ethics,
      membershipText(rng, asOf, 0.08),
      RACE_ETHNICITY.pick(rng),
      LANGUAGE.pick(rng),
      GENDER.pick(rng),
      countyText(rng),
      sectorFor(rng, p.code),
      rng.chance(0.9) ? employerText(rng) : '',
    ]);
    await drain();
  }
}
