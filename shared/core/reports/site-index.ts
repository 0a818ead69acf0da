/**
 * The reports site's index (index.html at the root of the reports bucket): the latest release and
 * every dated release, newest first, each with relative links to the files it holds. It names report
 * files only, never an upload or a person, and like report.html it loads nothing and runs nothing
 * (docs/contract.md, "Output files"). The publisher rewrites it after every run
 * (shared/services/publish-site-index.ts); CloudFront serves it as the site's root and `iecmh serve`
 * answers `/` with it.
 */
import { PAGE_STYLE } from './page-style.js';
import { partial, template } from './template.js';

/** One release as the index shows it: where its files are, relative to the index, and their names. */
export interface SiteRelease {
  /** The as-of date the release holds (YYYY-MM-DD); unknown for a `latest/` whose manifest cannot be read. */
  asOf?: string;
  /** Its folder relative to the site's root, with a trailing slash: `latest/`, `reports/2026-06-30/`. */
  folder: string;
  /** The names of the files directly in the folder. */
  files: readonly string[];
}

export interface SiteReleases {
  latest?: SiteRelease;
  /** The dated releases, in any order; the page lists them newest first. */
  dated: readonly SiteRelease[];
}

/** A report file's name: one segment, nothing a path or a script could be built from. */
const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What each file of a release is, in the order the index lists them: the report first, the data next. */
const FILE_ROLES: readonly (readonly [name: string, what: string])[] = [
  ['report.html', 'the report as a web page'],
  ['report.pdf', 'the report for print (PDF)'],
  ['workforce.csv', 'who holds an endorsement and who applied, by breakdown (CSV)'],
  ['disparity.csv', 'endorsement rates by group with their intervals (CSV)'],
  ['compliance.csv', 'renewal status of endorsees (CSV)'],
  ['dictionary.csv', 'the meaning of every column and field (CSV)'],
  ['report.json', 'every figure of the report (JSON)'],
  ['manifest.json', 'the rules, software and checksums of the release (JSON)'],
];
const RANK = new Map(FILE_ROLES.map(([name], i) => [name, i]));
const WHAT = new Map(FILE_ROLES);
const FORMATS: Record<string, string> = {
  csv: 'a CSV file',
  json: 'a JSON file',
  html: 'a web page',
  pdf: 'a PDF file',
};

interface Link {
  href: string;
  name: string;
  what: string;
}

interface Section {
  id: string;
  title: string;
  links: Link[];
}

interface Page {
  title: string;
  style: string;
  latest?: Section;
  dated: Section[];
}

/** A release's files as links, in FILE_ROLES order and then by name; a name that is not a plain file name is left out. */
function linksOf(release: SiteRelease): Link[] {
  const rank = (name: string) => RANK.get(name) ?? FILE_ROLES.length;
  return release.files
    .filter((name) => FILE_NAME.test(name))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({
      href: `${release.folder}${encodeURIComponent(name)}`,
      name,
      what: WHAT.get(name) ?? FORMATS[name.slice(name.lastIndexOf('.') + 1)] ?? 'a file of the release',
    }));
}

// The files of one release, each named and said what it is. Data: Section.
partial(
  'site-links',
  `<ul>
<%_ for (const link of it.links) { %>
<li><a href="<%= link.href %>"><%= link.name %></a>: <%= link.what %></li>
<%_ } %>
</ul>`,
);

// Landmarks (header, main, footer), one h1, a heading per release; the links are relative, so the page
// works wherever the site is served from (CloudFront, `iecmh serve`). Same Content-Security-Policy as
// report.html: nothing loads, nothing runs.
const PAGE = template<Page>(`<!DOCTYPE html>
<html lang="en">
<%~ include('@page-head', { title: it.title, style: it.style }) %>
<body>
<a class="skip" href="#main">Skip to the releases</a>
<header>
<h1><%= it.title %></h1>
<p>Counts and rates of the infant and early childhood mental health endorsement, published for policymakers. Small counts are withheld, with whatever would let them be worked out; each report says how.</p>
</header>
<main id="main">
<%_ if (!it.latest && it.dated.length === 0) { %>
<p>No reports have been published yet.</p>
<%_ } %>
<%_ if (it.latest) { %>
<section class="release" aria-labelledby="<%= it.latest.id %>">
<h2 id="<%= it.latest.id %>"><%= it.latest.title %></h2>
<%~ include('@site-links', it.latest) %>
</section>
<%_ } %>
<%_ if (it.dated.length > 0) { %>
<section aria-labelledby="releases">
<h2 id="releases">All releases</h2>
<p>Each release stays published as it was, newest first.</p>
<%_ for (const release of it.dated) { %>
<section class="release" aria-labelledby="<%= release.id %>">
<h3 id="<%= release.id %>"><%= release.title %></h3>
<%~ include('@site-links', release) %>
</section>
<%_ } %>
</section>
<%_ } %>
</main>
<footer>
<p class="meta">report.html is the report to read; the CSV files hold the same figures for a spreadsheet, and manifest.json says which rules produced them.</p>
</footer>
</body>
</html>
`);

const asSection = (id: string, title: string, release: SiteRelease): Section => ({
  id,
  title,
  links: linksOf(release),
});

/** index.html for these releases: the latest first, then every dated release, newest first. */
export function siteIndexHtml(releases: SiteReleases): string {
  const dated = [...releases.dated]
    .filter((release) => release.asOf !== undefined)
    .sort((a, b) => ((a.asOf as string) < (b.asOf as string) ? 1 : -1))
    .map((release) => asSection(`release-${release.asOf}`, `As of ${release.asOf}`, release));
  const latest = releases.latest;
  return PAGE({
    title: 'IECMH endorsement reports',
    style: PAGE_STYLE,
    latest: latest
      ? asSection('latest', latest.asOf ? `Latest release: as of ${latest.asOf}` : 'Latest release', latest)
      : undefined,
    dated,
  });
}
