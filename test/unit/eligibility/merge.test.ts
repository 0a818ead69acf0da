/** Roster rows become one training per id per person, so re-uploads and repeated rows never double anything. */
import { describe, expect, it } from 'vitest';
import { mergeTrainings } from '#core/eligibility/merge.js';
import { attendance } from './builders.js';

describe('mergeTrainings', () => {
  it('counts a training once when one of its repeated rows is completed', () => {
    const rows = [
      attendance({ trainingId: 'T1', completed: false }),
      attendance({ trainingId: 'T1', completed: true }),
      attendance({ trainingId: 'T1', completed: false }),
    ];

    const merged = mergeTrainings(rows);

    expect(merged).toHaveLength(1);
    expect(merged[0]?.completed).toBe(true);
  });

  it('keeps a training not completed when none of its rows is', () => {
    const merged = mergeTrainings([attendance({ completed: false }), attendance({ completed: false })]);

    expect(merged.map((t) => t.completed)).toEqual([false]);
  });

  it("takes the completed row's hours, date and flags when rows disagree", () => {
    const incomplete = attendance({ hours: 6, trainingDate: '2026-03-02', dei: true, completed: false });
    const completed = attendance({ hours: 3, trainingDate: '2026-03-01', competencies: ['1F.3'], completed: true });

    const merged = mergeTrainings([incomplete, completed]);

    expect(merged).toEqual([
      {
        trainingId: 'T1',
        date: '2026-03-01',
        hours: 3,
        competencies: ['1F.3'],
        dei: false,
        rscTopic: false,
        completed: true,
      },
    ]);
  });

  it('gives the same record whatever order disagreeing completed rows arrive in', () => {
    const earlier = attendance({ hours: 2, trainingDate: '2026-03-01', completed: true });
    const later = attendance({ hours: 4, trainingDate: '2026-03-08', completed: true });

    const forward = mergeTrainings([earlier, later]);
    const backward = mergeTrainings([later, earlier]);

    expect(forward).toEqual(backward);
    expect(forward[0]?.date).toBe('2026-03-08');
  });

  it('keeps different trainings apart, sorted by id, with the title of any row', () => {
    const rows = [
      attendance({ trainingId: 'T2', trainingTitle: 'Reflective practice' }),
      attendance({ trainingId: 'T1' }),
      attendance({ trainingId: 'T2' }),
    ];

    const merged = mergeTrainings(rows);

    expect(merged.map((t) => [t.trainingId, t.title])).toEqual([
      ['T1', undefined],
      ['T2', 'Reflective practice'],
    ]);
  });

  it('returns nothing for no rows', () => {
    expect(mergeTrainings([])).toEqual([]);
  });
});
