// The printer calibration of the Badges view: the shift saved for the chosen stock, and the
// calibration page to measure it on.

import { calibrationGet, calibrationPage, calibrationSet, openPath } from '../api.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock, submitOnEnter } from '../fields.js';

/**
 * Builds the collapsible `<details id="calibration">`; returns {element, setPreset(preset),
 * refresh()}. `setPreset` shows the shift of another stock ({name, label}).
 */
export function createCalibration(ctx) {
  const errors = new FieldErrors();
  const input = () => h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' });
  const dx = input();
  const dy = input();
  const dxField = fieldBlock({
    id: 'cal-dx', label: 'Shift right, mm', control: dx, hint: h('p', {}, 'Negative shifts to the left.'),
  });
  const dyField = fieldBlock({
    id: 'cal-dy', label: 'Shift down, mm', control: dy, hint: h('p', {}, 'Negative shifts upwards.'),
  });
  errors.add('dxMm', dxField.error, () => [dx]);
  errors.add('dyMm', dyField.error, () => [dy]);

  const stock = h('p', { id: 'cal-stock', class: 'cal-stock' });
  const save = h('button', { id: 'cal-save', type: 'submit', class: 'primary' }, 'Save shift');
  const page = h('button', { id: 'cal-page', type: 'button' }, 'Calibration page (PDF)');
  const open = h('button', { id: 'cal-open', type: 'button' }, 'Open');
  const path = h('span', { id: 'cal-path', class: 'path' });
  const written = h('div', { id: 'cal-written', class: 'written', role: 'status', hidden: true },
    h('p', {}, 'Calibration page written: ', path), open);
  const form = h('form', { id: 'cal-form', novalidate: true, 'aria-label': 'Printer calibration' },
    h('p', { class: 'hint' },
      'Print the calibration page at 100 % (Actual size). Tick 0 of each ruler belongs on the paper’s edge. Enter the correction, the opposite of the error: if the page prints 2 mm too far right, enter −2 for “Shift right”.'),
    stock,
    h('div', { class: 'cal-fields' }, dxField.block, dyField.block),
    h('p', { class: 'hint' }, 'The calibration page is drawn with the saved shift; every later print of this stock applies it.'),
    h('div', { class: 'form-actions' }, save, page),
    written);
  const element = h('details', { id: 'calibration', class: 'panel calibration' },
    h('summary', {}, 'Printer calibration'),
    form);

  let preset = null;
  let loaded = '';
  let seq = 0;
  let busy = false;

  submitOnEnter(form, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveShift();
  });
  page.addEventListener('click', writePage);
  open.addEventListener('click', () => openPath(path.textContent).catch((err) => ctx.fail(err)));

  const typed = () => JSON.stringify([dx.value, dy.value]);

  function fill(offset) {
    dx.value = String(offset.dxMm ?? 0);
    dy.value = String(offset.dyMm ?? 0);
    loaded = typed();
  }

  /** Loads the saved shift of the stock shown; `keepTyped` keeps values the operator changed. */
  async function load({ keepTyped }) {
    if (!preset) return;
    const mine = ++seq;
    try {
      const offset = await calibrationGet(preset.name);
      if (mine !== seq) return;
      if (keepTyped && typed() !== loaded) return;
      fill(offset);
    } catch (err) {
      if (mine === seq) ctx.fail(err);
    }
  }

  /** A press while the shift is being saved or the page written is refused in words, not dropped. */
  function refusedWhileBusy() {
    if (busy) ctx.fail({ kind: 'conflict', message: 'The last calibration action is still under way: press again once it is done' });
    return busy;
  }

  async function saveShift() {
    if (refusedWhileBusy() || !preset) return;
    ctx.clearMessage();
    errors.clear();
    busy = true;
    const { name, label } = preset;
    try {
      const offset = await calibrationSet(name, dx.value, dy.value);
      seq += 1;
      if (preset?.name === name) fill(offset);
      ctx.info(`Printer shift saved for ${label}: ${shiftText(offset)}`);
    } catch (err) {
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      busy = false;
    }
  }

  async function writePage() {
    if (refusedWhileBusy() || !preset) return;
    ctx.clearMessage();
    busy = true;
    const { name, label } = preset;
    try {
      const out = await calibrationPage(name);
      if (preset?.name !== name) {
        // Another stock is shown now: its page is not this one. Said by name, not under it.
        ctx.info(`Calibration page for ${label} written: ${out.path}`);
        return;
      }
      path.textContent = out.path;
      written.hidden = false;
      open.focus();
    } catch (err) {
      ctx.fail(err);
    } finally {
      busy = false;
    }
  }

  return {
    element,

    /** Shows the shift of stock `next` ({name, label}); what was typed for another stock is dropped. */
    setPreset(next) {
      if (preset?.name === next?.name) return Promise.resolve();
      preset = next;
      setChildren(stock, 'Stock: ', h('strong', {}, next?.label ?? ''));
      errors.clear();
      written.hidden = true;
      dx.value = '';
      dy.value = '';
      loaded = typed();
      return load({ keepTyped: false });
    },

    /** Reloads the saved shift unless the operator has typed another. */
    refresh: () => load({ keepTyped: true }),
  };
}

/** "1.5 mm right, 0.5 mm up" for an offset {dxMm, dyMm}. */
function shiftText({ dxMm, dyMm }) {
  const part = (v, plus, minus) => `${Math.abs(v)} mm ${v < 0 ? minus : plus}`;
  return `${part(dxMm, 'right', 'left')}, ${part(dyMm, 'down', 'up')}`;
}
