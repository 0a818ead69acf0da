import { describe, expect, it } from 'vitest';
import { releaseInputsDigest, releaseInputsDigestOfLines } from '#core/reports/noise.js';

/** The reports read from summaries count each distinct record once, with how many people it stands for. */
describe('releaseInputsDigestOfLines', () => {
  const records = [
    { population: 'applicants', category: 'IFA', county: '55025', eligible: true },
    { population: 'endorsed', category: 'ECFA', county: '55079' },
    { population: 'applicants', category: 'IFA', county: '55025', eligible: true },
    { category: 'IFA', county: '55141', status: 'lapsed' },
    { population: 'applicants', category: 'IFA', county: '55025', eligible: false },
  ];
  const counted = (rs: readonly unknown[]) => {
    const lines = new Map<string, number>();
    for (const r of rs) lines.set(JSON.stringify(r), (lines.get(JSON.stringify(r)) ?? 0) + 1);
    return lines;
  };

  it('gives the digest of the records themselves, duplicates and all', () => {
    expect(releaseInputsDigestOfLines(counted(records))).toBe(releaseInputsDigest(records));
  });

  it('changes when one person more shares a record', () => {
    const more = [...records, records[1]];
    expect(releaseInputsDigestOfLines(counted(more))).not.toBe(releaseInputsDigestOfLines(counted(records)));
    expect(releaseInputsDigestOfLines(counted(more))).toBe(releaseInputsDigest(more));
  });
});
