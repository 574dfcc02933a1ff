// The seat gauge in the header: "Registered 73 / 100 · 27 seats left · 5 waitlisted" (or "3 free
// — held for 6 waiting" when the free seats are the waitlist's), a bar
// that turns amber at 90 % and red when the event is full, and under it the seat allocations
// per delegation ("Jamaica 3/4 · CDEMA 2/2 full"), when there are any.

import { h, setChildren } from './dom.js';

const NEAR_FULL = 0.9;
/** How many characters of allocations the line shows before "+N more". */
const ALLOCATIONS_CHARS = 56;

/** Builds the gauge; returns {element, update(seatStatus)}. */
export function createGauge() {
  const number = (id) => h('strong', { id, class: 'gauge-number' }, '–');
  const registered = number('gauge-registered');
  const capacity = number('gauge-capacity');
  const left = number('gauge-left');
  const waitlisted = number('gauge-waitlisted');
  const leftWord = h('span', {}, 'seats left');
  // "3 free — held for 6 waiting": free seats a newcomer does not get.
  const held = h('span', { id: 'gauge-held', class: 'gauge-held', hidden: true });
  const full = h('span', { class: 'gauge-full', hidden: true });
  const fill = h('div', { class: 'gauge-fill' });
  const allocations = h('p', { id: 'gauge-allocations', class: 'gauge-allocations', hidden: true });
  const element = h('div', { id: 'gauge', class: 'gauge' },
    h('p', { class: 'gauge-text' },
      h('span', { class: 'gauge-main' }, 'Registered ', registered, ' / ', capacity),
      h('span', { class: 'gauge-sub' }, ' · ', left, ' ', leftWord, held, ' · ', waitlisted, ' waitlisted'),
      full),
    h('div', { class: 'gauge-bar', 'aria-hidden': 'true' }, fill),
    allocations);
  let allocationsShown = null;

  /** Shows a seat_status result. */
  function update(status) {
    registered.textContent = String(status.registered);
    capacity.textContent = String(status.capacity);
    left.textContent = String(status.seatsLeft);
    waitlisted.textContent = String(status.waitlisted);
    const h4w = status.heldForWaitlist ?? 0;
    leftWord.textContent = h4w > 0 ? 'free' : status.seatsLeft === 1 ? 'seat left' : 'seats left';
    held.hidden = h4w === 0;
    held.textContent = h4w === 0 ? ''
      : h4w >= status.seatsLeft ? ` — held for ${status.waitlisted} waiting`
        : ` — ${h4w} held for ${status.waitlisted} waiting`;
    const ratio = status.capacity > 0 ? Math.min(status.registered / status.capacity, 1) : 1;
    const isFull = status.registered >= status.capacity;
    fill.style.width = `${(ratio * 100).toFixed(1)}%`;
    element.classList.toggle('is-full', isFull);
    element.classList.toggle('is-near', !isFull && ratio >= NEAR_FULL);
    full.hidden = !isFull;
    full.textContent = isFull ? 'FULL' : '';
    showAllocations(Array.isArray(status.allocations) ? status.allocations : []);
  }

  /** "Jamaica 3/4 · CDEMA 2/2 full · +3 more"; the whole list in the tooltip; hidden when none. */
  function showAllocations(list) {
    const key = JSON.stringify(list);
    if (key === allocationsShown) return;
    allocationsShown = key;
    allocations.hidden = list.length === 0;
    const text = (a) => `${a.delegation} ${a.registered}/${a.seats}${a.registered >= a.seats ? ' full' : ''}`;
    const shown = [];
    let length = 0;
    for (const a of list) {
      length += text(a).length + 3;
      if (shown.length > 0 && length > ALLOCATIONS_CHARS) break;
      shown.push(a);
    }
    const more = list.length - shown.length;
    const parts = shown.map((a, i) => {
      const isFull = a.registered >= a.seats;
      return [
        i > 0 ? ' · ' : '',
        h('span', { class: isFull ? 'gauge-allocation is-full' : 'gauge-allocation' },
          `${a.delegation} `,
          h('span', { class: 'gauge-number' }, `${a.registered}/${a.seats}`),
          isFull ? [' ', h('span', { class: 'gauge-allocation-full' }, 'full')] : null),
      ];
    });
    setChildren(allocations, parts, more > 0 ? ` · +${more} more` : '');
    allocations.title = ['Seat allocations (registered/seats):', ...list.map(text)].join('\n');
  }

  return { element, update };
}
