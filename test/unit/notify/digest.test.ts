/** The weekly digest: who is newly eligible, newly at risk and lapsing this month, in bounded lists, and its words. */
import { describe, expect, it } from 'vitest';
import {
  addToDigest,
  DigestSection,
  digestMessage,
  isLapsingThisMonth,
  NO_STANDING,
  newDigest,
  type PersonToday,
} from '#core/notify/digest.js';

const applicant = (personId: string, eligible: boolean): PersonToday => ({
  personId,
  name: `Name ${personId}`,
  eligible,
});
const endorsee = (personId: string, status: NonNullable<PersonToday['renewal']>['status'], dueDate: string) => ({
  personId,
  name: `Name ${personId}`,
  renewal: { status, dueDate },
});

describe('DigestSection', () => {
  it('counts everyone and keeps only the first max people in id order, whatever order they come in', () => {
    const section = new DigestSection(3);
    for (const id of ['P7', 'P2', 'P9', 'P1', 'P5', 'P3']) section.add({ personId: id, name: '' });
    expect(section.count).toBe(6);
    expect(section.people.map((p) => p.personId)).toEqual(['P1', 'P2', 'P3']);
  });
});

describe('isLapsingThisMonth', () => {
  it('is a renewal due later in the as-of month with this year not met', () => {
    expect(isLapsingThisMonth({ status: 'at_risk', dueDate: '2026-06-30' }, '2026-06-20')).toBe(true);
    expect(isLapsingThisMonth({ status: 'in_progress', dueDate: '2026-06-30' }, '2026-06-01')).toBe(true);
    expect(isLapsingThisMonth({ status: 'compliant', dueDate: '2026-06-30' }, '2026-06-20')).toBe(false);
    expect(isLapsingThisMonth({ status: 'at_risk', dueDate: '2026-07-31' }, '2026-06-20')).toBe(false);
    expect(isLapsingThisMonth({ status: 'lapsed', dueDate: '2026-06-30' }, '2026-06-20')).toBe(false);
    expect(isLapsingThisMonth(undefined, '2026-06-20')).toBe(false);
  });
});

describe('addToDigest', () => {
  it('counts nobody as new on the first digest, but lists who is lapsing', () => {
    const d = newDigest('2026-06-20', undefined, 10);
    addToDigest(d, applicant('P1', true), NO_STANDING);
    addToDigest(d, endorsee('E1', 'at_risk', '2026-06-30'), NO_STANDING);
    expect([d.newlyEligible.count, d.newlyAtRisk.count, d.lapsingThisMonth.count]).toEqual([0, 0, 1]);
    expect([d.eligibleNow, d.atRiskNow]).toEqual([1, 1]);
  });

  it('lists as new only who was not eligible or at risk at the last digest, and returns their standing now', () => {
    const d = newDigest('2026-06-27', '2026-06-20', 10);
    expect(addToDigest(d, applicant('P1', true), { eligible: true, atRisk: false })).toEqual({
      eligible: true,
      atRisk: false,
    });
    addToDigest(d, applicant('P2', true), NO_STANDING);
    addToDigest(d, applicant('P3', false), { eligible: true, atRisk: false });
    addToDigest(d, endorsee('E1', 'at_risk', '2026-08-01'), { eligible: false, atRisk: true });
    expect(addToDigest(d, endorsee('E2', 'at_risk', '2026-08-15'), NO_STANDING)).toEqual({
      eligible: false,
      atRisk: true,
    });
    expect(d.newlyEligible.people.map((p) => p.personId)).toEqual(['P2']);
    expect(d.newlyAtRisk.people).toEqual([{ personId: 'E2', name: 'Name E2', dueDate: '2026-08-15' }]);
  });
});

describe('digestMessage', () => {
  it('says what changed since the last digest, by id and name, with counts beyond the list', () => {
    const d = newDigest('2026-06-27', '2026-06-20', 2);
    for (const id of ['P3', 'P1', 'P2']) addToDigest(d, applicant(id, true), NO_STANDING);
    addToDigest(d, endorsee('E9', 'at_risk', '2026-06-30'), { eligible: false, atRisk: true });
    const m = digestMessage(d, ['admin/eligibility.csv in the uploads bucket.']);
    expect(m.kind).toBe('weekly-digest');
    expect(m.subject).toBe('Weekly digest as of 2026-06-27: 3 newly eligible, 0 newly at risk, 1 lapsing in June 2026');
    expect(m.text).toContain('compared with the digest as of 2026-06-20');
    expect(m.text).toContain('Newly eligible: 3 (');
    expect(m.text).toContain('  P1  Name P1\n  P2  Name P2\n  ... and 1 more');
    expect(m.text).not.toContain('P3  Name P3');
    expect(m.text).toContain('Lapsing in June 2026: 1 (');
    expect(m.text).toContain('  E9  Name E9  (due 2026-06-30)');
    expect(m.text).toContain('admin/eligibility.csv in the uploads bucket.');
    expect(m.html).toContain('<li>P1  Name P1</li>');
  });

  it('says the first digest has nothing to compare with', () => {
    const m = digestMessage(newDigest('2026-06-20', undefined, 5), []);
    expect(m.text).toContain('This is the first digest');
    expect(m.subject).toContain('0 newly eligible');
  });
});
