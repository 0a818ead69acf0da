/**
 * Looking a person up by part of their id, name or email (docs/web-api.md, `GET /api/people`), for
 * administrators who have a name from a phone call. A filtered Scan of the applicant and endorsee
 * items with only the fields shown projected: lookups are rare and by hand, and the table holds an
 * association's few thousand people (docs/architecture.md).
 */
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { foldCase } from '#core/ingest/fields.js';

export interface FoundPerson {
  personId: string;
  firstName: string;
  lastName: string;
  email: string;
  category: string;
  role: 'applicant' | 'endorsee' | 'both';
}

export class SearchTextError extends Error {
  override name = 'SearchTextError';
}

export const MIN_SEARCH_LENGTH = 2;

/** Up to `limit` people whose id, first or last name, full name or email holds `text`, ignoring case. */
export async function findPeople(
  deps: { ddb: DynamoDBDocumentClient; tableName: string },
  text: string,
  limit = 50,
): Promise<{ people: FoundPerson[]; truncated: boolean }> {
  const wanted = foldCase(text.normalize('NFC').trim().replace(/\s+/g, ' '));
  if (wanted.length < MIN_SEARCH_LENGTH) {
    throw new SearchTextError(`type at least ${MIN_SEARCH_LENGTH} characters of an id, a name or an email`);
  }
  const byId = new Map<string, FoundPerson>();
  const pages = paginateScan(
    { client: deps.ddb },
    {
      TableName: deps.tableName,
      ProjectionExpression: '#type, personId, firstName, lastName, email, category',
      FilterExpression: '#type IN (:applicant, :endorsee)',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':applicant': 'applicant', ':endorsee': 'endorsee' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const p = {
        personId: String(item.personId ?? ''),
        firstName: String(item.firstName ?? ''),
        lastName: String(item.lastName ?? ''),
        email: String(item.email ?? ''),
        category: String(item.category ?? ''),
      };
      const haystack = [p.personId, p.email, `${p.firstName} ${p.lastName}`, `${p.lastName}, ${p.firstName}`];
      if (!haystack.some((h) => foldCase(h).includes(wanted))) continue;
      const role = item.type === 'endorsee' ? 'endorsee' : 'applicant';
      const known = byId.get(p.personId);
      if (!known) {
        byId.set(p.personId, { ...p, role });
        continue;
      }
      // The same person on both lists: the applicant's name and category, and say both.
      if (known.role !== role) known.role = 'both';
      for (const field of ['firstName', 'lastName', 'email', 'category'] as const) known[field] ||= p[field];
    }
  }
  const people = [...byId.values()].sort(
    (a, b) =>
      a.lastName.localeCompare(b.lastName) ||
      a.firstName.localeCompare(b.firstName) ||
      (a.personId < b.personId ? -1 : 1),
  );
  return { people: people.slice(0, limit), truncated: people.length > limit };
}
