import { describe, expect, it } from 'vitest';
import { foldHeader, matchHeader } from '#core/ingest/columns.js';

describe('header matching', () => {
  it('matches names whatever their case, spaces, underscores and dashes', () => {
    expect(foldHeader('Training-Date')).toBe(foldHeader('training_date'));
    expect(foldHeader(' TRAINING DATE ')).toBe('trainingdate');
    const m = matchHeader('rsc', ['Person ID', 'SESSION-DATE', 'hours']);
    expect(m.missingRequired).toEqual([]);
    expect(m.index.get('session_date')).toBe(1);
    expect(m.label.get('session_date')).toBe('SESSION-DATE');
  });

  it('warns about unknown columns and ignores them', () => {
    const m = matchHeader('rsc', ['person_id', 'session_date', 'hours', 'Notes', 'Room']);
    expect(m.warnings).toEqual(['unknown columns ignored: "Notes", "Room"']);
  });

  it('names every missing required column', () => {
    expect(matchHeader('rosters', ['training_id', 'email']).missingRequired).toEqual(['training_date', 'hours']);
  });

  it('uses the first of two columns with the same name and says so', () => {
    const m = matchHeader('rsc', ['person_id', 'session_date', 'hours', 'Hours']);
    expect(m.index.get('hours')).toBe(2);
    expect(m.warnings[0]).toMatch(/appears twice/);
  });
});
