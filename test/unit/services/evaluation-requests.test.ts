import { describe, expect, it } from 'vitest';
import { combinedRequest, evaluationRequests, MAX_IDS_PER_REQUEST, MAX_PEOPLE_PER_CHANGE } from '#services/reach.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i).padStart(7, '0')}`);

describe('the refresh requests for a change', () => {
  it('name its people in groups of at most 500, each small enough for one SQS message', () => {
    const requests = evaluationRequests({ personIds: ids(1_201), everyone: false }, 'rosters/spring.csv');
    expect(requests.map((r) => ('personIds' in r ? r.personIds.length : 'everyone'))).toEqual([500, 500, 201]);
    expect(requests.flatMap((r) => ('personIds' in r ? r.personIds : []))).toEqual(ids(1_201));
    const longest = `${'x'.repeat(200)}`;
    const body = JSON.stringify({ personIds: Array(MAX_IDS_PER_REQUEST).fill(longest), sources: [longest] });
    expect(Buffer.byteLength(body)).toBeLessThan(256 * 1024);
  });

  it('still name the upload when the change reached nobody (its manifest entry changes)', () => {
    expect(evaluationRequests({ personIds: [], everyone: false }, 'rsc/log.csv')).toEqual([
      { personIds: [], sources: ['rsc/log.csv'] },
    ]);
  });

  it('ask for everyone when the change reached everyone, or more people than a Scan costs', () => {
    expect(evaluationRequests({ personIds: [], everyone: true }, 'trainings/calendar.csv')).toEqual([
      { everyone: true, sources: ['trainings/calendar.csv'] },
    ]);
    expect(
      evaluationRequests({ personIds: ids(MAX_PEOPLE_PER_CHANGE + 1), everyone: false }, 'applicants/all.csv'),
    ).toEqual([{ everyone: true, sources: ['applicants/all.csv'] }]);
  });

  it('combine several changes into one request, each person once', () => {
    expect(
      combinedRequest([
        { reach: { personIds: ['B', 'A'], everyone: false }, sourceKey: 'rosters/b.csv' },
        { reach: { personIds: ['B', 'C'], everyone: false }, sourceKey: 'rosters/a.csv' },
      ]),
    ).toEqual({ personIds: ['A', 'B', 'C'], sources: ['rosters/a.csv', 'rosters/b.csv'] });
  });
});
