// Shared pieces of every form: a labelled field with its error slot, inline validation
// errors, and the Enter-key behaviour.

import { h } from './dom.js';

/**
 * A `.field` block: <label for>, the control, then the error slot `errorId`, then an optional
 * hint. Sets the control's id and aria-describedby. Returns {block, error}.
 */
export function fieldBlock({ id, label, control, errorId = `${id}-error`, hint = null, className = '' }) {
  control.id = id;
  const error = h('div', { id: errorId, class: 'field-error' });
  const described = [errorId];
  if (hint) {
    hint.id ||= `${id}-hint`;
    hint.classList.add('field-hint');
    described.push(hint.id);
  }
  control.setAttribute('aria-describedby', described.join(' '));
  const block = h('div', { class: `field ${className}`.trim() }, h('label', { for: id }, label), control, error, hint);
  return { block, error };
}

/** The refused fields of a validation error: `err.fields` when present, else `err.field`. */
function issuesOf(err) {
  if (err.fields?.length) return err.fields;
  if (err.field) return [{ field: err.field, message: err.message }];
  return [];
}

/** Inline validation messages of one form, keyed by wire field name, in form order. */
export class FieldErrors {
  #entries = new Map();

  /** Registers the error slot of `field` and a function returning its controls. */
  add(field, slot, controls) {
    this.#entries.set(field, { slot, controls });
  }

  /** Removes every inline message and aria-invalid. */
  clear() {
    for (const { slot, controls } of this.#entries.values()) {
      slot.textContent = '';
      for (const c of controls()) c.removeAttribute('aria-invalid');
    }
  }

  /**
   * Shows a validation error next to its fields (old messages cleared first), marks them
   * aria-invalid and focuses the first; returns the issues no field of this form can show.
   */
  show(err) {
    this.clear();
    const issues = issuesOf(err);
    const unplaced = issues.length ? [] : [{ field: '', message: err.message }];
    for (const issue of issues) {
      const entry = this.#entries.get(issue.field);
      if (!entry) {
        unplaced.push(issue);
        continue;
      }
      entry.slot.textContent = entry.slot.textContent ? `${entry.slot.textContent} ${issue.message}` : issue.message;
      for (const c of entry.controls()) c.setAttribute('aria-invalid', 'true');
    }
    for (const { slot, controls } of this.#entries.values()) {
      if (slot.textContent) {
        controls()[0]?.focus();
        break;
      }
    }
    return unplaced;
  }
}

/**
 * Enter submits `form` through `submit` from checkboxes, date inputs and selects too (text
 * inputs do it natively); in a textarea Enter is a newline and Ctrl+Enter submits. A held
 * (repeating) Enter submits only once.
 */
export function submitOnEnter(form, submit) {
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing || e.altKey || e.shiftKey) return;
    if (e.repeat) {
      // A held Enter submits once, not once per repeat.
      e.preventDefault();
      return;
    }
    const t = e.target;
    const byCtrl = t instanceof HTMLTextAreaElement && (e.ctrlKey || e.metaKey);
    const byInput = (t instanceof HTMLInputElement && ['checkbox', 'date'].includes(t.type))
      || t instanceof HTMLSelectElement;
    if (byCtrl || byInput) {
      e.preventDefault();
      submit.click();
    }
  });
}

/**
 * After a save refused as changed at another desk too (`err.stale`): the names of the fields
 * to keep as typed when the form is filled again with what is stored — those the desk took as
 * changed in what was `sent` (`err.typed`: a time typed another way or a space added is no
 * change), and those typed since it was sent (`now` differs from `sent`).
 */
export function keptAfterConflict(err, sent, now) {
  const keep = new Set(Array.isArray(err?.typed) ? err.typed : []);
  for (const [name, value] of Object.entries(now)) {
    if (JSON.stringify(value) !== JSON.stringify(sent[name])) keep.add(name);
  }
  return keep;
}
