// Dashboard view: seats, waitlist, check-ins per day; the same by delegation and category;
// arrivals of a day in 10-minute bars drawn as inline SVG by this module (no chart library,
// nothing fetched). It follows every change (the revision poll calls refresh()).

import * as api from '../api.js';
import { h, setChildren } from '../dom.js';
import { dayLabel, formatDate } from '../format.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (text only through textContent). */
function s(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== null) el.textContent = text;
  return el;
}

/** Builds the Dashboard view; returns {element, show(), refresh()}. */
export function createDashboardView(ctx) {
  const daySelect = h('select', { id: 'dash-day' });
  const figures = h('div', { id: 'dash-figures', class: 'dash-figures' });
  const days = h('table', { id: 'dash-days', class: 'dash-table' });
  const chart = h('figure', { id: 'dash-chart', class: 'dash-chart' });
  const delegations = h('table', { id: 'dash-delegations', class: 'dash-table' });
  const categories = h('table', { id: 'dash-categories', class: 'dash-table' });
  const sessions = h('table', { id: 'dash-sessions', class: 'dash-table' });
  const sessionsNone = h('p', { id: 'dash-sessions-none', class: 'hint' });
  const element = h('section', { id: 'view-dashboard', class: 'view view-dashboard', hidden: true },
    h('div', { class: 'dash-top' },
      h('h2', {}, 'Dashboard'),
      h('label', { for: 'dash-day' }, 'Check-ins of'), daySelect),
    figures,
    h('div', { class: 'dash-grid' },
      h('section', {}, h('h3', {}, 'Check-ins per day'), days),
      h('section', {}, h('h3', {}, 'Arrivals per 10 minutes'), chart)),
    h('section', {}, h('h3', {}, 'Sessions: in the room / expected'), sessions, sessionsNone),
    h('div', { class: 'dash-grid' },
      h('section', {}, h('h3', {}, 'By delegation'), delegations),
      h('section', {}, h('h3', {}, 'By category'), categories)));
  let chosen = null;
  let seq = 0;

  daySelect.addEventListener('change', () => {
    chosen = Number(daySelect.value) || null;
    load().catch(ctx.fail);
  });

  async function load() {
    const mine = ++seq;
    let d;
    try {
      d = await api.dashboard(chosen);
    } catch (e) {
      // A failure of a reading overtaken by a newer one is not about what is on screen.
      if (mine !== seq) return;
      // The day chosen is no longer a day of the event (its dates were changed): the figures
      // go back to today's, instead of the old day's staying beside the refusal at every poll.
      if (chosen !== null && e.field === 'day') {
        chosen = null;
        return load();
      }
      throw e;
    }
    if (mine !== seq) return;
    render(d);
  }

  function figure(id, label, value, note = '') {
    return h('div', { class: 'dash-figure', id },
      h('span', { class: 'dash-value' }, String(value)), h('span', { class: 'dash-label' }, label),
      note ? h('span', { class: 'dash-note' }, note) : null);
  }

  function render(d) {
    setChildren(daySelect, ctx.event.days.map((x) => h('option', { value: String(x.day) }, dayLabel(x))));
    daySelect.value = String(d.day);
    const today = d.days.find((x) => x.day === d.day);
    setChildren(figures,
      figure('dash-registered', 'registered', `${d.status.registered} / ${d.status.capacity}`),
      figure('dash-left', 'seats left', d.status.seatsLeft),
      figure('dash-waitlisted', 'waitlisted', d.status.waitlisted),
      figure('dash-invited', 'invited, no seat yet', d.status.invited),
      figure('dash-checked', `checked in, day ${d.day}`, today ? today.checkedIn : 0,
        today ? `of ${today.expected} expected` : ''));
    setChildren(days,
      h('thead', {}, h('tr', {}, h('th', {}, 'Day'), h('th', {}, 'Date'), h('th', { class: 'num' }, 'Checked in'), h('th', { class: 'num' }, 'Expected'))),
      h('tbody', {}, d.days.map((x) => h('tr', { class: x.day === d.today ? 'today' : '' },
        h('td', {}, `Day ${x.day}${x.day === d.today ? ' (today)' : ''}`), h('td', {}, formatDate(x.date)),
        h('td', { class: 'num' }, String(x.checkedIn)), h('td', { class: 'num' }, String(x.expected))))));
    groupTable(delegations, 'Delegation', d.byDelegation, (n) => n);
    groupTable(categories, 'Category', d.byCategory, ctx.categoryLabel);
    drawChart(d);
    sessions.hidden = d.sessions.length === 0;
    sessionsNone.textContent = d.sessions.length ? '' : `No sessions on day ${d.day}.`;
    setChildren(sessions,
      h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Session'), h('th', {}, 'Room'), h('th', { class: 'num' }, 'In the room'), h('th', { class: 'num' }, 'Expected'))),
      h('tbody', {}, d.sessions.map((x) => h('tr', { 'data-session': String(x.session.id) },
        h('td', { class: 'programme-time' }, `${x.session.start}–${x.session.end}`), h('td', {}, x.session.title), h('td', {}, x.session.room || '—'),
        h('td', { class: 'num' }, String(x.inRoom)), h('td', { class: 'num' }, String(x.expected))))));
  }

  function groupTable(table, heading, rows, label) {
    setChildren(table,
      h('thead', {}, h('tr', {}, h('th', {}, heading), ...['Registered', 'Waitlisted', 'Invited', 'Checked in'].map((t) => h('th', { class: 'num' }, t)))),
      h('tbody', {}, rows.map((g) => h('tr', {},
        h('td', {}, label(g.name)),
        ...[g.registered, g.waitlisted, g.invited, g.checkedIn].map((n) => h('td', { class: 'num' }, String(n)))))));
  }

  function drawChart(d) {
    const bars = d.arrivals;
    // Check-ins for the day made on another date (the evening before): said, not drawn.
    const n = d.arrivalsOnOtherDates ?? 0;
    const elsewhere = n
      ? h('p', { class: 'hint', id: 'dash-other-dates' },
        `${n === 1 ? '1 check-in' : `${n} check-ins`} for day ${d.day} ${n === 1 ? 'was' : 'were'} made on another date, not drawn here.`)
      : null;
    if (!bars.length) {
      setChildren(chart, h('p', { class: 'hint' }, n ? `No check-in for day ${d.day} on its date.` : `Nobody checked in for day ${d.day} yet.`), elsewhere);
      return;
    }
    const width = 640;
    const height = 200;
    const left = 30;
    const bottom = 24;
    const top = 10;
    const max = Math.max(...bars.map((b) => b.count));
    const slot = (width - left) / bars.length;
    const y = (n) => top + (height - top - bottom) * (1 - n / max);
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'bars', id: 'dash-bars',
      'aria-label': `Arrivals per 10 minutes, day ${d.day}: ${bars.map((b) => `${b.start} ${b.count}`).join(', ')}` });
    svg.append(s('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
    svg.append(s('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', class: 'tick' }, String(max)));
    svg.append(s('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end', class: 'tick' }, '0'));
    const every = Math.max(1, Math.ceil(bars.length / 8));
    bars.forEach((b, i) => {
      const x = left + i * slot;
      const rect = s('rect', { x: x + 1, y: y(b.count), width: Math.max(1, slot - 2), height: height - bottom - y(b.count), class: 'bar' });
      rect.append(s('title', {}, `${b.start}: ${b.count}`));
      svg.append(rect);
      if (i % every === 0) svg.append(s('text', { x: x + slot / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' }, b.start));
    });
    setChildren(chart, svg, elsewhere);
  }

  return {
    element,
    show: load,
    refresh: load,
  };
}
