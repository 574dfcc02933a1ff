// The coordinator's one admission of a person whose security vetting is not cleared: a reason
// in one line (Enter admits, Escape keeps them out); the PIN is asked by the core's refusal
// (api.js), and the admission with its reason goes in the audit.

import { h } from '../dom.js';

/**
 * The form for `c` (an arrival card held back by vetting): `admit(reason)` resolves to the
 * outcome (undefined when refused); `close()` puts it away; `scanned(field)` takes a badge
 * scanned into the reason instead (true when the field ended with one: nobody is admitted).
 */
export function unvettedForm(c, { admit, close, scanned }) {
  const reason = h('input', { id: 'arrival-unvetted-reason', type: 'text', maxlength: 200, autocomplete: 'off' });
  const keep = h('button', { id: 'arrival-unvetted-keep', type: 'button', onclick: close }, 'Keep them out');
  const go = h('button', {
    id: 'arrival-unvetted-confirm',
    type: 'button',
    class: 'danger',
    onclick: async () => {
      // Once: a second Enter while the first is asked (the PIN, the admission) would queue a
      // second admission behind it.
      if (go.disabled) return;
      go.disabled = true;
      let out;
      try {
        out = await admit(reason.value);
      } finally {
        go.disabled = false;
      }
      if (!out && form.isConnected) reason.focus();
    },
  }, 'Admit once');
  const where = c.door ? ` to “${c.door.title}”` : '';
  const form = h('div', { class: 'undo-form', role: 'group', 'aria-label': 'Admit once without cleared vetting' },
    h('label', { for: 'arrival-unvetted-reason' },
      `${c.vetting}. Why is ${c.attendee.displayName} admitted${where} all the same? (coordinator PIN; written in the audit)`),
    reason, h('div', { class: 'undo-actions' }, keep, go));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
    if (e.key === 'Enter' && e.target === reason) {
      e.preventDefault();
      if (!scanned(reason)) go.click();
    }
  });
  return { form, focus: () => reason.focus() };
}
