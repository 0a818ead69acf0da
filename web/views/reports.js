// @ts-check
/** Reports: each published release and its files (the reports API, docs/web-api.md). */
import { api } from '../api.js';
import { h, replace, size } from '../dom.js';

/**
 * @typedef {{ run: string, asOf: string | null }} Run
 * @typedef {{ name: string, bytes?: number, url: string }} RunFile
 */

/** @param {Run} run */
function runTitle(run) {
  return run.asOf ? `As of ${run.asOf}` : run.run;
}

/**
 * The list of a run's files, each a link.
 * @param {Run} run
 */
async function filesOf(run) {
  /** @type {{ files: RunFile[] }} */
  const { files } = await api(`/reports/${encodeURIComponent(run.run)}`);
  const sorted = [...files].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
  return h(
    'ul',
    { class: 'files' },
    ...sorted.map((f) =>
      h(
        'li',
        {},
        h('a', { href: f.url }, f.name),
        f.bytes === undefined ? null : h('span', { class: 'meta' }, ` (${size(f.bytes)})`),
      ),
    ),
  );
}

/** The report page first, then its PDF, then the data. @param {string} name */
function order(name) {
  return name === 'report.html' ? 0 : name === 'report.pdf' ? 1 : 2;
}

/**
 * @param {HTMLElement} root
 * @param {import('../app.js').Context} context
 */
async function render(root, context) {
  /** @type {{ latest: Run | null, runs: Run[] }} */
  const listing = await api('/reports');
  const dated = listing.runs.filter((r) => r.run !== 'latest');
  if (dated.length === 0 && !listing.latest) {
    replace(root, h('p', {}, 'No report has been published yet.'));
    return;
  }
  const intro = h(
    'p',
    {},
    'Counts and rates of the endorsement workforce. Counts from 1 to 10 are withheld to protect the people counted.',
  );
  replace(root, intro);
  const latest = listing.latest ?? dated[0];
  if (latest) {
    root.append(
      h('h2', {}, `Latest release: ${latest.asOf ? `as of ${latest.asOf}` : latest.run}`),
      await filesOf(latest),
    );
  }
  if (dated.length > 0) {
    root.append(h('h2', {}, 'All releases'));
    const list = h('ul', { class: 'releases' });
    for (const run of dated) {
      const alert = h('p', { role: 'alert', class: 'error' });
      const details = h('details', {}, h('summary', {}, runTitle(run)), alert);
      details.addEventListener('toggle', () => {
        if (!details.open || details.dataset.loaded) return;
        details.dataset.loaded = 'yes';
        filesOf(run).then(
          (files) => details.append(files),
          (error) => {
            delete details.dataset.loaded;
            context.problem(error, alert);
          },
        );
      });
      list.append(h('li', {}, details));
    }
    root.append(list);
  }
}

/** @type {import('../app.js').View} */
export const reportsView = { id: 'reports', label: 'Reports', title: 'Reports', group: 'any', render };
