/** The training calendar (`trainings` kind): its columns, rows and where it is recognised. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPLOAD_PREFIXES } from '#adapters/table-design.js';
import { matchHeader } from '#core/ingest/columns.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import { CalendarRow } from '#core/ingest/schemas.js';
import { kindOfFileName } from '#local/input-folder.js';
import { validateFile } from '#local/validate.js';
import { kindOfKey } from '#services/ingest-object.js';
import { chunksOf } from '#test-support/chunks.js';
import { dateCell, workbook } from '#test-support/workbooks.js';

const row = {
  training_id: 'WI-NIN\u0303EZ-01',
  training_title: ' Reflective Practice, Part 1 ',
  training_date: '1/14/2027',
  hours: '3',
  competencies: '1e.1; 1D.2.',
  dei: 'Y',
  rsc_topic: '',
  provider: 'Statewide Training Collaborative',
  registration_url: 'https://events.example.org/register?id=1&x=2',
};

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((i) => `${String(i.path[0])}: ${i.message}`);
}

async function ingest(text: string | Uint8Array, file = 'trainings-2027.csv') {
  const records: InputRecord[] = [];
  const receipt = await ingestFile({
    kind: 'trainings',
    file,
    source: chunksOf(text),
    sink: async (batch) => void records.push(...batch),
  });
  return { receipt, records: records.map((r) => r.record) };
}

describe('a calendar row', () => {
  it('reads a training as a roster describes one, with its title and where to register', () => {
    expect(CalendarRow.parse(row)).toEqual({
      trainingId: 'WI-NIÑEZ-01',
      title: 'Reflective Practice, Part 1',
      date: '2027-01-14',
      hours: 3,
      competencies: ['1E.1', '1D.2'],
      dei: true,
      rscTopic: false,
      provider: 'Statewide Training Collaborative',
      registrationUrl: 'https://events.example.org/register?id=1&x=2',
    });
  });

  it('leaves out a blank registration link and provider', () => {
    const r = CalendarRow.parse({ ...row, registration_url: ' ', provider: '' });
    expect(r.registrationUrl).toBeUndefined();
    expect(r.provider).toBeUndefined();
  });

  it('requires a title, since it is what people are shown', () => {
    expect(messages(CalendarRow.safeParse({ ...row, training_title: '  ' }))).toEqual([
      'training_title: is required but empty',
    ]);
  });

  it('takes only http and https addresses as registration links', () => {
    for (const bad of ['javascript:alert(1)', 'file:///C:/trainings.html', 'mailto:office@example.org']) {
      expect(messages(CalendarRow.safeParse({ ...row, registration_url: bad }))).toEqual([
        `registration_url: "${bad}" is not a web address starting with https:// or http://`,
      ]);
    }
  });

  it('says to write https:// in front of an address written without it, rather than adding it silently', () => {
    expect(messages(CalendarRow.safeParse({ ...row, registration_url: 'www.example.org/register' }))).toEqual([
      'registration_url: "www.example.org/register" is not a full web address; write https:// in front of it',
    ]);
  });

  it('checks hours, dates and competency codes by the roster rules', () => {
    const r = CalendarRow.safeParse({ ...row, hours: '0', training_date: '2027-02-30', competencies: '2A.1' });
    expect(messages(r)).toEqual([
      'training_date: "2027-02-30" is not a real date',
      'hours: is 0; hours must be more than 0',
      'competencies: "2A.1" is not a competency code such as 1F.3',
    ]);
  });
});

describe('a calendar file', () => {
  it('needs the title column, which a roster may leave out', () => {
    expect(matchHeader('trainings', ['training_id', 'training_date', 'hours']).missingRequired).toEqual([
      'training_title',
    ]);
    expect(matchHeader('rosters', ['training_id', 'training_date', 'hours']).missingRequired).toEqual([]);
  });

  it('matches headers loosely and rejects a bad row with its line, keeping the rest', async () => {
    const { receipt, records } = await ingest(
      [
        'Training ID,Training Title,Training Date,Hours,Competencies,DEI,RSC Topic,Provider,Registration URL',
        'T-1,Feeding and Regulation,2027-01-06,3,1B.3,no,no,Alliance,https://example.org/t1',
        'T-2,,2027-02-06,3,1B.3,no,no,Alliance,',
        'T-3,"Grief and Loss, Part 2",3/2/2027,1.5,,yes,no,,',
      ].join('\n'),
    );
    expect(receipt).toMatchObject({ kind: 'trainings', rows: 3, accepted: 2, rejected: 1 });
    expect(receipt.errors).toEqual([{ line: 3, column: 'Training Title', message: 'is required but empty' }]);
    expect(records.map((r) => 'trainingId' in r && r.trainingId)).toEqual(['T-1', 'T-3']);
  });
});

describe('a calendar workbook', () => {
  it('is read from its sheet named after the kind, a date cell read as that day', async () => {
    const calendarSheet = [
      ['Training ID', 'Training Title', 'Training Date', 'Hours', 'Registration URL'],
      ['T-9', 'Infant Sleep', dateCell('2027-03-04'), 2, 'https://example.org/t9'],
    ];
    const bytes = await workbook([
      { sheet: 'Notes', rows: [['not the calendar']] },
      { sheet: 'Trainings', rows: calendarSheet },
    ]);

    const { receipt, records } = await ingest(bytes, 'calendar.xlsx');

    expect(receipt).toMatchObject({ sheet: 'Trainings', accepted: 1, rejected: 0 });
    expect(records[0]).toMatchObject({ trainingId: 'T-9', date: '2027-03-04', hours: 2 });
  });
});

describe('the bundled example calendar', () => {
  it('is valid and announces trainings after the as-of date of the examples and of December 2026', async () => {
    const receipt = await validateFile(
      join(import.meta.dirname, '..', '..', '..', 'examples', 'trainings.csv'),
      'trainings',
    );
    expect(receipt).toMatchObject({ rejected: 0, unusable: false });
    const { records } = await ingest(
      readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'trainings.csv')),
    );
    const dates = records.map((r) => ('date' in r ? r.date : ''));
    // Before the examples' as-of date (iecmh generate's default), after it, and before 31 December after 3 December.
    expect(dates.some((d) => d <= '2026-11-01')).toBe(true);
    expect(dates.some((d) => d > '2026-12-03' && d <= '2026-12-31')).toBe(true);
    expect(dates.some((d) => d > '2027-01-01')).toBe(true);
  });
});

describe('where a calendar is recognised', () => {
  it('by its folder in the uploads bucket and by its name locally, in any letter case', () => {
    expect(UPLOAD_PREFIXES).toContain('trainings/');
    expect(kindOfKey('trainings/calendar-2027.csv')).toBe('trainings');
    expect(kindOfFileName('Trainings-Spring.CSV')).toBe('trainings');
    // A roster named after its trainings is still a roster only if its name says so.
    expect(kindOfFileName('training-rosters.csv')).toBeUndefined();
  });
});
