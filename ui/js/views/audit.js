// Audit trail view: every change, newest first, filtered by person (words of a name),
// operator, action and time; export of everything that matches as CSV. The lines come from
// the core in words (src/audit.rs); this view only shows them, as text.

import * as api from '../api.js';
import { runAction } from '../action.js';
import { h, setChildren } from '../dom.js';
import { createSavedFile } from '../saved.js';
import { zoneSuffix } from '../format.js';

const TYPING_MS = 200;

/** Builds the Audit view; returns {element, show(), refresh()}. */
export function createAuditView(ctx) {
  const who = h('input', { id: 'audit-who', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Words of a name' });
  const operator = h('select', { id: 'audit-operator' });
  const action = h('select', { id: 'audit-action' });
  // Plain text, not datetime-local: WebKit draws an empty datetime-local as a grey date that
  // reads like a value. Empty says "any time"; the core reads the text as a time at the venue.
  const timeInput = (id) => h('input', {
    id, type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', placeholder: 'Any time',
    'aria-describedby': 'audit-time-hint', maxlength: 40,
  });
  const since = timeInput('audit-since');
  const until = timeInput('audit-until');
  const clear = h('button', { id: 'audit-clear', type: 'button' }, 'Clear filters');
  const exportButton = h('button', { id: 'audit-export', type: 'button', class: 'primary' }, 'Export CSV');
  const count = h('p', { id: 'audit-count', class: 'hint', role: 'status' });
  const table = h('table', { id: 'audit-table', class: 'audit-table' });
  // Named when this computer's clock shows another time: "Times are at the venue (GMT-4)."
  const venueNote = h('span', { id: 'audit-venue-note' });
  const noteVenue = () => {
    const zone = zoneSuffix(new Date(), ctx.event?.timezone);
    venueNote.textContent = `Times are at the venue${zone ? ` (${zone.trim()})` : ''}.`;
  };
  const saved = createSavedFile({ id: 'audit-saved', fail: ctx.fail });
  const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const element = h('section', { id: 'view-audit', class: 'view view-audit', hidden: true },
    h('h2', {}, 'Audit trail'),
    h('p', { class: 'hint' }, 'Every change made at any desk or with the command line: registrations, edits, cancellations, promotions, check-ins and undos, badge prints, imports, settings and allocations. ', venueNote),
    h('form', { id: 'audit-filters', class: 'audit-filters', role: 'search', onsubmit: (e) => { e.preventDefault(); reload(); } },
      field('audit-who', 'Person', who),
      field('audit-operator', 'Operator', operator),
      field('audit-action', 'Action', action),
      field('audit-since', 'From', since),
      field('audit-until', 'Until', until),
      h('div', { class: 'audit-buttons' }, clear, exportButton),
      h('p', { id: 'audit-time-hint', class: 'hint audit-time-hint' }, 'From and Until: a date, or a date and time at the venue — 2019-11-14 or 2019-11-14 08:00 — then Enter. Until is where the list stops, not included: all of 14 November is From 2019-11-14 Until 2019-11-15.')),
    count, saved.element, h('div', { class: 'table-wrap' }, table));

  let seq = 0;
  let typing = 0;
  let loaded = false;

  const value = (el) => el.value.trim() || null;
  const filter = () => ({
    who: value(who), operator: value(operator), action: value(action), since: value(since), until: value(until),
  });

  who.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(reload, TYPING_MS);
  });
  who.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && who.value) {
      e.preventDefault();
      who.value = '';
      reload();
    }
  });
  for (const el of [operator, action, since, until]) el.addEventListener('change', reload);
  clear.addEventListener('click', () => {
    who.value = '';
    operator.value = '';
    action.value = '';
    since.value = '';
    until.value = '';
    reload();
    who.focus();
  });
  exportButton.addEventListener('click', async () => {
    ctx.clearMessage();
    saved.hide();
    const out = await runAction(element, () => api.auditExport(filter()), ctx.fail);
    if (out) saved.show(out.message, out.path);
  });

  async function loadChoices() {
    const c = await api.auditChoices();
    const keep = [operator.value, action.value];
    setChildren(operator, h('option', { value: '' }, 'Everyone'), c.operators.map((o) => h('option', { value: o }, o)));
    setChildren(action, h('option', { value: '' }, 'Every action'), c.actions.map((a) => h('option', { value: a.value }, a.label)));
    [operator.value, action.value] = keep;
    if (operator.value !== keep[0]) operator.value = '';
  }

  async function load() {
    const mine = ++seq;
    let page;
    try {
      page = await api.auditPage(filter());
    } catch (err) {
      if (mine !== seq) return;
      // A filter the core refuses (a time it cannot read): say so, show nothing stale.
      count.textContent = '';
      setChildren(table);
      throw err;
    }
    if (mine !== seq) return;
    render(page);
  }

  /** A filter changed: the last complaint about a filter goes, the list follows. */
  function reload() {
    ctx.clearMessage();
    load().catch(ctx.fail);
  }

  function render(page) {
    const n = page.matching;
    count.textContent = n === 0 ? 'No entry matches.'
      : page.lines.length < n ? `Showing the newest ${page.lines.length} of ${n.toLocaleString('en')} entries — the CSV export has them all.`
        : `${n.toLocaleString('en')} entr${n === 1 ? 'y' : 'ies'}, newest first.`;
    setChildren(table,
      h('thead', {}, h('tr', {}, ['Time', 'Operator', 'Action', 'Person', 'What changed'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, page.lines.map((l) => h('tr', { 'data-action': l.action },
        h('td', { class: 'nowrap' }, l.localTime),
        h('td', { class: 'nowrap' }, l.operator, h('span', { class: 'audit-desk' }, ` · ${l.desk}`)),
        h('td', { class: `audit-action audit-${l.action.split('.')[0]} audit-${l.action.replace('.', '-')}` }, l.label),
        h('td', {}, l.attendeeId ? `${l.person} #${l.attendeeId}` : ''),
        h('td', { class: 'audit-summary' }, l.summary)))));
  }

  return {
    element,
    async show() {
      noteVenue();
      await loadChoices();
      await load();
      loaded = true;
      who.focus();
    },
    async refresh() {
      if (!loaded || element.hidden) return;
      noteVenue();
      await loadChoices();
      await load();
    },
  };
}
