// A person's security vetting in the Attendees view's detail panel: the state (pending,
// cleared, refused) with security's note and who set it when, and the form that changes it —
// a coordinator action (the PIN is asked by the core's refusal, see api.js).

import { setVetting } from '../api.js';
import { h, setChildren } from '../dom.js';
import { formatDateTime } from '../format.js';

/** The states, in the order the form offers them, with their words. */
export const VETTING_LABELS = { pending: 'Pending', cleared: 'Cleared', refused: 'Refused' };

/**
 * Builds the section; returns {element, show(attendee)}. `onSaved(id)` runs after a change
 * (reload the panel and the list).
 */
export function createVettingSection(ctx, { onSaved }) {
  const state = h('p', { id: 'vetting-state-line', class: 'vetting-line' });
  const select = h('select', { id: 'vetting-state', 'aria-label': 'Security vetting' },
    Object.entries(VETTING_LABELS).map(([v, label]) => h('option', { value: v }, label)));
  const note = h('input', { id: 'vetting-note', type: 'text', maxlength: 300, autocomplete: 'off', 'aria-label': 'Vetting note' });
  const save = h('button', { id: 'vetting-save', type: 'button' }, 'Set vetting');
  const form = h('div', { class: 'vetting-form', role: 'group', 'aria-label': 'Set the security vetting' },
    h('label', { for: 'vetting-state' }, 'State'), select,
    h('label', { for: 'vetting-note' }, 'Note'), note, save);
  const element = h('section', { id: 'edit-vetting', class: 'vetting', 'aria-labelledby': 'edit-vetting-heading' },
    h('h3', { id: 'edit-vetting-heading' }, 'Security vetting'), state, form);
  let current = null;
  let busy = false;
  // What the form was last filled with, for whom: a refresh (another desk's change, the poll)
  // keeps the state and note the operator is choosing and typing.
  let filled = null;
  // What is stored, as shown in the line above the form, and what the form was based on: a
  // save sends `seen`, and is refused as stale when the person or their vetting changed since
  // (security refused them at another desk while a note was being typed here).
  let stored = null;
  let seen = null;

  save.addEventListener('click', submit);
  note.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    }
  });

  async function submit() {
    if (busy || !current) return;
    busy = true;
    ctx.clearMessage();
    try {
      const out = await setVetting(current.id, select.value, note.value, seen);
      ctx.info(out.message);
      filled = null;
      await onSaved(current.id);
    } catch (err) {
      // Changed at another desk: what was typed stays, and what is stored now (in the line
      // above) becomes what the form is based on, so that saving again is a choice made
      // knowing it.
      if (err?.stale) seen = stored;
      ctx.fail(err);
    } finally {
      busy = false;
    }
  }

  function show(a) {
    current = a;
    const v = a.vetting ?? { state: 'pending', note: '' };
    const required = ctx.event?.requireVetting;
    const held = required && v.state !== 'cleared';
    const by = v.by ? ` — set by ${v.by} (${v.desk}) ${formatDateTime(v.at, ctx.event?.timezone)}` : ' — nobody has set it yet';
    setChildren(state,
      h('span', { id: 'vetting-chip', class: `chip vetting-${v.state}` }, VETTING_LABELS[v.state] ?? v.state),
      v.note ? ` ${v.note}` : '',
      h('span', { class: 'muted' }, by),
      h('br'),
      h('span', { class: held ? 'vetting-held' : 'hint' },
        required
          ? (held ? 'Vetting is required: not checked in until cleared.' : 'Vetting is required: cleared to enter.')
          : 'Vetting is not required for this event (Event settings).'));
    stored = { displayName: a.displayName, state: v.state, note: v.note ?? '', at: v.at ?? null };
    const typing = filled?.id === a.id && (select.value !== filled.state || note.value !== filled.note);
    if (typing) return;
    select.value = v.state;
    note.value = v.note ?? '';
    filled = { id: a.id, state: select.value, note: note.value };
    seen = stored;
  }

  return { element, show };
}
