// @ts-check
/**
 * Uploads: every file the pipeline has read, with its versions, its receipt and a way to withdraw
 * it (the object is deleted and the pipeline forgets its rows; docs/web-api.md).
 */
import { api, withQuery } from '../api.js';
import { confirmAction } from '../confirm.js';
import { h, plural, replace, size, table, when } from '../dom.js';
import { receiptSection } from './receipt.js';

/**
 * @typedef {{ versionId: string, lastModified: string, size: number, current: boolean }} Version
 * @typedef {{
 *   key: string, kind: string, file: string, status: 'current' | 'withdrawn' | 'pending',
 *   rows?: number, accepted?: number, rejected?: number, warnings?: number,
 *   ingestedAt?: string, withdrawnAt?: string, versions?: Version[],
 * }} Source
 */

const STATUS = { current: 'In use', withdrawn: 'Withdrawn', pending: 'Being read' };

/** @param {Source} source */
function statusText(source) {
  if (source.status === 'withdrawn') return source.withdrawnAt ? `Withdrawn ${when(source.withdrawnAt)}` : 'Withdrawn';
  return STATUS[source.status] ?? source.status;
}

/** @param {Source} source */
function versionsCell(source) {
  const versions = source.versions ?? [];
  if (versions.length === 0) return '';
  return h(
    'details',
    {},
    h('summary', {}, plural(versions.length, 'version')),
    h(
      'ol',
      { reversed: true },
      ...versions.map((v) =>
        h('li', {}, `${when(v.lastModified)}, ${size(v.size)}`, v.current ? h('strong', {}, ' (current)') : null),
      ),
    ),
  );
}

/**
 * @param {HTMLElement} root
 * @param {import('../app.js').Context} context
 */
async function render(root, context) {
  const alert = h('p', { role: 'alert', class: 'error' });
  const list = h('div', { id: 'uploads-list' });
  const detail = h('div', { id: 'uploads-receipt' });
  const refresh = h('button', { type: 'button' }, 'Refresh');
  replace(
    root,
    h(
      'p',
      {},
      'Each file uploaded, newest first. A file uploaded again under the same name is a new version of it; withdrawing a file makes the pipeline forget its rows.',
    ),
    h('p', {}, refresh),
    alert,
    list,
    detail,
  );

  /** @param {Source} source @param {HTMLButtonElement} button */
  async function showReceipt(source, button) {
    replace(alert);
    try {
      const receipt = await api(withQuery('/uploads/receipt', { key: source.key }), { notFound: 'null' });
      if (!receipt) {
        replace(detail, h('p', { tabindex: -1 }, `There is no receipt for ${source.file} yet.`));
      } else {
        replace(detail, receiptSection(receipt, 'h2'));
      }
      const heading = /** @type {HTMLElement | null} */ (detail.querySelector('h2, p'));
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
    } catch (error) {
      context.problem(error, alert);
      button.focus();
    }
  }

  /** @param {Source} source */
  async function withdraw(source) {
    const yes = await confirmAction({
      title: `Withdraw ${source.file}?`,
      body: [
        `The file ${source.key} is deleted and the pipeline forgets every row it alone supplied; eligibility and the exports are worked out again without it.`,
        'To correct a file instead, upload the corrected file under the same name.',
      ],
      confirm: `Withdraw ${source.file}`,
    });
    if (!yes) return;
    replace(alert);
    try {
      await api(withQuery('/uploads', { key: source.key }), { method: 'DELETE' });
      context.announce(`${source.file} withdrawn.`);
      await load();
    } catch (error) {
      context.problem(error, alert);
    }
  }

  async function load() {
    /** @type {{ sources: Source[] }} */
    const { sources } = await api('/uploads');
    if (sources.length === 0) {
      replace(list, h('p', {}, 'Nothing has been uploaded yet. ', h('a', { href: '#/upload' }, 'Upload a file'), '.'));
      return;
    }
    // Warnings are counted once the receipts say how many there were; until then the column is left out.
    const warned = sources.some((s) => typeof s.warnings === 'number');
    replace(
      list,
      table(
        'Uploaded files',
        [
          'File',
          'Kind',
          'Status',
          'Rows read',
          'Rejected',
          ...(warned ? ['Warnings'] : []),
          'Read',
          'Versions',
          'Actions',
        ],
        sources.map((source) => {
          const receiptButton = h('button', { type: 'button' }, 'Receipt');
          receiptButton.setAttribute('aria-label', `Receipt of ${source.file}`);
          receiptButton.addEventListener('click', () => void showReceipt(source, receiptButton));
          const actions = [receiptButton];
          if (source.status !== 'withdrawn') {
            const withdrawButton = h('button', { type: 'button', class: 'danger' }, 'Withdraw');
            withdrawButton.setAttribute('aria-label', `Withdraw ${source.file}`);
            withdrawButton.addEventListener('click', () => void withdraw(source));
            actions.push(withdrawButton);
          }
          return [
            h('span', { title: source.key }, source.file),
            source.kind,
            statusText(source),
            source.rows?.toLocaleString() ?? '',
            source.rejected?.toLocaleString() ?? '',
            ...(warned ? [source.warnings?.toLocaleString() ?? ''] : []),
            when(source.ingestedAt),
            versionsCell(source),
            h('span', { class: 'actions' }, ...actions.flatMap((b, i) => (i === 0 ? [b] : [' ', b]))),
          ];
        }),
        { numeric: warned ? [3, 4, 5] : [3, 4], className: 'sources' },
      ),
    );
  }

  refresh.addEventListener('click', () => {
    replace(alert);
    load().then(
      () => context.announce('Uploads refreshed.'),
      (error) => context.problem(error, alert),
    );
  });
  await load();
}

/** @type {import('../app.js').View} */
export const uploadsView = { id: 'uploads', label: 'Uploads', title: 'Uploads', group: 'administrators', render };
