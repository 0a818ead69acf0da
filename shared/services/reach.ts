/**
 * Whom a change to one upload reaches (docs/architecture.md, "Incremental evaluation"): the people
 * its rows name, of the version stored and of the versions it removed, and the people the emails of
 * email-only roster rows and of profiles are given to. Only they need evaluating again, unless the
 * change reaches everyone: a calendar changes the trainings suggested to all, and a roster row of a
 * training another upload also describes may change the description every attendee is credited as.
 */
import { personIdOf } from '../adapters/dynamo/codecs.js';
import type { ReadCount } from '../adapters/dynamo/incremental.js';
import type { TableStore } from '../adapters/dynamo/table-store.js';
import { inParallel } from '../core/in-parallel.js';
import type { StoredFacts } from '../core/ingest/cross-file.js';
import type { InputRecord } from '../core/ingest/schemas.js';

export interface Reach {
  /** The people whose evaluation may have changed, sorted. */
  personIds: string[];
  /** True when the change may reach people beyond `personIds`: evaluate everyone. */
  everyone: boolean;
}

/** Collects what a change touches as ingest writes and forgets items, then resolves it to people. */
export class ReachCollector {
  private readonly people = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly trainings = new Set<string>();
  private everyone = false;

  /** A row of the version being stored. */
  noteRecord(input: InputRecord): void {
    switch (input.kind) {
      case 'trainings':
        this.everyone = true;
        return;
      case 'rosters':
        this.trainings.add(input.record.trainingId);
        if (input.record.personId !== undefined) this.people.add(input.record.personId);
        else if (input.record.email !== undefined) this.emails.add(input.record.email);
        return;
      case 'applicants':
      case 'endorsements':
        this.people.add(input.record.personId);
        // Who the email's roster rows belong to may change with who holds the email.
        if (input.record.email !== undefined) this.emails.add(input.record.email);
        return;
      case 'rsc':
        this.people.add(input.record.personId);
    }
  }

  /** An item the change deleted (an earlier version's, or a withdrawn upload's). */
  noteForgotten(key: { pk: string; sk: string }): void {
    if (key.pk.startsWith('PERSON#')) this.people.add(personIdOf(key.pk));
    else if (key.pk.startsWith('EMAIL#')) this.emails.add(key.pk.slice('EMAIL#'.length));
    else if (key.pk.startsWith('TRAINING#')) {
      if (key.sk.startsWith('CALENDAR#')) this.everyone = true;
      else this.trainings.add(key.pk.slice('TRAINING#'.length));
    }
  }

  /**
   * What the receipt's check found of the trainings this version describes: one another roster
   * also describes reaches everyone, one it looked up and found no other roster describing needs
   * no lookup of its own (a training an earlier version described is noted again as it is forgotten).
   */
  noteDescribers(stored: Pick<StoredFacts, 'trainings' | 'trainingsLookedUp'>): void {
    for (const trainingId of stored.trainingsLookedUp) {
      if (!this.trainings.delete(trainingId)) continue;
      if (stored.trainings.get(trainingId)?.some((d) => d.from === 'roster')) this.everyone = true;
    }
  }

  /** A person erased: their partition is gone. */
  notePerson(personId: string): void {
    this.people.add(personId);
  }

  /** Another change's reach, merged into this one. */
  add(reach: Reach): void {
    for (const id of reach.personIds) this.people.add(id);
    if (reach.everyone) this.everyone = true;
  }

  /**
   * The people reached, once the change is stored: emails resolved to the people uploads give them
   * to (read by key, with the owners' items), and every training checked for another upload
   * describing it (one Query each).
   */
  async resolve(table: TableStore, sourceKey: string | undefined, count?: ReadCount): Promise<Reach> {
    await inParallel(this.trainings, CONCURRENCY, async (trainingId) => {
      if (this.everyone) return;
      const sources = await table.rosterSources(trainingId, count);
      if (sources.some((s) => s !== sourceKey)) this.everyone = true;
    });
    // Beyond MAX_PEOPLE_PER_CHANGE the change goes to everyone (evaluationRequests): whom else the
    // emails reach no longer matters, so they are not looked up.
    if (!this.everyone && this.people.size <= MAX_PEOPLE_PER_CHANGE && this.emails.size > 0) {
      for (const ids of (await table.emailOwnersOf([...this.emails], count)).values()) {
        for (const id of ids) this.people.add(id);
      }
    }
    const everyone = this.everyone || this.people.size > MAX_PEOPLE_PER_CHANGE;
    return { personIds: everyone ? [] : [...this.people].sort(), everyone };
  }
}

/** Lookups in flight at once while resolving a reach (each is one Query by key). */
const CONCURRENCY = 16;

/** People named in one refresh request at most: 500 ids of up to 200 characters stay far below SQS's 256 KB. */
export const MAX_IDS_PER_REQUEST = 500;
/**
 * Above this many people, one evaluation of everyone is asked for instead: a person read by key
 * costs about as many items as they hold, and a whole new applicants file touches so many people
 * that a Scan reads less than their Queries and rewrites the export once instead of once a message.
 */
export const MAX_PEOPLE_PER_CHANGE = 20_000;

/**
 * What evaluate is asked to do after some changes: evaluate these people, or everyone. `pending`:
 * the changes' or messages' notes (STATE#pending) the evaluation lets go of once it has summarised them.
 */
export type EvaluationRequest = ({ personIds: string[] } | { everyone: true }) & {
  sources: string[];
  pending?: string[];
};

/**
 * The refresh requests for one upload's change: its people in groups of MAX_IDS_PER_REQUEST, or one
 * request for everyone. A change that reached nobody still names its upload (the manifest lists it).
 */
export function evaluationRequests(reach: Reach, sourceKey: string): EvaluationRequest[] {
  const sources = [sourceKey];
  if (reach.everyone || reach.personIds.length > MAX_PEOPLE_PER_CHANGE) return [{ everyone: true, sources }];
  const requests: EvaluationRequest[] = [];
  for (let i = 0; i < reach.personIds.length; i += MAX_IDS_PER_REQUEST) {
    requests.push({ personIds: reach.personIds.slice(i, i + MAX_IDS_PER_REQUEST), sources });
  }
  return requests.length > 0 ? requests : [{ personIds: [], sources }];
}

/** Several changes' requests as one (the local runner evaluates once after a batch of changes). */
export function combinedRequest(changes: { reach: Reach; sourceKey?: string; pending?: string }[]): EvaluationRequest {
  const sources = [...new Set(changes.flatMap((c) => (c.sourceKey ? [c.sourceKey] : [])))].sort();
  const personIds = [...new Set(changes.flatMap((c) => c.reach.personIds))].sort();
  const pending = changes.flatMap((c) => (c.pending ? [c.pending] : []));
  const notes = pending.length > 0 ? { pending } : {};
  if (changes.some((c) => c.reach.everyone) || personIds.length > MAX_PEOPLE_PER_CHANGE) {
    return { everyone: true, sources, ...notes };
  }
  return { personIds, sources, ...notes };
}

/**
 * The refresh messages one stored change asks for (evaluationRequests), each noted pending before
 * it is sent and named in it, so the reports trust the summaries only once every one is evaluated.
 * The caller sends them, then lets go of the change's own note (`pending`): a change that altered
 * no fact asks for none. The notes are named after the change's, so a retried ingest notes the same.
 */
export async function refreshRequests(
  table: Pick<TableStore, 'notePending' | 'clearPending'>,
  change: { reach: Reach; sourceKey: string; pending: string; altered: boolean },
): Promise<EvaluationRequest[]> {
  if (!change.altered) return [];
  const id = change.pending.slice('CHANGE#'.length);
  const requests = evaluationRequests(change.reach, change.sourceKey).map((r, i) => ({
    ...r,
    pending: [`MSG#${id}#${i}`],
  }));
  for (const r of requests) for (const key of r.pending) await table.notePending(key);
  return requests;
}
