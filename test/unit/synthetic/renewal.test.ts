/**
 * The synthetic endorsees renew as a real registry's do: judged by the real renewal core on the
 * generated files (read by the real ingest), most meet last year's requirements, few lapse, and in
 * the autumn about half have already met this year's.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeTrainings } from '#core/eligibility/index.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { Attendance, Endorsee, RscSession } from '#core/model.js';
import { type RenewalResult, type RenewalStatus, renewalStatus } from '#core/renewal/renewal.js';
import { rulesetFor } from '#core/rules/registry.js';
import { generateDataset } from '#tools/synthetic/generate.js';

const PEOPLE = 2000;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Generates a data set as of a date, ingests it with the real core and judges every endorsee on that date. */
async function judge(asOf: string): Promise<RenewalResult[]> {
  const out = await mkdtemp(join(tmpdir(), 'iecmh-synthetic-renewal-'));
  dirs.push(out);
  const result = await generateDataset({ people: PEOPLE, seed: 'renewal', asOf, out });
  const endorsees: Endorsee[] = [];
  // Attendance by person id ("P:id") or, for rows naming only an email, by email ("E:email"), as the pipeline keeps it.
  const attendance = new Map<string, Attendance[]>();
  const rsc = new Map<string, RscSession[]>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const file of result.files) {
    const receipt = await ingestFile({
      kind: file.kind,
      file: file.name,
      source: createReadStream(file.path),
      sink: async (records: InputRecord[]) => {
        for (const r of records) {
          if (r.kind === 'endorsements') endorsees.push(r.record);
          else if (r.kind === 'rsc') add(rsc, r.record.personId, r.record);
          else if (r.kind === 'rosters') {
            add(attendance, r.record.personId ? `P:${r.record.personId}` : `E:${r.record.email}`, r.record);
          }
        }
      },
    });
    expect(receipt.rejected, file.name).toBe(0);
  }
  const ruleset = rulesetFor(asOf);
  return endorsees.map((endorsee) => {
    const rows = [
      ...(attendance.get(`P:${endorsee.personId}`) ?? []),
      ...(endorsee.email ? (attendance.get(`E:${endorsee.email}`) ?? []) : []),
    ];
    const trainings = mergeTrainings(rows);
    return renewalStatus({ endorsee, trainings, rscSessions: rsc.get(endorsee.personId) ?? [], asOf, ruleset });
  });
}

function shares(results: readonly RenewalResult[]): Record<RenewalStatus, number> {
  const counts: Record<RenewalStatus, number> = { exempt: 0, lapsed: 0, compliant: 0, at_risk: 0, in_progress: 0 };
  for (const r of results) counts[r.status]++;
  for (const s of Object.keys(counts) as RenewalStatus[]) counts[s] /= results.length;
  return counts;
}

describe('generateDataset: renewal as of 1 November (61 days before the due date)', () => {
  let results: RenewalResult[];
  beforeAll(async () => {
    results = await judge('2026-11-01');
  });

  it('has most endorsees in good standing and few lapsed', () => {
    expect(results.length).toBeGreaterThan(0.35 * PEOPLE);
    const s = shares(results);
    expect(s.compliant + s.at_risk + s.exempt).toBeGreaterThan(0.75);
    expect(s.lapsed).toBeGreaterThan(0.01);
    expect(s.lapsed).toBeLessThan(0.12);
    // Endorsed this year: the first renewal needs no hours.
    expect(s.exempt).toBeGreaterThan(0.1);
    expect(s.exempt).toBeLessThan(0.3);
    // With 61 days to go nobody is merely in progress.
    expect(s.in_progress).toBe(0);
  });

  it('has most long-standing endorsees meeting last year’s requirements', () => {
    const judged = results.filter((r) => r.previousCycleMet !== null);
    expect(judged.length).toBeGreaterThan(0.4 * results.length);
    const met = judged.filter((r) => r.previousCycleMet).length / judged.length;
    expect(met).toBeGreaterThan(0.85);
    expect(met).toBeLessThan(0.98);
  });

  it('has about half of this year’s renewals met already, most of the rest a few hours short', () => {
    const compliant = results.filter((r) => r.status === 'compliant').length;
    const atRisk = results.filter((r) => r.status === 'at_risk');
    const done = compliant / (compliant + atRisk.length);
    expect(done).toBeGreaterThan(0.35);
    expect(done).toBeLessThan(0.65);
    const close = atRisk.filter((r) => r.shortfall.ceHours <= 6 && r.shortfall.rscHours <= 6).length;
    expect(close / atRisk.length).toBeGreaterThan(0.75);
  });
});

describe('generateDataset: renewal as of 15 January', () => {
  it('has few lapsed and most in progress at the start of the year', async () => {
    const s = shares(await judge('2027-01-15'));
    expect(s.lapsed).toBeGreaterThan(0.01);
    expect(s.lapsed).toBeLessThan(0.12);
    expect(s.in_progress).toBeGreaterThan(0.75);
  });
});
