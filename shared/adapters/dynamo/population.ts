/**
 * Everything the rules need about everyone, read with one parallel Scan of the table and kept
 * compact: roster rows that describe the same training the same way share one object.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Applicant, Attendance, Endorsee, RscSession, TrainingSummary } from '../../core/model.js';

export interface Population {
  applicants: Map<string, Applicant>;
  endorsees: Map<string, Endorsee>;
  /** Roster rows per attendee key: `P:<person id>` or `E:<email>`. */
  attendance: Map<string, Attendance[]>;
  rsc: Map<string, RscSession[]>;
  trainings: Map<string, TrainingSummary>;
  /** The ingested files, from their receipts: which inputs the results come from. */
  files: IngestedFile[];
  items: number;
}

export interface IngestedFile {
  key: string;
  kind: string;
  versionId?: string;
  etag?: string;
  sha256?: string;
  ingestedAt?: string;
  rows: number;
  accepted: number;
  rejected: number;
}

export interface ScanStats {
  items: number;
  requests: number;
  seconds: number;
}

/**
 * Parallel Scan segments of a population read: eight, so the table always has requests waiting
 * while this thread sorts the items already read (with four, the reports read ~1.4 x as long as
 * a bare four-segment Scan). The benchmark's bare Scan uses as many.
 */
export const POPULATION_SCAN_SEGMENTS = 8;

/** The item types the population is built from (`take` below reads each). */
const POPULATION_TYPES = ['applicant', 'endorsee', 'attendance', 'rsc', 'receipt', 'training'] as const;

const personOf = (pk: string) => pk.slice('PERSON#'.length);

/** Roster rows of a person: by person id, and by email for rows that named only the email. */
export function attendanceOf(p: Population, personId: string, email: string | undefined): Attendance[] {
  const byId = p.attendance.get(`P:${personId}`) ?? [];
  const byEmail = email ? (p.attendance.get(`E:${email}`) ?? []) : [];
  return byEmail.length === 0 ? byId : [...byId, ...byEmail];
}

/** Reads the whole table with `segments` parallel Scan workers. */
export async function loadPopulation(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { segments?: number; onProgress?: (items: number) => void } = {},
): Promise<{ population: Population; stats: ScanStats }> {
  const started = performance.now();
  const p: Population = {
    applicants: new Map(),
    endorsees: new Map(),
    attendance: new Map(),
    rsc: new Map(),
    trainings: new Map(),
    files: [],
    items: 0,
  };
  // Rows describing a training the same way share one object: a million rows hold a few thousand.
  const variants = new Map<string, Attendance[]>();
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  const sharedAttendance = (item: Record<string, unknown>): Attendance => {
    const trainingId = item.trainingId as string;
    const competencies = (item.competencies as string[] | undefined) ?? [];
    let list = variants.get(trainingId);
    if (!list) {
      list = [];
      variants.set(trainingId, list);
    }
    for (const v of list) {
      if (
        v.completed === item.completed &&
        v.trainingDate === item.date &&
        v.hours === item.hours &&
        v.dei === item.dei &&
        v.rscTopic === item.rscTopic &&
        sameList(v.competencies, competencies)
      ) {
        return v;
      }
    }
    const a: Attendance = {
      trainingId,
      trainingDate: item.date as string,
      hours: item.hours as number,
      competencies,
      dei: item.dei as boolean,
      rscTopic: item.rscTopic as boolean,
      completed: item.completed as boolean,
    };
    list.push(a);
    return a;
  };
  const completedBy = new Map<string, Set<string>>();
  let requests = 0;

  const take = (item: Record<string, unknown>) => {
    p.items++;
    const pk = item.pk as string;
    switch (item.type) {
      case 'applicant': {
        const { pk: _pk, sk: _sk, type: _t, ...a } = item;
        p.applicants.set(personOf(pk), a as unknown as Applicant);
        break;
      }
      case 'endorsee': {
        const { pk: _pk, sk: _sk, type: _t, ...e } = item;
        p.endorsees.set(personOf(pk), e as unknown as Endorsee);
        break;
      }
      case 'attendance': {
        const a = sharedAttendance(item);
        const attendee = item.personId ? `P:${item.personId}` : `E:${item.email}`;
        const list = p.attendance.get(attendee);
        if (list) list.push(a);
        else p.attendance.set(attendee, [a]);
        if (a.completed) {
          let who = completedBy.get(a.trainingId);
          if (!who) {
            who = new Set();
            completedBy.set(a.trainingId, who);
          }
          who.add(attendee);
        }
        break;
      }
      case 'rsc': {
        const personId = personOf(pk);
        const s: RscSession = { personId, sessionDate: item.sessionDate as string, hours: item.hours as number };
        const list = p.rsc.get(personId);
        if (list) list.push(s);
        else p.rsc.set(personId, [s]);
        break;
      }
      case 'receipt': {
        p.files.push({
          key: (item.key as string) ?? pk.slice('FILE#'.length),
          kind: item.kind as string,
          versionId: item.versionId as string | undefined,
          etag: item.etag as string | undefined,
          sha256: item.sha256 as string | undefined,
          ingestedAt: item.ingestedAt as string | undefined,
          rows: item.rows as number,
          accepted: item.accepted as number,
          rejected: item.rejected as number,
        });
        break;
      }
      case 'training': {
        p.trainings.set(item.trainingId as string, {
          trainingId: item.trainingId as string,
          title: item.title as string | undefined,
          date: item.date as string,
          hours: item.hours as number,
          competencies: (item.competencies as string[] | undefined) ?? [],
          dei: Boolean(item.dei),
          rscTopic: Boolean(item.rscTopic),
          provider: item.provider as string | undefined,
          attendees: 0,
        });
        break;
      }
    }
  };

  const segments = options.segments ?? POPULATION_SCAN_SEGMENTS;
  // Only the item types read above come back: the evaluation and renewal results the jobs write
  // (one per person, the largest items) are left on the server, not sent and unmarshalled for nothing.
  const types = Object.fromEntries(POPULATION_TYPES.map((t) => [`:${t}`, t]));
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
            FilterExpression: `#type IN (${Object.keys(types).join(', ')})`,
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: types,
          }),
        );
        requests++;
        for (const item of out.Items ?? []) take(item);
        options.onProgress?.(p.items);
        start = out.LastEvaluatedKey;
      } while (start);
    }),
  );
  // An attendee named by email in one roster and by id in another is one person.
  const idOfEmail = new Map<string, string>();
  for (const [id, a] of p.applicants) idOfEmail.set(`E:${a.email}`, `P:${id}`);
  for (const [id, e] of p.endorsees) if (e.email) idOfEmail.set(`E:${e.email}`, `P:${id}`);
  for (const [id, who] of completedBy) {
    const t = p.trainings.get(id);
    if (!t) continue;
    const people = new Set<string>();
    for (const w of who) people.add(idOfEmail.get(w) ?? w);
    t.attendees = people.size;
  }
  return { population: p, stats: { items: p.items, requests, seconds: (performance.now() - started) / 1000 } };
}
