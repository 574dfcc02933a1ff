// Arrival view: one search box that keeps the focus. Results follow every keystroke; arrows
// move, Enter does the right thing for the person highlighted (check in; register and check
// in; say why not), Escape clears. A badge scanner types a code and Enter into the same box.

import * as api from '../api.js';
import { AppError } from '../api.js';
import { runAction } from '../action.js';
import { h, setChildren } from '../dom.js';
import { dayLabel, formatClock, formatDate, statusLabel } from '../format.js';
import { createSavedFile } from '../saved.js';
import { currentPreset, REPRINT_REASONS } from '../values.js';

// The shape of a badge code (see src/token.rs): "DD", 26 base32 letters, a check letter. The
// core checks it; here it only decides whether Enter scans or searches.
const TOKEN = /^\s*DD[A-Z2-7]{27}\s*$/i;
// A code being typed by a scanner: not worth a search.
const TOKEN_START = /^\s*DD[A-Z2-7]{8,}$/i;
const LIMIT = 12;

const OUTCOME_CLASS = {
  checkedIn: 'ok', registeredAndCheckedIn: 'ok', alreadyCheckedIn: 'warn', noSeat: 'warn',
  waitlisted: 'warn', cancelled: 'warn', replacedBadge: 'danger', undone: 'info',
};

/** Builds the Arrival view; returns {element, show(), refresh()}. */
export function createArrivalView(ctx) {
  const input = h('input', {
    id: 'arrival-search', type: 'search', autocomplete: 'off', spellcheck: 'false',
    role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'arrival-results', 'aria-autocomplete': 'list',
    placeholder: 'Type a name, organisation or delegation — or scan a badge',
  });
  const daySelect = h('select', { id: 'arrival-day' });
  const dayNote = h('p', { id: 'arrival-day-note', class: 'hint', role: 'status' });
  const count = h('p', { id: 'arrival-count', class: 'hint', role: 'status' });
  const results = h('ul', { id: 'arrival-results', role: 'listbox', 'aria-label': 'People found', class: 'arrival-results', hidden: true });
  const outcome = h('section', { id: 'arrival-outcome', class: 'arrival-outcome empty', role: 'status', 'aria-live': 'polite' });
  const recent = h('section', { id: 'arrival-recent', class: 'arrival-recent', 'aria-label': 'Recent arrivals' });
  const card = h('section', { id: 'arrival-card', class: 'arrival-card', 'aria-label': 'Person', hidden: true });
  const saved = createSavedFile({ id: 'arrival-saved', fail: ctx.fail });
  const element = h('section', { id: 'view-arrival', class: 'view view-arrival', hidden: true },
    h('h2', { class: 'visually-hidden' }, 'Arrival'),
    h('div', { class: 'arrival-top' },
      h('div', { class: 'arrival-find' },
        h('label', { for: 'arrival-search' }, 'Find or scan'),
        input,
        count),
      h('div', { class: 'arrival-day' },
        h('label', { for: 'arrival-day' }, 'Checking in for'),
        daySelect,
        dayNote)),
    outcome,
    h('div', { class: 'arrival-body' }, h('div', { class: 'arrival-main' }, results, recent), h('div', { class: 'arrival-side' }, card, saved.element)));

  let found = [];
  let active = 0;
  let seq = 0;
  let cardSeq = 0;
  let shownCard = null;
  let today = null;

  const day = () => Number(daySelect.value) || 1;
  const query = () => input.value.trim();
  // No walk-in offered beside a roster as last read (the server is unreachable: it would be refused).
  const walkInIndex = () => (query() && !TOKEN_START.test(input.value) && !found.some((f) => f.readAt) ? found.length : -1);
  const optionCount = () => found.length + (walkInIndex() >= 0 ? 1 : 0);

  input.addEventListener('input', () => search());
  input.addEventListener('keydown', onKey);
  daySelect.addEventListener('change', () => {
    showDayNote();
    loadRecent().catch(ctx.fail);
    search();
    if (shownCard) loadCard(shownCard.attendee.id);
    input.focus();
  });
  // A scanner types into whatever has focus: a character typed while a button of this view
  // has it goes to the search box.
  element.addEventListener('keydown', (e) => {
    if (e.target === input || e.ctrlKey || e.altKey || e.metaKey || e.key.length !== 1) return;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return;
    e.preventDefault();
    input.focus();
    input.value += e.key;
    search();
  });

  function onKey(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = optionCount();
      if (!n) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      renderResults();
      showActiveCard();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      enter();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      clearSearch();
    }
  }

  function clearSearch() {
    seq += 1;
    input.value = '';
    found = [];
    active = 0;
    renderResults();
  }

  /** Searches what is typed; `keep`: the person highlighted stays highlighted (a refresh
   * because another desk changed something must not move Enter to someone else). */
  async function search(keep = false) {
    const mine = ++seq;
    const kept = keep ? found[active]?.attendee.id : undefined;
    const q = query();
    if (!q || TOKEN_START.test(input.value)) {
      found = [];
      active = 0;
      renderResults();
      return;
    }
    try {
      const list = await api.arrivalFind(q, day(), LIMIT);
      if (mine !== seq) return;
      found = list;
      const again = kept === undefined ? -1 : list.findIndex((f) => f.attendee.id === kept);
      active = again >= 0 ? again : 0;
      renderResults();
      if (!keep) showActiveCard();
    } catch (err) {
      if (mine === seq) ctx.fail(err);
    }
  }

  function renderResults() {
    const q = query();
    const walkIn = walkInIndex();
    const options = found.map((f, i) => resultItem(f, i));
    if (walkIn >= 0) {
      options.push(h('li', {
        id: `arrival-opt-${walkIn}`, role: 'option', class: 'arrival-option walk-in', 'aria-selected': String(active === walkIn),
        onclick: () => { active = walkIn; enter(); },
      }, h('strong', {}, 'New walk-in: '), `“${q}”`));
    }
    setChildren(results, options);
    results.hidden = options.length === 0;
    recent.hidden = options.length > 0;
    input.setAttribute('aria-expanded', String(options.length > 0));
    if (options.length) input.setAttribute('aria-activedescendant', `arrival-opt-${active}`);
    else input.removeAttribute('aria-activedescendant');
    const readAt = found.find((f) => f.readAt)?.readAt;
    count.classList.toggle('read-only', Boolean(readAt));
    count.textContent = !q ? '' : TOKEN_START.test(input.value) ? 'Badge code — Enter checks in'
      : readAt ? `${found.length} found in the roster as read at ${formatClock(readAt)} — read-only until the server is back`
        : found.length === 0 ? 'Nobody found — Enter registers a walk-in'
          : `${found.length === LIMIT ? `First ${LIMIT}` : found.length} found — Enter acts on the highlighted one`;
  }

  function resultItem(f, i) {
    const a = f.attendee;
    const checked = f.checkin ? h('span', { class: 'chip checked' }, `✓ In ${f.checkin.localTime}`) : null;
    const li = h('li', {
      id: `arrival-opt-${i}`, role: 'option', class: 'arrival-option', 'aria-selected': String(i === active),
      'data-id': String(a.id),
    },
    h('span', { class: 'option-name' },
      h('strong', {}, a.displayName),
      h('span', { class: `chip status-${a.status}` }, statusLabel(a)), checked),
    h('span', { class: 'option-detail' }, [a.delegation, a.organization].filter(Boolean).join(' · ')));
    li.addEventListener('click', () => {
      active = i;
      renderResults();
      showActiveCard();
      input.focus();
    });
    li.addEventListener('dblclick', () => enter());
    return li;
  }

  function showActiveCard() {
    const f = found[active];
    if (f) loadCard(f.attendee.id);
  }

  /** Shows the card of `id`. `quiet` (a refresh): a card that has not changed is left alone, so
   * a reason being chosen or the focus on one of its buttons stays where it is. */
  async function loadCard(id, quiet = false) {
    const mine = ++cardSeq;
    try {
      const c = await api.arrivalCard(id, day());
      if (mine !== cardSeq) return;
      if (quiet && shownCard && JSON.stringify(c) === JSON.stringify(shownCard)) return;
      renderCard(c);
    } catch (err) {
      ctx.fail(err);
    }
  }

  async function enter() {
    const text = input.value;
    if (TOKEN.test(text)) {
      await act(() => api.scanBadge(text.trim(), day()));
      return;
    }
    if (!query()) return;
    if (active === walkInIndex() || found.length === 0) {
      ctx.openWalkIn(query());
      clearSearch();
      return;
    }
    const f = found[active];
    if (f) await act(() => api.arrive(f.attendee.id, day()));
  }

  /** Runs an arrival action; shows its outcome and the card, clears the box for the next one. */
  async function act(job) {
    ctx.clearMessage();
    saved.hide();
    const out = await runAction(element, job, ctx.fail);
    if (!out) return;
    clearSearch();
    showOutcome(out);
    renderCard(out.card);
    await loadRecent();
    if (out.result === 'replacedBadge') ctx.fail(new AppError({ kind: 'conflict', message: out.message }));
    await ctx.changed();
    input.focus();
  }

  function showOutcome(out) {
    outcome.className = `arrival-outcome ${OUTCOME_CLASS[out.result] ?? 'info'}`;
    outcome.dataset.result = out.result;
    const extra = [];
    if (out.result === 'noSeat') extra.push(button('arrival-waitlist', 'Add to waitlist', () => reinstate(out.card.attendee.id)));
    if (out.result === 'cancelled') extra.push(button('arrival-reinstate', 'Reinstate', () => reinstate(out.card.attendee.id)));
    setChildren(outcome, h('p', { class: 'outcome-message' }, out.message), extra.length ? h('div', { class: 'outcome-actions' }, extra) : null);
  }

  async function reinstate(id) {
    const out = await runAction(element, () => api.reinstateAttendee(id), ctx.fail);
    if (!out) return;
    outcome.className = `arrival-outcome ${out.attendee.status === 'registered' ? 'ok' : 'warn'}`;
    outcome.dataset.result = out.attendee.status;
    setChildren(outcome, h('p', { class: 'outcome-message' }, out.message));
    await loadCard(id);
    await ctx.changed();
    input.focus();
  }

  function button(id, label, onclick, cls = '') {
    return h('button', { id, type: 'button', class: cls || null, onclick }, label);
  }

  function renderCard(c) {
    cardSeq += 1;
    // The same person drawn again (another desk changed something): the reprint reason chosen
    // and the focused control survive, or the next click would ask for the reason again.
    const same = shownCard && shownCard.attendee.id === c.attendee.id && !card.hidden;
    const reasonWas = same ? card.querySelector('#arrival-reprint-reason')?.value : undefined;
    const focusWas = same && card.contains(document.activeElement) ? document.activeElement.id : '';
    shownCard = c;
    const a = c.attendee;
    card.hidden = false;
    const title = h('div', { class: 'card-title' },
      h('p', { id: 'arrival-card-name', class: 'card-name' }, a.displayName),
      a.badgeName ? h('p', { class: 'card-badge-name' }, `Badge: ${a.badgeName}`) : null,
      h('p', { class: 'card-org' }, [a.position, a.organization].filter(Boolean).join(', ')),
      h('p', { class: 'card-delegation' }, a.delegation || '—'),
      h('p', {},
        h('span', { class: `chip category-${a.category}` }, ctx.categoryLabel(a.category)),
        h('span', { class: `chip status-${a.status}` }, statusLabel(a)),
        h('span', { class: 'card-id' }, ` #${a.id}`)));
    const attention = c.attention.length
      ? h('ul', { id: 'arrival-attention', class: 'attention' }, c.attention.map((x) => h('li', { class: `attention-${x.kind}` }, x.text)))
      : null;
    const checkin = c.checkin
      ? h('p', { id: 'arrival-checked', class: 'card-checked' },
        `✓ Checked in for day ${c.checkin.day} at ${c.checkin.localTime} by ${c.checkin.operator} (${c.checkin.desk})`)
      : (a.status === 'registered' ? h('p', { id: 'arrival-checked', class: 'card-not-checked' }, `Not checked in for day ${c.day ?? day()}`) : null);
    const history = c.history.filter((x) => x.undoneAt || x.day !== c.day);
    const past = history.length
      ? h('ul', { class: 'card-history' }, history.map((x) => h('li', {},
        `Day ${x.day}: ${x.localTime}, ${x.operator} (${x.desk})`,
        x.undoneAt ? ` — undone by ${x.undoneBy}: ${x.undoReason}` : '')))
      : null;
    const actions = [];
    // The roster as last read, the server unreachable: shown, marked, and nothing offered.
    const readOnly = c.readAt
      ? h('p', { id: 'arrival-read-only', class: 'read-only', role: 'status' },
        `Read-only: as this desk read it at ${formatClock(c.readAt)}. The database server cannot be reached; changes wait until it is back.`)
      : null;
    if (!c.readAt) {
      if (a.status === 'registered' && !c.checkin) actions.push(button('arrival-checkin', 'Check in', () => act(() => api.arrive(a.id, day())), 'primary'));
      if (a.status === 'invited') actions.push(button('arrival-register', 'Register and check in', () => act(() => api.arrive(a.id, day())), 'primary'));
      if (a.status === 'registered') actions.push(...printControls(c));
      if (c.checkin) actions.push(button('arrival-undo', 'Undo check-in…', () => openUndo(c)));
    }
    const badge = c.badge ? h('p', { class: 'card-badge' }, `Badge version ${c.badge.version} printed ${formatDate(c.badge.at.slice(0, 10))}`) : null;
    setChildren(card, readOnly, title, attention, checkin, past, badge, h('div', { class: 'card-actions' }, actions), h('div', { id: 'arrival-undo-slot' }));
    const reason = card.querySelector('#arrival-reprint-reason');
    if (reason && reasonWas) reason.value = reasonWas;
    if (focusWas) document.getElementById(focusWas)?.focus();
  }

  /** Print badge: at once for a first badge; a reprint asks for its reason first. */
  function printControls(c) {
    const a = c.attendee;
    if (!c.badge) return [button('arrival-print', 'Print badge', () => printBadge(a, null))];
    const reason = h('select', { id: 'arrival-reprint-reason', 'aria-label': 'Reason for the reprint' },
      h('option', { value: '' }, 'Reprint because…'), REPRINT_REASONS.map(([v, l]) => h('option', { value: v }, l)));
    const print = button('arrival-print', 'Reprint badge', () => {
      if (!reason.value) {
        ctx.fail(new AppError({ kind: 'validation', message: `Choose why the badge of ${a.displayName} is reprinted (lost, damaged, correction, other)` }));
        reason.focus();
        return;
      }
      printBadge(a, reason.value);
    });
    return [h('span', { class: 'reprint' }, reason, print)];
  }

  async function printBadge(a, reason) {
    // A complaint about the reason (asked before) is answered now.
    ctx.clearMessage();
    const out = await runAction(element, () => api.printOneBadge(a.id, currentPreset(), reason), ctx.fail);
    if (!out) return;
    saved.show(`Badge of ${a.displayName} saved as PDF — print it from the file`, out.path);
    // The reason was for this print; the next reprint asks again.
    const chosen = card.querySelector('#arrival-reprint-reason');
    if (chosen) chosen.value = '';
    await loadCard(a.id);
    await ctx.changed();
    input.focus();
  }

  /** The undo form: a reason, then a red Undo; Keep (the safe choice) has the focus first. */
  function openUndo(c) {
    const slot = card.querySelector('#arrival-undo-slot');
    const reason = h('input', { id: 'arrival-undo-reason', type: 'text', maxlength: 200, autocomplete: 'off' });
    const keep = button('arrival-undo-keep', 'Keep the check-in', close);
    const undo = button('arrival-undo-confirm', 'Undo check-in', async () => {
      const out = await runAction(element, () => api.undoCheckIn(c.attendee.id, c.checkin.day, reason.value), ctx.fail);
      if (!out) {
        reason.focus();
        return;
      }
      showOutcome(out);
      renderCard(out.card);
      await ctx.changed();
      input.focus();
    }, 'danger');
    const form = h('div', { class: 'undo-form', role: 'group', 'aria-label': 'Undo the check-in' },
      h('label', { for: 'arrival-undo-reason' }, `Why is the check-in of ${c.attendee.displayName} undone?`),
      reason, h('div', { class: 'undo-actions' }, keep, undo));
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close();
      }
      if (e.key === 'Enter' && e.target === reason) {
        e.preventDefault();
        undo.click();
      }
    });
    setChildren(slot, form);
    keep.focus();
    function close() {
      setChildren(slot);
      input.focus();
    }
  }

  /** The newest check-ins of the day, shown while nothing is typed. */
  async function loadRecent() {
    const list = await api.recentArrivals(day(), 10);
    setChildren(recent, h('h3', {}, `Latest arrivals — day ${day()}`),
      list.length === 0 ? h('p', { class: 'hint' }, 'Nobody checked in yet.')
        : h('ol', { class: 'recent-list' }, list.map((r) => h('li', {},
          h('span', { class: 'recent-time' }, r.checkin.localTime),
          h('strong', {}, r.displayName),
          h('span', { class: 'recent-detail' }, [r.delegation, r.checkin.desk].filter(Boolean).join(' · '))))));
  }

  async function loadDays() {
    const info = await api.arrivalDay();
    today = info.today;
    const chosen = Number(daySelect.value) || today || 1;
    setChildren(daySelect, ctx.event.days.map((d) => h('option', { value: String(d.day) }, dayLabel(d))));
    daySelect.value = String(Math.min(chosen, ctx.event.days.length || 1));
    showDayNote(info);
    await loadRecent();
  }

  function showDayNote(info) {
    if (info) dayNote.dataset.date = info.date;
    const date = dayNote.dataset.date ?? '';
    dayNote.textContent = today === null
      ? `Today (${formatDate(date)}) is not a day of the event: check-ins go to the day chosen here.`
      : (day() === today ? `Today is day ${today}.` : `Not today (day ${today}): check-ins go to day ${day()}.`);
    dayNote.className = `hint ${today === null || day() !== today ? 'warn' : ''}`;
  }

  return {
    element,
    /** Called when the view is shown: the days, then the focus in the search box. */
    async show() {
      input.focus();
      await loadDays();
      input.focus();
    },
    /** Called when the database changed elsewhere: results and card follow. */
    async refresh() {
      await loadDays();
      if (query()) await search(true);
      // Not while the operator is writing why a check-in is undone: that form would vanish.
      if (shownCard && !card.querySelector('.undo-form')) await loadCard(shownCard.attendee.id, true);
    },
    /** The day chosen for check-ins, or null before the days are loaded (the core then uses today). */
    day: () => (daySelect.value ? day() : null),
    /** Whether today is a day of the event (the app opens on this view then). */
    async isEventDay() {
      return (await api.arrivalDay()).today !== null;
    },
  };
}
