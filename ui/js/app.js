// Boots Delegate Desk: header and gauge, navigation, the views, the message area, and the
// revision poll that picks up changes made by other windows or processes.

import * as api from './api.js';
import { AppError, asAppError } from './api.js';
import { initAbout } from './about.js';
import { initBackup } from './backup.js';
import { initDemo, showDemoState, takeNotice } from './demo.js';
import { initPin } from './pin.js';
import { initProtocol } from './protocol.js';
import { initPrinterState } from './printer-state.js';
import { initScanGuard } from './scan.js';
import { initSignIn } from './signin.js';
import { h, setChildren } from './dom.js';
import { formatDateRange } from './format.js';
import { createGauge } from './gauge.js';
import { clearMessage, clearMessageIf, initMessage, showError, showInfo } from './message.js';
import { createArrivalView, isEventDay } from './views/arrival.js';
import { createRegisterView } from './views/register.js';
import { takeRememberedSettings } from './values.js';

// Twice a second: an arrival for protocol made at another desk shows here within a second.
const POLL_MS = 500;
/** Every view, in the order of the navigation and of the Alt+1… shortcuts. */
const VIEW_ORDER = ['arrival', 'register', 'attendees', 'event', 'badges', 'import', 'rosters', 'dashboard', 'audit'];
/**
 * The views the desk never opens on, loaded when first opened: the window reads only the
 * modules its first view needs (Arrival or Register) before it is usable, and fetches these
 * right after, so that opening one later does not wait for its code.
 */
const LATER = {
  attendees: ['./views/attendees.js', 'createAttendeesView'],
  event: ['./views/event.js', 'createEventView'],
  badges: ['./views/badges.js', 'createBadgesView'],
  import: ['./views/import.js', 'createImportView'],
  rosters: ['./views/rosters.js', 'createRostersView'],
  dashboard: ['./views/dashboard.js', 'createDashboardView'],
  audit: ['./views/audit.js', 'createAuditView'],
};

const $ = (id) => document.getElementById(id);
const gauge = createGauge();
/** The views built so far, by name (null until the window has started). */
let views = null;
/** The views being built, by name: each is built once. */
const building = new Map();
let currentView = null;
let revision = null;
let pollError = null;
let refreshBackup = async () => {};
let refreshPin = async () => {};
let refreshProtocol = async () => {};
let refreshPrinter = async () => {};
let signIn = null;

/** What the views share: the data on screen and how to report. */
const ctx = {
  event: null,
  status: null,
  categories: [],
  /** The folder the window writes PDFs and rosters into. */
  outputDir: '',
  categoryLabel: (value) => ctx.categories.find((c) => c.value === value)?.label ?? value,
  info: showInfo,
  clearMessage,
  fail,
  changed: refreshShared,
  /** The PIN was set or changed in Event settings: the header follows. */
  pinChanged: () => refreshPin(),
  /** The printer of a stock was chosen in Badges: the header follows. */
  printerChanged: () => refreshPrinter(),
  openBadgesFor,
  openWalkIn,
  /** The day the arrival desk checks in for (null: today, as the core decides). */
  checkInDay: () => views?.arrival.day() ?? null,
  /** The session whose door the arrival desk is at (null: a day's check-in). */
  checkInSession: () => views?.arrival.session() ?? null,
};

/** Shows the Register view with the words typed at the arrival desk as the name. */
function openWalkIn(text) {
  if (!views) return;
  // Once the view is shown (its first field focused): a question the prefill asks keeps the
  // focus on its safe choice.
  Promise.resolve(navigate('register')).then(() => views.register.prefill(text)).catch(fail);
}

/**
 * Reports a failure: a validation error goes next to its fields through `showFieldErrors`
 * when given (what no field can show goes to the message area); anything else to #message.
 */
function fail(err, showFieldErrors) {
  const e = asAppError(err);
  if (e.kind === 'validation' && showFieldErrors) {
    const rest = showFieldErrors(e);
    if (rest.length) showError(new AppError({ kind: 'validation', message: rest.map((i) => i.message).join(' ') }));
  } else {
    showError(e);
  }
}

/** Shows the Badges view with attendee `id` alone selected. */
function openBadgesFor(id) {
  if (!views) return;
  viewOf('badges').then((badges) => {
    badges.preselect(id);
    navigate('badges');
  }).catch(fail);
}

/** The view `name`, built (and placed, hidden, in the page) the first time it is asked for. */
function viewOf(name) {
  if (views[name]) return Promise.resolve(views[name]);
  if (!building.has(name)) {
    const [module, create] = LATER[name];
    const made = import(module).then((m) => m[create](ctx)).then((view) => {
      view.element.hidden = true;
      const after = VIEW_ORDER.slice(VIEW_ORDER.indexOf(name) + 1).map((key) => views[key]).find(Boolean);
      $('main').insertBefore(view.element, after?.element ?? null);
      views[name] = view;
      return view;
    });
    // A view that could not be built is tried again the next time it is opened.
    made.catch(() => building.delete(name));
    building.set(name, made);
  }
  return building.get(name);
}

function showEvent(event) {
  $('event-name').textContent = event.name;
  $('event-dates').textContent = [formatDateRange(event.startDate, event.endDate), event.venue].filter(Boolean).join(' · ');
  showDemoState(event).catch(fail);
}

function showDelegations(names) {
  const list = $('delegation-options');
  if (names.join('\n') === [...list.options].map((o) => o.value).join('\n')) return;
  setChildren(list, names.map((name) => h('option', { value: name })));
}

/** Re-reads the event, the seat counts and the delegations; updates header, gauge, type-ahead. */
async function refreshShared() {
  try {
    const [event, status, names] = await Promise.all([api.eventGet(), api.seatStatus(), api.delegations()]);
    ctx.event = event;
    ctx.status = status;
    showEvent(event);
    gauge.update(status);
    showDelegations(names);
  } catch (err) {
    fail(err);
  }
}

/** Shows view `name`; the promise returned settles once it is shown (read and focused). */
function navigate(name) {
  if (!views) return;
  // Another view: what the last one said is not about what is on screen now (a fatal error stays).
  if (name !== currentView && !$('message').classList.contains('fatal')) clearMessage();
  // Back at the desk: coordinator actions opened for one task close again.
  if (name === 'arrival' && currentView !== null && currentView !== 'arrival') {
    api.pinLock().then(() => refreshPin()).catch(() => {});
  }
  // The view already shown, asked for again (Alt+1 at Arrival): what it says stays.
  const again = name === currentView;
  currentView = name;
  for (const key of VIEW_ORDER) {
    if (views[key]) views[key].element.hidden = key !== name;
    const button = $(`nav-${key}`);
    if (key === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  return reading(viewOf(name).then((view) => {
    // Another view was chosen while this one was being built: that one is shown.
    if (currentView !== name) return undefined;
    view.element.hidden = false;
    return view.show(again);
  })).catch(fail);
}

// While the view on screen is being built or read (shown, or read again after a change), the
// page's main area is marked `data-reading` until what it shows has arrived: its layout may
// still move (a field shown once the PIN's state is known, a table filled). The end-to-end tests
// wait for the mark to go before they click, as a person waits for the screen to settle.
// Counted, so two readings at once end with the last.
let readings = 0;
async function reading(work) {
  readings += 1;
  $('main').dataset.reading = 'true';
  try {
    return await work;
  } finally {
    readings -= 1;
    if (readings === 0) delete $('main').dataset.reading;
  }
}

function onShortcut(e) {
  // No view changes behind an open dialog (confirmations, who is at the desk).
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || document.querySelector('dialog[open]')) return;
  const digit = /^Digit\d$/.test(e.code) ? e.code.slice(5) : e.key;
  const name = VIEW_ORDER[Number(digit) - 1];
  if (!name) return;
  e.preventDefault();
  navigate(name);
}

/** Reads again what the window shows after a change at `next` (this desk's or another's). */
async function followChange(next) {
  await refreshShared();
  const view = views[currentView];
  // A view still being built reads what it shows when it is shown. One that cannot
  // (a filter it refuses) does not keep the protocol notices, the PIN and the backup line
  // from following this change: its failure is said after them.
  let failed = null;
  try {
    if (view) await view.refresh();
  } catch (err) {
    failed = err;
  }
  await refreshBackup();
  await refreshPin();
  await refreshProtocol();
  // What the window shows is read at this revision (tests wait for it instead of a clock).
  document.documentElement.dataset.revision = String(next);
  if (failed) throw failed;
}

async function poll() {
  try {
    const next = await api.revision();
    if (pollError) {
      clearMessageIf(pollError);
      pollError = null;
      // Back after an outage: what is shown was read before it (marked read-only); read it again.
      if (!$('connection-lost').hidden) revision = null;
      $('connection-lost').hidden = true;
    }
    if (next !== revision) {
      revision = next;
      // The header, the protocol notices and the PIN line move the view's layout as much as
      // the view's own reading: the whole follow-up is one reading.
      await reading(followChange(next));
    }
  } catch (err) {
    const e = asAppError(err);
    // The roster's server cannot be reached: the header says so until the poll succeeds again.
    if (e.kind === 'unreachable') $('connection-lost').hidden = false;
    if (pollError !== e.message) {
      pollError = e.message;
      showError(e);
    }
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function showStartupFailure() {
  const retry = h('button', { id: 'retry', type: 'button', class: 'primary' }, 'Try again');
  // The database is opened again first (a server reachable now, a folder mounted now); its
  // outcome, a desk or the reason it still cannot be opened, is what boot() is then answered.
  retry.addEventListener('click', () => {
    retry.disabled = true;
    api.deskReopen().catch(() => {}).finally(boot);
  });
  setChildren($('main'), h('div', { class: 'startup-failed' },
    h('p', {}, 'Delegate Desk could not start. The reason is shown above.'),
    retry));
  retry.focus();
}

async function boot() {
  clearMessage();
  setChildren($('main'), h('p', { class: 'loading' }, 'Opening the database…'));
  let day;
  try {
    // Everything the first view needs, asked at once; which day it is decides that view (a
    // failure there is said, and the desk opens on Register).
    let event, status, categories, names, db, rev, settings;
    [event, status, categories, names, db, rev, day, settings] = await Promise.all([
      api.eventGet(), api.seatStatus(), api.categories(), api.delegations(), api.dbInfo(), api.revision(),
      api.arrivalDay().catch((err) => ({ failed: err })),
      // This computer's badge stock, printers and printing at check-in, as last chosen (none
      // read: the window's own copy stands).
      api.deskSettingsGet().catch(() => ({})),
    ]);
    takeRememberedSettings(settings);
    // The printer line under the header starts watching the printer of the remembered stock.
    refreshPrinter();
    Object.assign(ctx, { event, status, categories });
    revision = rev;
    document.documentElement.dataset.revision = String(rev);
    showEvent(event);
    gauge.update(status);
    showDelegations(names);
    const onServer = db.engine === 'postgres';
    ctx.onServer = onServer;
    $('db-path').textContent = onServer ? `${db.path} (database server, shared by the desks)` : db.path;
    ctx.outputDir = db.outputDir ?? '';
    $('output-dir').textContent = ctx.outputDir || '(set DELEGATE_DESK_OUTPUT_DIR)';
    // A server keeps its own backups: the desk's backup line is for a file on this computer.
    $('footer-backup').hidden = onServer;
    views = { arrival: createArrivalView(ctx), register: createRegisterView(ctx) };
  } catch (err) {
    showError(asAppError(err), { fatal: true });
    showStartupFailure();
    return;
  }
  setChildren($('main'), views.arrival.element, views.register.element);
  try {
    await signIn.start();
  } catch (err) {
    fail(err);
  }
  for (const key of VIEW_ORDER) $(`nav-${key}`).disabled = false;
  // During the event's days the desk opens on Arrival; before it, on Register.
  if (day.failed) fail(day.failed);
  navigate(!day.failed && isEventDay(day) ? 'arrival' : 'register');
  const notice = takeNotice();
  if (notice) showInfo(notice);
  // When the window became usable (epoch ms), and when the view was first painted: what the
  // start-up measurement reads. The protocol notices and the backup line are not needed to act
  // and fill in right after.
  document.body.dataset.ready = String(Date.now());
  requestAnimationFrame(() => setTimeout(() => { document.body.dataset.painted = String(Date.now()); }, 0));
  await Promise.all([refreshProtocol(), refreshBackup()]);
  // The other views' code, fetched now (not built: that waits until each is opened).
  for (const [module] of Object.values(LATER)) import(module).catch(() => {});
  setTimeout(poll, POLL_MS);
}

function start() {
  initMessage();
  // A badge scanned anywhere but at Arrival is never taken as the operator's typing or answer.
  initScanGuard({
    takes: (target) => currentView === 'arrival' && Boolean(views?.arrival.element.contains(target)),
    said: (text) => showError(new AppError({ kind: 'conflict', message: text })),
  });
  $('gauge-slot').replaceWith(gauge.element);
  refreshBackup = initBackup({ info: showInfo, fail }, () => ctx.event?.timezone);
  // Someone else signed in: the coordinator actions opened here are closed (the header follows).
  signIn = initSignIn({ fail, signedIn: () => refreshPin() });
  refreshPin = initPin({ fail, timeZone: () => ctx.event?.timezone });
  refreshProtocol = initProtocol({ info: showInfo, fail });
  refreshPrinter = initPrinterState();
  initDemo({ fail });
  initAbout({ fail });
  for (const key of VIEW_ORDER) $(`nav-${key}`).addEventListener('click', () => navigate(key));
  document.addEventListener('keydown', onShortcut);
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    fail(e.reason);
  });
  window.addEventListener('error', (e) => fail(e.error ?? e.message));
  boot();
}

start();
