// The detail panel of the Attendees view: edit form, status, cancel and promote, badges printed,
// history.

import {
  attendeeHistory, badgeHistory, cancelAttendee, editAttendee, getAttendee, promoteAttendees, reinstateAttendee,
} from '../api.js';
import { FIELD_LABELS, createAttendeeFields } from '../attendee-form.js';
import { confirmDialog } from '../dialog.js';
import { h, isShown, setChildren } from '../dom.js';
import { keptAfterConflict, submitOnEnter } from '../fields.js';
import { formatDateTime, naming, statusLabel } from '../format.js';
import { createVettingSection } from './vetting-panel.js';

const ACTIONS = {
  register: 'Registered', cancel: 'Cancelled', promote: 'Promoted to registered', reinstate: 'Reinstated',
};
const REASONS = { first: 'first print', lost: 'lost', damaged: 'damaged', correction: 'correction', other: 'other' };

/**
 * Builds the detail panel `#attendee-detail`; returns {element, currentId(), open(id), refresh()}.
 * `onChanged` reloads the list after a change made here; `onClosed(id)` runs after closing.
 */
export function createAttendeeDetail(ctx, { onChanged, onClosed }) {
  const fields = createAttendeeFields({
    prefix: 'edit', categories: ctx.categories, days: ctx.event.days,
    placeholder: false, newDaysChecked: false, compact: true,
  });
  const heading = h('h2', { id: 'edit-heading', tabindex: '-1' });
  const idLabel = h('span', { class: 'detail-id' });
  const status = h('span', { id: 'edit-status', class: 'status' });
  const registeredAt = h('span', { id: 'edit-registered-at' });
  const stale = h('p', { class: 'note', role: 'status', hidden: true },
    'This person was changed at another desk. Your edits are kept; “Save changes” saves only the fields you changed, and says so if one of them was changed there too.');
  const save = h('button', { id: 'edit-save', type: 'submit', class: 'primary' }, 'Save changes');
  const promote = h('button', { id: 'edit-promote', type: 'button', hidden: true }, 'Promote to registered');
  const reinstate = h('button', { id: 'edit-reinstate', type: 'button', hidden: true }, 'Reinstate');
  const cancel = h('button', { id: 'edit-cancel-registration', type: 'button', class: 'danger' }, 'Cancel registration…');
  const close = h('button', { id: 'edit-close', type: 'button' }, 'Close');
  const form = h('form', { id: 'edit-form', novalidate: true, 'aria-labelledby': 'edit-heading' },
    fields.element, stale, h('div', { class: 'form-actions' }, save, promote, reinstate, cancel, close));
  const badges = h('div', { id: 'edit-badges', class: 'badge-prints' });
  const printBadge = h('button', { id: 'edit-print-badge', type: 'button', hidden: true }, 'Badge…');
  const history = h('ol', { id: 'edit-history', class: 'history' });
  const vetting = createVettingSection(ctx, { onSaved: (id) => afterChange(id) });
  const element = h('aside', { id: 'attendee-detail', class: 'detail', hidden: true, 'aria-labelledby': 'edit-heading' },
    h('div', { class: 'detail-head' },
      h('div', { class: 'detail-title' }, heading, idLabel),
      h('p', { class: 'detail-status' }, status, ' ', registeredAt)),
    form,
    vetting.element,
    h('div', { class: 'section-head' }, h('h3', {}, 'Badges'), printBadge),
    badges,
    h('h3', {}, 'History'),
    history);

  let current = null;
  // The form as filled (an AttendeeInput): what the edits are judged against here (unsaved
  // changes) and at the desk (sent with them, see editAttendee).
  let loaded = null;
  let seq = 0;
  let loading = 0;
  let busy = false;

  submitOnEnter(form, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveChanges();
  });
  cancel.addEventListener('click', cancelRegistration);
  promote.addEventListener('click', () => act((id) => promoteAttendees([id])));
  reinstate.addEventListener('click', () => act(reinstateAttendee));
  close.addEventListener('click', closeDetail);
  // Escape closes the panel (asking first if there are unsaved changes), as Close does.
  element.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented || e.target.closest('dialog')) return;
    e.preventDefault();
    closeDetail();
  });
  printBadge.addEventListener('click', () => {
    if (current) ctx.openBadgesFor(current.id);
  });

  const isDirty = () => current !== null && JSON.stringify(fields.read()) !== JSON.stringify(loaded);

  /**
   * Loads attendee `id`. mode 'fresh' fills the form; 'keep' (changed elsewhere) and 'own'
   * (changed by this panel) keep the operator's unsaved edits; 'keep' then flags them stale.
   * 'saved' (after a save of `sent`) fills it but for the fields typed since `sent`.
   * Returns false when a newer load overtook this one.
   */
  async function load(id, mode, sent) {
    const mine = ++seq;
    loading += 1;
    let attendee;
    let entries;
    let prints;
    try {
      [attendee, entries, prints] = await Promise.all([getAttendee(id), attendeeHistory(id), badgeHistory(id)]);
    } finally {
      loading -= 1;
    }
    if (mine !== seq) return false;
    fields.setDays(ctx.event.days);
    const keep = mode !== 'fresh' && mode !== 'saved' && current?.id === id && isDirty();
    if (mode === 'saved' && current?.id === id) {
      const now = fields.read();
      const typed = keptAfterConflict(null, sent, now);
      fields.fill(attendee);
      loaded = fields.read();
      fields.set(Object.fromEntries(Object.entries(now).filter(([name]) => typed.has(name))));
      stale.hidden = true;
      fields.clearErrors();
    } else if (keep) {
      if (mode === 'keep' && attendee.updatedAt !== current.updatedAt) stale.hidden = false;
    } else {
      fields.fill(attendee);
      loaded = fields.read();
      stale.hidden = true;
      if (mode === 'fresh') fields.clearErrors();
    }
    current = attendee;
    render(attendee, entries, prints);
    return true;
  }

  function render(a, entries, prints) {
    heading.textContent = a.displayName;
    idLabel.textContent = `#${a.id}`;
    status.textContent = statusLabel(a);
    status.className = `status status-${a.status}`;
    registeredAt.textContent = a.registeredAt ? `since ${formatDateTime(a.registeredAt, ctx.event.timezone)}` : '';
    cancel.hidden = a.status === 'cancelled';
    promote.hidden = a.status !== 'waitlisted';
    reinstate.hidden = a.status !== 'cancelled' && a.status !== 'invited';
    reinstate.textContent = a.status === 'invited' ? 'Register (claim a seat)' : 'Reinstate';
    printBadge.hidden = a.status !== 'registered';
    vetting.show(a);
    setChildren(badges, prints.length
      ? h('ol', { class: 'history' }, prints.map((p) => h('li', {},
        h('strong', {}, `Version ${p.version}`), ' — ',
        h('time', { datetime: p.at }, formatDateTime(p.at, ctx.event.timezone)),
        ' — ', REASONS[p.reason] ?? p.reason,
        p.note ? ` — ${p.note}` : '',
        ' — ', p.operator)))
      : h('p', { class: 'hint' }, 'No badge printed yet'));
    setChildren(history, entries.map((entry) => h('li', {},
      h('time', { datetime: entry.at }, formatDateTime(entry.at, ctx.event.timezone)),
      ' — ', describe(entry), ' — ', entry.operator)));
  }

  async function reload(id, mode, sent) {
    try {
      await load(id, mode, sent);
    } catch (err) {
      ctx.fail(err);
    }
  }

  /** After a change to attendee `id`: the panel reads them again if it still shows them. */
  async function afterChange(id) {
    await Promise.all([current?.id === id ? reload(id, 'own') : null, onChanged(), ctx.changed()]);
  }

  async function confirmDiscard() {
    if (!isDirty()) return true;
    return confirmDialog({
      title: 'Discard changes?',
      message: `Your changes to ${current.displayName} are not saved.`,
      okLabel: 'Discard changes',
      cancelLabel: 'Keep editing',
      danger: true,
    });
  }

  async function saveChanges() {
    if (busy || !current) return;
    ctx.clearMessage();
    fields.clearErrors();
    if (!isDirty()) {
      ctx.info(`No change to save for ${current.displayName} (#${current.id})`);
      return;
    }
    if (!fields.requireDay()) return;
    busy = true;
    await inFlight(async () => {
      const sent = fields.read();
      try {
        const saved = await editAttendee(current.id, sent, loaded);
        ctx.info(`Saved changes to ${saved.displayName} (#${saved.id})`);
        // Filled with what is stored, but for what was typed while the save was on its way:
        // that stays as typed, an unsaved change (it used to be replaced without a word).
        await Promise.all([reload(saved.id, 'saved', sent), onChanged(), ctx.changed()]);
      } catch (err) {
        // A field changed here and at another desk: the person is read again; the fields
        // typed here keep what was typed, the others show what is stored, and what is stored
        // becomes what the form was filled with, so that saving again (as the message says)
        // replaces only what was typed.
        if (err?.stale && current) {
          const id = current.id;
          if (await load(id, 'keep').catch(() => false) && current?.id === id) {
            // Read once the person is: what was typed meanwhile is kept too. What the desk
            // took as no change (a space added) shows what is stored.
            const now = fields.read();
            const keep = keptAfterConflict(err, sent, now);
            fields.fill(current);
            loaded = fields.read();
            fields.set(Object.fromEntries(Object.entries(now).filter(([name]) => keep.has(name))));
          }
        }
        ctx.fail(err, fields.showErrors);
      } finally {
        busy = false;
      }
    });
  }

  // The save or action under way: another person is opened only once it has ended and the
  // panel shows its outcome (else its reply would bring back the person it was about, and its
  // edits would be taken for unsaved ones).
  let running = Promise.resolve();
  function inFlight(job) {
    running = job();
    return running;
  }

  async function cancelRegistration() {
    if (busy || !current) return;
    ctx.clearMessage();
    const a = current;
    busy = true;
    let ok = false;
    try {
      ok = await confirmDialog({
        title: 'Cancel registration',
        message: cancelQuestion(a),
        okLabel: 'Cancel registration',
        cancelLabel: 'Keep',
        danger: true,
      });
    } catch (err) {
      ctx.fail(err);
    }
    if (!ok) {
      busy = false;
      return;
    }
    // As a save: another person is opened only once the cancel has ended and the panel shows
    // it. (Opened meanwhile, the cancel's reload brought the person cancelled back over them,
    // and what was typed for them was lost.)
    await inFlight(async () => {
      let changed = false;
      try {
        const outcome = await cancelAttendee(a.id);
        changed = true;
        ctx.info(outcome.message);
        if (outcome.proposal) await offerSeat(outcome.proposal, outcome.message);
      } catch (err) {
        ctx.fail(err);
      } finally {
        busy = false;
        if (changed) {
          await afterChange(a.id);
          if (current?.id === a.id) close.focus();
        }
      }
    });
  }

  async function offerSeat(p, message) {
    const who = `${p.displayName}${p.delegation ? ` (${p.delegation})` : ''}, waitlist position ${p.waitlistPosition}`;
    if (!isShown(element)) {
      // The operator has gone to another view (Arrival, in a rush): a question popping up
      // there, about someone else, could take the next scan's Enter. Said instead.
      ctx.info(`${message} The freed seat can go to ${who}: promote them from Attendees.`);
      return;
    }
    const ok = await confirmDialog({
      title: 'Seat freed',
      message: `Promote ${who}, to the freed seat?`,
      okLabel: 'Promote',
      cancelLabel: 'Not now',
    });
    if (!ok) return;
    const outcome = await promoteAttendees([p.id]);
    ctx.info(outcome.message);
  }

  /** Runs a status action (promote, reinstate) on the attendee shown and reports its outcome. */
  async function act(action) {
    if (busy || !current) return;
    ctx.clearMessage();
    const { id } = current;
    busy = true;
    await inFlight(async () => {
      try {
        const outcome = await action(id);
        // Named: the message stays on screen while the next person is opened.
        ctx.info(naming(outcome.attendee?.displayName, outcome.message));
        await afterChange(id);
        close.focus();
      } catch (err) {
        ctx.fail(err);
      } finally {
        busy = false;
      }
    });
  }

  async function closeDetail() {
    try {
      if (!(await confirmDiscard())) return;
    } catch (err) {
      ctx.fail(err);
      return;
    }
    const id = current?.id ?? null;
    current = null;
    loaded = null;
    seq += 1;
    element.hidden = true;
    onClosed(id);
  }

  return {
    element,
    /** The id of the attendee shown, or null. */
    currentId: () => current?.id ?? null,

    /** Shows attendee `id` (asking first if unsaved edits of another would be lost); true if shown. */
    async open(id) {
      await running;
      try {
        if (current && current.id !== id && !(await confirmDiscard())) return false;
        if (!(await load(id, current?.id === id ? 'keep' : 'fresh'))) return false;
      } catch (err) {
        ctx.fail(err);
        return false;
      }
      element.hidden = false;
      fields.focusFirst();
      return true;
    },

    /** Reloads the attendee shown after a change elsewhere, keeping unsaved edits. */
    async refresh() {
      if (current && loading === 0) await reload(current.id, 'keep');
    },
  };
}

function cancelQuestion(a) {
  if (a.status === 'registered') return `Cancel the registration of ${a.displayName}? Their seat will be freed.`;
  if (a.status === 'waitlisted') return `Cancel the registration of ${a.displayName}? They will leave the waitlist.`;
  return `Cancel the invitation of ${a.displayName}?`;
}

/** A value as compared between two records: absent, null and false are all "not set". */
function unset(v) {
  return v === undefined || v === false ? null : v;
}

function describe({ action, before, after }) {
  if (action === 'register') return after?.status === 'waitlisted' ? 'Added to the waitlist' : 'Registered';
  if (action === 'import') {
    const how = { registered: 'registered', waitlisted: 'added to the waitlist', invited: 'invited' }[after?.status];
    return how ? `Imported from an invite list: ${how}` : 'Imported from an invite list';
  }
  if (action === 'edit' || action === 'import.update') {
    const by = action === 'edit' ? 'Edited' : 'Updated by an import';
    const changed = Object.keys(FIELD_LABELS)
      // A flag absent from an older record was no.
      .filter((k) => JSON.stringify(unset(before?.[k])) !== JSON.stringify(unset(after?.[k])))
      .map((k) => FIELD_LABELS[k]);
    return changed.length ? `${by}: ${changed.join(', ')}` : `${by} (nothing changed)`;
  }
  if (action === 'vetting') {
    const words = { pending: 'pending', cleared: 'cleared', refused: 'refused' };
    return `Security vetting: ${words[after?.state] ?? after?.state}${after?.note ? ` — ${after.note}` : ''}`;
  }
  if (action === 'vetting.override') return `Admitted once without cleared vetting: ${after?.reason ?? ''}`;
  if (action === 'badge.print') {
    const why = after?.reason && after.reason !== 'first' ? ` (${REASONS[after.reason] ?? after.reason})` : '';
    return `Badge printed: version ${after?.version ?? '?'}${why}`;
  }
  return ACTIONS[action] ?? action;
}
