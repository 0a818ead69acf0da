/** The ingest sink that stores accepted records in the table. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InputRecord } from '../../core/ingest/schemas.js';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import { itemsOf, trainingItem } from './items.js';

/** Trainings remembered per file so each is described once, not once per attendee row. */
const MAX_REMEMBERED_TRAININGS = 200_000;

export interface TableSink {
  write: (records: InputRecord[]) => Promise<void>;
  /** Waits for every write; returns the writer's counts. */
  close: () => ReturnType<BatchWriter['flush']>;
}

/** A sink for `ingestFile` that writes each record's items in batches of 25. */
export function tableSink(client: DynamoDBDocumentClient, tableName: string, options?: BatchWriterOptions): TableSink {
  const writer = new BatchWriter(client, tableName, options);
  const described = new Map<string, string>();
  return {
    async write(records) {
      for (const r of records) {
        for (const item of itemsOf(r)) await writer.put(item);
        if (r.kind === 'rosters') {
          const a = r.record;
          const signature = `${a.trainingTitle}|${a.trainingDate}|${a.hours}|${a.competencies.join(';')}|${a.dei}|${a.rscTopic}|${a.provider}`;
          if (described.get(a.trainingId) !== signature) {
            if (described.size >= MAX_REMEMBERED_TRAININGS) described.clear();
            described.set(a.trainingId, signature);
            await writer.put(trainingItem(a));
          }
        }
      }
    },
    close: () => writer.flush(),
  };
}
