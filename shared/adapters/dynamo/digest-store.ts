/**
 * What the weekly digest reads and keeps in the table (docs/operations.md, "Emails"):
 *
 *   PERSON#<id>     DIGEST    what the digests saw of the person (no name, no personal data beyond
 *                             the partition's id); only for people who were eligible or at risk
 *   DIGEST#state    LAST      the last digest sent: its run and as-of date
 *
 * A person's mark holds the standing the run that wrote it saw (`now`) and the standing that run
 * compared with (`before`). Which of the two the next run compares with depends on whether that run's
 * email went out: a run whose sending failed is as if it had not happened, so nobody it reported
 * drops out of the next digest. The mark lives in the person's partition, so erasing the person
 * removes it with the rest.
 *
 * The read is one parallel Scan of the people's applicant, endorsee, evaluation, renewal and mark
 * items (projected to the few attributes used), handed over one person at a time: a person's items
 * share a partition and come in sort-key order within one segment, so nobody is held longer than it
 * takes to read their items.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { DigestStanding, PersonToday } from '#core/notify/digest.js';
import type { RenewalStatus } from '#core/renewal/renewal.js';
import { BatchWriter } from './batch-writer.js';
import { type Item, personIdOf, personKey } from './codecs.js';

export const DIGEST_SK = 'DIGEST';
export const DIGEST_STATE_KEY = { pk: 'DIGEST#state', sk: 'LAST' } as const;

/** The last digest sent. */
export interface DigestState {
  run: string;
  asOf: string;
  sentAt: string;
}

/** What the digest runs saw of one person. */
export interface DigestMark {
  run: string;
  now: DigestStanding;
  before: DigestStanding;
}

export const digestMarkCodec = {
  encode: (personId: string, m: DigestMark): Item => ({
    pk: personKey(personId),
    sk: DIGEST_SK,
    type: 'digest',
    run: m.run,
    nowEligible: m.now.eligible,
    nowAtRisk: m.now.atRisk,
    beforeEligible: m.before.eligible,
    beforeAtRisk: m.before.atRisk,
  }),
  decode: (item: Item): DigestMark => ({
    run: String(item.run),
    now: { eligible: item.nowEligible === true, atRisk: item.nowAtRisk === true },
    before: { eligible: item.beforeEligible === true, atRisk: item.beforeAtRisk === true },
  }),
  key: (personId: string) => ({ pk: personKey(personId), sk: DIGEST_SK }),
};

export async function readDigestState(
  ddb: DynamoDBDocumentClient,
  tableName: string,
): Promise<DigestState | undefined> {
  const out = await ddb.send(
    new GetCommand({ TableName: tableName, Key: { ...DIGEST_STATE_KEY }, ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  return { run: String(out.Item.run), asOf: String(out.Item.asOf), sentAt: String(out.Item.sentAt) };
}

export async function putDigestState(ddb: DynamoDBDocumentClient, tableName: string, s: DigestState): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName, Item: { ...DIGEST_STATE_KEY, type: 'digest-state', ...s } }));
}

/** One person as the digest reads them: today's results (absent when they have none) and their mark. */
export interface DigestPersonRead {
  personId: string;
  today?: PersonToday;
  mark?: DigestMark;
}

/** What to do with a person's mark: write this one, delete it, or leave it as it is. */
export type MarkChange = { put: DigestMark } | 'delete' | undefined;

export interface DigestScanStats {
  people: number;
  items: number;
  marksWritten: number;
}

const READ_TYPES = ['applicant', 'endorsee', 'evaluation', 'renewal', 'digest'] as const;
const DIGEST_SCAN_SEGMENTS = 4;

/** Accumulates one partition's items into a person. */
class PersonReader {
  private personId = '';
  private names: { source: string; name: string; applicant: boolean }[] = [];
  private eligible: boolean | undefined;
  private renewal: PersonToday['renewal'];
  private mark: DigestMark | undefined;

  get current(): string {
    return this.personId;
  }

  start(personId: string): void {
    this.personId = personId;
    this.names = [];
    this.eligible = undefined;
    this.renewal = undefined;
    this.mark = undefined;
  }

  take(item: Item): void {
    switch (item.type) {
      case 'applicant':
      case 'endorsee': {
        const name = [item.firstName, item.lastName].filter((n) => typeof n === 'string' && n !== '').join(' ');
        this.names.push({ source: String(item.source ?? ''), name, applicant: item.type === 'applicant' });
        break;
      }
      case 'evaluation':
        this.eligible = item.eligible === true;
        break;
      case 'renewal':
        this.renewal = { status: String(item.status) as RenewalStatus, dueDate: String(item.dueDate) };
        break;
      case 'digest':
        this.mark = digestMarkCodec.decode(item);
        break;
    }
  }

  /** The name the population read would choose: the applicant's from the source sorting last, else the endorsee's. */
  private name(): string {
    const named = this.names.filter((n) => n.name !== '');
    const pick = (list: typeof named) =>
      list.reduce<(typeof named)[number] | undefined>(
        (best, n) => (!best || n.source > best.source ? n : best),
        undefined,
      );
    return (pick(named.filter((n) => n.applicant)) ?? pick(named))?.name ?? '';
  }

  finish(): DigestPersonRead {
    const judged = this.eligible !== undefined || this.renewal !== undefined;
    return {
      personId: this.personId,
      today: judged
        ? {
            personId: this.personId,
            name: this.name(),
            ...(this.eligible !== undefined ? { eligible: this.eligible } : {}),
            ...(this.renewal ? { renewal: this.renewal } : {}),
          }
        : undefined,
      mark: this.mark,
    };
  }
}

/**
 * Reads everyone's results and marks, hands each person to `decide` (never two of one segment at a
 * time) and writes the mark changes it returns.
 */
export async function scanForDigest(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  decide: (person: DigestPersonRead) => MarkChange,
  segments = DIGEST_SCAN_SEGMENTS,
): Promise<DigestScanStats> {
  const stats: DigestScanStats = { people: 0, items: 0, marksWritten: 0 };
  const values = Object.fromEntries(READ_TYPES.map((t) => [`:${t}`, t]));
  const attributes = [
    'pk',
    'sk',
    'type',
    'source',
    'firstName',
    'lastName',
    'eligible',
    'status',
    'dueDate',
    'run',
    'nowEligible',
    'nowAtRisk',
    'beforeEligible',
    'beforeAtRisk',
  ];
  const names = Object.fromEntries(attributes.map((a) => [`#${a}`, a]));
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const writer = new BatchWriter(ddb, tableName);
      const reader = new PersonReader();
      const settle = async () => {
        if (reader.current === '') return;
        stats.people++;
        const change = decide(reader.finish());
        if (change === 'delete') await writer.delete(digestMarkCodec.key(reader.current));
        else if (change) await writer.put(digestMarkCodec.encode(reader.current, change.put));
        if (change) stats.marksWritten++;
      };
      const pages = paginateScan(
        { client: ddb },
        {
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: `begins_with(#pk, :person) AND #type IN (${Object.keys(values).join(', ')})`,
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':person': 'PERSON#' },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          stats.items++;
          const personId = personIdOf(String(item.pk));
          if (personId !== reader.current) {
            await settle();
            reader.start(personId);
          }
          reader.take(item);
        }
      }
      await settle();
      await writer.flush();
    }),
  );
  return stats;
}
