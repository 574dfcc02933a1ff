// The in-page confirm dialog (window.confirm does not work in the webview).

import { h, setChildren } from './dom.js';

let parts = null;
let settle = null;
// When the dialog opened: an Enter this soon after is the tail of the keypress that led here
// (a held or double-tapped key), not a decision about what the dialog asks.
let openedAt = 0;
const SETTLE_MS = 400;

function finish(answer) {
  const done = settle;
  settle = null;
  if (parts.dialog.open) parts.dialog.close();
  done?.(answer);
}

function build() {
  const title = h('h2', { id: 'confirm-title' });
  const message = h('p', { id: 'confirm-message' });
  const items = h('ul', { id: 'confirm-items', hidden: true });
  const ok = h('button', { id: 'confirm-ok', type: 'button', class: 'primary' });
  const no = h('button', { id: 'confirm-no', type: 'button' });
  const dialog = h('dialog', {
    id: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message',
  }, title, message, items, h('div', { class: 'dialog-actions' }, no, ok));
  ok.addEventListener('click', () => finish(true));
  no.addEventListener('click', () => finish(false));
  dialog.addEventListener('keydown', (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && (e.repeat || performance.now() - openedAt < SETTLE_MS)) {
      e.preventDefault();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      finish(false);
    }
  });
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish(false);
  });
  document.body.append(dialog);
  return { dialog, title, message, items, ok, no };
}

/** Whether the confirm dialog is showing. */
export function isDialogOpen() {
  return Boolean(parts?.dialog.open);
}

/**
 * Asks the operator to confirm; resolves true for OK, false for cancel or Escape.
 * Focus goes to OK and returns to where it was when the dialog closes. A repeated Enter, or
 * one in the first moments after opening, is ignored: only a fresh keypress confirms.
 * `danger` (cancel, discard, remove): the OK button is red and the focus starts on the safe
 * choice, so Enter keeps things as they are.
 */
export function confirmDialog({ title, message, items = [], okLabel = 'OK', cancelLabel = 'Cancel', danger = false }) {
  parts ??= build();
  const { dialog } = parts;
  if (dialog.open) finish(false);
  const previous = document.activeElement;
  parts.title.textContent = title;
  parts.message.textContent = message;
  setChildren(parts.items, items.map((item) => h('li', {}, item)));
  parts.items.hidden = items.length === 0;
  parts.ok.textContent = okLabel;
  parts.no.textContent = cancelLabel;
  parts.ok.className = danger ? 'danger' : 'primary';
  parts.dialog.dataset.danger = String(danger);
  return new Promise((resolve) => {
    settle = (answer) => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
      resolve(answer);
    };
    openedAt = performance.now();
    dialog.showModal();
    (danger ? parts.no : parts.ok).focus();
  });
}
