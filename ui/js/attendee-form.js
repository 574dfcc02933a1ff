// The attendee fields, shared by the register form (prefix "reg") and the edit form ("edit").

import { AppError } from './api.js';
import { h } from './dom.js';
import { FieldErrors, fieldBlock } from './fields.js';
import { dayLabel } from './format.js';

/** The fields in form (and tab) order: wire name, label, and what kind of control. */
const FIELDS = [
  { name: 'rank', label: 'Rank / honorific', className: 'span-2' },
  { name: 'givenName', label: 'Given name', className: 'span-5' },
  { name: 'familyName', label: 'Family name', className: 'span-5' },
  { name: 'badgeName', label: 'Badge name (if different)', className: 'span-4' },
  { name: 'position', label: 'Position', className: 'span-4' },
  { name: 'organization', label: 'Organisation', className: 'span-4' },
  { name: 'delegation', label: 'Delegation', className: 'span-4', list: 'delegation-options' },
  { name: 'category', label: 'Category', className: 'span-4', kind: 'select' },
  { name: 'email', label: 'Email', className: 'span-4', inputmode: 'email' },
  { name: 'phone', label: 'Phone', className: 'span-4', type: 'tel' },
  { name: 'days', label: 'Days attending', className: 'span-8', kind: 'days' },
  { name: 'dietary', label: 'Dietary requirements', className: 'span-4' },
  { name: 'accessibility', label: 'Accessibility needs', className: 'span-4' },
  { name: 'notes', label: 'Notes', className: 'span-4 wide-compact', kind: 'textarea' },
  { name: 'headOfDelegation', label: 'Head of delegation', className: 'span-4', kind: 'check' },
  { name: 'notifyProtocol', label: 'Notify protocol on arrival', className: 'span-4', kind: 'check' },
];

/** Wire field name → label, e.g. to describe what an edit changed. */
export const FIELD_LABELS = Object.fromEntries(FIELDS.map((f) => [f.name, f.label]));

/**
 * Builds the attendee fields with ids `<prefix>-<field>`, `<prefix>-day-N` and error slots
 * `<prefix>-<field>-error`. `placeholder` adds an empty "Choose…" category; `newDaysChecked`
 * is the state of a day checkbox when it first appears (register: checked, edit: not).
 */
export function createAttendeeFields({ prefix, categories, days, placeholder, newDaysChecked, compact = false }) {
  const errors = new FieldErrors();
  const controls = {};
  const dayBoxes = new Map();
  const dayList = h('div', { class: 'day-list' });

  const blocks = FIELDS.map((f) => {
    if (f.kind === 'days') return daysBlock(f);
    if (f.kind === 'check') return checkBlock(f);
    const control = makeControl(f);
    controls[f.name] = control;
    const { block, error } = fieldBlock({ id: `${prefix}-${f.name}`, label: f.label, control, className: f.className });
    errors.add(f.name, error, () => [control]);
    return block;
  });

  function makeControl(f) {
    if (f.kind === 'select') {
      return h('select', { name: f.name },
        placeholder ? h('option', { value: '' }, 'Choose…') : null,
        categories.map((c) => h('option', { value: c.value }, c.label)));
    }
    if (f.kind === 'textarea') return h('textarea', { name: f.name, rows: 2, spellcheck: 'true' });
    return h('input', {
      name: f.name, type: f.type ?? 'text', inputmode: f.inputmode, list: f.list,
      autocomplete: 'off', spellcheck: 'false',
    });
  }

  /** A yes/no flag: a checkbox with its label beside it. */
  function checkBlock(f) {
    const id = `${prefix}-${f.name}`;
    const box = h('input', { type: 'checkbox', id, name: f.name });
    controls[f.name] = box;
    const error = h('div', { id: `${id}-error`, class: 'field-error' });
    errors.add(f.name, error, () => [box]);
    return h('div', { class: `field check-field ${f.className}` }, h('label', { for: id }, box, ` ${f.label}`), error);
  }

  function daysBlock(f) {
    const error = h('div', { id: `${prefix}-days-error`, class: 'field-error' });
    errors.add('days', error, () => [...dayBoxes.values()].map((d) => d.box));
    return h('fieldset', { class: `field field-days ${f.className}`, 'aria-describedby': error.id },
      h('legend', {}, f.label), dayList, error);
  }

  /** Shows the event's days as checkboxes, keeping the state of days that already exist. */
  function setDays(eventDays) {
    const sameDays = eventDays.length === dayBoxes.size && eventDays.every((d) => dayBoxes.has(d.day));
    if (!sameDays) {
      const kept = new Map();
      for (const d of eventDays) {
        kept.set(d.day, dayBoxes.get(d.day) ?? makeDay(d.day));
      }
      dayBoxes.clear();
      for (const [day, entry] of kept) dayBoxes.set(day, entry);
      dayList.replaceChildren(...[...dayBoxes.values()].map((d) => d.wrapper));
    }
    for (const d of eventDays) dayBoxes.get(d.day).label.textContent = dayLabel(d);
  }

  function makeDay(day) {
    const id = `${prefix}-day-${day}`;
    const box = h('input', { type: 'checkbox', id, name: 'days', value: String(day), checked: newDaysChecked });
    const label = h('label', { for: id });
    return { box, label, wrapper: h('div', { class: 'day-option' }, box, label) };
  }

  setDays(days);

  return {
    element: h('div', { class: compact ? 'attendee-fields compact' : 'attendee-fields' }, blocks),
    setDays,

    /** The form as an AttendeeInput: every field a string, days joined with commas. */
    read() {
      const input = {};
      for (const f of FIELDS) {
        if (f.kind === 'days') input[f.name] = [...dayBoxes].filter(([, d]) => d.box.checked).map(([day]) => day).join(',');
        else if (f.kind === 'check') input[f.name] = controls[f.name].checked ? 'yes' : 'no';
        else input[f.name] = controls[f.name].value;
      }
      return input;
    },

    /** Puts an Attendee's values into the fields. */
    fill(attendee) {
      for (const f of FIELDS) {
        if (f.kind === 'days') {
          for (const [day, d] of dayBoxes) d.box.checked = (attendee.days ?? []).includes(day);
        } else if (f.kind === 'check') {
          controls[f.name].checked = attendee[f.name] === true;
        } else {
          controls[f.name].value = attendee[f.name] ?? '';
        }
      }
    },

    /** Puts values in read()'s form into the fields they name, leaving the others alone. */
    set(input) {
      for (const f of FIELDS) {
        if (!(f.name in input)) continue;
        const v = input[f.name];
        if (f.kind === 'days') {
          const chosen = v.split(',').map(Number);
          for (const [day, d] of dayBoxes) d.box.checked = chosen.includes(day);
        } else if (f.kind === 'check') {
          controls[f.name].checked = v === 'yes';
        } else {
          controls[f.name].value = v;
        }
      }
    },

    /** Sets the given and family names, leaving the other fields alone. */
    setName(givenName, familyName) {
      controls.givenName.value = givenName;
      controls.familyName.value = familyName;
    },

    /** Empties every field and checks every day. */
    reset() {
      for (const f of FIELDS) {
        if (f.kind === 'check') controls[f.name].checked = false;
        else if (f.kind !== 'days') controls[f.name].value = '';
      }
      for (const d of dayBoxes.values()) d.box.checked = true;
      errors.clear();
    },

    /** Refuses a form without any day checked (the backend reads no days as every day). */
    requireDay() {
      if ([...dayBoxes.values()].some((d) => d.box.checked)) return true;
      errors.show(new AppError({ kind: 'validation', field: 'days', message: 'Choose at least one day' }));
      return false;
    },

    /** Shows a validation error inline; returns the issues that belong to no field here. */
    showErrors: (err) => errors.show(err),
    clearErrors: () => errors.clear(),
    focusFirst: () => controls.rank.focus(),
    /** The control of a field (to follow what is typed in it). */
    control: (name) => controls[name],
  };
}
