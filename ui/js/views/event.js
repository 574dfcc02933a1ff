// Event settings view: name, venue, dates, time zone, capacity, the theme of each day and
// whether security vetting is required; the programme, and the seat allocations per delegation.

import { eventUpdate, promoteAttendees } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { h, isShown } from '../dom.js';
import { FieldErrors, fieldBlock, keptAfterConflict, submitOnEnter } from '../fields.js';
import { addDays, formatDate, isoDate, plural } from '../format.js';
import { createAllocations } from './allocations.js';
import { createPinSettings } from './pin-settings.js';
import { createProgramme } from './programme.js';

const MAX_DAYS = 31;
const DAY_MS = 86_400_000;

/** The settings fields in form order: wire name, label, layout class, control attributes. */
const FIELDS = [
  { name: 'name', label: 'Event name', className: 'span-12' },
  { name: 'venue', label: 'Venue', className: 'span-8' },
  { name: 'timezone', label: 'Time zone', className: 'span-4', attrs: { list: 'timezone-options' } },
  // Dates are typed as 2019-11-14 and shown back as "14 Nov 2019" beside the field: one
  // date style on every screen (a date input would show this computer's 11/14/2019).
  { name: 'startDate', label: 'First day', className: 'span-4', attrs: { inputmode: 'numeric', placeholder: 'YYYY-MM-DD' } },
  { name: 'endDate', label: 'Last day', className: 'span-4', attrs: { inputmode: 'numeric', placeholder: 'YYYY-MM-DD' } },
  { name: 'capacity', label: 'Capacity (seats)', className: 'span-4', attrs: { inputmode: 'numeric' } },
];

/** Builds the Event settings view; returns {element, show(), refresh()}. */
export function createEventView(ctx) {
  const errors = new FieldErrors();
  const inputs = {};
  const hint = h('p', { id: 'event-capacity-hint' });
  const dateHints = { startDate: h('p', { id: 'event-startDate-hint' }), endDate: h('p', { id: 'event-endDate-hint' }) };
  const blocks = FIELDS.map((f) => {
    const control = h('input', { name: f.name, type: 'text', autocomplete: 'off', spellcheck: 'false', ...f.attrs });
    inputs[f.name] = control;
    // The header owns #event-name, so the name input is #event-name-input.
    const id = f.name === 'name' ? 'event-name-input' : `event-${f.name}`;
    const { block, error } = fieldBlock({
      id, label: f.label, control, errorId: `event-${f.name}-error`,
      hint: f.name === 'capacity' ? hint : dateHints[f.name] ?? null, className: f.className,
    });
    errors.add(f.name, error, () => [control]);
    return block;
  });

  const themes = new Map();
  let shownDays = [];
  const themeList = h('div', { class: 'theme-list' });
  const themesError = h('div', { id: 'event-themes-error', class: 'field-error' });
  errors.add('themes', themesError, () => shownDays.map((d) => themes.get(d).input));

  // Security vetting: while required, a person not cleared is not checked in anywhere.
  const vetting = h('input', { id: 'event-requireVetting', type: 'checkbox' });
  const vettingError = h('div', { id: 'event-requireVetting-error', class: 'field-error' });
  errors.add('requireVetting', vettingError, () => [vetting]);
  const save = h('button', { id: 'event-save', type: 'submit', class: 'primary' }, 'Save settings');
  const form = h('form', { id: 'event-form', class: 'settings-fields', novalidate: true, 'aria-labelledby': 'event-heading' },
    blocks,
    h('div', { class: 'field span-12 check-field' },
      h('label', { for: 'event-requireVetting' }, vetting, ' Security vetting required'),
      h('p', { class: 'hint' }, 'While it is required, a person whose vetting is not cleared is refused at the desk and at every door; the coordinator may admit them once with the PIN and a reason. Each person’s vetting is set in Attendees.'),
      vettingError),
    h('fieldset', { class: 'field span-12', 'aria-describedby': themesError.id },
      h('legend', {}, 'Theme of each day'), themeList, themesError),
    h('div', { class: 'form-actions span-12' }, save));
  const allocations = createAllocations(ctx);
  const pinSettings = createPinSettings(ctx);
  const programme = createProgramme(ctx);
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const element = h('section', { id: 'view-event', class: 'view view-event', hidden: true },
    h('div', { class: 'view-heading' }, h('h2', { id: 'event-heading' }, 'Event settings')),
    form,
    pinSettings.element,
    programme.element,
    allocations.element,
    h('datalist', { id: 'timezone-options' }, zones.map((z) => h('option', { value: z }))));

  // The form as filled with the stored settings: what unsaved edits are judged against here,
  // and sent with every save, so that the desk takes only what was typed differently and a
  // form left open does not put back what another desk changed meanwhile (vetting turned on
  // elsewhere, say).
  let loaded = null;
  let busy = false;
  submitOnEnter(form, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saveSettings();
  });
  for (const name of ['startDate', 'endDate']) {
    inputs[name].addEventListener('change', followDates);
    inputs[name].addEventListener('input', showDateHints);
  }

  /** "14 Nov 2019" under each date typed, or what it needs. */
  function showDateHints() {
    for (const [name, el] of Object.entries(dateHints)) {
      const v = inputs[name].value.trim();
      el.textContent = !v ? 'A date: YYYY-MM-DD' : /^\d{4}-\d{2}-\d{2}$/.test(v) && formatDate(v) !== v ? formatDate(v) : 'Type it as YYYY-MM-DD';
    }
  }

  /** Shows one theme input per day; `values` false keeps what was typed in existing inputs. */
  function showThemes(days, { values }) {
    for (const d of days) {
      if (!themes.has(d.day)) {
        const id = `event-theme-${d.day}`;
        const input = h('input', { id, type: 'text', autocomplete: 'off', 'aria-describedby': themesError.id });
        const label = h('label', { for: id });
        themes.set(d.day, { input, label, row: h('div', { class: 'theme-row' }, label, input) });
      }
      const entry = themes.get(d.day);
      entry.label.textContent = `Day ${d.day} — ${formatDate(d.date)}`;
      if (values) entry.input.value = d.theme ?? '';
    }
    const next = days.map((d) => d.day);
    if (next.join() !== shownDays.join()) {
      shownDays = next;
      themeList.replaceChildren(...shownDays.map((day) => themes.get(day).row));
    }
  }

  /** Re-labels the theme inputs while the operator changes the dates, before saving. */
  function followDates() {
    const start = inputs.startDate.value;
    const span = (isoDate(inputs.endDate.value) - isoDate(start)) / DAY_MS;
    if (!Number.isInteger(span) || span < 0 || span >= MAX_DAYS) return;
    showThemes(Array.from({ length: span + 1 }, (_, i) => ({ day: i + 1, date: addDays(start, i) })), { values: false });
  }

  function read() {
    const input = {};
    for (const f of FIELDS) input[f.name] = inputs[f.name].value;
    input.themes = shownDays.map((day) => ({ day, theme: themes.get(day).input.value }));
    input.requireVetting = vetting.checked ? 'on' : 'off';
    return input;
  }

  function fill(event) {
    for (const f of FIELDS) inputs[f.name].value = String(event[f.name] ?? '');
    vetting.checked = Boolean(event.requireVetting);
    for (const [day, entry] of themes) {
      if (!event.days.some((d) => d.day === day)) entry.input.value = '';
    }
    showThemes(event.days, { values: true });
    showDateHints();
    loaded = read();
  }

  /**
   * After a save (`err` null) or a conflict (`err`), the form filled with `event`, but for the
   * settings the desk took as typed in what was `sent` (a conflict), and those typed since it
   * was sent: they keep what the form shows `now`. A theme typed for a day the event no longer has is not kept in a row that is not
   * shown.
   */
  function rebase(now, sent, err, event) {
    const keep = keptAfterConflict(err, sent, now);
    // A day shown since the save was sent had an empty row then: a row still empty is no edit.
    const sentTheme = (day) => sent.themes.find((t) => t.day === day)?.theme;
    const keptThemes = now.themes.filter((t) => keep.has(`themes.${t.day}`) || t.theme !== (sentTheme(t.day) ?? ''));
    fill(event);
    for (const f of FIELDS) if (keep.has(f.name)) inputs[f.name].value = now[f.name];
    if (keep.has('requireVetting')) vetting.checked = now.requireVetting === 'on';
    if (keep.has('startDate') || keep.has('endDate')) followDates();
    for (const t of keptThemes) if (shownDays.includes(t.day)) themes.get(t.day).input.value = t.theme;
    showDateHints();
  }

  function showCounts() {
    hint.textContent = `${ctx.status.registered} registered, ${ctx.status.waitlisted} waitlisted`;
  }

  async function saveSettings() {
    if (busy) return;
    ctx.clearMessage();
    errors.clear();
    busy = true;
    const sent = read();
    try {
      const outcome = await eventUpdate({ ...sent, loaded });
      ctx.info(outcome.message);
      // Filled with what is stored, but for what was typed while the save was on its way:
      // that stays as typed, an unsaved change (it used to be replaced without a word).
      rebase(read(), sent, null, outcome.event);
      await Promise.all([ctx.changed(), allocations.refresh()]);
      showCounts();
      if (outcome.promotionCandidates.length) await offerPromotions(outcome.promotionCandidates, outcome.message);
    } catch (err) {
      // Changed at another desk too: the settings are read again; the ones typed here keep
      // what was typed, the others show what is stored, and what is stored becomes what the
      // form was filled with, so that the next save (said in the message) replaces only what
      // was typed.
      if (err?.stale) {
        await ctx.changed();
        // Read once the settings are: what was typed meanwhile is kept too.
        rebase(read(), sent, err, ctx.event);
      }
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      busy = false;
    }
  }

  async function offerPromotions(candidates, message) {
    const n = candidates.length;
    if (!isShown(element)) {
      // Answered once the operator has gone to another view: said, not asked over it.
      ctx.info(`${message} The new capacity has room for ${plural(n, 'waitlisted person', 'waitlisted people')}: promote them from Attendees.`);
      return;
    }
    const ok = await confirmDialog({
      title: 'Seats available',
      message: `The new capacity has room for ${plural(n, 'waitlisted person', 'waitlisted people')}. Promote in waitlist order?`,
      items: candidates.map((c, i) => `${i + 1}. ${c.displayName} — ${c.delegation}`),
      okLabel: `Promote ${n}`,
      cancelLabel: 'Not now',
    });
    if (!ok) return;
    const outcome = await promoteAttendees(candidates.map((c) => c.id));
    ctx.info(outcome.message);
    await ctx.changed();
    showCounts();
  }

  /**
   * Shows the stored settings unless the operator has unsaved edits; updates the counts and
   * reads the allocations again.
   */
  function refresh() {
    showCounts();
    if (JSON.stringify(read()) === JSON.stringify(loaded)) fill(ctx.event);
    return Promise.all([allocations.refresh(), pinSettings.refresh(), programme.refresh()]);
  }

  fill(ctx.event);
  showCounts();

  return {
    element,
    refresh,
    /** Called when the view is shown: focus the event name, then refresh. */
    show() {
      inputs.name.focus();
      return refresh();
    },
  };
}
