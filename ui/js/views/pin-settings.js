// The coordinator PIN in Event settings: whether one is set (and by whom), and the form that
// sets it on purpose — the first one, or a new one given the current one. A desk with no PIN
// says so here; coordinator actions are refused until the coordinator sets one.

import { pinSet, pinStatus } from '../api.js';
import { h } from '../dom.js';
import { FieldErrors, fieldBlock, submitOnEnter } from '../fields.js';
import { formatDateTime } from '../format.js';

/** Builds the section; returns {element, refresh()}. `ctx` reports and shares the event. */
export function createPinSettings(ctx) {
  const state = h('p', { id: 'pin-settings-state', role: 'status' });
  const current = h('input', { type: 'password', autocomplete: 'off', maxlength: 64, inputmode: 'numeric' });
  const pin = h('input', { type: 'password', autocomplete: 'new-password', maxlength: 64, inputmode: 'numeric' });
  const again = h('input', { type: 'password', autocomplete: 'new-password', maxlength: 64, inputmode: 'numeric' });
  const errors = new FieldErrors();
  const currentField = fieldBlock({ id: 'pin-settings-current', label: 'Current PIN', control: current, className: 'span-4' });
  const pinField = fieldBlock({ id: 'pin-settings-new', label: 'New PIN (at least 6 characters)', control: pin, className: 'span-4' });
  const againField = fieldBlock({ id: 'pin-settings-again', label: 'The new PIN again', control: again, className: 'span-4' });
  errors.add('current', currentField.error, () => [current]);
  errors.add('pin', pinField.error, () => [pin]);
  errors.add('again', againField.error, () => [again]);
  const save = h('button', { id: 'pin-settings-save', type: 'submit', class: 'primary' }, 'Set PIN');
  const form = h('form', { id: 'pin-settings-form', class: 'settings-fields', novalidate: true, 'aria-labelledby': 'pin-settings-heading' },
    currentField.block, pinField.block, againField.block,
    h('div', { class: 'form-actions span-12' }, save));
  const element = h('section', { id: 'pin-settings', class: 'pin-settings', 'aria-labelledby': 'pin-settings-heading' },
    h('h3', { id: 'pin-settings-heading' }, 'Coordinator PIN'),
    state,
    h('p', { class: 'hint' }, 'Asked for capacity, event settings, allocations, imports and undoing a check-in made at another desk — here and in the command-line tool. Only the coordinator should know it.'),
    form);

  let isSet = false;
  submitOnEnter(form, save);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    ctx.clearMessage();
    if (pin.value !== again.value) {
      errors.show({ field: 'again', message: 'The two new PINs differ: type the same PIN twice', fields: [] });
      again.value = '';
      return;
    }
    try {
      const status = await pinSet(pin.value, isSet ? current.value : null);
      ctx.info(isSet ? 'Coordinator PIN changed' : 'Coordinator PIN set: coordinator actions now ask for it');
      for (const c of [current, pin, again]) c.value = '';
      show(status);
      await ctx.pinChanged?.();
    } catch (err) {
      for (const c of [current, pin, again]) c.value = '';
      // A wrong current PIN comes back on the field `current`, a bad new one on `pin`.
      ctx.fail(err, (x) => errors.show(x));
    }
  });

  function show(status) {
    isSet = status.set;
    state.className = status.set ? 'pin-state set' : 'pin-state unset';
    state.textContent = status.set
      ? `A coordinator PIN is set (by ${status.setBy}, ${formatDateTime(status.setAt, ctx.event?.timezone)}).`
      : 'No coordinator PIN is set: coordinator actions are refused at this desk until the coordinator sets one here.';
    currentField.block.hidden = !status.set;
    save.textContent = status.set ? 'Change PIN' : 'Set PIN';
  }

  async function refresh() {
    try {
      show(await pinStatus());
    } catch (err) {
      ctx.fail(err);
    }
  }

  return { element, refresh };
}
