import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RawRow, rosterReader } from '#core/ingest/readers.js';
import { RosterRow } from '#core/ingest/schemas.js';

/** Cell values per column, good and bad, blank and absent, so rows repeat trainings and fail in every way. */
const CELLS: Record<string, (string | undefined)[]> = {
  training_id: ['T-1', 'T-2', ' T-3 ', '', 'bad id!', undefined],
  training_title: ['Attachment basics', '=HYPERLINK("x")', '', 'x'.repeat(301), undefined],
  training_date: ['2026-01-10', '1/10/2026', '2026-02-30', 'soon', '', undefined],
  hours: ['3', '1,5', '0', '-2', 'three', '250', '', undefined],
  competencies: ['1A.1;1F.3', '1f.3.; 1A.1 ;1F.3', 'attachment', '', undefined],
  dei: ['yes', 'N', 'maybe', '', undefined],
  rsc_topic: ['no', 'TRUE', '2', '', undefined],
  provider: ['WI-AIMH', '', undefined],
  person_id: ['P1', 'P2', '', 'P 3', undefined],
  email: ['a@example.org', ' A@Example.ORG ', 'not-an-email', '', undefined],
  first_name: ['Ana', '@SUM(A1)', '', undefined],
  last_name: ['Lopez', '', 'y'.repeat(101), undefined],
  completed: ['yes', 'no', '', 'perhaps', undefined],
};

const rowArb: fc.Arbitrary<RawRow> = fc.record(
  Object.fromEntries(Object.entries(CELLS).map(([column, values]) => [column, fc.constantFrom(...values)])),
) as fc.Arbitrary<RawRow>;

const outcome = (r: {
  success: boolean;
  data?: unknown;
  issues?: readonly { path: readonly PropertyKey[]; message: string }[];
}) => (r.success ? { data: r.data } : { issues: (r.issues ?? []).map((i) => [i.path.map(String), i.message]) });

describe('the roster reader (training half remembered per file)', () => {
  it('gives, row for row, exactly the record or the problems the whole-row schema gives', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), (rows) => {
        const read = rosterReader(); // one file
        for (const row of rows) {
          const whole = RosterRow.safeParse(row);
          const expected = whole.success
            ? { data: whole.data }
            : outcome({ success: false, issues: whole.error.issues });
          expect(outcome(read(row))).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports a bad training on every row that carries it, not only the first', () => {
    const read = rosterReader();
    const row = { training_id: 'T-1', training_date: '2026-02-30', hours: '3' };
    const first = read({ ...row, person_id: 'P1' });
    const second = read({ ...row, person_id: 'P2' });
    expect(first.success).toBe(false);
    expect(second).toEqual(first);
  });
});
