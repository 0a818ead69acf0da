// @ts-check
/**
 * The administrators' and policymakers' web app (docs/web-api.md): reads config.json, signs the
 * person in, asks the API who they are and shows the sections their group may use. Sections are
 * addressed by the fragment (`#/upload`), so the back button and bookmarks work without a server.
 */
import { ApiError, api, configureApi, SessionEnded } from './api.js';
import { finishSignIn, forgetToken, signOutUrl, startSignIn } from './auth.js';
import { h, replace } from './dom.js';
import { exportsView } from './views/exports.js';
import { peopleView } from './views/people.js';
import { reportsView } from './views/reports.js';
import { uploadView } from './views/upload.js';
import { uploadsView } from './views/uploads.js';

/**
 * @typedef {import('./auth.js').AppConfig} AppConfig
 * @typedef {{ name?: string, email?: string, groups: string[], signOutUrl?: string }} Me
 * @typedef {{
 *   me: Me,
 *   announce: (text: string) => void,
 *   problem: (error: unknown, where: HTMLElement) => void,
 *   go: (viewId: string) => void,
 * }} Context
 * @typedef {{
 *   id: string,
 *   label: string,
 *   title: string,
 *   group: 'administrators' | 'any',
 *   render: (root: HTMLElement, context: Context) => void | Promise<void>,
 * }} View
 */

const APP_NAME = 'IECMH endorsement';

/** @type {View[]} */
const VIEWS = [uploadView, uploadsView, exportsView, peopleView, reportsView];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('sections'));
const account = /** @type {HTMLElement} */ (document.getElementById('account'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));

/** @type {AppConfig} */
let config = { auth: { kind: 'local' } };
let sessionOver = false;

/** Says something to screen readers without moving focus (the polite live region). */
function announce(/** @type {string} */ text) {
  // Emptied first so the same words said twice are announced twice.
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, 50);
}

/** The banner that says the session ended, with the way back in. */
function sessionEnded() {
  if (sessionOver) return;
  sessionOver = true;
  forgetToken();
  const auth = config.auth;
  replace(
    banner,
    h(
      'div',
      { class: 'notice error' },
      h('p', {}, h('strong', {}, 'Your session ended: sign in again.')),
      auth.kind === 'cognito'
        ? h('p', {}, h('button', { type: 'button', onclick: () => void startSignIn(auth) }, 'Sign in again'))
        : h(
            'p',
            {},
            'Open a new sign-in link: ',
            h('code', {}, 'npx iecmh serve'),
            ' prints one for each group when it starts.',
          ),
    ),
  );
  banner.hidden = false;
}

/**
 * Shows what went wrong in the view's alert region (announced at once).
 * @param {unknown} error
 * @param {HTMLElement} where an element with role=alert
 */
function problem(error, where) {
  if (error instanceof SessionEnded) {
    replace(where, error.message);
    return;
  }
  const text =
    error instanceof ApiError
      ? error.message
      : `Something went wrong: ${error instanceof Error ? error.message : error}`;
  replace(where, text);
}

/**
 * @param {Me} me
 * @param {View} view
 */
function allowed(me, view) {
  return view.group === 'any' || me.groups.includes(view.group);
}

/** @param {Me} me */
function defaultView(me) {
  return me.groups.includes('administrators') ? 'upload' : 'reports';
}

/** The view the fragment names (`#/people`), if any. */
function viewInHash() {
  const match = /^#\/([a-z]+)/.exec(location.hash);
  return match ? match[1] : undefined;
}

/**
 * Renders one section and moves focus to its heading, as a page load would.
 * @param {Me} me
 * @param {boolean} moveFocus
 */
async function show(me, moveFocus) {
  const wanted = viewInHash() ?? defaultView(me);
  const view = VIEWS.find((v) => v.id === wanted);
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${view?.id}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = h('h1', { tabindex: -1 }, view && allowed(me, view) ? view.title : 'Not available');
  replace(main, heading);
  document.title = `${heading.textContent} · ${APP_NAME}`;
  if (moveFocus) heading.focus();
  if (!view) {
    main.append(h('p', {}, 'There is no such section. Choose one from the menu above.'));
    return;
  }
  if (!allowed(me, view)) {
    main.append(h('p', {}, `This section is for ${view.group}. Choose one from the menu above.`));
    return;
  }
  const section = h('div', { class: 'view', id: `view-${view.id}` });
  main.append(section);
  const alert = h('p', { role: 'alert', class: 'error' });
  try {
    await view.render(section, { me, announce, problem, go: (id) => location.assign(`#/${id}`) });
  } catch (error) {
    section.append(alert);
    problem(error, alert);
  }
}

/** @param {Me} me */
function showAccount(me) {
  const who = me.name || me.email || 'Signed in';
  const groups = me.groups.length > 0 ? me.groups.join(', ') : 'no group';
  const out = h('a', { href: signOutUrl(config.auth, me.signOutUrl) }, 'Sign out');
  out.addEventListener('click', () => forgetToken());
  replace(account, h('span', {}, `${who} (${groups})`), ' ', out);
}

/** @param {Me} me */
function showNav(me) {
  const items = VIEWS.filter((v) => allowed(me, v)).map((v) => h('li', {}, h('a', { href: `#/${v.id}` }, v.label)));
  replace(nav, h('ul', {}, ...items));
  nav.hidden = items.length === 0;
}

/** Shows a page with one heading and a message (no section of the app). */
function page(/** @type {string} */ title, /** @type {(Node | string)[]} */ ...content) {
  replace(main, h('h1', { tabindex: -1 }, title), ...content);
  document.title = `${title} · ${APP_NAME}`;
}

async function start() {
  const skip = document.querySelector('a.skip');
  skip?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  try {
    const response = await fetch('config.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    config = await response.json();
  } catch (error) {
    page('The app could not start', h('p', { role: 'alert' }, `Its settings could not be read: ${String(error)}.`));
    return;
  }
  configureApi(config.apiBase ?? '/api', sessionEnded);
  const auth = config.auth;
  if (auth.kind === 'cognito') {
    const failed = await finishSignIn(auth);
    if (failed) {
      page('Sign in', h('p', { role: 'alert' }, failed), signInButton(auth));
      return;
    }
  }
  /** @type {Me} */
  let me;
  try {
    me = await api('/me');
  } catch (error) {
    if (error instanceof SessionEnded) {
      if (auth.kind === 'cognito') {
        banner.hidden = true;
        page('Sign in', h('p', {}, 'Sign in to upload files, see receipts and read the reports.'), signInButton(auth));
      } else {
        page('Sign in', h('p', {}, 'Your session ended: sign in again with a new link from npx iecmh serve.'));
      }
      return;
    }
    const alert = h('p', { role: 'alert' });
    page('The app could not start', alert);
    problem(error, alert);
    return;
  }
  me.groups ??= [];
  showAccount(me);
  showNav(me);
  if (!me.groups.includes('administrators') && !me.groups.includes('policymakers')) {
    page('No access yet', h('p', {}, 'Your account is in no group yet: ask an administrator to add you to one.'));
    return;
  }
  window.addEventListener('hashchange', () => {
    if (viewInHash()) void show(me, true);
  });
  await show(me, false);
}

/** @param {Extract<import('./auth.js').AuthConfig, { kind: 'cognito' }>} auth */
function signInButton(auth) {
  return h('p', {}, h('button', { type: 'button', onclick: () => void startSignIn(auth) }, 'Sign in'));
}

void start();
