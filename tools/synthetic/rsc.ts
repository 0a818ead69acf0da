/** rsc.csv: the reflective supervision/consultation sessions people received. */
import { csvField } from '#core/csv/write.js';
import { firstDayOfYear, isoDateOfDay, usDateOfDay, yearOfDay } from '#core/dates.js';
import type { Tier } from '#core/reference/reference.js';
import type { CsvFileWriter } from './csv-writer.js';
import type { Drain } from './files.js';
import { type People, personId } from './people.js';
import { type CategoryProfile, PROFILES } from './profiles.js';
import { type Random, WeightedChoice } from './random.js';
import type { Plans } from './renewals.js';
import { US_DATE_SHARE } from './spelling.js';
import { FIRST_NAMES, LAST_NAMES, PROVIDER_CREDENTIALS, RSC_FORMATS } from './vocabulary.js';

/** Applicants' sessions fall in this many days up to the as-of date (about 30 months). */
const RSC_DAYS = 913;

/** Applicants' mean number of sessions by tier: the mental health specialist and mentor tiers need 50 hours. */
const RSC_SESSIONS_BY_TIER: Record<Tier, number> = { associate: 20, specialist: 22, mhs: 36, mentor: 36 };

const RSC_FORMAT = WeightedChoice.of(RSC_FORMATS);

/** Session lengths in quarter hours, 1 to 2 hours. */
const RSC_QUARTERS = WeightedChoice.of<number>([
  [4, 30],
  [5, 5],
  [6, 35],
  [8, 30],
]);

/** The categories of the supervisors who provide RSC. */
const RSC_PROVIDER_CATEGORY = WeightedChoice.of<string>([
  ['IFRS', 30],
  ['ECFRS', 25],
  ['IMHM-C', 20],
  ['ECMHM-C', 15],
  ['IMHS', 5],
  ['ECMHS', 5],
]);

interface Supervisor {
  name: string;
  category: string;
}

export async function writeRsc(
  writer: CsvFileWriter,
  rng: Random,
  people: People,
  plans: Plans,
  asOf: number,
  drain: Drain,
): Promise<void> {
  const supervisors: Supervisor[] = [];
  const supervisorCount = Math.max(20, Math.ceil(people.count / 40));
  for (let s = 0; s < supervisorCount; s++) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}, ${rng.pick(PROVIDER_CREDENTIALS)}`;
    supervisors.push({ name: csvField(name), category: RSC_PROVIDER_CATEGORY.pick(rng) });
  }
  const from = asOf - RSC_DAYS;
  // Every session falls in the window: its dates are formatted once, not once a row.
  const iso = Array.from({ length: RSC_DAYS + 1 }, (_, k) => isoDateOfDay(from + k));
  const us = Array.from({ length: RSC_DAYS + 1 }, (_, k) => usDateOfDay(from + k));
  let days = new Int32Array(64);
  let quarters = new Int32Array(64);
  // One year's sessions of an endorsee, in quarter hours.
  let year = new Int32Array(32);
  for (let i = 0; i < people.count; i++) {
    const p = PROFILES[people.category[i] as number] as CategoryProfile;
    let n = 0;
    if (people.endorsee[i]) {
      if (p.renewalRsc === 0) continue;
      // Regular supervision, planned a calendar year at a time like the CE: enough hours for the
      // year, spread evenly through it, unless the plan says the year falls short.
      for (let y = yearOfDay(from); y <= yearOfDay(asOf); y++) {
        const start = firstDayOfYear(y);
        const length = firstDayOfYear(y + 1) - start;
        const short = ((plans.rscShort[i] as number) >> (y - plans.firstYear)) & 1;
        const need = short ? p.renewalRscLowest : p.renewalRsc;
        const target = short ? need - rng.int(6, 24) / 4 : need + rng.int(4, 40) / 4;
        let count = 0;
        let total = 0;
        while (total < target) {
          const h = RSC_QUARTERS.pick(rng);
          if (short && total + h / 4 >= need) break;
          if (count === year.length) {
            const grown = new Int32Array(count * 2);
            grown.set(year);
            year = grown;
          }
          year[count++] = h;
          total += h / 4;
        }
        for (let k = 0; k < count; k++) {
          const day = start + Math.floor(((k + rng.next()) * length) / count);
          if (day < from || day > asOf) continue;
          if (days.length <= n) {
            const grownDays = new Int32Array(n * 2);
            const grownQuarters = new Int32Array(n * 2);
            grownDays.set(days);
            grownQuarters.set(quarters);
            days = grownDays;
            quarters = grownQuarters;
          }
          days[n] = day;
          quarters[n] = year[k] as number;
          n++;
        }
      }
    } else {
      if (!p.needsRsc || rng.chance(0.05)) continue;
      const mean = RSC_SESSIONS_BY_TIER[p.tier];
      n = Math.max(1, Math.round(rng.normal(mean, mean * 0.35)));
      if (days.length < n) {
        days = new Int32Array(n * 2);
        quarters = new Int32Array(n * 2);
      }
      for (let k = 0; k < n; k++) days[k] = asOf - rng.int(0, RSC_DAYS);
      days.subarray(0, n).sort();
      for (let k = 0; k < n; k++) quarters[k] = RSC_QUARTERS.pick(rng);
    }
    if (n === 0) continue;
    const primary = rng.pick(supervisors);
    const id = personId(i);
    for (let k = 0; k < n; k++) {
      const day = days[k] as number;
      const who = rng.chance(0.85) ? primary : rng.pick(supervisors);
      const date = (rng.chance(US_DATE_SHARE) ? us : iso)[day - from] as string;
      writer.line(`${id},${date},${(quarters[k] as number) / 4},${who.name},${who.category},${RSC_FORMAT.pick(rng)}`);
    }
    await drain();
  }
}
