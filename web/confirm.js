// @ts-check
/** A modal question (native <dialog>: focus stays inside, Escape cancels, focus returns after). */
import { h } from './dom.js';

/**
 * Asks before something that cannot be undone; resolves to true when the person confirms.
 * @param {{ title: string, body: string[], confirm: string }} question
 * @returns {Promise<boolean>}
 */
export function confirmAction(question) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = 'confirm-title';
  const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
  const ok = h('button', { type: 'button', value: 'confirm', class: 'danger' }, question.confirm);
  const dialog = h(
    'dialog',
    { 'aria-labelledby': titleId, class: 'confirm' },
    h('h2', { id: titleId }, question.title),
    ...question.body.map((text) => h('p', {}, text)),
    h('p', { class: 'actions' }, ok, ' ', cancel),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    dialog.showModal();
    // The safe answer has focus first: Enter on an unread question cancels.
    cancel.focus();
  });
}
