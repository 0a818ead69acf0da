/**
 * The web API's reading routes, open to every signed-in person (docs/web-api.md): who am I, the
 * published runs, and a run's files with short-lived links (shared/services/report-runs.ts). The
 * function reads the reports bucket only: never the table, never the administrators' bucket.
 */
import { checkLinkExpiry, listRuns, type ReportRunsDeps, runFiles } from '#services/report-runs.js';
import { json, makeWebHandler, pathParameter, WebError, type WebRoute } from '../commons/web.js';

// What callers of the API (serve, tests, the stack) need, from where it is defined.
export {
  LinkExpiryError,
  MAX_LINK_EXPIRY_SECONDS,
  type RunFiles,
  type RunListing,
} from '#services/report-runs.js';

export interface WebReportsDeps extends ReportRunsDeps {
  /** Where the app sends a person to sign out (the hosted sign-in's logout, or serve's /signout). */
  signOutUrl?: string;
}

export function webReportsRoutes(deps: WebReportsDeps): WebRoute[] {
  checkLinkExpiry(deps.linkExpirySeconds);
  return [
    {
      method: 'GET',
      path: '/api/me',
      who: 'any',
      handler: async (_event, person) =>
        json(200, { name: person.name, email: person.email, groups: person.groups, signOutUrl: deps.signOutUrl }),
    },
    { method: 'GET', path: '/api/reports', who: 'any', handler: async () => json(200, await listRuns(deps)) },
    {
      method: 'GET',
      path: '/api/reports/{run}',
      who: 'any',
      handler: async (event) => {
        const run = pathParameter(event, 'run');
        const files = await runFiles(deps, run);
        if (!files) throw new WebError(404, `no published run "${run}"`);
        return json(200, files);
      },
    },
  ];
}

/** Builds the handler around its dependencies (Lambda and `iecmh serve`). */
export function makeWebReportsHandler(deps: WebReportsDeps) {
  return makeWebHandler(webReportsRoutes(deps));
}
