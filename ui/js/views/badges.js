// Badges view: whose badges, on which stock, the pre-flight check, printing to PDF or to the
// stock's printer (chosen per stock on this computer) with progress, the print log, and the
// printer calibration of the stock.

import { AUTO_PRINT_KEY, PRESET_KEY, REPRINT_REASONS, printAtCheckIn, printerFor, rememberSetting, setPrinterFor } from '../values.js';
import { asAppError, badgePreflight, badgePresets, listAttendees, printBadges, printJobCancel, printToPrinter, printers as listPrinters } from '../api.js';
import { createPrintLog } from './print-log.js';
import { createSavedFile } from '../saved.js';
import { confirmDialog, isDialogOpen } from '../dialog.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock } from '../fields.js';
import { plural, printedBut } from '../format.js';
import { createCalibration } from './calibration.js';

const DEBOUNCE_MS = 150;
const MM_PER_PT = 25.4 / 72;
const WHO = [
  { value: 'ids', id: 'badges-who-selected', label: 'Selected attendees' },
  { value: 'allRegistered', id: 'badges-who-all', label: 'All registered' },
  { value: 'notPrinted', id: 'badges-who-not-printed', label: 'All registered, not yet printed' },
];
const REASONS = [['', 'Choose…'], ...REPRINT_REASONS];

/** Builds the Badges view; returns {element, show(), refresh(), preselect(id)}. */
export function createBadgesView(ctx) {
  const errors = new FieldErrors();

  // 1. Who gets a badge.
  const radios = WHO.map((w) => h('input', {
    type: 'radio', id: w.id, name: 'badges-who', value: w.value, checked: w.value === 'ids',
  }));
  const whoNote = h('p', { id: 'badges-who-note', class: 'hint', hidden: true });
  const who = h('fieldset', { id: 'badges-who', class: 'panel badges-who' },
    h('legend', {}, 'Who gets a badge'),
    h('div', { class: 'radio-list' },
      WHO.map((w, i) => h('div', { class: 'radio-option' }, radios[i], h('label', { for: w.id }, w.label)))),
    whoNote);

  const filter = h('input', { id: 'badges-filter', type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const count = h('p', { id: 'badges-selected-count', class: 'count', 'aria-live': 'polite' });
  const offList = h('span', { id: 'badges-selected-hidden', class: 'hint' });
  const selectShown = h('button', { id: 'badges-select-shown', type: 'button' }, 'Select all shown');
  const clearPicks = h('button', { id: 'badges-clear', type: 'button' }, 'Clear');
  const idsError = h('div', { id: 'badges-ids-error', class: 'field-error' });
  errors.add('ids', idsError, () => []);
  const tbody = h('tbody');
  const table = h('table', { id: 'badges-table' },
    h('caption', { class: 'visually-hidden' }, 'Registered attendees (Enter or Space ticks the focused row)'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'pick' }, h('span', { class: 'visually-hidden' }, 'Badge')),
      ['Name', 'Delegation', 'Category'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col', title: 'As the last check found' }, 'Printed'))),
    tbody);
  const empty = h('p', { class: 'empty', hidden: true });
  const picker = h('div', { id: 'badges-picker', class: 'badges-picker' },
    h('div', { class: 'filters', role: 'search' },
      h('div', { class: 'filter' }, h('label', { for: filter.id }, 'Name or email'), filter),
      selectShown, clearPicks,
      h('div', { class: 'picked' }, count, offList)),
    idsError,
    h('div', { class: 'table-wrap' }, table, empty));

  // 2. Stock, 3. check, 4. print.
  const preset = h('select', {});
  const presetInfo = h('p', {});
  const presetField = fieldBlock({ id: 'badges-preset', label: 'Stock', control: preset, hint: presetInfo });
  errors.add('preset', presetField.error, () => [preset]);
  const printer = h('select', {});
  const printerInfo = h('p', { id: 'badges-printer-state' });
  const printerField = fieldBlock({ id: 'badges-printer', label: 'Printer for this stock (this computer)', control: printer, hint: printerInfo });
  const autoPrint = h('input', { id: 'badges-print-at-checkin', type: 'checkbox', checked: printAtCheckIn() });
  const autoPrintLine = h('div', { class: 'check-option' }, autoPrint,
    h('label', { for: autoPrint.id }, 'Print the badge at check-in when none has been printed (this computer, on the printer of the stock last chosen)'));
  const printLog = createPrintLog(ctx);

  const check = h('button', { id: 'badges-check', type: 'button' }, 'Check badges');
  const preflightBody = h('div', { class: 'preflight-body' });
  const reason = h('select', { name: 'reason' }, REASONS.map(([value, label]) => h('option', { value }, label)));
  const note = h('input', { name: 'note', type: 'text', autocomplete: 'off', spellcheck: 'true' });
  const reasonField = fieldBlock({ id: 'badges-reason', label: 'Reason for the reprint', control: reason });
  const noteField = fieldBlock({ id: 'badges-note', label: 'Note (optional)', control: note });
  errors.add('reason', reasonField.error, () => [reason]);
  errors.add('note', noteField.error, () => [note]);
  const reprintFields = h('div', { id: 'badges-reprint-fields', class: 'reprint-fields', hidden: true },
    reasonField.block, noteField.block);
  const preflight = h('section', { id: 'badges-preflight', class: 'preflight', hidden: true, 'aria-label': 'Check' },
    preflightBody, reprintFields);

  const print = h('button', { id: 'badges-print', type: 'button', class: 'primary big', disabled: true }, 'Print to PDF');
  const printHint = h('p', { id: 'badges-print-hint', class: 'hint' });
  const progress = h('progress', { id: 'badges-progress', max: '1', value: 0, hidden: true, 'aria-label': 'Badges drawn' });
  const progressText = h('span', { id: 'badges-progress-text', class: 'progress-text', hidden: true });
  const cancelJob = h('button', { id: 'badges-cancel-job', type: 'button', class: 'danger', hidden: true }, 'Cancel the print');
  const progressLine = h('div', { class: 'progress-line', hidden: true }, progress, progressText, cancelJob);
  const result = createSavedFile({ id: 'badges-result', fail: ctx.fail, openLabel: 'Open PDF' });

  const calibration = createCalibration(ctx);

  const element = h('section', { id: 'view-badges', class: 'view view-badges', hidden: true, 'aria-labelledby': 'badges-heading' },
    h('div', { class: 'badges-main' },
      h('h2', { id: 'badges-heading', class: 'visually-hidden' }, 'Badges'),
      who,
      picker,
      printLog.element),
    h('div', { class: 'badges-side' },
      h('div', { class: 'panel' },
        presetField.block,
        printerField.block,
        autoPrintLine,
        h('div', { class: 'form-actions' }, check),
        preflight,
        h('div', { class: 'form-actions print-actions' }, print, printHint),
        progressLine,
        result.element),
      calibration.element));

  let presets = [];
  let presetsLoad = null;
  let selection = new Set();
  let shown = [];
  let checked = null;
  let checkSeq = 0;
  let listSeq = 0;
  let printing = false;
  let job = null;
  let pendingFocus = null;
  let timer = 0;
  /** Last version printed per attendee (0: never), as the last check or print found. */
  const printedVersion = new Map();

  for (const radio of radios) radio.addEventListener('change', onWho);
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(loadList, DEBOUNCE_MS);
  });
  // Arrow Down from the filter enters the list (at the tick box that holds its Tab stop).
  filter.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' || e.altKey || !tbody.rows.length) return;
    e.preventDefault();
    (tbody.querySelector('input.badge-pick[tabindex="0"]') ?? tbody.querySelector('input.badge-pick'))?.focus();
  });
  // The list is one Tab stop: the tick box last focused keeps tabindex 0, the others -1.
  tbody.addEventListener('focusin', (e) => {
    const box = e.target.closest('tr[data-id]')?.querySelector('input.badge-pick');
    if (!box) return;
    for (const b of tbody.querySelectorAll('input.badge-pick[tabindex="0"]')) if (b !== box) b.tabIndex = -1;
    box.tabIndex = 0;
  });
  selectShown.addEventListener('click', () => {
    for (const a of shown) selection.add(a.id);
    afterPicks();
  });
  clearPicks.addEventListener('click', () => {
    selection.clear();
    afterPicks();
  });
  tbody.addEventListener('change', (e) => {
    if (e.target.matches('input.badge-pick')) setPicked(Number(e.target.value), e.target.checked);
  });
  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row && !e.target.closest('input, label')) toggleRow(row);
  });
  tbody.addEventListener('keydown', onRowKey);
  preset.addEventListener('change', onPreset);
  printer.addEventListener('change', () => {
    setPrinterFor(preset.value, printer.value).catch(notRemembered);
    showPrinter();
    ctx.printerChanged?.();
  });
  autoPrint.addEventListener('change', () => {
    rememberSetting(AUTO_PRINT_KEY, autoPrint.checked ? 'yes' : 'no').catch(notRemembered);
  });
  /** A choice that applies in this window but could not be remembered on this computer: said. */
  function notRemembered(err) {
    const e = asAppError(err);
    ctx.fail({ kind: e.kind, message: `This choice applies in this window, but it could not be remembered on this computer for the next start: ${e.message}` });
  }
  cancelJob.addEventListener('click', async () => {
    const id = Number(cancelJob.dataset.job);
    if (!id) return;
    cancelJob.disabled = true;
    try {
      await printJobCancel(id);
    } catch (err) {
      ctx.fail(err);
    }
  });
  check.addEventListener('click', () => runCheck({ quiet: false }));
  print.addEventListener('click', printJob);
  // A reason chosen answers "Reprint needs a reason".
  reason.addEventListener('change', () => errors.clear());

  const whoValue = () => radios.find((r) => r.checked)?.value ?? 'ids';
  const selectionOf = () => (whoValue() === 'ids' ? { who: 'ids', ids: [...selection] } : { who: whoValue() });
  const choiceKey = () => JSON.stringify({ selection: selectionOf(), preset: preset.value });
  const currentPreset = () => presets.find((p) => p.name === preset.value) ?? null;

  /** The request for the choice on screen; reason and note only when the check found reprints. */
  function request() {
    const reprints = !reprintFields.hidden;
    return {
      selection: selectionOf(),
      preset: preset.value,
      reason: reprints && reason.value ? reason.value : null,
      note: reprints && note.value.trim() ? note.value : null,
    };
  }

  // ---------- Who ----------

  function onWho() {
    showWho();
    invalidate();
  }

  function showWho() {
    const value = whoValue();
    picker.hidden = value !== 'ids';
    whoNote.hidden = value === 'ids';
    const registered = ctx.status?.registered;
    if (value === 'allRegistered') {
      whoNote.textContent = registered === undefined
        ? 'Every registered attendee gets a badge.'
        : `Every registered attendee gets a badge: ${plural(registered, 'badge')}.`;
    } else if (value === 'notPrinted') {
      whoNote.textContent = 'Every registered attendee whose badge was never printed gets one.';
    }
  }

  function currentFilter() {
    const f = { status: 'registered' };
    if (filter.value.trim()) f.name = filter.value;
    return f;
  }

  async function loadList() {
    const mine = ++listSeq;
    try {
      const list = await listAttendees(currentFilter());
      if (mine === listSeq) renderRows(list);
    } catch (err) {
      if (mine === listSeq) ctx.fail(err);
    }
  }

  function renderRows(list) {
    const focused = document.activeElement?.closest?.('#badges-table tbody tr[data-id]');
    const focusId = pendingFocus ?? focused?.dataset.id ?? null;
    const onRow = focused && document.activeElement === focused;
    shown = list;
    setChildren(tbody, list.map((a) => {
      const id = `badge-pick-${a.id}`;
      const picked = selection.has(a.id);
      return h('tr', { 'data-id': a.id, tabindex: '-1', class: picked ? 'selected' : null },
        h('td', { class: 'pick' },
          h('input', {
            type: 'checkbox', id, class: 'badge-pick', value: String(a.id), checked: picked, 'aria-label': a.displayName, tabindex: '-1',
          }),
          h('label', { for: id, class: 'visually-hidden' }, a.displayName)),
        h('td', { class: 'name' }, a.displayName),
        h('td', {}, a.delegation),
        h('td', {}, ctx.categoryLabel(a.category)),
        h('td', { class: 'printed' }, printedText(a.id)));
    }));
    const first = tbody.querySelector('input.badge-pick');
    if (first) first.tabIndex = 0;
    empty.hidden = list.length > 0;
    empty.textContent = filter.value.trim() ? 'No registered attendee matches this name.' : 'Nobody is registered yet.';
    showCount();
    if (focusId !== null) focusRow(focusId, { box: !onRow || pendingFocus !== null });
    pendingFocus = null;
  }

  function printedText(id) {
    if (!printedVersion.has(id)) return '';
    const v = printedVersion.get(id);
    return v > 0 ? `v${v}` : '—';
  }

  function showPrinted() {
    for (const row of tbody.rows) row.cells[4].textContent = printedText(Number(row.dataset.id));
  }

  function focusRow(id, { box }) {
    const row = [...tbody.rows].find((r) => r.dataset.id === String(id));
    if (!row) return;
    (box ? row.querySelector('input.badge-pick') : row).focus();
    row.scrollIntoView?.({ block: 'nearest' });
  }

  function showCount() {
    count.textContent = `${selection.size} selected`;
    const shownIds = new Set(shown.map((a) => a.id));
    const off = [...selection].filter((id) => !shownIds.has(id)).length;
    offList.textContent = off ? `(${off} not shown)` : '';
  }

  function setPicked(id, on) {
    if (on) selection.add(id);
    else selection.delete(id);
    const row = [...tbody.rows].find((r) => r.dataset.id === String(id));
    if (row) {
      row.querySelector('input.badge-pick').checked = on;
      row.classList.toggle('selected', on);
    }
    showCount();
    invalidate();
  }

  /** After changing several picks at once: ticks the rows again, recounts, drops the check. */
  function afterPicks() {
    for (const row of tbody.rows) {
      const on = selection.has(Number(row.dataset.id));
      row.querySelector('input.badge-pick').checked = on;
      row.classList.toggle('selected', on);
    }
    showCount();
    invalidate();
  }

  function toggleRow(row) {
    const box = row.querySelector('input.badge-pick');
    setPicked(Number(box.value), !box.checked);
  }

  function onRowKey(e) {
    const row = e.target.closest('tr[data-id]');
    if (!row || e.altKey || e.ctrlKey || e.metaKey) return;
    const onBox = e.target.matches('input.badge-pick');
    if (e.key === 'Enter' || (e.key === ' ' && !onBox)) {
      e.preventDefault();
      toggleRow(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      if (next) next.querySelector('input.badge-pick')?.focus();
      else if (e.key === 'ArrowUp') filter.focus();
    }
  }

  // ---------- Stock ----------

  function loadPresets() {
    presetsLoad ??= badgePresets().then((list) => {
      presets = list;
      const stored = readStoredPreset();
      setChildren(preset, list.map((p) => h('option', { value: p.name }, p.label)));
      preset.value = list.some((p) => p.name === stored) ? stored : (list[0]?.name ?? '');
      showPreset();
    }).catch((err) => {
      presetsLoad = null;
      throw err;
    });
    return presetsLoad;
  }

  function onPreset() {
    rememberSetting(PRESET_KEY, preset.value).catch(notRemembered);
    showPreset();
    invalidate();
  }

  function showPreset() {
    const p = currentPreset();
    presetInfo.textContent = p ? presetText(p) : '';
    calibration.setPreset(p);
    showPrinter();
  }

  // ---------- Printer ----------

  let knownPrinters = [];
  let printersError = '';

  /** Reads the computer's printers; the choice shown keeps the stock's remembered one. */
  async function loadPrinters() {
    try {
      knownPrinters = await listPrinters();
      printersError = '';
    } catch (err) {
      knownPrinters = [];
      printersError = err?.message ?? String(err);
    }
    printLog.setPrinters(knownPrinters);
    showPrinter();
  }

  function showPrinter() {
    const chosen = printerFor(preset.value);
    const options = [h('option', { value: '' }, 'PDF only — save the file, print it from a viewer')];
    for (const p of knownPrinters) {
      options.push(h('option', { value: p.name }, `${p.name}${p.isDefault ? ' (default)' : ''} — ${p.state}`));
    }
    if (chosen && !knownPrinters.some((p) => p.name === chosen)) {
      options.push(h('option', { value: chosen }, `${chosen} — not found`));
    }
    setChildren(printer, options);
    printer.value = chosen;
    const p = knownPrinters.find((x) => x.name === chosen);
    printerInfo.className = '';
    if (!chosen) {
      printerInfo.textContent = printersError ? `No printer list: ${printersError}` : 'Badges are saved as a PDF in the output folder.';
    } else if (!p) {
      printerInfo.textContent = printersError ? `Printer ${chosen}: ${printersError}` : `Printer ${chosen} is not on this computer (any more).`;
      printerInfo.className = 'field-error';
    } else {
      const words = p.reason ? `${p.state}: ${p.reason}` : p.state;
      printerInfo.textContent = `Printer ${p.name}: ${words}. Badges print here at once; the PDF is kept.`;
      if (p.state === 'stopped') printerInfo.className = 'field-error';
    }
    print.textContent = chosen ? `Print on ${chosen}` : 'Print to PDF';
  }

  // ---------- Check ----------

  /** Drops the check: the choice changed, or the badges were printed. */
  /** The choice changed: the last check, and what it found wrong, no longer apply. */
  function invalidate() {
    checkSeq += 1;
    checked = null;
    errors.clear();
    preflight.hidden = true;
    reprintFields.hidden = true;
    showPrintState();
  }

  function showPrintState() {
    const ready = checked !== null && checked.key === choiceKey();
    print.disabled = printing || !ready;
    check.disabled = printing;
    printHint.textContent = ready || printing ? '' : 'Check the badges first; any change of who or stock needs a new check.';
  }

  /** Runs the pre-flight check of the choice on screen; `quiet` refreshes a check already shown. */
  async function runCheck({ quiet }) {
    if (printing) return;
    if (!quiet) {
      ctx.clearMessage();
      errors.clear();
    }
    const key = choiceKey();
    const req = { ...request(), reason: null, note: null };
    const mine = ++checkSeq;
    try {
      const data = await badgePreflight(req);
      if (mine !== checkSeq) return;
      const same = checked?.key === key && JSON.stringify(checked.data) === JSON.stringify(data);
      checked = { key, data };
      for (const b of data.badges) printedVersion.set(b.attendeeId, b.version - 1);
      showPrinted();
      if (!same) showPreflight(data);
      if (!quiet) preflightBody.querySelector('.preflight-summary')?.focus();
    } catch (err) {
      if (mine !== checkSeq) return;
      checked = null;
      preflight.hidden = true;
      ctx.fail(err, showFieldErrors);
    } finally {
      if (mine === checkSeq) showPrintState();
    }
  }

  function showPreflight(data) {
    const n = data.badges.length;
    const label = data.preset?.label ?? currentPreset()?.label ?? preset.value;
    const summary = n
      ? `${plural(n, 'badge')} on ${plural(data.pages, 'page')} of ${label}`
      : `No badge to print on ${label}`;
    const facts = [
      data.withProblems ? `${data.withProblems} with problems` : 'no problems',
      data.withWarnings ? `${data.withWarnings} to check` : null,
      `${plural(data.reprints, 'reprint')}`,
      data.refused.length ? `${data.refused.length} get no badge` : null,
      data.onTheWay?.length ? `${data.onTheWay.length} on their way to a printer` : null,
    ].filter(Boolean).join(' · ');
    const parts = [
      h('p', { id: 'badges-summary', class: 'preflight-summary', tabindex: '-1' }, summary),
      n ? h('p', { class: 'hint' }, facts) : null,
    ];
    if (data.refused.length) parts.push(refusedBlock(data.refused));
    if (data.onTheWay?.length) {
      // A badge still on its way is sent again or cancelled in the print log, never printed a
      // second time beside it: left out of "not yet printed", refused when chosen by name.
      const leftOut = whoValue() === 'notPrinted';
      parts.push(
        h('h3', {}, 'On their way to a printer'),
        h('ul', { id: 'badges-on-the-way', class: 'preflight-list problems' },
          data.onTheWay.map((w) => h('li', {},
            h('strong', {}, w.displayName), ` (#${w.attendeeId}) — print job ${w.job} on ${w.printer}: ${w.words}`))),
        h('p', { class: 'hint' }, leftOut
          ? 'Not in this batch: send them again or cancel them in the print log below.'
          : 'Printing is refused until their job is sent again or cancelled in the print log below.'));
    }
    if (data.withProblems) {
      parts.push(
        h('h3', {}, 'Problems'),
        h('ul', { id: 'badges-problems', class: 'preflight-list problems' },
          data.badges.flatMap((b) => b.problems.map((problem) => h('li', {},
            h('strong', {}, b.displayName), ` (#${b.attendeeId}): ${problem}`)))),
        h('p', { class: 'hint' }, 'Correct the badge name in Attendees (Alt+3) and check again, or print anyway.'));
    } else if (n) {
      parts.push(h('p', { id: 'badges-no-problems', class: 'preflight-ok' }, 'Every name fits and every character can be printed.'));
    }
    if (data.withWarnings) {
      parts.push(
        h('h3', {}, 'Check before printing'),
        h('ul', { id: 'badges-warnings', class: 'preflight-list problems' },
          data.badges.flatMap((b) => b.warnings.map((warning) => h('li', {},
            h('strong', {}, b.displayName), ` (#${b.attendeeId}): ${warning}`)))));
    }
    if (data.reprints) {
      parts.push(
        h('h3', {}, 'Reprints'),
        h('ul', { id: 'badges-reprints', class: 'preflight-list' },
          data.badges.filter((b) => b.reprint).map((b) => h('li', {},
            h('strong', {}, b.displayName), ` (#${b.attendeeId}) — reprint → version ${b.version}`))),
        h('p', { class: 'hint' }, 'A reprint needs a reason; the new badge supersedes the old one.'));
    }
    setChildren(preflightBody, parts);
    reprintFields.hidden = data.reprints === 0;
    preflight.hidden = false;
  }

  function refusedBlock(refused) {
    const deselect = h('button', { id: 'badges-deselect-refused', type: 'button' },
      refused.length === 1 ? 'Deselect this person' : 'Deselect them');
    deselect.addEventListener('click', () => {
      for (const r of refused) selection.delete(r.attendeeId);
      afterPicks();
      check.focus();
    });
    return h('div', { id: 'badges-refused-block', class: 'refused' },
      h('p', {}, h('strong', {}, refused.length === 1
        ? 'This person is not registered and gets no badge:'
        : 'These people are not registered and get no badge:')),
      h('ul', { id: 'badges-refused', class: 'preflight-list' },
        refused.map((r) => h('li', {}, h('strong', {}, r.displayName), ` (#${r.attendeeId}) — no badge: ${r.status}`))),
      h('p', {}, 'Printing is refused until they are deselected.'),
      whoValue() === 'ids' ? deselect : null);
  }

  /** Puts reason, note, ids and stock errors next to their controls; the rest goes to #message. */
  function showFieldErrors(err) {
    const fields = err.fields?.length ? err.fields.map((f) => f.field) : [err.field];
    if (fields.includes('reason') || fields.includes('note')) {
      reprintFields.hidden = false;
      preflight.hidden = false;
    }
    return errors.show(err);
  }

  // ---------- Print ----------

  async function printJob() {
    if (printing || !checked || checked.key !== choiceKey()) return;
    ctx.clearMessage();
    errors.clear();
    const { key, data } = checked;
    const reasonMissing = data.reprints > 0 && !reason.value;
    const doubtful = data.badges.filter((b) => b.problems.length || b.warnings.length).length;
    if (doubtful > 0 && data.refused.length === 0 && !reasonMissing) {
      let ok;
      try {
        ok = await confirmDialog({
          title: 'Badges with problems',
          message: `${doubtful === 1 ? '1 badge has' : `${doubtful} badges have`} problems. `
            + 'You can go back and correct the record in Attendees. Print anyway?',
          items: data.badges.flatMap((b) => [...b.problems, ...b.warnings].map((p) => `${b.displayName}: ${p}`)),
          okLabel: 'Print anyway',
          cancelLabel: 'Go back',
          danger: true,
        });
      } catch (err) {
        ctx.fail(err);
        return;
      }
      if (!ok || printing || checked?.key !== key) return;
    }
    const req = request();
    const mine = {};
    job = mine;
    printing = true;
    checkSeq += 1;
    element.classList.add('busy');
    result.hide();
    showProgress(0, data.badges.length);
    showPrintState();
    const onPrinter = printer.value;
    try {
      if (onPrinter) {
        const sent = await printToPrinter(req, onPrinter, ({ done, total }) => {
          if (job === mine) showProgress(done, total);
        }, ({ job: id, words }) => {
          if (job !== mine) return;
          progressText.textContent = `Sent to ${onPrinter} — ${words === 'sent' ? 'waiting for the printer' : words}`;
          cancelJob.dataset.job = String(id);
          cancelJob.hidden = false;
          cancelJob.disabled = false;
        });
        if (!sent.printed) {
          // Said in red with the kept PDF's name; the print log below offers Send again.
          ctx.fail({ kind: 'io', message: sent.message });
          invalidate();
          return;
        }
        for (const b of data.badges) printedVersion.set(b.attendeeId, b.version);
        result.show(`${plural(sent.badges, 'badge')} printed on ${onPrinter}`, sent.file);
        // Printed, with something to know: a badge in it was replaced meanwhile by one printed
        // elsewhere, and the card that came out does not scan. Said in red too.
        if (printedBut(sent)) ctx.fail({ kind: 'conflict', message: sent.message });
        reason.value = '';
        note.value = '';
        invalidate();
        showPrinted();
        result.focus();
        return;
      }
      const outcome = await printBadges(req, ({ done, total }) => {
        if (job === mine) showProgress(done, total);
      });
      for (const b of data.badges) printedVersion.set(b.attendeeId, b.version);
      // The path has its own line below: the headline says only what was written. A PDF is
      // saved, not printed: nothing has reached a printer yet.
      result.show(`${plural(outcome.badges, 'badge')} on ${plural(outcome.pages, 'page')} saved as PDF — print it from the file`, outcome.path);
      reason.value = '';
      note.value = '';
      invalidate();
      showPrinted();
      result.focus();
    } catch (err) {
      ctx.fail(err, showFieldErrors);
    } finally {
      job = null;
      printing = false;
      element.classList.remove('busy');
      showProgress(null);
      cancelJob.hidden = true;
      delete cancelJob.dataset.job;
      showPrintState();
      // Print and Check were disabled while printing, and the keyboard fell to the page with
      // them: after a failure it goes back to what can be pressed next (after a print, the
      // result has it already).
      const lost = !document.activeElement || document.activeElement === document.body;
      if (lost && !element.hidden) (print.disabled ? check : print).focus();
      printLog.refresh();
    }
  }

  /** Shows "done of total" on the progress bar; `done` null hides it. */
  function showProgress(done, total = 0) {
    const idle = done === null;
    progressLine.hidden = idle;
    progress.hidden = idle;
    progressText.hidden = idle;
    if (idle) return;
    progress.max = Math.max(total, 1);
    progress.value = Math.min(done, Math.max(total, 1));
    progressText.textContent = `${done} of ${total}`;
  }

  // ---------- The view ----------

  /** Reloads the list and the calibration; a check on screen is run again on the new data. */
  async function refresh() {
    showWho();
    const again = checked !== null && !printing && !isDialogOpen() ? runCheck({ quiet: true }) : null;
    // The print log is drawn with the printers as they are now (a choice of one that is gone
    // must not stay on screen).
    await Promise.all([loadList(), calibration.refresh(), again, loadPrinters().then(() => printLog.refresh())]);
  }

  showWho();
  showCount();
  showPrintState();

  return {
    element,
    refresh,

    /** Called when the view is shown: loads the stocks, focuses the choice, then reloads. */
    async show() {
      if (pendingFocus === null) radios.find((r) => r.checked)?.focus();
      try {
        await loadPresets();
      } catch (err) {
        ctx.fail(err);
      }
      await refresh();
    },

    /** Selects attendee `id` alone ("Selected attendees" mode) for when the view is shown next. */
    preselect(id) {
      radios[0].checked = true;
      filter.value = '';
      selection = new Set([id]);
      pendingFocus = id;
      showWho();
      showCount();
      invalidate();
    },
  };
}

function readStoredPreset() {
  try {
    return localStorage.getItem(PRESET_KEY);
  } catch {
    return null;
  }
}

/** "6 per page, badges of 101.6 × 76.2 mm, cut marks" for a preset. */
function presetText(p) {
  const mm = (pt) => Number((pt * MM_PER_PT).toFixed(1));
  const per = (p.columns ?? 1) * (p.rows ?? 1);
  return [
    per === 1 ? 'One per page' : `${per} per page`,
    `badges of ${mm(p.badgeWidth)} × ${mm(p.badgeHeight)} mm`,
    p.cutMarks ? 'cut marks' : null,
  ].filter(Boolean).join(', ');
}
