// The coordinator PIN dialog. api.js calls it when the core refuses a coordinator-only action
// (kind "coordinatorOnly"): it asks for the PIN, and once the desk is open for coordinator
// actions the action is tried once more. With no PIN set it does not open: the refusal says
// the coordinator sets one in Event settings. The header shows "Coordinator actions open"
// with a Lock button while they are.

import { onCoordinatorOnly, pinAcknowledgeReset, pinLock, pinStatus, pinUnlock } from './api.js';
import { formatDateTime } from './format.js';
import { h } from './dom.js';
import { FieldErrors, fieldBlock } from './fields.js';

/**
 * Wires the dialog, the header's lock indicator and the PIN reset notice. `fail(err)` reports
 * what the dialog cannot; `timeZone()` is the venue's, for the time of a reset. Returns a function that reads the PIN status again (after a change
 * made elsewhere: a reset from the CLI shows in every window).
 */
export function initPin({ fail, timeZone = () => undefined }) {
  const why = h('p', { id: 'pin-why', class: 'hint' });
  const pin = h('input', { type: 'password', autocomplete: 'off', maxlength: 64, inputmode: 'numeric' });
  const errors = new FieldErrors();
  const pinField = fieldBlock({ id: 'pin-input', label: 'Coordinator PIN', control: pin });
  errors.add('pin', pinField.error, () => [pin]);
  const title = h('h2', { id: 'pin-title' });
  const note = h('p', { id: 'pin-note', class: 'field-error', role: 'alert' });
  const ok = h('button', { id: 'pin-ok', type: 'submit', class: 'primary' });
  const cancel = h('button', { id: 'pin-cancel', type: 'button' }, 'Cancel');
  const form = h('form', { method: 'dialog', novalidate: true }, title, why, pinField.block, note,
    h('div', { class: 'dialog-actions' }, cancel, ok));
  const dialog = h('dialog', { id: 'pin-dialog', 'aria-labelledby': 'pin-title', 'aria-describedby': 'pin-why' }, form);
  document.body.append(dialog);

  const state = h('span', { id: 'pin-state' }, 'Coordinator actions open');
  const lock = h('button', { id: 'pin-lock', type: 'button', class: 'link-button' }, 'Lock');
  const slot = h('div', { id: 'pin-slot', class: 'operator-slot', hidden: true }, state, ' ', lock);
  document.getElementById('operator-slot')?.after(slot);

  let settle = null;
  let timer = 0;

  function finish(opened) {
    const done = settle;
    settle = null;
    if (dialog.open) dialog.close();
    done?.(opened);
  }

  cancel.addEventListener('click', () => finish(false));
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish(false);
  });
  // One try at a time: a double or held Enter sends the PIN once (a wrong one counted once).
  let trying = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (trying) return;
    trying = true;
    errors.clear();
    note.textContent = '';
    try {
      const status = await pinUnlock(pin.value);
      showState(status);
      finish(true);
    } catch (err) {
      pin.value = '';
      const rest = errors.show(err);
      if (rest.length) note.textContent = err.message;
      pin.focus();
    } finally {
      trying = false;
    }
  });
  const resetBanner = document.getElementById('pin-reset-banner');
  const resetText = document.getElementById('pin-reset-text');
  document.getElementById('pin-reset-ack').addEventListener('click', async () => {
    try {
      showState(await pinAcknowledgeReset());
    } catch (err) {
      if (err.kind !== 'coordinatorOnly') fail(err);
    }
  });
  lock.addEventListener('click', async () => {
    try {
      showState(await pinLock());
    } catch (err) {
      fail(err);
    }
  });

  /** The header follows whether coordinator actions are open; it looks again when they would close. */
  function showState(status) {
    clearTimeout(timer);
    resetBanner.hidden = !status.resetAt;
    if (status.resetAt) {
      resetText.textContent = `The coordinator PIN was reset as forgotten by ${status.resetBy}, ${formatDateTime(status.resetAt, timeZone())}. `
        + 'If the coordinator did not ask for it, tell them now.';
    }
    slot.hidden = !status.unlocked || !status.guarded;
    if (status.unlocked && status.guarded) {
      timer = setTimeout(() => pinStatus().then(showState).catch(() => {}), (status.secondsLeft + 1) * 1000);
    }
  }

  /** Asks for the PIN for the refused action; resolves true once open. */
  async function ask(err) {
    if (settle) return false;
    const status = await pinStatus();
    // No PIN yet: it is set on purpose, in Event settings, not by whoever is at the desk when
    // a coordinator action is first tried. The refusal says where.
    if (!status.set) return false;
    title.textContent = 'Coordinator PIN';
    why.textContent = err.message;
    ok.textContent = 'Unlock and continue';
    pin.value = '';
    errors.clear();
    note.textContent = '';
    dialog.showModal();
    pin.focus();
    return new Promise((resolve) => { settle = resolve; });
  }

  onCoordinatorOnly(ask);
  const refresh = () => pinStatus().then(showState).catch(() => {});
  refresh();
  return refresh;
}
