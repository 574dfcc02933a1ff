// Who is at the desk: asked when the window starts (unless the environment names the
// operator), remembered on this computer, shown in the header with a Change button. Every
// change and check-in from this window carries the name and the desk label.

import { operatorGet, operatorSet } from './api.js';
import { h } from './dom.js';
import { FieldErrors, fieldBlock } from './fields.js';

const KEY = 'delegate-desk.operator';

function remembered() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return v && typeof v.name === 'string' && typeof v.desk === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Wires the header's operator slot; returns {start()}: start() resolves once someone is
 * signed in (asking if nobody is remembered), and shows them in the header.
 */
export function initSignIn({ fail, signedIn = () => {} }) {
  const shown = h('span', { id: 'operator-name' });
  const change = h('button', { id: 'operator-change', type: 'button', class: 'link-button' }, 'Change');
  const slot = h('div', { id: 'operator-slot', class: 'operator-slot', hidden: true }, shown, ' ', change);
  document.getElementById('operator-slot').replaceWith(slot);

  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: 80 });
  const desk = h('input', { type: 'text', autocomplete: 'off', maxlength: 40 });
  const errors = new FieldErrors();
  const nameField = fieldBlock({ id: 'signin-name', label: 'Your name', control: name });
  const deskField = fieldBlock({ id: 'signin-desk', label: 'Desk', control: desk });
  errors.add('operator', nameField.error, () => [name]);
  errors.add('desk', deskField.error, () => [desk]);
  const start = h('button', { id: 'signin-start', type: 'submit', class: 'primary' }, 'Start');
  const form = h('form', { method: 'dialog', novalidate: true },
    h('h2', { id: 'signin-title' }, 'Who is at the desk?'),
    h('p', { class: 'hint' }, 'Your name and the desk are written on every registration, check-in and change made from this window. They are remembered on this computer.'),
    nameField.block, deskField.block,
    h('div', { class: 'dialog-actions' }, start));
  const dialog = h('dialog', { id: 'signin-dialog', 'aria-labelledby': 'signin-title' }, form);
  document.body.append(dialog);
  let done = null;

  // Escape does not close it: the desk needs a name first.
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.clear();
    try {
      const who = await operatorSet(name.value, desk.value);
      localStorage.setItem(KEY, JSON.stringify({ name: who.name, desk: who.desk }));
      show(who, false);
      dialog.close();
      signedIn();
      done?.();
      done = null;
    } catch (err) {
      const rest = errors.show(err);
      if (rest.length) fail(err);
    }
  });
  change.addEventListener('click', () => ask());

  function show(who, named) {
    shown.textContent = `${who.name} · ${who.desk}`;
    change.hidden = named;
    slot.hidden = false;
  }

  function ask() {
    const now = remembered();
    name.value = now?.name ?? '';
    desk.value = now?.desk ?? 'Desk 1';
    dialog.showModal();
    name.focus();
    return new Promise((resolve) => { done = resolve; });
  }

  return {
    async start() {
      const info = await operatorGet();
      if (info.named) {
        show(info, true);
        return;
      }
      // Remembered by the app on disk; the window's own copy for a start before it did.
      const saved = info.remembered ?? remembered();
      if (saved) {
        try {
          show(await operatorSet(saved.name, saved.desk), false);
          return;
        } catch {
          // What was remembered is no longer accepted: ask again.
        }
      }
      await ask();
    },
  };
}
