/**
 * The web API's people routes, for administrators (docs/web-api.md): find a person by part of an id,
 * a name or an email; read why they are or are not eligible; erase them. Erasure runs in the erasure
 * function (in AWS this function may only invoke it); `iecmh serve` passes an `erase` that runs it
 * on the embedded stack.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonErasure } from '#services/erase-people.js';
import { explainPerson } from '#services/explain-person.js';
import { findPeople, SearchTextError } from '#services/find-people.js';
import { json, jsonBody, makeWebHandler, pathParameter, WebError, type WebRoute } from '../commons/web.js';

/** What the app is told of an erasure: how much went, and the cells that still mention the person. */
export interface ErasureSummary {
  items: number;
  sources: number;
  rows: number;
  versions: number;
  mentions: PersonErasure['mentions'];
}

/** The summary of erasing one person from the erasure's result (none erased: all zero). */
export function erasureSummary(result: { erased: PersonErasure[] }): ErasureSummary {
  const p = result.erased[0];
  return {
    items: p?.items ?? 0,
    sources: p?.sources ?? 0,
    rows: p?.rows ?? 0,
    versions: p?.versions ?? 0,
    mentions: p?.mentions ?? [],
  };
}

export interface WebPeopleDeps {
  ddb: DynamoDBDocumentClient;
  tableName: string;
  /**
   * Erases the people with these ids and regenerates the exports: the summary when it waited for the
   * end (locally), 'started' when the erasure runs on its own (in AWS it can outlast the API's 30 s).
   */
  erase: (personIds: string[]) => Promise<ErasureSummary | 'started'>;
}

const MAX_ID_LENGTH = 200;

export function webPeopleRoutes(deps: WebPeopleDeps): WebRoute[] {
  const personIdOf = (event: Parameters<WebRoute['handler']>[0]) => {
    const id = pathParameter(event, 'id').trim();
    if (id === '' || id.length > MAX_ID_LENGTH) throw new WebError(400, 'give a person_id');
    return id;
  };
  return [
    {
      method: 'GET',
      path: '/api/people',
      who: 'administrators',
      handler: async (event) => {
        try {
          return json(200, await findPeople(deps, event.queryStringParameters?.q ?? ''));
        } catch (err) {
          if (err instanceof SearchTextError) throw new WebError(400, err.message);
          throw err;
        }
      },
    },
    {
      method: 'GET',
      path: '/api/people/{id}',
      who: 'administrators',
      handler: async (event) => {
        const id = personIdOf(event);
        const lookup = await explainPerson(deps, id);
        if (lookup.found === 'none') throw new WebError(404, `no one with person_id ${id} is on file`);
        if (lookup.found === 'several') {
          throw new WebError(
            409,
            `person_id ${id} matches ${lookup.matches.join(', ')} when letter case is ignored; choose one`,
          );
        }
        const { explanation } = lookup;
        return json(200, {
          personId: explanation.personId,
          asOf: explanation.asOf,
          explanation: explanation.lines,
          person: explanation.details,
        });
      },
    },
    {
      method: 'POST',
      path: '/api/people/{id}/erase',
      who: 'administrators',
      handler: async (event) => {
        const id = personIdOf(event);
        const { confirm } = jsonBody(event);
        if (confirm !== id) {
          throw new WebError(400, `to erase ${id}, confirm by sending { "confirm": "${id}" }`);
        }
        const lookup = await explainPerson(deps, id);
        if (lookup.found !== 'one' || lookup.explanation.personId !== id) {
          throw new WebError(404, `no one with person_id ${id} exactly is on file`);
        }
        const outcome = await deps.erase([id]);
        if (outcome === 'started') return json(202, { personId: id, erased: 'started' });
        return json(200, { personId: id, erased: true, ...outcome });
      },
    },
  ];
}

export function makeWebPeopleHandler(deps: WebPeopleDeps) {
  return makeWebHandler(webPeopleRoutes(deps));
}
