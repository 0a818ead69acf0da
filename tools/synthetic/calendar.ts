/**
 * The association's training calendar (`trainings.csv`, docs/contract.md): the pool's trainings of
 * the last year as the calendar page still lists them, and the trainings announced for the year
 * after the as-of date, which the rosters cannot hold yet.
 *
 * Assumptions (invented but plausible):
 * - Past: every training of the pool dated in the 365 days up to the as-of date, described as its
 *   roster describes it (same id, title, date, hours, codes, flags, provider); half still show
 *   their registration link, which the pipeline never offers for a past training.
 * - Upcoming: as many stand-alone trainings a year as the pool has (at least 24), dated over the
 *   365 days after the as-of date, of the same kinds (14% DEI, 10% on providing RSC), plus enough
 *   in each month left of the as-of date's calendar year (2 general, 1 DEI, 1 on providing RSC,
 *   pro rata for the as-of date's own month) that an endorsee short of hours before the
 *   31 December due date has something to take (the autumn rush).
 *   Their ids continue the pool's numbering; 90% have a registration link on example.org.
 */
import { csvField } from '#core/csv/write.js';
import { dayNumber, daysInMonth, isoDate, isoDateOfDay, usDateOfDay, yearOfDay } from '#core/dates.js';
import type { CsvFileWriter } from './csv-writer.js';
import type { Drain } from './files.js';
import type { Random } from './random.js';
import { BOOLEAN_STYLES, US_DATE_SHARE } from './spelling.js';
import { DEI, GENERAL, RSC_TOPIC, singleDraft, singleKind, type Training, type TrainingDraft } from './trainings.js';
import { COMPETENCY_CODES } from './vocabulary.js';

/** How far back the calendar lists trainings, and how far ahead it announces them, in days. */
export const CALENDAR_DAYS = 365;
const MIN_UPCOMING = 24;
/** The fewest upcoming trainings of each kind (general, DEI, on providing RSC) in each month left of the year, pro rata. */
const PER_MONTH_LEFT = [2, 1, 1] as const;
const PAST_LINK_SHARE = 0.5;
const UPCOMING_LINK_SHARE = 0.9;

/** The registration page of a training on the (reserved, never real) example.org domain. */
export const registrationLink = (id: string) => `https://events.example.org/iecmh/register/${encodeURIComponent(id)}`;

/** Upcoming drafts after `asOf`, in date order (ties keep draw order). */
export function upcomingDrafts(rng: Random, poolSize: number, asOf: number): TrainingDraft[] {
  const drafts: TrainingDraft[] = [];
  const count = Math.max(MIN_UPCOMING, Math.round(poolSize / 3));
  for (let t = 0; t < count; t++) drafts.push(singleDraft(rng, asOf + rng.int(1, CALENDAR_DAYS), singleKind(rng)));
  // The months left before the 31 December due date: each announces enough of every kind.
  const year = yearOfDay(asOf);
  for (let month = 1; month <= 12; month++) {
    const first = dayNumber(isoDate(year, month, 1));
    const last = first + daysInMonth(year, month) - 1;
    const lo = Math.max(first, asOf + 1);
    if (lo > last) continue;
    const have = [0, 0, 0];
    for (const d of drafts) if (d.day >= lo && d.day <= last) have[d.kind] = (have[d.kind] as number) + 1;
    for (const kind of [GENERAL, DEI, RSC_TOPIC]) {
      const want = Math.ceil(((PER_MONTH_LEFT[kind] as number) * (last - lo + 1)) / (last - first + 1));
      for (let n = have[kind] as number; n < want; n++) drafts.push(singleDraft(rng, rng.int(lo, last), kind));
    }
  }
  return drafts.sort((a, b) => a.day - b.day);
}

function upcomingLine(rng: Random, id: string, d: TrainingDraft): string {
  const [yes, no] = BOOLEAN_STYLES.pick(rng);
  const date = rng.chance(US_DATE_SHARE) ? usDateOfDay(d.day) : isoDateOfDay(d.day);
  return [
    id,
    csvField(d.title),
    date,
    String(d.quarters / 4),
    COMPETENCY_CODES.filter((c) => d.codes.includes(c)).join(';'),
    d.kind === DEI ? yes : no,
    d.kind === RSC_TOPIC ? yes : no,
    csvField(d.provider),
    rng.chance(UPCOMING_LINK_SHARE) ? registrationLink(id) : '',
  ].join(',');
}

/** Writes the calendar: the pool's last year, then the trainings announced after `asOf`. */
export async function writeCalendar(
  writer: CsvFileWriter,
  rng: Random,
  pool: readonly Training[],
  asOf: number,
  drain: Drain,
): Promise<void> {
  for (const t of pool) {
    if (t.day <= asOf - CALENDAR_DAYS || t.day > asOf) continue;
    // The pool's row start ends with the provider's trailing comma: the link (or nothing) follows.
    const id = t.prefix.slice(0, t.prefix.indexOf(','));
    writer.line(`${t.prefix}${rng.chance(PAST_LINK_SHARE) ? registrationLink(id) : ''}`);
    await drain();
  }
  const upcoming = upcomingDrafts(rng, pool.length, asOf);
  const width = Math.max(6, String(pool.length + upcoming.length).length);
  for (const [k, d] of upcoming.entries()) {
    writer.line(upcomingLine(rng, `T${String(pool.length + k + 1).padStart(width, '0')}`, d));
    await drain();
  }
}
