/**
 * The disparity method on the synthetic generator's data (tools/synthetic), judged by the real
 * ingest and eligibility core. The generator draws county and race and ethnicity independently of
 * everything eligibility depends on (category, education, work, exam, references, membership,
 * trainings, RSC), so neither has any effect: a method that flags many counties or race groups
 * there flags noise. And at an association's real size, the summary must say what it could not
 * assess instead of claiming that there is no disparity.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPopulation } from '#adapters/dynamo/population.js';
import { loadCatalog } from '#core/catalog/catalog.js';
import { ingestFile } from '#core/ingest/ingest.js';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { DisparityRow } from '#core/reports/disparity.js';
import type { ReportPerson } from '#core/reports/groupings.js';
import { defaultPublishingRule } from '#core/reports/rule.js';
import { summaryParagraphs } from '#core/reports/summary.js';
import { rulesetFor } from '#core/rules/registry.js';
import { judgeApplicants } from '#services/judge.js';
import { reportPersonOf } from '#services/publish-reports.js';
import { generateDataset } from '#tools/synthetic/generate.js';
import { reportDocument } from '../support/report-people.js';

const AS_OF = '2026-11-01';
const rule = defaultPublishingRule();
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Generates `people` synthetic people, ingests their applicants, rosters and RSC, and judges every applicant. */
async function judgedApplicants(people: number, seed: string): Promise<ReportPerson[]> {
  const out = await mkdtemp(join(tmpdir(), 'iecmh-disparity-null-'));
  dirs.push(out);
  const result = await generateDataset({ people, seed, asOf: AS_OF, out });
  const population = emptyPopulation();
  const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const file of result.files.filter((f) => f.kind !== 'endorsements')) {
    const receipt = await ingestFile({
      kind: file.kind,
      file: file.name,
      source: createReadStream(file.path),
      sink: async (records: InputRecord[]) => {
        for (const r of records) {
          if (r.kind === 'applicants') population.applicants.set(r.record.personId, r.record);
          else if (r.kind === 'rsc') add(population.rsc, r.record.personId, r.record);
          else if (r.kind === 'rosters') {
            const key = r.record.personId ? `P:${r.record.personId}` : `E:${r.record.email}`;
            add(population.attendance, key, r.record);
          }
        }
      },
    });
    expect(receipt.rejected, file.name).toBe(0);
  }
  const judged: ReportPerson[] = [];
  for (const { person, result: r } of judgeApplicants(population, AS_OF, rulesetFor(AS_OF), loadCatalog())) {
    judged.push({ ...reportPersonOf(person, 'applicants'), eligible: r.eligible });
  }
  return judged;
}

/** Tested and flagged groups of one breakdown. */
function tally(rows: readonly DisparityRow[], dimension: string): { tested: number; flagged: number } {
  const mine = rows.filter((r) => r.dimension === dimension);
  return {
    tested: mine.filter((r) => r.assessment === 'tested').length,
    flagged: mine.filter((r) => r.fourFifthsFlag === true).length,
  };
}

describe('disparity on 20,000 synthetic people, where county and race have no effect on eligibility', () => {
  let rows: DisparityRow[];
  beforeAll(async () => {
    rows = reportDocument(await judgedApplicants(20_000, 'disparity-null'), rule).disparity;
  }, 120_000);

  it('flags at most 10% of the counties and race groups it tests', () => {
    // Act
    const county = tally(rows, 'county');
    const race = tally(rows, 'race_ethnicity');
    const share = (county.flagged + race.flagged) / (county.tested + race.tested);
    console.log(
      `null data: counties ${county.flagged} flagged of ${county.tested} tested; race and ethnicity ${race.flagged} of ${race.tested}; share ${(100 * share).toFixed(1)}%`,
    );

    // Assess: enough groups are tested for the share to mean something.
    expect(county.tested).toBeGreaterThanOrEqual(10);
    expect(race.tested).toBeGreaterThanOrEqual(3);
    expect(share).toBeLessThanOrEqual(0.1);
  });
});

describe('disparity at an association of 250 people', () => {
  let paragraphs: string[];
  beforeAll(async () => {
    paragraphs = summaryParagraphs(reportDocument(await judgedApplicants(250, 'disparity-small'), rule));
  });

  it('says for each breakdown what could not be assessed, and never that there is no disparity', () => {
    // Act
    const text = paragraphs.join('\n');

    // Assess
    expect(text).toMatch(
      /Race and ethnicity \(SPD-15\): (no group could be tested|\d+ groups? tested)[^.]*could not be assessed/,
    );
    expect(text).toMatch(
      /County \(FIPS code\): (no group could be tested|\d+ groups? tested)[^.]*could not be assessed/,
    );
    expect(text).not.toMatch(/no disparity|no evidence of disparity/i);
  });
});
