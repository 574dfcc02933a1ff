// The seat gauge in the header: "Registered 73 / 100 · 27 seats left · 5 waitlisted" and a bar
// that turns amber at 90 % and red when the event is full.

import { h } from './dom.js';

const NEAR_FULL = 0.9;

/** Builds the gauge; returns {element, update(seatStatus)}. */
export function createGauge() {
  const number = (id) => h('strong', { id, class: 'gauge-number' }, '–');
  const registered = number('gauge-registered');
  const capacity = number('gauge-capacity');
  const left = number('gauge-left');
  const waitlisted = number('gauge-waitlisted');
  const leftWord = h('span', {}, 'seats left');
  const full = h('span', { class: 'gauge-full', hidden: true });
  const fill = h('div', { class: 'gauge-fill' });
  const element = h('div', { id: 'gauge', class: 'gauge' },
    h('p', { class: 'gauge-text' },
      h('span', { class: 'gauge-main' }, 'Registered ', registered, ' / ', capacity),
      h('span', { class: 'gauge-sub' }, ' · ', left, ' ', leftWord, ' · ', waitlisted, ' waitlisted'),
      full),
    h('div', { class: 'gauge-bar', 'aria-hidden': 'true' }, fill));

  /** Shows a seat_status result. */
  function update(status) {
    registered.textContent = String(status.registered);
    capacity.textContent = String(status.capacity);
    left.textContent = String(status.seatsLeft);
    waitlisted.textContent = String(status.waitlisted);
    leftWord.textContent = status.seatsLeft === 1 ? 'seat left' : 'seats left';
    const ratio = status.capacity > 0 ? Math.min(status.registered / status.capacity, 1) : 1;
    const isFull = status.registered >= status.capacity;
    fill.style.width = `${(ratio * 100).toFixed(1)}%`;
    element.classList.toggle('is-full', isFull);
    element.classList.toggle('is-near', !isFull && ratio >= NEAR_FULL);
    full.hidden = !isFull;
    full.textContent = isFull ? 'FULL' : '';
  }

  return { element, update };
}
