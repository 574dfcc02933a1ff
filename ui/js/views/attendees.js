// Attendees view: filters, the table, and the detail panel of the chosen attendee.

import { listAttendees } from '../api.js';
import { h, setChildren } from '../dom.js';
import { statusLabel } from '../format.js';
import { createAttendeeDetail } from './attendee-detail.js';
import { VETTING_LABELS } from './vetting-panel.js';

const DEBOUNCE_MS = 150;
// Rows drawn at once: 10,000 people stay responsive; "Show more" draws the next ones.
const PAGE_ROWS = 200;
const STATUSES = [
  ['', 'All'], ['invited', 'Invited'], ['registered', 'Registered'], ['waitlisted', 'Waitlisted'], ['cancelled', 'Cancelled'],
];
const COLUMNS = ['#', 'Name', 'Delegation', 'Category', 'Status', 'Days', 'Vetting'];

/** Builds the Attendees view; returns {element, show(), refresh()}. */
export function createAttendeesView(ctx) {
  const name = h('input', { id: 'filter-name', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const status = h('select', { id: 'filter-status' }, STATUSES.map(([value, label]) => h('option', { value }, label)));
  const category = h('select', { id: 'filter-category' },
    h('option', { value: '' }, 'All'),
    ctx.categories.map((c) => h('option', { value: c.value }, c.label)));
  const order = h('select', { id: 'filter-order' },
    h('option', { value: 'name' }, 'Name'),
    h('option', { value: 'precedence' }, 'Precedence'));
  const vetting = h('select', { id: 'filter-vetting' },
    h('option', { value: '' }, 'All'),
    Object.entries(VETTING_LABELS).map(([value, label]) => h('option', { value }, label)));
  const delegation = h('input', {
    id: 'filter-delegation', type: 'text', list: 'delegation-options', autocomplete: 'off', spellcheck: 'false',
  });
  const count = h('p', { id: 'attendee-count', class: 'count', role: 'status' });
  const more = h('button', { id: 'attendee-more', type: 'button', hidden: true });
  const tbody = h('tbody');
  const table = h('table', { id: 'attendee-table' },
    h('caption', { class: 'visually-hidden' }, 'Attendees (Enter opens the focused row)'),
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  const empty = h('p', { class: 'empty', hidden: true }, 'No attendee matches these filters.');
  const detail = createAttendeeDetail(ctx, {
    onChanged: () => loadList(),
    onClosed: (id) => {
      layout.classList.remove('has-detail');
      markSelected();
      focusRow(id);
    },
  });
  const layout = h('div', { class: 'attendees-layout' }, h('div', { class: 'table-wrap' }, table, empty, more), detail.element);
  const filter = (label, control) => h('div', { class: 'filter' }, h('label', { for: control.id }, label), control);
  const element = h('section', { id: 'view-attendees', class: 'view view-attendees', hidden: true },
    h('h2', { class: 'visually-hidden' }, 'Attendees'),
    h('div', { class: 'filters', role: 'search' },
      filter('Name or email', name),
      filter('Status', status),
      filter('Category', category),
      filter('Delegation', delegation),
      filter('Vetting', vetting),
      filter('Order', order),
      count),
    layout);

  let seq = 0;
  let timer = 0;
  let rows = [];
  let drawn = 0;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(loadList, DEBOUNCE_MS);
  };
  name.addEventListener('input', debounced);
  delegation.addEventListener('input', debounced);
  status.addEventListener('change', loadList);
  category.addEventListener('change', loadList);
  vetting.addEventListener('change', loadList);
  order.addEventListener('change', loadList);
  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row) openRow(row);
  });
  tbody.addEventListener('keydown', onRowKey);
  // The table is one Tab stop: the row last focused keeps tabindex 0, the others -1.
  tbody.addEventListener('focusin', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row) rove(row);
  });
  // Arrow Down from a filter box enters the list; in the delegation box it first walks the
  // type-ahead while that offers a longer name than the one typed.
  for (const box of [name, delegation]) {
    box.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' || e.altKey || !tbody.rows.length) return;
      if (box === delegation && box.value && offersMore(box)) return;
      e.preventDefault();
      (tbody.querySelector('tr[tabindex="0"]') ?? tbody.rows[0]).focus();
    });
  }
  more.addEventListener('click', () => {
    const first = drawn;
    drawMore();
    tbody.rows[first]?.focus();
  });

  function currentFilter() {
    const f = {};
    if (name.value.trim()) f.name = name.value;
    if (status.value) f.status = status.value;
    if (category.value) f.category = category.value;
    if (delegation.value.trim()) f.delegationStarts = delegation.value;
    if (vetting.value) f.vetting = vetting.value;
    if (order.value !== 'name') f.order = order.value;
    return f;
  }

  async function loadList() {
    const mine = ++seq;
    try {
      const list = await listAttendees(currentFilter());
      if (mine === seq) renderRows(list);
    } catch (err) {
      if (mine === seq) ctx.fail(err);
    }
  }

  function renderRows(list) {
    const focusedRow = document.activeElement?.closest?.('#attendee-table tbody tr[data-id]');
    const focused = focusedRow?.dataset.id;
    const place = focusedRow ? [...tbody.rows].indexOf(focusedRow) : -1;
    rows = list;
    drawn = 0;
    setChildren(tbody);
    drawMore(focused ? Math.max(list.findIndex((a) => String(a.id) === focused) + 1, place + 1) : 0);
    const s = ctx.status;
    const total = s ? s.registered + s.waitlisted + s.invited + s.cancelled : list.length;
    count.textContent = list.length === total ? `${total} ${total === 1 ? 'person' : 'people'}` : `${list.length} of ${total}`;
    empty.hidden = list.length > 0;
    markSelected();
    if (!tbody.querySelector('tr[tabindex="0"]') && tbody.rows[0]) tbody.rows[0].tabIndex = 0;
    if (!focused) return;
    // The row focused is gone from the list (cancelled under a "Registered" filter, changed at
    // another desk): the keyboard stays in the table, on the row now at its place (the focus
    // used to fall to the page, and the arrow keys went nowhere).
    const row = [...tbody.rows].find((r) => r.dataset.id === focused)
      ?? tbody.rows[Math.min(place, tbody.rows.length - 1)];
    if (row) {
      rove(row);
      row.focus();
    } else {
      name.focus();
    }
  }

  /** Draws the next PAGE_ROWS rows (at least up to row `upTo`, so a focused row stays). */
  function drawMore(upTo = 0) {
    const end = Math.min(rows.length, Math.max(drawn + PAGE_ROWS, upTo));
    tbody.append(...rows.slice(drawn, end).map((a) => h('tr', { 'data-id': a.id, tabindex: '-1' },
      h('td', { class: 'num' }, String(a.id)),
      h('td', { class: 'name' }, a.displayName),
      h('td', {}, a.delegation),
      h('td', {}, ctx.categoryLabel(a.category)),
      h('td', { class: `status status-${a.status}` }, statusLabel(a)),
      h('td', {}, (a.days ?? []).join(', ')),
      h('td', { class: `vetting vetting-${a.vetting?.state ?? 'pending'}` }, VETTING_LABELS[a.vetting?.state ?? 'pending']))));
    drawn = end;
    const left = rows.length - drawn;
    more.hidden = left === 0;
    more.textContent = `Show ${Math.min(left, PAGE_ROWS)} more (${drawn} of ${rows.length} shown)`;
  }

  function rove(row) {
    for (const r of tbody.querySelectorAll('tr[tabindex="0"]')) if (r !== row) r.tabIndex = -1;
    row.tabIndex = 0;
  }

  /** Whether the box's type-ahead offers a longer name starting with what is typed. */
  function offersMore(box) {
    const typed = box.value.toLowerCase();
    return [...(box.list?.options ?? [])].some((o) => {
      const v = o.value.toLowerCase();
      return v.startsWith(typed) && v !== typed;
    });
  }

  function markSelected() {
    const id = String(detail.currentId());
    for (const row of tbody.rows) {
      const selected = row.dataset.id === id;
      row.classList.toggle('selected', selected);
      if (selected) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }

  function focusRow(id) {
    if (id === null || id === undefined) return;
    [...tbody.rows].find((r) => r.dataset.id === String(id))?.focus();
  }

  async function openRow(row) {
    if (await detail.open(Number(row.dataset.id))) {
      layout.classList.add('has-detail');
      markSelected();
    }
  }

  function onRowKey(e) {
    const row = e.target.closest('tr[data-id]');
    if (!row || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openRow(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (e.key === 'ArrowDown' && !row.nextElementSibling && drawn < rows.length) drawMore();
      const next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      if (next) next.focus();
      else if (e.key === 'ArrowUp') name.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      if (e.key === 'End') drawMore(rows.length);
      (e.key === 'Home' ? tbody.rows[0] : tbody.rows[tbody.rows.length - 1])?.focus();
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      const i = row.sectionRowIndex + (e.key === 'PageDown' ? 10 : -10);
      if (i >= tbody.rows.length && drawn < rows.length) drawMore(i + 1);
      tbody.rows[Math.max(0, Math.min(i, tbody.rows.length - 1))]?.focus();
    }
  }

  /** Reloads the list and the open detail, keeping filters and unsaved edits. */
  async function refresh() {
    await Promise.all([loadList(), detail.refresh()]);
  }

  return {
    element,
    refresh,
    /** Called when the view is shown: focus the name filter, then reload. */
    show() {
      name.focus();
      return refresh();
    },
  };
}
