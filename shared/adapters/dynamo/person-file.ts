/** Everything the table holds on one person: two Queries (by id, and by email for email-only roster rows) and the trainings' descriptions. */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Applicant, Attendance, Endorsee, RscSession, TrainingSummary } from '../../core/model.js';
import { emailKey, personKey, trainingKey } from './items.js';

export interface PersonFile {
  personId: string;
  applicant?: Applicant;
  endorsee?: Endorsee;
  attendance: Attendance[];
  rsc: RscSession[];
  /** The latest stored evaluation and renewal status, as the jobs left them. */
  evaluation?: Record<string, unknown>;
  renewal?: Record<string, unknown>;
  trainings: Map<string, TrainingSummary>;
}

async function partition(client: DynamoDBDocumentClient, tableName: string, pk: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

function toAttendance(item: Record<string, unknown>): Attendance {
  return {
    trainingId: item.trainingId as string,
    trainingDate: item.date as string,
    hours: item.hours as number,
    competencies: (item.competencies as string[]) ?? [],
    dei: Boolean(item.dei),
    rscTopic: Boolean(item.rscTopic),
    completed: Boolean(item.completed),
    personId: item.personId as string | undefined,
    email: item.email as string | undefined,
  };
}

/** Reads one person's file; undefined when the table holds nothing on them. */
export async function readPersonFile(
  client: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
): Promise<PersonFile | undefined> {
  const items = await partition(client, tableName, personKey(personId));
  if (items.length === 0) return undefined;
  const file: PersonFile = { personId, attendance: [], rsc: [], trainings: new Map() };
  for (const item of items) {
    const { pk: _pk, sk: _sk, type, ...rest } = item;
    if (type === 'applicant') file.applicant = rest as unknown as Applicant;
    else if (type === 'endorsee') file.endorsee = rest as unknown as Endorsee;
    else if (type === 'attendance') file.attendance.push(toAttendance(item));
    else if (type === 'rsc') file.rsc.push(rest as unknown as RscSession);
    else if (type === 'evaluation') file.evaluation = rest;
    else if (type === 'renewal') file.renewal = rest;
  }
  const email = file.applicant?.email ?? file.endorsee?.email;
  if (email)
    for (const item of await partition(client, tableName, emailKey(email))) file.attendance.push(toAttendance(item));

  const ids = [...new Set(file.attendance.map((a) => a.trainingId))];
  for (let i = 0; i < ids.length; i += 100) {
    const keys = ids.slice(i, i + 100).map((id) => ({ pk: trainingKey(id), sk: 'TRAINING' }));
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [tableName]: { Keys: keys } };
    while (request && Object.keys(request).length > 0) {
      const out = await client.send(new BatchGetCommand({ RequestItems: request }));
      for (const t of (out.Responses?.[tableName] ?? []) as Record<string, unknown>[]) {
        file.trainings.set(t.trainingId as string, { ...(t as unknown as TrainingSummary), attendees: 0 });
      }
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return file;
}
