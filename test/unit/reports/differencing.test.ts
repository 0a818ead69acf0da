/**
 * The differencing attack (docs/domain.md, "Releases and differencing"): applicants arrive one at a time
 * and the reports are rebuilt after each, as after every upload. A reader compares consecutive releases
 * and, in each breakdown, points to the group whose published applicant count rose most, and reads the
 * person's eligibility off the eligible count of their group. With exact counts this finds every
 * newcomer's groups and eligibility; with the release noise it must do little better than guessing.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildReports } from '#core/reports/build.js';
import { noisyCounts, releaseInputsDigest } from '#core/reports/noise.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import type { ReportPerson } from '#core/reports/workforce.js';

const rule = defaultPublishingRule();
const SECRET = 'the state folder secret of this test';

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// An association of about 500 applicants, spread so that the main groups are published.
const COUNTIES = ['55025', '55079', '55009', '55133', '55139', '55087', '55105', '55073'];
const RACES = ['White', 'Black or African American', 'Hispanic or Latino', 'Asian'];
const LANGUAGES = ['English', 'Spanish'];
const SECTORS = ['Head Start', 'Child Care', 'Home Visiting', 'Mental Health'];
const BREAKDOWNS = ['county', 'race_ethnicity', 'primary_language', 'sector'] as const;

function applicant(next: () => number): ReportPerson {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return {
    population: 'applicants',
    category: 'IFA',
    county: pick(COUNTIES),
    raceEthnicity: [pick(RACES)],
    primaryLanguage: pick(LANGUAGES),
    sector: pick(SECTORS),
    eligible: next() < 0.4,
  };
}

/** The group of each breakdown a person falls in, as the reports label it. */
function groupsOf(p: ReportPerson): Record<(typeof BREAKDOWNS)[number], string> {
  return {
    county: p.county as string,
    race_ethnicity: p.raceEthnicity[0] as string,
    primary_language: p.primaryLanguage as string,
    sector: p.sector as string,
  };
}

/** A release as the publisher builds it: keyed by a keyed digest of its inputs, or exact. */
function release(people: readonly ReportPerson[], maxNoise: number) {
  const key = createHmac('sha256', SECRET).update(releaseInputsDigest(people)).digest();
  return buildReports(people, { ...rule, maxNoise }, noisyCounts(key, { ...rule, maxNoise }));
}

interface AttackResult {
  /** Breakdowns where the reader could compare (the newcomer's group published in both releases). */
  attempts: number;
  /** ... and pointed to the newcomer's group. */
  hits: number;
  /** What guessing a published group at random would hit, summed over the attempts. */
  chance: number;
  /** Eligibility read off the newcomer's group: attempts and right answers. */
  eligibility: { attempts: number; right: number };
  /** Published applicant cells (not 0) outside the newcomer's groups, and how many of them moved. */
  others: { cells: number; moved: number };
}

function attack(maxNoise: number, arrivals: number, seed: number): AttackResult {
  const next = random(seed);
  const people = Array.from({ length: 500 }, () => applicant(next));
  const result: AttackResult = {
    attempts: 0,
    hits: 0,
    chance: 0,
    eligibility: { attempts: 0, right: 0 },
    others: { cells: 0, moved: 0 },
  };
  let before = release(people, maxNoise);
  for (let n = 0; n < arrivals; n++) {
    const newcomer = applicant(next);
    people.push(newcomer);
    const after = release(people, maxNoise);
    const theirs = groupsOf(newcomer);
    for (const dimension of BREAKDOWNS) {
      const counts = (r: typeof before, field: 'applicants' | 'eligible') =>
        new Map(r.disparity.filter((d) => d.dimension === dimension).map((d) => [d.group, d[field]]));
      const [a0, a1] = [counts(before, 'applicants'), counts(after, 'applicants')];
      const rises: [string, number][] = [];
      for (const [group, was] of a0) {
        const now = a1.get(group);
        if (was === null || was === undefined || now === null || now === undefined) continue;
        rises.push([group, now - was]);
        // Zeros are left out: one shows as 0 or withheld, and mostly stays 0.
        if (group !== theirs[dimension] && was > 0 && now > 0) {
          result.others.cells++;
          if (now !== was) result.others.moved++;
        }
      }
      if (!rises.some(([g]) => g === theirs[dimension])) continue;
      // The reader's guess: the largest rise (ties: the first group in report order).
      const guess = rises.reduce((best, r) => (r[1] > best[1] ? r : best))[0];
      result.attempts++;
      result.chance += 1 / rises.length;
      if (guess === theirs[dimension]) result.hits++;
      const [e0, e1] = [
        counts(before, 'eligible').get(theirs[dimension]),
        counts(after, 'eligible').get(theirs[dimension]),
      ];
      if (typeof e0 === 'number' && typeof e1 === 'number') {
        result.eligibility.attempts++;
        if (e1 - e0 >= 1 === newcomer.eligible) result.eligibility.right++;
      }
    }
    before = after;
  }
  return result;
}

describe('comparing consecutive releases, one applicant added between them', () => {
  it("with exact counts points to every newcomer's groups and eligibility (the attack works)", () => {
    const exact = attack(0, 25, 7);
    expect(exact.attempts).toBeGreaterThan(50);
    expect(exact.hits).toBe(exact.attempts);
    expect(exact.eligibility.right).toBe(exact.eligibility.attempts);
    expect(exact.others.moved).toBe(0);
  });

  it('with the release noise points to their groups little more often than guessing, and not to their eligibility', () => {
    const noisy = attack(rule.maxNoise, 60, 11);
    const share = (n: number, of: number) => n / of;
    // Recorded in docs/benchmarks.md ("Releases and differencing").
    console.info(
      `differencing attack, maxNoise ${rule.maxNoise}: ${noisy.hits} of ${noisy.attempts} groups found ` +
        `(guessing: ${noisy.chance.toFixed(1)}), eligibility right ${noisy.eligibility.right} of ${noisy.eligibility.attempts}, ` +
        `${noisy.others.moved} of ${noisy.others.cells} other cells moved`,
    );
    expect(noisy.attempts).toBeGreaterThan(100);
    // Every release moves most cells, not only the newcomer's.
    expect(share(noisy.others.moved, noisy.others.cells)).toBeGreaterThan(0.75);
    // The largest rise is the newcomer's group far less often than with exact counts (100%): under half
    // the time, and within twice what guessing finds.
    expect(share(noisy.hits, noisy.attempts)).toBeLessThan(0.5);
    expect(noisy.hits).toBeLessThan(2 * noisy.chance);
    // Eligibility read off their group is right not much more often than a coin.
    expect(share(noisy.eligibility.right, noisy.eligibility.attempts)).toBeLessThan(0.7);
  });
});
