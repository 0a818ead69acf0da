// @ts-check
/**
 * People: find a person by id, name or email, read why they are or are not eligible (the words
 * `iecmh person` prints), and erase them after typing their id again (docs/web-api.md).
 */
import { api, withQuery } from '../api.js';
import { h, plural, replace, table } from '../dom.js';

/**
 * @typedef {{ personId: string, firstName?: string, lastName?: string, email?: string, category?: string, role?: string }} Match
 * @typedef {{ personId: string, asOf?: string, explanation: string[], person?: Record<string, any> }} PersonFile
 */

const ROLES = { applicant: 'Applicant', endorsee: 'Endorsed', both: 'Applicant and endorsed' };

/** @param {Match} m */
function fullName(m) {
  return [m.firstName, m.lastName].filter(Boolean).join(' ') || m.personId;
}

/**
 * The explanation's lines as paragraphs: blank lines part sections; lines indented by two spaces
 * or starting with "- " are the items of a list under the line before them.
 * @param {string[]} lines
 */
export function explanationBlocks(lines) {
  /** @type {HTMLElement[]} */
  const blocks = [];
  /** @type {HTMLUListElement | null} */
  let list = null;
  for (const line of lines) {
    if (line.trim() === '') {
      list = null;
      continue;
    }
    const item = /^(?:\s{2,}|\s*[-•]\s)(.*)$/.exec(line);
    if (item) {
      if (!list) {
        list = h('ul', {});
        blocks.push(list);
      }
      list.append(h('li', {}, item[1].replace(/^[-•]\s/, '').trim()));
    } else {
      list = null;
      blocks.push(h('p', {}, line));
    }
  }
  return blocks;
}

/**
 * @param {HTMLElement} root
 * @param {import('../app.js').Context} context
 */
async function render(root, context) {
  const query = h('input', {
    id: 'people-q',
    name: 'q',
    type: 'search',
    minlength: 2,
    autocomplete: 'off',
    'aria-describedby': 'people-q-help',
  });
  const alert = h('p', { role: 'alert', class: 'error' });
  const results = h('div', { id: 'people-results' });
  const person = h('div', { id: 'people-person' });
  const form = h(
    'form',
    { role: 'search', 'aria-label': 'Find a person', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'people-q' }, 'Person id, name or email'), query),
    h('p', { class: 'hint', id: 'people-q-help' }, 'At least 2 characters; part of a name or an address is enough.'),
    h('p', {}, h('button', { type: 'submit' }, 'Search')),
    alert,
  );
  replace(root, form, results, person);

  /** @param {string} text */
  async function search(text) {
    /** @type {{ people: Match[], truncated?: boolean }} */
    const found = await api(withQuery('/people', { q: text }));
    if (found.people.length === 0) {
      replace(results, h('p', { tabindex: -1 }, `No one's id, name or email contains "${text}".`));
      context.announce('No one found.');
      return;
    }
    const rows = found.people.map((m) => {
      const show = h('button', { type: 'button', 'aria-label': `Show ${fullName(m)} (${m.personId})` }, 'Show');
      show.addEventListener('click', () => {
        replace(alert);
        open(m.personId).catch((error) => context.problem(error, alert));
      });
      return [
        m.personId,
        fullName(m),
        m.email ?? '',
        m.category ?? '',
        ROLES[/** @type {'both'} */ (m.role)] ?? m.role ?? '',
        show,
      ];
    });
    replace(
      results,
      table('People found', ['Person id', 'Name', 'Email', 'Category', 'Role', ''], rows, { className: 'people' }),
      found.truncated ? h('p', {}, 'More people match: type more of the id, name or email to narrow the list.') : null,
    );
    replace(person);
    context.announce(`${plural(found.people.length, 'person', 'people')} found${found.truncated ? ', and more' : ''}.`);
  }

  /** @param {string} personId */
  async function open(personId) {
    /** @type {PersonFile} */
    const file = await api(`/people/${encodeURIComponent(personId)}`);
    const stored = file.person ?? {};
    const named = stored.applicant ?? stored.endorsee ?? {};
    const title = h(
      'h2',
      { tabindex: -1, id: 'person-title' },
      `${fullName({ personId: file.personId, ...named })} (${file.personId})`,
    );
    replace(
      person,
      h(
        'section',
        { 'aria-labelledby': 'person-title' },
        title,
        file.asOf ? h('p', { class: 'meta' }, `As of ${file.asOf}.`) : null,
        h('div', { class: 'explanation' }, explanationBlocks(file.explanation)),
        eraseForm(file.personId),
      ),
    );
    title.focus();
  }

  /** @param {string} personId */
  function eraseForm(personId) {
    const confirm = h('input', {
      id: 'erase-confirm',
      name: 'confirm',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': 'erase-help',
    });
    const eraseAlert = h('p', { role: 'alert', class: 'error' });
    const outcome = h('div', { class: 'erase-outcome' });
    const button = h('button', { type: 'submit', class: 'danger' }, `Erase ${personId}`);
    const form = h(
      'form',
      { class: 'erase', 'aria-labelledby': 'erase-title', novalidate: true },
      h('h3', { id: 'erase-title' }, 'Erase this person'),
      h(
        'p',
        { id: 'erase-help' },
        `Erasing deletes everything stored about ${personId}: their rows in every uploaded file and its earlier versions, and their results. The exports are written again without them. This cannot be undone.`,
      ),
      h('div', { class: 'field' }, h('label', { for: 'erase-confirm' }, `Type ${personId} to confirm`), confirm),
      h('p', {}, button),
      eraseAlert,
      outcome,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      replace(eraseAlert);
      confirm.removeAttribute('aria-invalid');
      if (confirm.value.trim() !== personId) {
        confirm.setAttribute('aria-invalid', 'true');
        replace(eraseAlert, `Type ${personId} exactly as shown to erase this person.`);
        confirm.focus();
        return;
      }
      button.disabled = true;
      api(`/people/${encodeURIComponent(personId)}/erase`, { method: 'POST', body: { confirm: confirm.value.trim() } })
        .then((result) => {
          const done = h('p', { tabindex: -1, class: 'notice' }, erasedText(personId, result));
          replace(outcome, done, ...mentionsOf(result));
          confirm.disabled = true;
          done.focus();
          context.announce(`${personId} erased.`);
          replace(results);
        })
        .catch((error) => {
          button.disabled = false;
          context.problem(error, eraseAlert);
        });
    });
    return form;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replace(alert);
    query.removeAttribute('aria-invalid');
    const text = query.value.trim();
    if (text.length < 2) {
      query.setAttribute('aria-invalid', 'true');
      replace(alert, 'Type at least 2 characters of an id, a name or an email.');
      query.focus();
      return;
    }
    search(text).catch((error) => context.problem(error, alert));
  });
}

/**
 * The erasure's counts in words; the answer is one person's counts, or the erasure of a list.
 * @param {string} personId
 * @param {any} result
 */
function erasedText(personId, result) {
  if (result?.erased === 'started') {
    return `Erasure of ${personId} has started. It runs on its own and takes a few minutes; look the id up again later to check that nothing is left.`;
  }
  const erased = Array.isArray(result?.erased) ? result.erased[0] : result;
  if (!erased || typeof erased.items !== 'number') return `${personId} was erased.`;
  return `${personId} was erased: ${plural(erased.items, 'stored item')} deleted, ${plural(erased.rows ?? 0, 'row')} removed from ${plural(erased.sources ?? 0, 'file')}, ${plural(erased.versions ?? 0, 'earlier version')} deleted.`;
}

/**
 * Other people's rows that still mention the person: the administrator edits those by hand.
 * @param {any} result
 * @returns {HTMLElement[]}
 */
function mentionsOf(result) {
  const erased = Array.isArray(result?.erased) ? result.erased[0] : result;
  /** @type {{ file: string, lines: number[] }[]} */
  const mentions = Array.isArray(erased?.mentions) ? erased.mentions : [];
  if (mentions.length === 0) return [];
  return [
    h('p', {}, "Other people's rows still mention this id inside a longer cell; edit these by hand:"),
    h(
      'ul',
      {},
      ...mentions.map((m) =>
        h('li', {}, `${m.file}: ${m.lines.length === 1 ? 'line' : 'lines'} ${m.lines.join(', ')}`),
      ),
    ),
  ];
}

/** @type {import('../app.js').View} */
export const peopleView = { id: 'people', label: 'People', title: 'People', group: 'administrators', render };
