// @ts-check
/**
 * Upload: the API signs a POST for exactly this file's key, size and type (docs/web-api.md); the
 * browser posts the file there (S3 in AWS, serve's /api/upload-form locally), then asks for the
 * receipt every second until the pipeline has written it.
 */
import { api, withQuery } from '../api.js';
import { h, plural, replace, size } from '../dom.js';
import { receiptSection } from './receipt.js';

/** @typedef {import('../app.js').Context} Context */

/** The kinds of file, as the pipeline names their folders, and what each holds. */
export const KINDS = [
  ['applicants', 'Applicants: one row per person applying for an endorsement'],
  ['rosters', 'Training rosters: who attended which training'],
  ['rsc', 'Reflective supervision/consultation sessions received'],
  ['endorsements', 'Endorsements: people already endorsed'],
  ['trainings', 'Training calendar: trainings the association offers'],
];

/** How long and how often to ask for the receipt. */
const POLL_MS = 1000;
const POLL_LIMIT_MS = 60_000;

/** @param {number} ms */
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * The kind a file's name suggests (`rosters-spring.csv` → rosters), if one does.
 * @param {string} name
 */
function kindOfName(name) {
  const lower = name.toLowerCase();
  return KINDS.map(([kind]) => kind).find((kind) => lower.startsWith(kind) || lower.startsWith(kind.replace(/s$/, '')));
}

/**
 * Posts the file to the signed form with its fields first, reporting progress.
 * @param {{ url: string, fields: Record<string, string> }} signed
 * @param {File} file
 * @param {(sent: number) => void} progress
 * @returns {Promise<void>}
 */
function postForm(signed, file, progress) {
  const form = new FormData();
  for (const [name, value] of Object.entries(signed.fields)) form.append(name, value);
  form.append('file', file);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', signed.url);
    request.upload.addEventListener('progress', (event) => progress(event.loaded));
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        resolve();
        return;
      }
      // S3 answers XML (<Message>), serve JSON ({ message }).
      const text = request.responseText ?? '';
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? safeMessage(text);
      reject(new Error(`The file was not accepted (${request.status})${message ? `: ${message}` : ''}.`));
    });
    request.addEventListener('error', () => reject(new Error('The file could not be sent; check the connection.')));
    request.send(form);
  });
}

/** @param {string} text */
function safeMessage(text) {
  try {
    const body = JSON.parse(text);
    return typeof body?.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}

/**
 * @param {HTMLElement} root
 * @param {Context} context
 */
async function render(root, context) {
  const kind = h(
    'select',
    { id: 'upload-kind', name: 'kind', required: true, 'aria-describedby': 'upload-kind-help' },
    h('option', { value: '' }, 'Choose the kind of file'),
    ...KINDS.map(([value, label]) => h('option', { value }, label)),
  );
  const file = h('input', {
    id: 'upload-file',
    name: 'file',
    type: 'file',
    required: true,
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'aria-describedby': 'upload-file-help',
  });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const alert = h('p', { role: 'alert', class: 'error', id: 'upload-error' });
  const progress = h('p', { class: 'progress', id: 'upload-progress' });
  const result = h('div', { id: 'upload-result' });

  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    const guess = chosen ? kindOfName(chosen.name) : undefined;
    if (guess && !kind.value) kind.value = guess;
  });

  const form = h(
    'form',
    { novalidate: true, 'aria-label': 'Upload a file' },
    h(
      'p',
      {},
      'Upload a CSV file or an Excel workbook (.xlsx). A file with the same name as an earlier upload of the same kind replaces it: correct a file and upload it again.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'upload-kind' }, 'Kind of file'), kind),
    h('p', { class: 'hint', id: 'upload-kind-help' }, 'The kind decides which columns the file must have.'),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'File'), file),
    h('p', { class: 'hint', id: 'upload-file-help' }, '.csv or .xlsx, the first row naming the columns.'),
    h('p', {}, submit),
    alert,
  );
  replace(root, form, progress, result);

  /** @param {HTMLElement} field @param {string} message */
  const invalid = (field, message) => {
    field.setAttribute('aria-invalid', 'true');
    replace(alert, message);
    field.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    kind.removeAttribute('aria-invalid');
    file.removeAttribute('aria-invalid');
    replace(alert);
    const chosen = file.files?.[0];
    if (!kind.value) return invalid(kind, 'Choose the kind of file.');
    if (!chosen) return invalid(file, 'Choose a file to upload.');
    if (!/\.(csv|xlsx)$/i.test(chosen.name)) {
      return invalid(file, `${chosen.name} is neither a .csv file nor an .xlsx workbook; save it as one of them.`);
    }
    submit.disabled = true;
    void upload(kind.value, chosen)
      .catch((error) => context.problem(error, alert))
      .finally(() => {
        submit.disabled = false;
        replace(progress);
      });
  });

  /**
   * @param {string} kindName
   * @param {File} chosen
   */
  async function upload(kindName, chosen) {
    replace(result);
    replace(progress, 'Asking for an upload link…');
    /** @type {{ key: string, url: string, fields: Record<string, string>, maxBytes: number, signedAt: string }} */
    const signed = await api('/uploads', {
      method: 'POST',
      body: { kind: kindName, fileName: chosen.name, size: chosen.size },
    });
    // Only a receipt written after the form was signed (server time) can be this upload's.
    const receiptPath = withQuery('/uploads/receipt', { key: signed.key, since: signed.signedAt });
    // And one that differs from what is there now (S3 keeps whole seconds).
    const earlier = JSON.stringify(await api(receiptPath, { notFound: 'null' }));
    context.announce(`Sending ${chosen.name}.`);
    await postForm(signed, chosen, (sent) =>
      replace(progress, `Sending ${chosen.name}: ${size(sent)} of ${size(chosen.size)}…`),
    );
    context.announce(`${chosen.name} sent. Waiting for its receipt.`);
    const started = Date.now();
    while (Date.now() - started < POLL_LIMIT_MS) {
      const seconds = Math.round((Date.now() - started) / 1000);
      replace(progress, `${chosen.name} sent. The pipeline is reading it… (${plural(seconds, 'second')})`);
      const receipt = await api(receiptPath, { notFound: 'null' });
      if (receipt && JSON.stringify(receipt) !== earlier) {
        replace(result, receiptSection(receipt, 'h2'));
        context.announce(
          `Receipt ready: ${plural(receipt.accepted, 'row')} accepted, ${plural(receipt.rejected, 'row')} rejected.`,
        );
        file.value = '';
        return;
      }
      await sleep(POLL_MS);
    }
    replace(
      result,
      h(
        'p',
        { class: 'notice' },
        `${chosen.name} was sent, but its receipt is not ready after a minute. `,
        h('a', { href: '#/uploads' }, 'Open Uploads'),
        ' later to see it.',
      ),
    );
    context.announce('The receipt is not ready yet; open Uploads later to see it.');
  }
}

/** @type {import('../app.js').View} */
export const uploadView = { id: 'upload', label: 'Upload', title: 'Upload a file', group: 'administrators', render };
