/** The ingest sink that stores accepted records in the table, each tagged with its source version. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InputRecord } from '#core/ingest/schemas.js';
import type { Attendance } from '#core/model.js';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import {
  applicantCodec,
  attendanceCodec,
  calendarCodec,
  endorseeCodec,
  type FactOrigin,
  type Item,
  rscCodec,
  SOURCE_SHARDS,
  type SourceTag,
  sourceVersionKey,
  trainingCodec,
} from './codecs.js';
import { emailOwnerCodec } from './stored-facts.js';

/** Trainings remembered per file so each is described once, not once per attendee row. */
const MAX_REMEMBERED_TRAININGS = 200_000;

export interface TableSink {
  write: (records: InputRecord[]) => Promise<void>;
  /** Waits for every write; returns the writer's counts. */
  close: () => ReturnType<BatchWriter['flush']>;
}

/** The item one validated record becomes. */
export function itemOf(input: InputRecord, origin: FactOrigin): Item {
  switch (input.kind) {
    case 'applicants':
      return applicantCodec.encode(input.record, origin);
    case 'endorsements':
      return endorseeCodec.encode(input.record, origin);
    case 'rsc':
      return rscCodec.encode(input.record, origin);
    case 'rosters':
      return attendanceCodec.encode(input.record, origin);
    case 'trainings':
      return calendarCodec.encode(input.record, origin);
  }
}

/** What a roster row says of its training: what the training's description item holds. */
type Description = Pick<
  Attendance,
  'trainingTitle' | 'trainingDate' | 'hours' | 'competencies' | 'dei' | 'rscTopic' | 'provider'
>;

const descriptionOf = (a: Attendance): Description => ({
  trainingTitle: a.trainingTitle,
  trainingDate: a.trainingDate,
  hours: a.hours,
  competencies: a.competencies,
  dei: a.dei,
  rscTopic: a.rscTopic,
  provider: a.provider,
});

/** Whether a roster row describes its training as `b` did. */
function describedAlike(a: Attendance, b: Description): boolean {
  if (
    a.trainingTitle !== b.trainingTitle ||
    a.trainingDate !== b.trainingDate ||
    a.hours !== b.hours ||
    a.dei !== b.dei ||
    a.rscTopic !== b.rscTopic ||
    a.provider !== b.provider ||
    a.competencies.length !== b.competencies.length
  ) {
    return false;
  }
  // Rows of one training share its parsed competencies (readers.ts): mostly the same array.
  return a.competencies === b.competencies || a.competencies.every((c, i) => c === b.competencies[i]);
}

/** A sink for `ingestFile` that writes each record's item, tagged with `source`, in batches of 25. */
export function tableSink(
  client: DynamoDBDocumentClient,
  tableName: string,
  source: { tag: SourceTag; key: string },
  options?: BatchWriterOptions,
): TableSink {
  const writer = new BatchWriter(client, tableName, options);
  // How each training was last described: its own fields only, not the row (which holds the attendee).
  const described = new Map<string, Description>();
  // Successive rows go to successive index shards (any spread will do: a version's shards are all read).
  const origins: FactOrigin[] = Array.from({ length: SOURCE_SHARDS }, (_, shard) => ({
    ...source,
    shard,
    sv: sourceVersionKey(source.tag.id, source.tag.version, shard),
  }));
  let next = 0;
  return {
    async write(records) {
      for (const r of records) {
        next = next + 1 === SOURCE_SHARDS ? 0 : next + 1;
        const origin = origins[next] as FactOrigin;
        // The writer asks to be waited for only when it sent a request (see BatchWriter.put).
        const wrote = writer.put(itemOf(r, origin));
        if (wrote) await wrote;
        // Who this source gives an email to, found by email for the receipt's cross-file check (stored-facts.ts).
        if ((r.kind === 'applicants' || r.kind === 'endorsements') && r.record.email !== undefined) {
          const owner = writer.put(emailOwnerCodec.encode(r.record.email, r.record.personId, origin));
          if (owner) await owner;
        }
        if (r.kind === 'rosters') {
          const a = r.record;
          const before = described.get(a.trainingId);
          if (before === undefined || !describedAlike(a, before)) {
            if (described.size >= MAX_REMEMBERED_TRAININGS) described.clear();
            described.set(a.trainingId, descriptionOf(a));
            const training = writer.put(trainingCodec.encode(a, origin));
            if (training) await training;
          }
        }
      }
    },
    close: () => writer.flush(),
  };
}
