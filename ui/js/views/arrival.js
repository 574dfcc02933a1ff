// Arrival view: one search box that keeps the focus. Results follow every keystroke; arrows
// move, Enter does the right thing for the person highlighted (check in; register and check
// in; say why not), Escape clears. A badge scanner types a code and Enter into the same box.
// "Checking in for" is a day or one of the sessions: at a session's door the same keys admit
// or refuse, the refusal in large red letters a steward reads from a metre away.

import * as api from '../api.js';
import { asAppError } from '../api.js';
import { serialQueue } from '../action.js';
import { h, setChildren } from '../dom.js';
import { dayLabel, formatClock, formatDate, formatDateTime, statusLabel, zoneSuffix } from '../format.js';
import { badgeOutcome, printCheckedBadge } from '../badge-print.js';
import { REPRINT_REASONS, currentPreset, printAtCheckIn, printerFor } from '../values.js';
import { createSavedFile } from '../saved.js';
import { unvettedForm } from './arrival-unvetted.js';

// The shape of a badge code (see src/token.rs): "DD", 26 base32 letters, a check letter. The
// core checks it; here it only decides whether Enter scans or searches. A scanner types the
// code after whatever the box held, so a code is recognised where it ends the text.
// A badge of before the secure codes ("DD:A12:V2") goes to the core too, which says what it is.
const TOKEN_AT_END = /(DD[A-Z2-7]{27}|DD:A\d{1,9}:V\d{1,4})\s*$/i;
/** Text that holds a whole code anywhere: never offered as a walk-in's name. */
const HOLDS_TOKEN = /DD[A-Z2-7]{27}/i;
// A code being typed by a scanner (the whole box, or a long run ending it): not worth a search.
const TOKEN_TYPING = /(^\s*DD[A-Z2-7]{8,}|DD[A-Z2-7]{12,})\s*$/i;
const LIMIT = 12;
/** What an Enter picked when it picked the "New walk-in" row. */
const WALK_IN = 'walkIn';
/** How often the date at the venue is read again while the view is shown (for midnight). */
const DATE_CHECK_MS = 20_000;

const OUTCOME_CLASS = {
  checkedIn: 'ok', registeredAndCheckedIn: 'ok', alreadyCheckedIn: 'warn', noSeat: 'warn',
  waitlisted: 'warn', cancelled: 'warn', replacedBadge: 'danger', undone: 'info',
  admitted: 'ok', refused: 'danger',
};
/** Failures after which the same action may simply be tried again: what was typed is kept. */
const RETRYABLE = new Set(['storage', 'unreachable']);

/** Whether the day read by `arrivalDay` is a day of the event (the app opens on Arrival then). */
export const isEventDay = (day) => day.today !== null;

/** Builds the Arrival view; returns {element, show(), refresh()}. */
export function createArrivalView(ctx) {
  const input = h('input', {
    // Bounded: a whole column pasted by mistake made every key wait seconds on the code
    // patterns below (a name and a scanned code fit many times over).
    id: 'arrival-search', type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: 300,
    role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'arrival-results', 'aria-autocomplete': 'list',
    placeholder: 'Type a name, organisation or delegation — or scan a badge',
  });
  const daySelect = h('select', { id: 'arrival-day' });
  const dayNote = h('p', { id: 'arrival-day-note', class: 'hint', role: 'status' });
  const count = h('p', { id: 'arrival-count', class: 'hint', role: 'status' });
  const results = h('ul', { id: 'arrival-results', role: 'listbox', 'aria-label': 'People found', class: 'arrival-results', hidden: true });
  // The one outcome area: the last action's result (and the file it wrote, what can be done
  // next), replaced by the next action, emptied by a new search or another view.
  const outcomeText = h('p', { id: 'arrival-outcome-text', class: 'outcome-message' });
  // Open failing (no viewer) is the latest action: said in the outcome, with the file's place.
  const saved = createSavedFile({ id: 'arrival-saved', fail: (err) => refused(err, '') });
  const outcomeActions = h('div', { class: 'outcome-actions', hidden: true });
  const outcomeSlot = h('div', { id: 'arrival-outcome-slot' });
  const outcome = h('section', { id: 'arrival-outcome', class: 'arrival-outcome empty', role: 'status', 'aria-live': 'polite' },
    outcomeText, saved.element, outcomeActions, outcomeSlot);
  // Outcomes that needed attention (a refusal, no seat, a badge not printed) but were replaced
  // at once by the next action already waiting (scans back to back, an Enter behind a print):
  // kept here, in order, until the operator says they have seen them.
  const missedList = h('ul', { id: 'arrival-missed-list' });
  const missedSeen = h('button', { id: 'arrival-missed-seen', type: 'button' }, 'Seen');
  const missed = h('section', { id: 'arrival-missed', class: 'arrival-missed', role: 'alert', 'aria-label': 'Said while the next was waiting', hidden: true },
    h('p', { class: 'missed-title' }, 'Said while the next was already waiting — check these:'), missedList, missedSeen);
  missedSeen.addEventListener('click', () => {
    setChildren(missedList);
    missed.hidden = true;
    input.focus();
  });
  const recent = h('section', { id: 'arrival-recent', class: 'arrival-recent', 'aria-label': 'Recent arrivals' });
  const card = h('section', { id: 'arrival-card', class: 'arrival-card', 'aria-label': 'Person', hidden: true });
  const element = h('section', { id: 'view-arrival', class: 'view view-arrival', hidden: true },
    h('h2', { class: 'visually-hidden' }, 'Arrival'),
    // The outcome sits in the top band, right after the box in the tab order (Tab from the
    // box reaches "Undo check-in…" at once) and always in sight, however far the view scrolls.
    h('div', { class: 'arrival-top' },
      h('div', { class: 'arrival-find' },
        h('label', { for: 'arrival-search' }, 'Find or scan'),
        input,
        count),
      outcome,
      missed,
      h('div', { class: 'arrival-day' },
        h('label', { for: 'arrival-day' }, 'Checking in for'),
        daySelect,
        dayNote)),
    h('div', { class: 'arrival-body' }, h('div', { class: 'arrival-main' }, results, recent), h('div', { class: 'arrival-side' }, card)));

  /** The results on screen, and the exact text of the box they were found for. */
  let found = [];
  let foundFor = '';
  let active = 0;
  let seq = 0;
  let searching = Promise.resolve();
  let cardSeq = 0;
  /** Grows with every outcome shown: a print that ends later touches only its own outcome. */
  let saidSeq = 0;
  let shownCard = null;
  /** The day and door the card shown was read for: its buttons act on those. */
  let shownCardFor = '';
  const dayKey = () => `${day()}|${sessionId()}`;
  let today = null;
  /** The arrival actions, one after another in the order asked (a scan right after a print waits for it). */
  const inTurn = serialQueue();

  /** The sessions offered, by id. */
  let sessionsById = new Map();
  /** The programme as last read: a read that fails leaves the doors offered as they were. */
  let programme = [];
  /** The door that was chosen and is no longer offered (removed at another desk, or not
   * today's any more), said on the day note until the operator chooses again; or null. */
  let doorGone = null;
  /** The session chosen (its door), or null when checking in for a day. */
  const session = () => (daySelect.value.startsWith('s') ? sessionsById.get(Number(daySelect.value.slice(1))) ?? null : null);
  const sessionId = () => session()?.id ?? null;
  const day = () => session()?.day ?? (Number(daySelect.value) || 1);
  const query = () => input.value.trim();
  // No walk-in offered for a badge code, nor beside a roster as last read (the server is
  // unreachable: it would be refused).
  const walkInIndex = () => (query() && !TOKEN_TYPING.test(input.value) && !HOLDS_TOKEN.test(input.value)
    && !found.some((f) => f.readAt) ? found.length : -1);
  const optionCount = () => found.length + (walkInIndex() >= 0 ? 1 : 0);
  /** Whether the results on screen are those of the text in the box. */
  const current = () => foundFor === input.value;

  input.addEventListener('input', () => {
    // A new search: the last outcome is no longer what the screen is about.
    clearOutcome();
    search();
  });
  input.addEventListener('keydown', onKey);
  daySelect.addEventListener('change', () => {
    doorGone = null;
    showDayNote();
    clearOutcome();
    loadRecent().catch(ctx.fail);
    search();
    input.focus();
  });
  // A scanner types into whatever has focus: a character typed while a button of this view
  // has it goes to the search box.
  element.addEventListener('keydown', toBox);
  // So do the keys typed when nothing has the focus (the button pressed was taken away: a
  // notice acknowledged, a message dismissed, a card printed from), and a letter typed while a
  // button outside the view has it (the header, a notice, the footer: one Shift+Tab away), while
  // this view is shown: a scan there must not be lost, nor its Enter press that button.
  document.addEventListener('keydown', (e) => {
    if (element.hidden || element.contains(e.target) || document.querySelector('dialog[open]')) return;
    if (e.target === document.body) {
      if (e.key === 'Enter' && input.value) {
        e.preventDefault();
        input.focus();
        pressEnter();
        return;
      }
      toBox(e);
    } else if (e.key !== ' ' && (e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) {
      toBox(e);
    }
  });
  function toBox(e) {
    if (e.target === input || e.ctrlKey || e.altKey || e.metaKey || e.key.length !== 1) return;
    // Space presses the focused button (Undo check-in…, Print badge of …), as anywhere: a
    // scanner's space comes after its letters, which have taken the focus to the box already.
    if (e.key === ' ' && (e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) return;
    // The day chooser and the reprint reason are changed with the arrows: a letter typed
    // there (a scanner's "DD…") would pick a day or a reason, not find anyone.
    const chooser = e.target === daySelect || e.target.id === 'arrival-reprint-reason';
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement
      || (e.target instanceof HTMLSelectElement && !chooser);
    if (typing) return;
    e.preventDefault();
    input.focus();
    input.value += e.key;
    clearOutcome();
    search();
  }

  function onKey(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const down = e.key === 'ArrowDown';
      const move = () => {
        const n = optionCount();
        if (!n || !current()) return;
        active = (active + (down ? 1 : n - 1)) % n;
        renderResults();
        showActiveCard();
      };
      // An arrow typed before the results of the last key came moves in those results once
      // they are drawn (and before an Enter typed after it acts), never in stale ones.
      if (current()) move();
      else {
        const text = input.value;
        // An Enter pressed before this arrow has moved picks in its turn, after it.
        movesWaiting += 1;
        enqueue(async () => {
          try {
            if ((await settle()) && input.value === text) move();
          } finally {
            movesWaiting -= 1;
          }
        }, { says: false });
      }
    } else if (e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey && TOKEN_AT_END.test(input.value))) {
      // (A scanner set to end its code with Tab instead of Enter scans as well.)
      e.preventDefault();
      pressEnter();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      clearOutcome();
      clearSearch();
    }
  }

  /** Empties the box: no results, no person's card; the latest arrivals show. */
  function clearSearch() {
    seq += 1;
    input.value = '';
    found = [];
    foundFor = '';
    active = 0;
    renderResults();
    showActiveCard();
  }

  /** Searches what is typed; `keep`: the person highlighted stays highlighted (a refresh
   * because another desk changed something must not move Enter to someone else). */
  function search(keep = false) {
    const mine = ++seq;
    const text = input.value;
    const kept = keep ? pick() : undefined;
    // Until the new results are drawn, the card's buttons are not live.
    syncCard();
    const q = text.trim();
    if (!q || TOKEN_TYPING.test(text) || HOLDS_TOKEN.test(text)) {
      found = [];
      foundFor = text;
      active = 0;
      renderResults();
      showActiveCard();
      searching = Promise.resolve();
      return searching;
    }
    searching = (async () => {
      try {
        const list = await api.arrivalFind(q, day(), LIMIT);
        if (mine !== seq) return;
        // The person highlighted now, not when the search began: an arrow pressed while
        // another desk's change was being read again is the operator's choice.
        const keptNow = keep && foundFor === text ? pick() : kept;
        found = list;
        foundFor = text;
        // The "New walk-in" row highlighted stays highlighted too.
        const again = keptNow === WALK_IN ? walkInIndex()
          : keptNow === undefined ? -1 : list.findIndex((f) => f.attendee.id === keptNow);
        active = again >= 0 ? again : 0;
        renderResults();
        showActiveCard(keep);
      } catch (err) {
        if (mine === seq) ctx.fail(err);
      }
    })();
    return searching;
  }

  /** Waits until the results on screen are those of the text in the box (or it is gone). */
  async function settle() {
    for (let tries = 0; tries < 50 && !current(); tries += 1) {
      const waiting = searching;
      await waiting;
      if (waiting === searching && !current()) await search();
    }
    return current();
  }

  function renderResults() {
    const q = query();
    const walkIn = walkInIndex();
    const options = found.map((f, i) => resultItem(f, i));
    if (walkIn >= 0) {
      options.push(h('li', {
        id: `arrival-opt-${walkIn}`, role: 'option', class: 'arrival-option walk-in', 'aria-selected': String(active === walkIn),
        onclick: () => {
          active = walkIn;
          const text = input.value;
          enqueue(() => enter(text, WALK_IN));
        },
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
    count.textContent = !q ? ''
      : TOKEN_TYPING.test(input.value) || HOLDS_TOKEN.test(input.value) ? 'Badge code — Enter checks in'
        : readAt ? `${found.length} found in the roster as read at ${formatClock(readAt, ctx.event?.timezone)} — read-only until the server is back`
          : found.length === 0 ? 'Nobody found — Enter registers a walk-in'
            : `${found.length === LIMIT ? `First ${LIMIT}` : found.length} found — Enter acts on the highlighted one`;
  }

  function resultItem(f, i) {
    const a = f.attendee;
    // At a session's door the check-in found is the day's, not an admission to the session: a
    // steward read "✓ In" as admitted.
    const checked = f.checkin
      ? h('span', { class: 'chip checked' }, sessionId() ? `✓ Here today ${f.checkin.localTime}` : `✓ In ${f.checkin.localTime}`)
      : null;
    const state = a.vetting?.state ?? 'pending';
    const held = ctx.event?.requireVetting && state !== 'cleared'
      ? h('span', { class: `chip vetting-${state}` }, `Vetting ${state}`) : null;
    const li = h('li', {
      id: `arrival-opt-${i}`, role: 'option', class: 'arrival-option', 'aria-selected': String(i === active),
      'data-id': String(a.id),
    },
    h('span', { class: 'option-name' },
      h('strong', {}, a.displayName),
      h('span', { class: `chip status-${a.status}` }, statusLabel(a)), checked, held),
    h('span', { class: 'option-detail' }, [a.delegation, a.organization].filter(Boolean).join(' · ')));
    li.addEventListener('click', () => {
      active = i;
      renderResults();
      showActiveCard();
      input.focus();
    });
    // A double click acts on the row clicked: on results of an older text (a letter typed
    // since, its results on the way) it does nothing, rather than act on whoever comes first.
    li.addEventListener('dblclick', () => {
      if (!current() || found[i]?.attendee.id !== a.id) return;
      active = i;
      const text = input.value;
      enqueue(() => enter(text, a.id));
    });
    return li;
  }

  /**
   * Whom an Enter on the box's text picks now: the highlighted person's id, WALK_IN, or
   * undefined while the results of the text are still on their way.
   */
  function pick() {
    if (!current()) return undefined;
    return active === walkInIndex() ? WALK_IN : found[active]?.attendee.id;
  }

  /** The person the card may be about: the highlighted result of the text in the box. */
  function highlighted() {
    return current() ? found[active] ?? null : null;
  }

  /** The card follows the highlighted result; with none (no results, an empty box, the
   * walk-in row) no person's card is shown. `quiet`: see loadCard. */
  function showActiveCard(quiet = false) {
    const f = highlighted();
    if (!f) {
      hideCard();
      return;
    }
    if (!shownCard || shownCard.attendee.id !== f.attendee.id) syncCard();
    loadCard(f.attendee.id, quiet);
  }

  function hideCard() {
    cardSeq += 1;
    shownCard = null;
    card.hidden = true;
    setChildren(card);
  }

  /** The card's buttons are live only while it shows the highlighted result of the box's text. */
  function cardIsLive() {
    const f = highlighted();
    // Read for another day or door (the day moved on at midnight, another was chosen): its
    // buttons would act on that one, until the card is read again.
    return Boolean(shownCard && !card.hidden && f && f.attendee.id === shownCard.attendee.id && shownCardFor === dayKey());
  }

  function syncCard() {
    const live = cardIsLive();
    card.classList.toggle('stale', !live);
    for (const b of card.querySelectorAll('.card-actions button, .card-actions select')) b.disabled = !live;
  }

  /** Shows the card of `id`. `quiet` (a refresh): a card that has not changed is left alone, so
   * a reason being chosen or the focus on one of its buttons stays where it is. */
  async function loadCard(id, quiet = false) {
    const mine = ++cardSeq;
    const key = dayKey();
    try {
      const c = await api.arrivalCard(id, day(), sessionId());
      if (mine !== cardSeq || highlighted()?.attendee.id !== id) return;
      if (quiet && shownCard && !card.hidden && key === shownCardFor && JSON.stringify(c) === JSON.stringify(shownCard)) return;
      shownCardFor = key;
      renderCard(c);
    } catch (err) {
      if (mine === cardSeq) ctx.fail(err);
    }
  }

  /** Actions asked that say an outcome and have not ended yet (the one running included). */
  let queued = 0;
  /** Arrow moves waiting their turn (typed before the results they move in had come). */
  let movesWaiting = 0;

  /**
   * Runs `job` after the actions asked before it, never two at once. `says`: it shows an
   * outcome (an arrow move waiting its turn does not).
   */
  function enqueue(job, { says = true } = {}) {
    if (says) queued += 1;
    return inTurn(async () => {
      try {
        return await job();
      } finally {
        if (says) {
          queued -= 1;
          // The next action that says an outcome is waiting already and replaces this one at
          // once: one that needs attention is kept where it stays.
          if (queued > 0 && /\b(danger|warn)\b/.test(outcome.className)) keepMissed(outcomeWords());
        }
      }
    }).catch(ctx.fail);
  }

  /** The outcome shown, in words: whom it is about (a door's refusal names them apart), then what. */
  function outcomeWords() {
    const who = outcome.querySelector('#arrival-outcome-person')?.textContent;
    return [who, outcomeText.textContent].filter(Boolean).join(': ');
  }

  /** Keeps `text` in the list of what was said while the next action waited. */
  function keepMissed(text) {
    if (!text) return;
    missedList.append(h('li', {}, h('span', { class: 'recent-time' }, formatClock(new Date().toISOString(), ctx.event?.timezone, { seconds: false })), ' ', text));
    missed.hidden = false;
  }

  /**
   * Like `enqueue`, for a button's action: `job(typed)` gets the box's text as it was at the
   * click, and empties the box only if it still holds that (what was typed while the action
   * waited its turn is the next person's, and stays).
   */
  function withText(job) {
    const typed = input.value;
    return enqueue(() => job(typed));
  }

  /**
   * Enter pressed in the box. A code ending it is taken at the key itself, with the day or
   * session chosen then, and the box is emptied at once: a scan that follows while an action
   * still runs (a print, the PIN asked for, a slow server) starts in an empty box, and its own
   * Enter scans its own code. Two badges scanned back to back are two arrivals, in order.
   */
  function pressEnter() {
    if (!daySelect.options.length) {
      // The days are read when the view is first shown: an Enter before then has no day to go
      // to (it went to day 1). The box keeps what was typed or scanned.
      ctx.fail({ kind: 'conflict', message: 'The days of the event have not been read yet: nothing was done. Press Enter again in a moment.' });
      return;
    }
    const text = input.value;
    const token = text.match(TOKEN_AT_END)?.[1];
    if (!token) {
      // What the Enter means is taken at the key: the text, whom it picks, the day. A print
      // can hold the queue for seconds, while the box and the highlight change (a scan, an
      // arrow, the next name): its turn acts on what it was pressed on.
      const picked = movesWaiting > 0 ? undefined : pick();
      const [d, s] = [day(), sessionId()];
      enqueue(() => enter(text, picked, d, s));
      return;
    }
    const [d, s] = [day(), sessionId()];
    clearSearch();
    enqueue(() => {
      clearOutcome();
      return act(() => api.scanBadge(token, d, s), { typed: text, clearFirst: false, clearAfter: false });
    });
  }

  /**
   * An Enter on `text` that picked `picked` (see `pick`; undefined: the results of the text
   * had not come yet, the first of them is meant), for day `d` or session `s`. When the box no
   * longer holds `text` (changed while the desk was busy), it still acts on what it was pressed
   * on, and leaves what is in the box alone.
   */
  async function enter(text, picked, d = day(), s = sessionId()) {
    const token = text.match(TOKEN_AT_END)?.[1];
    if (token) {
      await act(() => api.scanBadge(token, d, s), { typed: text });
      return;
    }
    if (!text.trim() || HOLDS_TOKEN.test(text) || TOKEN_TYPING.test(text)) return;
    let readOnly = false;
    if (picked === undefined && input.value === text) {
      // Enter typed before the results of the last key came: act on what they will be.
      if (await settle()) {
        picked = pick();
        readOnly = found.some((f) => f.readAt);
      }
    }
    const same = input.value === text;
    if (picked === undefined) {
      // The box changed before the results came: the first found for the text, as the box
      // would have shown them.
      let list;
      try {
        list = await api.arrivalFind(text.trim(), d, LIMIT);
      } catch (err) {
        ctx.fail(err);
        return;
      }
      readOnly = list.some((f) => f.readAt);
      picked = list.length ? list[0].attendee.id : WALK_IN;
    }
    if (picked === WALK_IN) {
      if (readOnly) return;
      // No name has digits: a badge code read in part (a letter lost) is not a walk-in.
      if (/\d/.test(text)) {
        if (same) clearSearch();
        say({ tone: 'danger', result: 'notAName', message: `“${text.trim()}” is not a name (it has digits) and not a whole badge code — scan the badge again, or type the name` });
        return;
      }
      if (!same) {
        // Other names or badges came before its turn: opening Register now would take the
        // desk away from them (and their outcomes) to a form typed into by whatever comes next.
        keepMissed(`Walk-in “${text.trim()}” not opened: other names or badges came before its turn — type the name again to register them`);
        return;
      }
      clearOutcome();
      ctx.openWalkIn(text.trim());
      clearSearch();
      return;
    }
    await actOn(() => api.arrive(picked, d, s), text);
  }

  /**
   * `act` for an action asked on the box's text `typed`: when the box no longer holds it (the
   * operator typed on, a scan emptied it, while the action waited its turn), what is in it
   * stays.
   */
  function actOn(job, typed) {
    if (input.value === typed) return act(job, { typed });
    clearOutcome();
    return act(job, { typed, clearFirst: false, clearAfter: false });
  }

  /**
   * Runs an arrival action: the box is emptied as it starts (a scan that follows starts
   * clean), its outcome replaces the last, no person's card stays. A refusal says why in the
   * outcome; a failure of the storage puts back what was typed, for the retry.
   */
  async function act(job, { typed = '', clearFirst = true, clearAfter = !clearFirst } = {}) {
    ctx.clearMessage();
    if (clearFirst) {
      clearSearch();
      clearOutcome();
    }
    // What the box held as the action began: emptied after it only if nothing was typed
    // meanwhile (a scanner firing while an undo is written must not lose its first letters).
    const before = input.value;
    let out;
    try {
      out = await whileBusy(job);
    } catch (err) {
      refused(err, typed);
      return undefined;
    }
    // A scan taken at its Enter emptied the box then (`clearAfter` false): what is in it now
    // was typed since, for the next person, and stays.
    if (clearAfter && input.value === before) clearSearch();
    showOutcome(out);
    input.focus();
    printAtArrival(out);
    await Promise.all([loadRecent(), ctx.changed()]);
    return out;
  }

  /**
   * The option "print the badge at check-in when none has been printed" (this computer): a new
   * check-in of a registered person with no badge sends their badge to the stock's printer.
   * The desk goes on meanwhile; the outcome line gains the print's result only while it still
   * shows that person, else the message area names them.
   */
  function printAtArrival(out) {
    const c = out.card;
    const a = c.attendee;
    if (!['checkedIn', 'registeredAndCheckedIn'].includes(out.result) || a.status !== 'registered' || c.badge) return;
    if (!printAtCheckIn() || !printerFor(currentPreset())) return;
    const mine = saidSeq;
    outcomeText.textContent = `${out.message} — printing the badge…`;
    printCheckedBadge(a, null, { ask: false }).then((p) => {
      const told = p ? badgeOutcome(a, p) : { tone: 'info', message: `Badge of ${a.displayName} not printed` };
      // A job sent stays in the print log (to send again from there): Print badge would be refused.
      return { ...told, sent: Boolean(p?.job) };
    }, (err) => ({ tone: 'danger', message: `Badge of ${a.displayName} not printed: ${err?.message ?? err}` })).then((told) => {
      if (mine === saidSeq) {
        outcomeText.textContent = `${out.message} — ${told.message}`;
        if (told.tone === 'danger') outcome.className = 'arrival-outcome danger';
        // Printed: nothing left to print. Not printed: Print badge stays, to try again.
        if (told.tone !== 'danger' || told.sent) outcomeActions.querySelector('#arrival-outcome-print')?.remove();
        if (told.file && told.tone === 'danger') saved.show('', told.file);
      } else if (told.tone === 'danger') {
        // The outcome is another person's now: kept where it stays until seen.
        keepMissed(told.message);
      } else {
        ctx.info(told.message);
      }
      ctx.changed();
    });
  }

  /** Runs `job` with the view marked busy (class and aria-busy) until it settles. */
  async function whileBusy(job) {
    element.classList.add('busy');
    element.setAttribute('aria-busy', 'true');
    try {
      return await job();
    } finally {
      element.classList.remove('busy');
      element.removeAttribute('aria-busy');
    }
  }

  /** A refused or failed action: said in the outcome area, in red. */
  function refused(err, typed) {
    const e = asAppError(err);
    say({ tone: 'danger', result: e.kind, message: e.message, keepSlot: true });
    if (typed && RETRYABLE.has(e.kind) && !input.value) {
      input.value = typed;
      search();
    }
    input.focus();
  }

  /** Shows one outcome: `tone` ok|warn|danger|info, the message, a file written, actions. */
  function say({ tone, result = '', message, file = null, fileText = '', actions = [], keepSlot = false }) {
    saidSeq += 1;
    outcome.className = `arrival-outcome ${tone}`;
    outcome.querySelector('#arrival-outcome-person')?.remove();
    outcome.dataset.result = result;
    outcome.setAttribute('role', tone === 'danger' ? 'alert' : 'status');
    outcomeText.textContent = message;
    if (file) saved.show(fileText, file);
    else saved.hide();
    setChildren(outcomeActions, actions);
    outcomeActions.hidden = actions.length === 0;
    if (!keepSlot) setChildren(outcomeSlot);
  }

  function clearOutcome() {
    saidSeq += 1;
    outcome.className = 'arrival-outcome empty';
    outcome.querySelector('#arrival-outcome-person')?.remove();
    delete outcome.dataset.result;
    outcomeText.textContent = '';
    saved.hide();
    setChildren(outcomeActions);
    outcomeActions.hidden = true;
    setChildren(outcomeSlot);
  }

  /** The outcome of a check-in, scan or undo, and what can be done next for that person. */
  function showOutcome(out) {
    const c = out.card;
    const id = c.attendee.id;
    const actions = [];
    // Once per outcome: a second press (a double click, a held Enter) while the first is being
    // written would be refused in red after the first succeeded.
    let reinstating = false;
    const reinstateOnce = () => {
      if (reinstating) return;
      reinstating = true;
      withText((typed) => reinstate(id, typed));
    };
    if (out.result === 'noSeat') actions.push(button('arrival-waitlist', 'Add to waitlist', reinstateOnce));
    if (out.result === 'cancelled') actions.push(button('arrival-reinstate', 'Reinstate', reinstateOnce));
    if (out.result === 'refused' && c.vetting && !c.readAt) {
      actions.push(button('arrival-outcome-unvetted', 'Admit once (coordinator)…', () => openUnvetted(c, outcomeSlot)));
    }
    if (c.checkin && !c.readAt && out.result !== 'replacedBadge' && out.result !== 'refused') {
      // The buttons name whom they act on: the card beside the outcome may be someone else's.
      const who = c.attendee.displayName;
      actions.push(button('arrival-outcome-undo', `Undo check-in of ${who}…`, () => openUndo(c, outcomeSlot)));
      if (c.attendee.status === 'registered' && !c.badge) {
        actions.push(button('arrival-outcome-print', `Print badge of ${who}`, () => withText((typed) => printBadge(c.attendee, null, typed))));
      }
    }
    say({ tone: OUTCOME_CLASS[out.result] ?? 'info', result: out.result, message: out.message, actions });
    // At a door the refusal is the reason alone, large: whom it is about goes right above it.
    outcome.classList.toggle('door-refused', out.result === 'refused');
    if (out.result === 'refused') {
      const where = c.door ? ` — ${c.door.title}` : '';
      outcomeText.before(h('p', { id: 'arrival-outcome-person', class: 'outcome-person' }, `${c.attendee.displayName}${where}`));
    }
    if (out.result === 'noSeat') {
      outcomeSlot.append(h('p', { class: 'hint' }, 'Or ask the coordinator: a seat comes from a higher capacity (Event settings) or a promotion from the waitlist.'));
    }
  }

  async function reinstate(id, typed) {
    ctx.clearMessage();
    if (input.value === typed) clearSearch();
    let out;
    try {
      out = await api.reinstateAttendee(id);
    } catch (err) {
      refused(err, '');
      return;
    }
    // Named, and said not to be checked in: "Reinstated — seat 57 of 100" alone named nobody
    // (scans may have come between), and the delegate walked in with no check-in. Checking
    // them in is one button away.
    const a = out.attendee;
    const seated = a.status === 'registered';
    const [d, s] = [day(), sessionId()];
    const actions = seated
      ? [button('arrival-outcome-checkin', `Check in ${a.displayName}`, () => withText((t) => actOn(() => api.arrive(a.id, d, s), t)), 'primary')]
      : [];
    const message = `${a.displayName}: ${out.message}${seated ? ' — not checked in yet' : ''}`;
    say({ tone: seated ? 'ok' : 'warn', result: a.status, message, actions });
    input.focus();
    await ctx.changed();
  }

  function button(id, label, onclick, cls = '') {
    return h('button', { id, type: 'button', class: cls || null, onclick }, label);
  }

  /** A card button: acts only if the card still shows the highlighted person. */
  function cardButton(id, label, job, cls = '') {
    return button(id, label, () => {
      if (!cardIsLive()) return;
      job();
    }, cls);
  }

  function renderCard(c) {
    cardSeq += 1;
    // The same person drawn again (another desk changed something): the reprint reason chosen
    // and the focused control survive, or the next click would ask for the reason again.
    const same = shownCard && shownCard.attendee.id === c.attendee.id && !card.hidden;
    const reasonWas = same ? card.querySelector('#arrival-reprint-reason')?.value : undefined;
    const focusWas = same && card.contains(document.activeElement) ? document.activeElement.id : '';
    const undoWas = same ? card.querySelector('#arrival-card-slot .undo-form') : null;
    shownCard = c;
    const a = c.attendee;
    card.hidden = false;
    const title = h('div', { class: 'card-title' },
      h('p', { id: 'arrival-card-name', class: 'card-name', tabindex: '-1' }, a.displayName),
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
        `✓ Checked in for day ${c.checkin.day} at ${c.checkin.localTime}${zoneSuffix(new Date(c.checkin.at), ctx.event?.timezone)} by ${c.checkin.operator} (${c.checkin.desk})`)
      : (a.status === 'registered' ? h('p', { id: 'arrival-checked', class: 'card-not-checked' }, `Not checked in for day ${c.day ?? day()}`) : null);
    const history = c.history.filter((x) => x.undoneAt || x.day !== c.day);
    const past = history.length
      ? h('ul', { class: 'card-history' }, history.map((x) => h('li', {},
        `Day ${x.day}: ${x.localTime}${zoneSuffix(new Date(x.at), ctx.event?.timezone)}, ${x.operator} (${x.desk})`,
        x.undoneAt ? ` — undone by ${x.undoneBy}: ${x.undoReason}` : '')))
      : null;
    const actions = [];
    // The roster as last read, the server unreachable: shown, marked, and nothing offered.
    const readOnly = c.readAt
      ? h('p', { id: 'arrival-read-only', class: 'read-only', role: 'status' },
        `Read-only: as this desk read it at ${formatClock(c.readAt, ctx.event?.timezone)}. The database server cannot be reached; changes wait until it is back.`)
      : null;
    if (!c.readAt && c.vetting) {
      // Held back by security: nothing that would be refused is offered; the coordinator may
      // admit once with a reason.
      actions.push(cardButton('arrival-unvetted', 'Admit once (coordinator)…', () => openUnvetted(c, card.querySelector('#arrival-card-slot'))));
      if (a.status === 'registered') actions.push(...printControls(c));
      if (c.checkin) actions.push(cardButton('arrival-undo', 'Undo check-in…', () => openUndo(c, card.querySelector('#arrival-card-slot'))));
    } else if (!c.readAt) {
      const [d, s] = [day(), sessionId()];
      const door = c.door;
      if (door && a.status === 'registered' && !door.refusal && !door.checkin) {
        actions.push(cardButton('arrival-checkin', 'Admit', () => withText((typed) => actOn(() => api.arrive(a.id, d, s), typed)), 'primary'));
      }
      if (!door && a.status === 'registered' && !c.checkin) actions.push(cardButton('arrival-checkin', 'Check in', () => withText((typed) => actOn(() => api.arrive(a.id, d, s), typed)), 'primary'));
      // No seat for them now: the waitlist is offered, not a registration the core would refuse.
      if (a.status === 'invited' && c.noSeat) actions.push(cardButton('arrival-card-waitlist', 'Add to waitlist', () => withText((typed) => reinstate(a.id, typed)), 'primary'));
      if (a.status === 'invited' && !c.noSeat && !c.door?.refusal) actions.push(cardButton('arrival-register', 'Register and check in', () => withText((typed) => actOn(() => api.arrive(a.id, d, s), typed)), 'primary'));
      if (a.status === 'registered') actions.push(...printControls(c));
      if (c.checkin) actions.push(cardButton('arrival-undo', 'Undo check-in…', () => openUndo(c, card.querySelector('#arrival-card-slot'))));
    }
    const badge = c.badge ? h('p', { class: 'card-badge' }, `Badge version ${c.badge.version} printed ${formatDateTime(c.badge.at, ctx.event?.timezone)}`) : null;
    const noSeat = c.noSeat && !c.readAt ? h('p', { id: 'arrival-no-seat', class: 'card-no-seat' }, `No seat for them now: ${c.noSeat}.`) : null;
    // Who, whether in, and the buttons first; what needs acting on right under them: on a
    // 1280 × 800 laptop the buttons were below the fold behind a VIP's attention lines.
    setChildren(card, readOnly, title, vettingLine(c), doorLine(c), checkin, noSeat, h('div', { class: 'card-actions' }, actions), h('div', { id: 'arrival-card-slot' }), attention, past, badge);
    const reason = card.querySelector('#arrival-reprint-reason');
    if (reason && reasonWas) reason.value = reasonWas;
    // Kept only for the check-in it was opened on: drawn again for another day (or door), the
    // card shows another check-in, and the form would undo the one no longer shown.
    if (undoWas && c.checkin && undoWas.dataset.checkin === String(c.checkin.id)) card.querySelector('#arrival-card-slot').append(undoWas);
    // The control that had the keyboard may be gone (an Undo after another desk undid the
    // check-in): the keyboard goes to the card's name, where Enter does nothing. On the page,
    // Enter acted on the person again — the opposite of the control pressed.
    if (focusWas) (document.getElementById(focusWas) ?? card.querySelector('#arrival-card-name'))?.focus();
    syncCard();
  }

  /** Held back by security vetting: why, in red, with security's note. */
  function vettingLine(c) {
    if (!c.vetting) return null;
    const note = c.attendee.vetting?.note;
    return h('p', { id: 'arrival-vetting', class: 'card-door refused', role: 'alert' }, note ? `${c.vetting} — ${note}` : c.vetting);
  }

  /** The coordinator's one admission of `c`, held back by vetting, in `slot`. */
  function openUnvetted(c, slot) {
    if (!slot) return;
    const [d, s] = [day(), sessionId()];
    const close = () => {
      form.remove();
      input.focus();
    };
    const { form, focus } = unvettedForm(c, {
      admit: (reason) => enqueue(() => act(() => api.admitUnvetted(c.attendee.id, d, s, reason), { clearFirst: false })),
      close,
      scanned: (field) => scannedInto(field, close),
    });
    setChildren(slot, form);
    focus();
  }

  /** At a session's door: refused (why, in red), in since when, or may enter. */
  function doorLine(c) {
    const d = c.door;
    if (!d) return null;
    const where = `“${d.title}” (${d.start}–${d.end}${d.room ? `, ${d.room}` : ''})`;
    if (d.refusal) return h('p', { id: 'arrival-door', class: 'card-door refused', role: 'alert' }, d.refusal);
    if (d.checkin) {
      return h('p', { id: 'arrival-door', class: 'card-door in' },
        `✓ In ${where} since ${d.checkin.localTime} (${d.checkin.operator}, ${d.checkin.desk})`);
    }
    return h('p', { id: 'arrival-door', class: 'card-door may' }, `May enter ${where}`);
  }

  /** Print badge: at once for a first badge; a reprint asks for its reason first. */
  function printControls(c) {
    const a = c.attendee;
    if (!c.badge) return [cardButton('arrival-print', 'Print badge', () => withText((typed) => printBadge(a, null, typed)))];
    const reason = h('select', { id: 'arrival-reprint-reason', 'aria-label': 'Reason for the reprint' },
      h('option', { value: '' }, 'Reprint because…'), REPRINT_REASONS.map(([v, l]) => h('option', { value: v }, l)));
    // A reason chosen answers "Choose why…".
    reason.addEventListener('change', () => {
      if (outcome.dataset.result === 'reason') clearOutcome();
    });
    const print = cardButton('arrival-print', 'Reprint badge', () => {
      if (!reason.value) {
        say({ tone: 'danger', result: 'reason', message: `Choose why the badge of ${a.displayName} is reprinted (lost, damaged, correction, other)` });
        reason.focus();
        return;
      }
      const why = reason.value;
      withText((typed) => printBadge(a, why, typed));
    });
    return [h('span', { class: 'reprint' }, reason, print)];
  }

  async function printBadge(a, reason, typed) {
    ctx.clearMessage();
    if (input.value === typed) clearSearch();
    clearOutcome();
    let out;
    try {
      out = await whileBusy(() => printCheckedBadge(a, reason));
    } catch (err) {
      refused(err, '');
      return;
    }
    if (!out) {
      say({ tone: 'info', result: 'notPrinted', message: `Badge of ${a.displayName} not printed` });
      input.focus();
      return;
    }
    const told = badgeOutcome(a, out);
    say({ tone: told.tone, result: out.printer && !out.job.printed ? 'notPrinted' : 'printed', message: told.message, file: told.file });
    input.focus();
    await ctx.changed();
  }

  /** The undo form in `slot`: the reason takes the focus; Enter undoes, Escape keeps it. */
  function openUndo(c, slot) {
    if (!slot) return;
    const reason = h('input', { id: 'arrival-undo-reason', type: 'text', maxlength: 200, autocomplete: 'off' });
    const keep = button('arrival-undo-keep', 'Keep the check-in', close);
    const undo = button('arrival-undo-confirm', 'Undo check-in', () => {
      const why = reason.value;
      // Asked: the form takes no more keys, and the next ones (a scanner's) go to the box.
      for (const el of [reason, keep, undo]) el.disabled = true;
      input.focus();
      enqueue(async () => {
        const out = await act(() => api.undoCheckIn(c.attendee.id, c.checkin.day, why, c.checkin.id), { clearFirst: false });
        if (!out && slot.isConnected && slot.contains(form)) {
          for (const el of [reason, keep, undo]) el.disabled = false;
          // Refused: the reason again, unless the operator has moved on to someone else.
          if (!input.value) reason.focus();
        }
      });
    }, 'danger');
    const form = h('div', { class: 'undo-form', role: 'group', 'aria-label': 'Undo the check-in', 'data-checkin': String(c.checkin?.id ?? '') },
      h('label', { for: 'arrival-undo-reason' }, `Why is the check-in of ${c.attendee.displayName} undone?`),
      reason, h('div', { class: 'undo-actions' }, keep, undo));
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
      if (e.key === 'Enter' && e.target === reason) {
        e.preventDefault();
        if (!scannedInto(reason, close)) undo.click();
      }
    });
    setChildren(slot, form);
    reason.focus();
    function close() {
      form.remove();
      input.focus();
    }
  }

  /**
   * A badge scanned into a reason field (the scanner types wherever the focus is): the next
   * person has come. Their code is scanned from the box, and the form is put away with
   * nothing undone or admitted. Whether `field` ended with a code.
   */
  function scannedInto(field, close) {
    const token = field.value.match(TOKEN_AT_END)?.[1];
    if (!token) return false;
    close();
    input.value = token;
    clearOutcome();
    pressEnter();
    return true;
  }

  /** The newest check-ins of the day, shown while nothing is typed. */
  let recentSeq = 0;
  async function loadRecent() {
    // The day asked for is the day named: a reply overtaken by a newer one (the day changed
    // meanwhile) is not drawn under the newer day's heading.
    const mine = ++recentSeq;
    const asked = day();
    const list = await api.recentArrivals(asked, 10);
    if (mine !== recentSeq) return;
    const zone = zoneSuffix(new Date(), ctx.event?.timezone);
    setChildren(recent, h('h3', {}, `Latest arrivals — day ${asked}${zone ? ` (times${zone})` : ''}`),
      list.length === 0 ? h('p', { class: 'hint' }, 'Nobody checked in yet.')
        : h('ol', { class: 'recent-list' }, list.map((r) => h('li', {},
          h('span', { class: 'recent-time' }, r.checkin.localTime),
          h('strong', {}, r.displayName),
          h('span', { class: 'recent-detail' }, [r.delegation, r.checkin.desk].filter(Boolean).join(' · '))))));
  }

  async function loadDays() {
    // The programme that cannot be read (said in the message area) leaves the days and doors
    // offered as last read: one failed read must not turn a door into a day's check-in, where
    // the press is admitted.
    const [info, read] = await Promise.all([api.arrivalDay(), api.sessions(null).catch((err) => {
      ctx.fail(err);
      return null;
    })]);
    if (read) programme = read;
    const all = programme;
    const before = today;
    today = info.today;
    const was = daySelect.value;
    const wasDoor = session();
    // A desk on today's day moves on with the date (past midnight, or the event's dates
    // changed): check-ins never go on to yesterday's day unless the operator chose it. Past
    // the event's last day it stays on the day it was on (the note says today is none), not
    // back to day 1.
    const follow = before !== today && was === String(before) && today !== null;
    // Today's sessions at their doors; every day's when today is not a day of the event.
    const doors = all.filter((x) => today === null || x.day === today);
    sessionsById = new Map(doors.map((x) => [x.id, x]));
    const days = ctx.event.days.map((d) => h('option', { value: String(d.day) }, dayLabel(d)));
    const groups = [...new Set(doors.map((x) => x.day))].map((n) => h('optgroup', { label: `Sessions of day ${n}` },
      doors.filter((x) => x.day === n).map((x) => h('option', { value: `s${x.id}` }, `${x.start}–${x.end} ${x.title}`))));
    setChildren(daySelect, h('optgroup', { label: 'Days' }, days), groups);
    const keep = !follow && [...daySelect.options].some((o) => o.value === was);
    daySelect.value = keep ? was : String(Math.min(today || 1, ctx.event.days.length || 1));
    if (wasDoor && daySelect.value !== was) {
      // Said where it stays, and in red once: the scans that follow are the day's, not the door's.
      const why = all.some((x) => x.id === wasDoor.id) ? 'is not today’s any more' : 'was removed at another desk';
      doorGone = `The session “${wasDoor.title}” ${why}: check-ins now go to day ${day()}, not to its door.`;
      ctx.fail({ kind: 'conflict', message: doorGone });
      // As when the operator chooses another: the last outcome was the door's.
      clearOutcome();
    }
    showDayNote(info);
    // Another day (past midnight, or the one chosen is gone): the results and the card of the
    // text in the box are read again for it, so that no button acts on the day before.
    if (daySelect.value !== was && query()) search(true);
    await loadRecent();
  }

  function showDayNote(info) {
    if (info) dayNote.dataset.date = info.date;
    const date = dayNote.dataset.date ?? '';
    const s = session();
    const door = s ? ` At the door of “${s.title}”: admitted or refused, counting as day ${s.day}'s check-in.` : '';
    dayNote.textContent = (today === null
      ? `Today (${formatDate(date)}) is not a day of the event: check-ins go to the day chosen here.`
      : (day() === today ? `Today is day ${today}.` : `Not today (day ${today}): check-ins go to day ${day()}.`)) + door;
    if (doorGone) dayNote.textContent = `${doorGone} ${dayNote.textContent}`;
    dayNote.className = `hint ${doorGone || today === null || day() !== today ? 'warn' : ''}`;
  }

  // The date moves on with no change to the database (midnight at the venue): read it again
  // now and then while the view is shown, and the days with it when it has moved.
  setInterval(async () => {
    if (element.hidden || !element.isConnected || dayNote.dataset.date === undefined) return;
    try {
      const info = await api.arrivalDay();
      if (info.date !== dayNote.dataset.date) await loadDays();
    } catch {
      // Said by the poll, which reads the same database.
    }
  }, DATE_CHECK_MS);

  return {
    element,
    /** Called when the view is shown: the days, then the focus in the search box. `again`:
     * the view was already shown (Alt+1 at Arrival): the last outcome, its Undo with it, stays. */
    async show(again = false) {
      if (!again) clearOutcome();
      input.focus();
      await loadDays();
      input.focus();
    },
    /** Called when the database changed elsewhere: results and card follow. */
    async refresh() {
      await loadDays();
      if (query()) await search(true);
    },
    /** The day chosen for check-ins, or null before the days are loaded (the core then uses today). */
    day: () => (daySelect.value ? day() : null),
    /** The session whose door the desk is at, or null (a day's check-in). */
    session: () => (daySelect.value ? sessionId() : null),
  };
}
