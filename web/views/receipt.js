// @ts-check
/**
 * A receipt as a person reads it: the counts, then each rejected row (line, column, message) and
 * each warning. Fields follow the receipt the pipeline writes (docs/web-api.md); a warning may be
 * plain text or located like an error.
 */
import { h, plural, table, uid, when } from '../dom.js';

/**
 * @typedef {{ line: number, column: string, message: string }} RowError
 * @typedef {string | { line?: number, column?: string, message: string }} Warning
 * @typedef {{
 *   file: string, kind: string, rows: number, accepted: number, rejected: number,
 *   errors?: RowError[], warnings?: Warning[], unusable?: boolean, sheet?: string, encoding?: string,
 *   dateOrder?: string, errorsOmitted?: number, warningsOmitted?: number,
 *   replaced?: { forgotten: number }, withdrawn?: { at: string, forgotten: number },
 * }} Receipt
 */

/** @param {number} line */
function lineText(line) {
  return line > 0 ? String(line) : 'whole file';
}

/**
 * @param {Receipt} receipt
 * @param {'h2' | 'h3'} level the heading's level where the receipt is shown
 */
export function receiptSection(receipt, level = 'h2') {
  const errors = receipt.errors ?? [];
  const warnings = receipt.warnings ?? [];
  const sub = level === 'h2' ? 'h3' : 'h4';
  const section = h(
    'section',
    { class: 'receipt', 'aria-label': `Receipt for ${receipt.file}` },
    h(level, {}, `Receipt for ${receipt.file}`),
  );
  const verdict = receipt.unusable
    ? `This file could not be read as ${receipt.kind}; nothing from it was kept. Fix the problem below and upload it again.`
    : receipt.rejected > 0
      ? `${plural(receipt.rejected, 'row')} could not be kept. Fix ${receipt.rejected === 1 ? 'it' : 'them'} in your file and upload it again under the same name: the new version replaces this one.`
      : 'Every row was kept.';
  section.append(h('p', { class: receipt.rejected > 0 || receipt.unusable ? 'verdict bad' : 'verdict good' }, verdict));
  section.append(
    table(
      'Counts',
      ['Kind', 'Rows read', 'Accepted', 'Rejected', 'Warnings'],
      [
        [
          receipt.kind,
          receipt.rows.toLocaleString(),
          receipt.accepted.toLocaleString(),
          receipt.rejected.toLocaleString(),
          (warnings.length + (receipt.warningsOmitted ?? 0)).toLocaleString(),
        ],
      ],
      { numeric: [1, 2, 3, 4], className: 'counts' },
    ),
  );
  const read = [
    receipt.sheet ? `sheet "${receipt.sheet}"` : '',
    receipt.encoding ? `encoding ${receipt.encoding}` : '',
    receipt.dateOrder ? `dates read ${receipt.dateOrder}` : '',
  ].filter(Boolean);
  if (read.length > 0) section.append(h('p', { class: 'meta' }, `Read as: ${read.join(', ')}.`));
  if (receipt.replaced) {
    section.append(
      h(
        'p',
        {},
        `This version replaced an earlier one; ${plural(receipt.replaced.forgotten, 'fact')} only the earlier version held ${receipt.replaced.forgotten === 1 ? 'was' : 'were'} forgotten.`,
      ),
    );
  }
  if (receipt.withdrawn) {
    section.append(
      h(
        'p',
        {},
        `Withdrawn ${when(receipt.withdrawn.at)}; ${plural(receipt.withdrawn.forgotten, 'fact')} only this file held ${receipt.withdrawn.forgotten === 1 ? 'was' : 'were'} forgotten.`,
      ),
    );
  }
  if (errors.length > 0) {
    const id = uid('rows-to-fix');
    section.append(h(sub, { id }, 'Rows to fix'));
    section.append(
      table(
        'Rows to fix',
        ['Line', 'Column', 'Problem'],
        errors.map((e) => [lineText(e.line), e.column, e.message]),
        { numeric: [0], className: 'errors', labelledBy: id },
      ),
    );
    if (receipt.errorsOmitted) {
      section.append(h('p', {}, `…and ${plural(receipt.errorsOmitted, 'more problem')} not listed.`));
    }
  }
  if (warnings.length > 0) {
    const id = uid('warnings');
    section.append(h(sub, { id }, 'Warnings'));
    section.append(h('p', {}, 'These rows were kept; check that they say what you meant.'));
    const located = warnings.some((w) => typeof w !== 'string');
    if (located) {
      section.append(
        table(
          'Warnings',
          ['Line', 'Column', 'Warning'],
          warnings.map((w) =>
            typeof w === 'string'
              ? ['', '', w]
              : [w.line === undefined ? '' : lineText(w.line), w.column ?? '', w.message],
          ),
          { numeric: [0], className: 'warnings', labelledBy: id },
        ),
      );
    } else {
      section.append(h('ul', { class: 'warnings' }, ...warnings.map((w) => h('li', {}, String(w)))));
    }
    if (receipt.warningsOmitted) {
      section.append(h('p', {}, `…and ${plural(receipt.warningsOmitted, 'more warning')} not listed.`));
    }
  }
  return section;
}
