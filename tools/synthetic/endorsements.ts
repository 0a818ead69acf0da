/** endorsements.csv: the current endorsees, with when they were endorsed and their membership. */
import { lastDayOfYear, yearOfDay } from '#core/dates.js';
import type { CsvFileWriter } from './csv-writer.js';
import type { Drain } from './files.js';
import { email, GENDER, LANGUAGE, type People, personId, RACE_ETHNICITY, sectorFor } from './people.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import type { Random } from './random.js';
import { categoryText, countyText, dateText } from './spelling.js';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary.js';

/**
 * An endorsee's membership: most have renewed through the end of next year, some only through
 * this year's end; a few expired after last year's end (short this year only), a few expired
 * during last year or are blank (which also fails last year's renewal).
 */
function endorseeMembershipText(rng: Random, asOf: number): string {
  const r = rng.next();
  if (r < 0.005) return '';
  const lastYearEnd = lastDayOfYear(yearOfDay(asOf) - 1);
  if (r < 0.015) return dateText(rng, lastYearEnd - rng.int(1, 364));
  if (r < 0.045) return dateText(rng, rng.int(lastYearEnd, Math.max(lastYearEnd, asOf - 1)));
  if (r < 0.25) return dateText(rng, lastDayOfYear(yearOfDay(asOf)));
  if (r < 0.92) return dateText(rng, lastDayOfYear(yearOfDay(asOf) + 1));
  // Anniversary memberships, still current through this year's end.
  return dateText(rng, lastDayOfYear(yearOfDay(asOf)) + rng.int(1, 540));
}

export async function writeEndorsements(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  asOf: number,
  drain: Drain,
): Promise<void> {
  for (let i = 0; i < people.count; i++) {
    if (!people.endorsee[i]) continue;
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    writer.row([
      personId(i),
      categoryText(rng, p),
      dateText(rng, people.endorsed[i] as number),
      endorseeMembershipText(rng, asOf),
      FIRST_NAMES[people.first[i] as number] as string,
      LAST_NAMES[people.last[i] as number] as string,
      people.listed[i] ? email(people, i) : '',
      countyText(rng),
      RACE_ETHNICITY.pick(rng),
      LANGUAGE.pick(rng),
      GENDER.pick(rng),
      sectorFor(rng, p.code),
    ]);
    await drain();
  }
}
