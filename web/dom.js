// @ts-check
/**
 * Building the page without innerHTML: every piece of text from the API (names, file names,
 * messages) becomes a text node, so markup in the data is shown as typed and never runs.
 */

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Record<string, string | number | boolean | EventListener | null | undefined>} Props
 */

/**
 * An element with attributes, listeners (`onclick`, `onsubmit`, ...) and children (text or nodes).
 * `hidden`, `disabled`, `checked` and `value` are set as properties; `false`, `null` and
 * `undefined` leave an attribute out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'hidden' || name === 'disabled' || name === 'checked' || name === 'value') {
      /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (element))[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/**
 * Appends text or nodes; arrays are flattened, empty values skipped.
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces what an element holds.
 * @param {Element} element
 * @param {...(Child | Child[])} children
 */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A unique id for labels and descriptions. */
let counter = 0;
/** @param {string} prefix */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * A table with a caption, header cells and rows of text.
 * @param {string} caption
 * @param {string[]} headers
 * @param {(Child | Child[])[][]} rows
 * @param {{ numeric?: number[], className?: string, labelledBy?: string }} [options] `numeric`: columns
 *   (0-based) aligned as numbers; `labelledBy`: the id of a heading that names the table instead of a caption
 */
export function table(caption, headers, rows, options = {}) {
  const numeric = new Set(options.numeric ?? []);
  const named = options.labelledBy ? { 'aria-labelledby': options.labelledBy } : { 'aria-label': caption };
  return h(
    'div',
    { class: 'scroll', role: 'region', tabindex: 0, ...named },
    h(
      'table',
      { class: options.className, 'aria-labelledby': options.labelledBy },
      options.labelledBy ? null : h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col' }, text)))),
      h(
        'tbody',
        {},
        ...rows.map((cells) =>
          h('tr', {}, ...cells.map((cell, i) => h('td', { class: numeric.has(i) ? 'num' : undefined }, cell))),
        ),
      ),
    ),
  );
}

/**
 * A date and time as the reader's locale writes them; the text as given when it is not a date.
 * @param {string | null | undefined} iso
 */
export function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A size in bytes, in the unit a person reads.
 * @param {number | null | undefined} bytes
 */
export function size(bytes) {
  if (bytes === null || bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * "1 row", "2 rows".
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
