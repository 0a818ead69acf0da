/**
 * Everything a run leaves that a reader can see, normalised so that two stacks holding the same
 * current sources compare equal whatever their history: the table's items (receipts aside), the
 * administrators' exports and the published reports under `latest/`.
 */
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { EmbeddedStack } from '#local/embedded.js';

type Item = Record<string, unknown>;

/** The administrators' exports in the uploads bucket. */
export const ADMIN_EXPORTS = ['admin/eligibility.csv', 'admin/renewals.csv', 'admin/outreach.csv'] as const;
/** The administrators' manifest: which uploads (names, versions, counts) the exports come from. */
export const ADMIN_MANIFEST = 'admin/manifest.json';
/** The reports compared byte for byte. */
const REPORT_CSVS = ['latest/workforce.csv', 'latest/disparity.csv', 'latest/compliance.csv'] as const;

/** Report files that hold `generatedAt`, so their checksums differ from run to run. */
const HOLDS_TIME = new Set(['report.json', 'report.html']);

export interface RunOutputs {
  /** Every item but the source records (`type: 'receipt'`, `FILE#<key>` / `RECEIPT`), without `sv` (it names the version), in key order. */
  items: Item[];
  /** Each admin export as written (the manifest normalised), or null when there is none. */
  admin: Record<string, unknown>;
  /** The reports: CSVs as written, report.json and the manifest without their timestamps and version ids. */
  reports: Record<string, unknown>;
}

/** The text of an object, or undefined when there is none. */
export async function readObject(stack: EmbeddedStack, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body?.transformToString('utf8');
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** The whole table, every page. */
export async function scanTable(stack: EmbeddedStack): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateScan({ client: stack.ddb }, { TableName: stack.tableName })) {
    items.push(...((page.Items ?? []) as Item[]));
  }
  return items;
}

const byKey = (a: Item, b: Item) => {
  const ka = `${String(a.pk)}\u0000${String(a.sk)}`;
  const kb = `${String(b.pk)}\u0000${String(b.sk)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** The items that matter: facts and the jobs' results, as stored, without the version tag. */
export async function itemsThatMatter(stack: EmbeddedStack): Promise<Item[]> {
  return (
    (await scanTable(stack))
      // A source record (`FILE#<key>`, `RECEIPT`) tells the history; a withdrawal of a key never
      // ingested leaves one holding only its key (the released lease).
      .filter((item) => item.type !== 'receipt' && !(String(item.pk).startsWith('FILE#') && item.sk === 'RECEIPT'))
      // The reports' summaries are a cache named by the run that wrote it and the count of changes
      // so far (history, by design); the reports they feed are compared instead. The registry of
      // profile uploads is made when first read and may keep ids of withdrawn ones (profile-sources.ts).
      .filter(
        (item) =>
          !String(item.pk).startsWith('SUMMARY#') && item.pk !== 'STATE#facts' && item.pk !== 'STATE#profile-sources',
      )
      // The trainings kept for the renewal job are a cache of the summaries' run too (named by it, and
      // set aside by an evaluation of a change): what the renewal job writes from them is compared.
      .filter((item) => item.type !== 'trainings' && item.type !== 'trainings-part')
      // A fact cache's `rev` counts its writes (history); its facts are compared.
      .map(({ sv: _sv, ...rest }) => (rest.type === 'facts' ? { ...rest, rev: undefined } : rest))
      .sort(byKey)
  );
}

/**
 * A manifest without what differs from run to run: when it was made, each input's S3 version and
 * when it arrived, and the checksums of the report files that hold the time they were built.
 */
function normalisedManifest(text: string | undefined): Item | null {
  if (text === undefined) return null;
  const { generatedAt: _at, inputs, files, ...rest } = JSON.parse(text) as Item & { inputs?: Item[]; files?: Item[] };
  return {
    ...rest,
    inputs: inputs?.map(({ version: _v, ingestedAt: _i, ...input }) => input),
    files: files?.map(({ sha256, ...file }) => (HOLDS_TIME.has(String(file.name)) ? file : { ...file, sha256 })),
  };
}

/** Reads and normalises everything a run published. */
export async function readOutputs(stack: EmbeddedStack): Promise<RunOutputs> {
  const admin: Record<string, unknown> = {};
  for (const key of ADMIN_EXPORTS) admin[key] = (await readObject(stack, stack.uploadsBucket, key)) ?? null;
  admin[ADMIN_MANIFEST] = normalisedManifest(await readObject(stack, stack.uploadsBucket, ADMIN_MANIFEST));

  const reports: Record<string, unknown> = {};
  for (const key of REPORT_CSVS) reports[key] = (await readObject(stack, stack.reportsBucket, key)) ?? null;
  const json = await readObject(stack, stack.reportsBucket, 'latest/report.json');
  if (json === undefined) {
    reports['latest/report.json'] = null;
  } else {
    const { generatedAt, ...report } = JSON.parse(json) as Item;
    reports['latest/report.json'] = report;
    const html = await readObject(stack, stack.reportsBucket, 'latest/report.html');
    reports['latest/report.html'] = html?.split(String(generatedAt)).join('<generatedAt>') ?? null;
  }
  reports['latest/manifest.json'] = normalisedManifest(
    await readObject(stack, stack.reportsBucket, 'latest/manifest.json'),
  );
  return { items: await itemsThatMatter(stack), admin, reports };
}

/** What a renewal run leaves: both exports as written (with their BOM) and every stored status, in key order. */
export async function renewalOutputs(stack: EmbeddedStack) {
  const bytes = async (key: string) => {
    const out = await stack.s3.send(new GetObjectCommand({ Bucket: stack.uploadsBucket, Key: key }));
    return Buffer.from((await out.Body?.transformToByteArray()) ?? []).toString('latin1');
  };
  const statuses = (await scanTable(stack)).filter((item) => item.type === 'renewal').sort(byKey);
  return {
    renewals: await bytes('admin/renewals.csv'),
    outreach: await bytes('admin/outreach.csv'),
    statuses,
  };
}
