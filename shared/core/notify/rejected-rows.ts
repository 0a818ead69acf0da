/**
 * The email sent when an upload's receipt has rejected rows, or when the file could not be read at
 * all (docs/operations.md, "Emails"). It says which file, the counts, the first rejected rows (line,
 * column, what is wrong) and where the whole receipt is.
 *
 * Cell values are left out: a message quotes the value it refused (`"jane@" is not a valid email
 * address`), and a sent email cannot be erased from the mailboxes it reached, whereas the receipt,
 * which keeps the values, is scrubbed when a person is erased. The line and column find the cell.
 */
import type { Receipt, RowError } from '../ingest/ingest.js';
import { type ComposedMessage, escapeHtml, htmlDocument, plural } from './message.js';

export interface RejectedRowsInput {
  receipt: Receipt;
  /** The upload's key (`rosters/spring-2026.csv`): the folder says its kind. */
  uploadKey: string;
  /** Where the administrator reads the whole receipt, one sentence per way (the web app, the bucket, a folder). */
  whereToRead: readonly string[];
  maxRowsListed: number;
}

/**
 * Whether a receipt calls for the email: rows were rejected, or the file could not be read. A
 * withdrawal's receipt repeats the counts of the version withdrawn and never does.
 */
export function needsRejectedRowsEmail(receipt: Receipt): boolean {
  return receipt.withdrawn === undefined && (receipt.rejected > 0 || receipt.unusable);
}

const QUOTED = /"[^"\n]*"|“[^”\n]*”/g;

/** A receipt message with each quoted cell value replaced by "(value)". */
export function withoutValues(message: string): string {
  return message.replace(QUOTED, '(value)');
}

const where = (e: RowError) => (e.line === 0 ? 'the file' : `line ${e.line}${e.column ? `, ${e.column}` : ''}`);

export function rejectedRowsMessage(input: RejectedRowsInput): ComposedMessage {
  const { receipt, uploadKey, whereToRead, maxRowsListed } = input;
  const listed = receipt.errors.slice(0, maxRowsListed).map((e) => ({ ...e, message: withoutValues(e.message) }));
  const problems = receipt.errors.length + (receipt.errorsOmitted ?? 0);
  const unlisted = problems - listed.length;

  const subject = receipt.unusable
    ? `Not read: ${uploadKey}`
    : `${plural(receipt.rejected, 'row')} rejected in ${uploadKey}`;
  const summary = receipt.unusable
    ? `${uploadKey} could not be read, so nothing in it was stored (if an earlier version of it counted, its rows no longer do).`
    : `${uploadKey} was read: ${plural(receipt.rows, 'row')}, ${receipt.accepted.toLocaleString('en-US')} accepted, ${receipt.rejected.toLocaleString('en-US')} rejected. The accepted rows are stored; the rejected rows are not.`;
  const action = receipt.unusable
    ? 'Fix the file as the message says and upload it again under the same name.'
    : 'Fix the rejected rows in the file and upload it again under the same name: the new version replaces this one whole.';
  const heading = receipt.unusable
    ? 'Why:'
    : `Rejected rows${unlisted > 0 ? ` (the first ${listed.length} of ${problems.toLocaleString('en-US')} problems)` : ''}:`;
  const valuesNote = 'Cell values are left out of this email; the receipt shows them.';

  const text = [
    summary,
    action,
    '',
    heading,
    ...listed.map((e) => `  ${where(e)}: ${e.message}`),
    ...(unlisted > 0 ? [`  ... and ${plural(unlisted, 'more problem')} in the receipt.`] : []),
    '',
    valuesNote,
    '',
    'The whole receipt:',
    ...whereToRead.map((w) => `  ${w}`),
    '',
    'This email goes to the administrators of the endorsement pipeline.',
    '',
  ].join('\n');

  const rows = listed
    .map(
      (e) =>
        `<tr><td style="padding: 2px 8px">${e.line === 0 ? '' : e.line}</td><td style="padding: 2px 8px">${escapeHtml(e.column)}</td><td style="padding: 2px 8px">${escapeHtml(e.message)}</td></tr>`,
    )
    .join('\n');
  const html = htmlDocument(
    subject,
    [
      `<p>${escapeHtml(summary)}</p>`,
      `<p>${escapeHtml(action)}</p>`,
      `<h2 style="font-size: 17px">${escapeHtml(heading.replace(/:$/, ''))}</h2>`,
      '<table style="border-collapse: collapse">',
      '<thead><tr><th scope="col" style="text-align: left; padding: 2px 8px">Line</th><th scope="col" style="text-align: left; padding: 2px 8px">Column</th><th scope="col" style="text-align: left; padding: 2px 8px">Problem</th></tr></thead>',
      `<tbody>\n${rows}\n</tbody>`,
      '</table>',
      unlisted > 0 ? `<p>... and ${escapeHtml(plural(unlisted, 'more problem'))} in the receipt.</p>` : '',
      `<p>${escapeHtml(valuesNote)}</p>`,
      '<p>The whole receipt:</p>',
      `<ul>${whereToRead.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`,
      '<p style="color: #555">This email goes to the administrators of the endorsement pipeline.</p>',
    ]
      .filter((s) => s !== '')
      .join('\n'),
  );
  return { kind: 'rejected-rows', subject, text, html };
}
