// @ts-check
/** Exports: the administrators' files the pipeline writes (eligibility, renewals, outreach), as short-lived links. */
import { api } from '../api.js';
import { h, replace, size, when } from '../dom.js';

/** @typedef {{ name: string, url: string, lastModified?: string, size?: number }} Export */

/** What each export holds, in the order an administrator reads them. */
const EXPORTS = [
  ['eligibility', 'Each applicant: eligible or not, and what is missing.'],
  ['renewals', 'Each endorsed person: renewal status and the hours still needed this year.'],
  ['outreach', 'Who to contact about their renewal, with the message in words.'],
];

/**
 * @param {HTMLElement} root
 * @param {import('../app.js').Context} _context
 */
async function render(root, _context) {
  /** @type {{ exports: Export[] }} */
  const { exports } = await api('/exports');
  const byName = new Map(exports.map((e) => [e.name, e]));
  const items = EXPORTS.map(([name, what]) => {
    const file = byName.get(name);
    return h(
      'li',
      {},
      file
        ? h('a', { href: file.url, download: `${name}.csv` }, `${name}.csv`)
        : h('span', { class: 'missing' }, `${name}.csv`),
      ` — ${what} `,
      h(
        'span',
        { class: 'meta' },
        file ? `(${[size(file.size), when(file.lastModified)].filter(Boolean).join(', ')})` : '(not written yet)',
      ),
    );
  });
  replace(
    root,
    h(
      'p',
      {},
      'The pipeline writes these files after each upload and each night. The links work for 15 minutes; open this section again for new ones.',
    ),
    h('ul', { class: 'exports' }, ...items),
    h(
      'p',
      { class: 'meta' },
      'They hold names and contact details: keep them on an association computer and delete copies you no longer need.',
    ),
  );
}

/** @type {import('../app.js').View} */
export const exportsView = { id: 'exports', label: 'Exports', title: 'Exports', group: 'administrators', render };
