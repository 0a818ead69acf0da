/** rosters*.csv: who attended which training, as sign-in sheets name them. */
import { csvField } from '#core/csv/write.js';
import type { CsvFileWriter } from './csv-writer.js';
import type { Drain } from './files.js';
import { email, FIRST_CSV, FIRST_EMAIL, LAST_CSV, LAST_EMAIL, type People, personId } from './people.js';
import type { AliasTable, Random } from './random.js';
import type { Plans } from './renewals.js';
import { SERIES_ATTENDANCE, type Series, type Training } from './trainings.js';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary.js';

const EMAIL_ONLY_SHARE = 0.1;
const WALK_IN_SHARE = 0.004;

/** An email as people type it on a sign-in sheet: letter case and surrounding spaces vary. */
function typedEmail(rng: Random, address: string): string {
  let text = address;
  const r = rng.next();
  if (r < 0.25) text = text.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  else if (r < 0.35) text = text.toUpperCase();
  const s = rng.next();
  if (s < 0.15) text = ` ${text}`;
  else if (s < 0.25) text = `${text} `;
  else if (s < 0.3) text = `  ${text}  `;
  return csvField(text);
}

// Of completed attendances, the share marked yes (the rest are left blank).
const COMPLETED_YES = 0.72 / 0.95;

/** Writes the rows of the trainings given; rows go out one training at a time, as rosters are kept. */
export async function writeRosterFile(
  writer: CsvFileWriter,
  drain: Drain,
  rng: Random,
  people: People,
  attendance: AliasTable,
  series: Series,
  plans: Plans,
  trainings: readonly Training[],
  walkIns: { next: number },
): Promise<void> {
  const completion = (training: Training, completed: boolean | undefined): string => {
    if (completed === undefined) {
      const r = rng.next();
      return r < 0.72 ? training.booleans[0] : r < 0.95 ? '' : training.booleans[1];
    }
    if (!completed) return training.booleans[1];
    return rng.chance(COMPLETED_YES) ? training.booleans[0] : '';
  };
  /** One attendee's row; `completed` undefined draws it (about 95% completed). */
  const attendee = (training: Training, i: number, completed?: boolean): void => {
    const done = completion(training, completed);
    const first = FIRST_CSV[people.first[i] as number];
    const last = LAST_CSV[people.last[i] as number];
    // Someone whose email no file lists could not be matched by it, so sheets name them by id.
    if (people.listed[i] && rng.chance(EMAIL_ONLY_SHARE)) {
      const names = rng.chance(0.6) ? `${first},${last}` : ',';
      writer.line(`${training.prefix},${typedEmail(rng, email(people, i))},${names},${done}`);
    } else {
      writer.line(`${training.prefix}${personId(i)},,${first},${last},${done}`);
    }
  };
  const walkIn = (training: Training): void => {
    const done = completion(training, undefined);
    const f = rng.int(0, FIRST_NAMES.length - 1);
    const l = rng.int(0, LAST_NAMES.length - 1);
    const address = `${FIRST_EMAIL[f]}.${LAST_EMAIL[l]}.guest${++walkIns.next}@example.net`;
    writer.line(`${training.prefix},${typedEmail(rng, address)},${FIRST_CSV[f]},${LAST_CSV[l]},${done}`);
  };

  // seen[i] === mark: person i is already on this training's roster (a typed array, not a Set, so
  // that a million rows leave no garbage behind).
  const seen = new Uint32Array(people.count);
  let mark = 0;
  for (const training of trainings) {
    if (training.series >= 0) {
      const end = series.offsets[training.series + 1] as number;
      for (let m = series.offsets[training.series] as number; m < end; m++) {
        if (rng.chance(SERIES_ATTENDANCE)) attendee(training, series.members[m] as number);
        if (writer.full) await drain();
      }
      continue;
    }
    mark++;
    const end = plans.offsets[training.index + 1] as number;
    for (let m = plans.offsets[training.index] as number; m < end; m++) {
      const member = plans.members[m] as number;
      const i = member < 0 ? ~member : member;
      seen[i] = mark;
      attendee(training, i, member >= 0);
      if (writer.full) await drain();
    }
    // Rejection sampling without replacement; the attempt limit only matters for tiny data sets
    // where a popular training would otherwise take nearly everyone.
    let attempts = training.attendees * 20;
    for (let k = 0; k < training.attendees && attempts > 0; attempts--) {
      if (rng.chance(WALK_IN_SHARE)) {
        walkIn(training);
        k++;
      } else {
        const i = attendance.sample(rng);
        if (seen[i] === mark) continue;
        seen[i] = mark;
        attendee(training, i);
        k++;
      }
      if (writer.full) await drain();
    }
  }
}
