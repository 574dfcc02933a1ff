// Import view: an invite list in from a CSV or TSV file — the file, the options, the preview of
// what the import would do, and the import itself.

import { AppError, importPreview, importRun } from '../api.js';
import { FIELD_LABELS } from '../attendee-form.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock, submitOnEnter } from '../fields.js';
import { plural } from '../format.js';

const MODES = [
  {
    value: 'invite', id: 'import-mode-invite',
    label: 'Add as invited — no seat held; the desk registers them when they arrive',
  },
  { value: 'register', id: 'import-mode-register', label: 'Register in file order — seats, then the waitlist' },
];
const CHECKS = [
  { name: 'updateExisting', id: 'import-update-existing', label: 'Update people already on the list whose row changed' },
  { name: 'unknownAsNotes', id: 'import-unknown-as-notes', label: 'Keep unknown columns in the notes' },
  { name: 'skipInvalid', id: 'import-skip-invalid', label: 'Import the valid rows and leave out the invalid ones' },
];
const SOURCES = {
  header: 'its header',
  manual: 'chosen here',
  remembered: 'chosen for an earlier file with these columns',
  none: 'unknown header',
};
const SEPARATORS = { comma: 'comma-separated', semicolon: 'semicolon-separated', tab: 'tab-separated' };
const HEADER_HINT = 'Columns are matched by their header: given_name, family_name, rank, position, organization, '
  + 'delegation, category, email, phone, days, dietary, accessibility — and the headers of Eventbrite, Cvent, pretix '
  + 'and Indico exports (First Name, Prefix, Ticket Type, Company…). Any column can be read as another field in the preview.';
const UPDATE_LABEL = `“${CHECKS[0].label}”`;
const SKIP_LABEL = `“${CHECKS[2].label}”`;
const NOTES_LABEL = `“${CHECKS[1].label}”`;

/** Builds the Import view; returns {element, show(), refresh()}. */
export function createImportView(ctx) {
  const errors = new FieldErrors();

  // 1. The file.
  const fileInput = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv' });
  const fileName = h('p', { id: 'import-file-name', class: 'file-name', 'aria-live': 'polite' });
  const fileField = fieldBlock({
    id: 'import-file', label: 'Invite list (a CSV or TSV file)', control: fileInput, hint: h('p', {}, HEADER_HINT),
  });
  fileInput.after(fileName);
  errors.add('file', fileField.error, () => [fileInput]);

  // 2. The options.
  const modeRadios = MODES.map((m) => h('input', {
    type: 'radio', id: m.id, name: 'import-mode', value: m.value, checked: m.value === 'invite',
  }));
  const checks = Object.fromEntries(CHECKS.map((c) => [c.name, h('input', { type: 'checkbox', id: c.id, name: c.name })]));
  const defaultCategory = h('select', { id: 'import-default-category' },
    h('option', { value: '' }, 'None — a row without a category is invalid'),
    ctx.categories.map((c) => h('option', { value: c.value }, c.label)));
  const optionsPanel = h('fieldset', { id: 'import-options', class: 'panel import-options' },
    h('legend', {}, 'How to import'),
    h('fieldset', { class: 'field' },
      h('legend', {}, 'The new people'),
      h('div', { class: 'radio-list stacked' },
        MODES.map((m, i) => h('div', { class: 'radio-option' }, modeRadios[i], h('label', { for: m.id }, m.label))))),
    h('div', { class: 'check-list' },
      CHECKS.map((c) => h('div', { class: 'check-option' }, checks[c.name], h('label', { for: c.id }, c.label)))),
    h('div', { class: 'field' },
      h('label', { for: 'import-default-category' }, 'Category of rows without one'),
      defaultCategory));

  const previewButton = h('button', { id: 'import-preview', type: 'button', class: 'big' }, 'Preview');
  const setup = h('form', { id: 'import-form', class: 'import-setup', novalidate: true, 'aria-label': 'File and options' },
    h('div', { class: 'panel' }, fileField.block),
    optionsPanel,
    h('div', { class: 'form-actions' }, previewButton));

  // 3. The preview and the import.
  const summary = h('p', { id: 'import-summary', class: 'preflight-summary', tabindex: '-1' });
  const confirm = h('button', {
    id: 'import-confirm', type: 'button', class: 'primary big', disabled: true, 'aria-describedby': 'import-confirm-hint',
  }, 'Import');
  const confirmHint = h('p', { id: 'import-confirm-hint', class: 'hint' });
  // What the seat rules would decide if the import were confirmed now (registering or updating).
  const forecastLine = h('p', { id: 'import-forecast', class: 'import-forecast', hidden: true });

  const columnsBody = h('tbody');
  const columnsNote = h('p', { id: 'import-columns-note', class: 'hint', hidden: true });
  const columnsBlock = h('div', { class: 'import-block' },
    h('h3', { id: 'import-columns-heading' }, 'How the columns are read'),
    h('div', { class: 'table-wrap import-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'import-columns-heading' },
      h('table', { id: 'import-columns', class: 'plain-table', 'aria-labelledby': 'import-columns-heading' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Column in the file'), h('th', { scope: 'col' }, 'Read as'),
          h('th', { scope: 'col' }, 'Because'))),
        columnsBody)),
    columnsNote);

  const errorsHeading = h('h3', { id: 'import-errors-heading' }, 'Invalid values');
  const errorsBody = h('tbody');
  const errorsWrap = h('div', {
    class: 'table-wrap import-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'import-errors-heading',
  }, h('table', { id: 'import-errors', class: 'plain-table', 'aria-labelledby': 'import-errors-heading' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, 'Line'),
      h('th', { scope: 'col' }, 'Field'),
      h('th', { scope: 'col' }, 'Problem'))),
    errorsBody));
  const noErrors = h('p', { id: 'import-no-errors', class: 'preflight-ok' }, 'Every row is valid.');
  const errorsBlock = h('div', { class: 'import-block' }, errorsHeading, errorsWrap, noErrors);

  const changesHeading = h('h3', { id: 'import-changes-heading' }, 'Changes to people already on the list');
  const changesBody = h('tbody');
  const changesNote = h('p', { id: 'import-changes-note', class: 'hint' });
  const changesBlock = h('div', { class: 'import-block' },
    changesHeading,
    changesNote,
    h('div', { class: 'table-wrap import-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'import-changes-heading' },
      h('table', { id: 'import-changes', class: 'plain-table', 'aria-labelledby': 'import-changes-heading' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, 'Line'),
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Changes'))),
        changesBody)));

  const report = h('div', { id: 'import-report', class: 'import-report' }, columnsBlock, errorsBlock, changesBlock);
  const preview = h('section', {
    id: 'import-preview-result', class: 'panel import-preview', hidden: true, 'aria-labelledby': 'import-summary',
  },
  summary,
  forecastLine,
  h('div', { class: 'form-actions print-actions' }, confirm, confirmHint),
  report);
  const placeholder = h('p', { id: 'import-placeholder', class: 'empty import-placeholder' },
    'Choose a file and press Preview: what the import would do appears here, and nothing is imported until you confirm.');
  const resultMessage = h('p', { class: 'result-message' });
  const result = h('section', {
    id: 'import-result', class: 'result registered', role: 'status', tabindex: '-1', hidden: true,
  }, resultMessage);

  const element = h('section', { id: 'view-import', class: 'view view-import', hidden: true, 'aria-labelledby': 'import-heading' },
    h('h2', { id: 'import-heading', class: 'visually-hidden' }, 'Import an invite list'),
    setup,
    h('div', { class: 'import-outcome' }, result, placeholder, preview));

  /** The file read: {name, size, bytes, seq}; `seq` tells one choice of a file from the next. */
  let chosen = null;
  /** Columns read otherwise than their header says, chosen in the preview: header → field ('' = not used). */
  let mapping = {};
  let fileSeq = 0;
  /** The preview on screen: {key, bytes, options, data}. */
  let previewed = null;
  let previewSeq = 0;
  let previewing = false;
  let importing = false;

  fileInput.addEventListener('change', onFile);
  for (const radio of modeRadios) radio.addEventListener('change', showState);
  for (const box of Object.values(checks)) box.addEventListener('change', showState);
  defaultCategory.addEventListener('change', showState);
  previewButton.addEventListener('click', () => runPreview({ quiet: false }));
  confirm.addEventListener('click', runImport);
  setup.addEventListener('submit', (e) => {
    e.preventDefault();
    previewButton.click();
  });
  submitOnEnter(setup, previewButton);

  const optionsOf = () => ({
    mode: modeRadios.find((r) => r.checked)?.value ?? 'invite',
    updateExisting: checks.updateExisting.checked,
    unknownAsNotes: checks.unknownAsNotes.checked,
    skipInvalid: checks.skipInvalid.checked,
    map: { ...mapping },
    defaultCategory: defaultCategory.value || null,
  });
  const keyOf = () => (chosen ? JSON.stringify([chosen.seq, optionsOf()]) : null);
  const isCurrent = () => previewed !== null && previewed.key === keyOf();

  // ---------- The file ----------

  // The file being read, so that a Preview clicked a moment after choosing it waits for it
  // instead of saying no file was chosen.
  let reading = null;

  function onFile() {
    reading = readChosen();
    return reading;
  }

  async function readChosen() {
    const mine = ++fileSeq;
    errors.clear();
    clearPreview();
    result.hidden = true;
    chosen = null;
    mapping = {};
    const file = fileInput.files?.[0];
    fileName.textContent = file ? `Reading ${file.name}…` : '';
    showState();
    if (!file) return;
    try {
      const bytes = await readBytes(file);
      if (mine !== fileSeq) return;
      chosen = { name: file.name, size: file.size, bytes, seq: mine };
      fileName.textContent = `${file.name} — ${sizeText(file.size)}`;
    } catch (err) {
      if (mine !== fileSeq) return;
      fileName.textContent = '';
      showUnreadable(file, err);
    }
    showState();
  }

  /**
   * Reads the chosen file again, so that a file corrected and saved under the same name is seen
   * (choosing the same file again fires no change). Returns false when it cannot be read.
   */
  async function rereadFile() {
    const file = fileInput.files?.[0];
    if (!file || !chosen) return Boolean(chosen);
    const seq = fileSeq;
    try {
      const bytes = await readBytes(file);
      if (seq === fileSeq && chosen) {
        chosen.bytes = bytes;
        chosen.size = file.size;
        fileName.textContent = `${file.name} — ${sizeText(file.size)}`;
      }
      return true;
    } catch (err) {
      if (seq !== fileSeq) return false;
      chosen = null;
      hidePreview();
      fileName.textContent = '';
      fileInput.value = '';
      showUnreadable(file, err, ' Choose it again.');
      showState();
      return false;
    }
  }

  function showUnreadable(file, err, more = '') {
    const why = err instanceof Error && err.message ? `: ${err.message}` : '';
    errors.show(new AppError({ kind: 'validation', field: 'file', message: `${file.name} cannot be read${why}.${more}` }));
  }

  // ---------- Preview ----------

  /** Previews the file with the options on screen; `quiet` re-runs a preview already shown. */
  async function runPreview({ quiet }) {
    if (importing) return;
    if (!quiet) {
      ctx.clearMessage();
      errors.clear();
      result.hidden = true;
      if (!chosen && reading) await reading;
      if (!chosen) {
        errors.show(new AppError({ kind: 'validation', field: 'file', message: 'Choose the file to import first.' }));
        return;
      }
    }
    const mine = ++previewSeq;
    if (!quiet) {
      previewing = true;
      showState();
    }
    try {
      if (!quiet && !(await rereadFile())) return;
      if (mine !== previewSeq || !chosen) return;
      const key = keyOf();
      const options = optionsOf();
      const { bytes } = chosen;
      const data = await importPreview(bytes, options);
      if (mine !== previewSeq) return;
      const same = previewed !== null && previewed.key === key && JSON.stringify(previewed.data) === JSON.stringify(data);
      previewed = { key, bytes, options, data };
      if (!same) showPreview(data, options);
      if (!quiet) summary.focus();
    } catch (err) {
      if (mine !== previewSeq) return;
      // A column choice refused (two columns read as one field): the last preview stays, shown
      // as out of date, so that its column table is there to choose again in. Hidden, the
      // choice could only be undone by choosing another file.
      if (!(err?.field === 'map' && previewed)) hidePreview();
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      if (mine === previewSeq) {
        previewing = false;
        showState();
      }
    }
  }

  /** Drops the preview, and any preview still running. */
  function clearPreview() {
    previewSeq += 1;
    previewing = false;
    hidePreview();
  }

  function hidePreview() {
    previewed = null;
    preview.hidden = true;
    placeholder.hidden = false;
  }

  function showPreview(data, options) {
    const how = [data.encoding, SEPARATORS[data.separator] ?? data.separator].filter(Boolean).join(', ');
    const defaulted = data.defaulted > 0 && data.defaultCategory
      ? ` · ${plural(data.defaulted, 'row')} without a category read as ${ctx.categoryLabel(data.defaultCategory)}`
      : '';
    summary.textContent = `${plural(data.rows, 'row')} (${how}): ${data.new} new · ${data.present} already present · `
      + `${data.changed} changed · ${data.invalid} invalid${defaulted}`;

    const forecast = data.forecast ?? null;
    forecastLine.hidden = forecast === null;
    forecastLine.textContent = forecast ? forecast.message : '';
    forecastLine.classList.toggle('refused', Boolean(forecast && forecast.refused));

    const notUsed = options.unknownAsNotes ? 'not used — kept in the notes' : 'not used';
    // The table is made again from the new preview: the keyboard stays on the choice it was on
    // (a "Read as" just changed), not on the page.
    const focused = columnsBody.contains(document.activeElement) ? document.activeElement.id : '';
    setChildren(columnsBody, data.columns.map((c, i) => {
      const select = h('select', { id: `import-map-${i}`, 'aria-label': `Read the column ${c.header || i + 1} as` },
        h('option', { value: '' }, notUsed),
        data.fields.map((f) => h('option', { value: f }, fieldLabel(f))));
      select.value = c.field ?? '';
      select.addEventListener('change', () => {
        mapping = { ...mapping, [c.header]: select.value };
        runPreview({ quiet: true });
      });
      return h('tr', { class: c.field ? null : 'unused' },
        h('td', {}, c.header || h('span', { class: 'muted' }, '(no header)')),
        h('td', {}, select),
        h('td', { class: 'muted' }, SOURCES[c.source] ?? ''));
    }));
    if (focused) document.getElementById(focused)?.focus();
    const unknown = data.unknownColumns.length;
    columnsNote.hidden = unknown === 0 || options.unknownAsNotes;
    columnsNote.textContent = unknown
      ? `${unknown === 1 ? '1 column is' : `${unknown} columns are`} not used. Tick ${NOTES_LABEL} to keep their values.`
      : '';

    errorsHeading.textContent = data.errors.length ? `Invalid values (${data.errors.length})` : 'Invalid values';
    setChildren(errorsBody, data.errors.map((e) => h('tr', {},
      h('td', { class: 'num' }, String(e.line)),
      h('td', {}, fieldLabel(e.field)),
      h('td', {}, e.message))));
    errorsWrap.hidden = data.errors.length === 0;
    noErrors.hidden = data.errors.length > 0 || data.invalid > 0;

    changesBlock.hidden = data.changes.length === 0;
    changesHeading.textContent = `Changes to people already on the list (${data.changes.length})`;
    changesNote.textContent = options.updateExisting
      ? 'These people are updated by the import.'
      : `These people are left as they are unless ${UPDATE_LABEL} is ticked.`;
    setChildren(changesBody, data.changes.map((c) => h('tr', {},
      h('td', { class: 'num' }, String(c.line)),
      h('td', { class: 'name' }, c.displayName, h('span', { class: 'muted' }, ` (#${c.attendeeId})`)),
      h('td', {}, h('ul', { class: 'change-list' }, c.changes.map((d) => h('li', {},
        h('span', { class: 'change-field' }, `${fieldLabel(d.field)}: `),
        valueText(d.before, 'before'), ' → ', valueText(d.after, 'after'))))))));

    preview.hidden = false;
    placeholder.hidden = true;
  }

  /** Enables the import only for a preview of the file and options on screen; says why not. */
  function showState() {
    const ready = isCurrent();
    const options = optionsOf();
    const data = ready ? previewed.data : null;
    const n = data ? data.new + (options.updateExisting ? data.changed : 0) : 0;
    let why = '';
    if (previewing) why = 'Previewing…';
    else if (!chosen) why = 'Choose a file, then preview it.';
    else if (!previewed) why = 'Preview the file first.';
    else if (!ready) why = 'The file or the options changed since the preview: preview again.';
    else if (data.invalid > 0 && !options.skipInvalid) {
      why = `${data.invalid === 1 ? '1 row is' : `${data.invalid} rows are`} invalid, so nothing can be imported. `
        + `Correct the file and choose it again, or tick ${SKIP_LABEL} and preview again.`;
    } else if (data.forecast && data.forecast.refused) {
      why = 'The seat rules would refuse this import (above): nothing can be imported as it stands.';
    } else if (n === 0) why = nothingText(data, options);
    confirm.textContent = data && n > 0 ? `Import ${plural(n, 'person', 'people')}` : 'Import';
    confirm.disabled = importing || previewing || !ready || why !== '';
    confirmHint.textContent = importing ? 'Importing…' : why;
    preview.classList.toggle('stale', previewed !== null && !ready);
    previewButton.disabled = importing;
  }

  // ---------- Import ----------

  async function runImport() {
    if (importing || previewing || !isCurrent() || confirm.disabled) return;
    ctx.clearMessage();
    errors.clear();
    const { bytes, options } = previewed;
    importing = true;
    element.classList.add('busy');
    showState();
    try {
      const outcome = await importRun(bytes, options);
      // The columns chosen by hand are remembered by the desk for this header from now on.
      mapping = {};
      resultMessage.textContent = outcome.message;
      result.hidden = false;
      clearPreview();
      placeholder.hidden = true;
      result.focus();
      await ctx.changed();
    } catch (err) {
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      importing = false;
      element.classList.remove('busy');
      showState();
    }
  }

  // ---------- The view ----------

  /** Runs the preview on screen again on the new data (who is already on the list may have changed). */
  async function refresh() {
    if (isCurrent() && !previewing && !importing) await runPreview({ quiet: true });
  }

  showState();

  return {
    element,
    refresh,
    /** Called when the view is shown: focus the file, then refresh. */
    async show() {
      fileInput.focus();
      await refresh();
    },
  };
}

/**
 * The most of a file read into the page: more than the desk takes (it refuses a larger list,
 * and says so), so that a file of gigabytes chosen by mistake is never read whole into memory.
 */
const READ_AT_MOST = 64 * 1024 * 1024;

/** The file's bytes (at most READ_AT_MOST of them), sent to the backend as they are. */
async function readBytes(file) {
  return new Uint8Array(await file.slice(0, READ_AT_MOST).arrayBuffer());
}

/** "Given name" for "givenName"; the wire name when there is no label. */
function fieldLabel(field) {
  if (field === 'file') return 'File';
  if (field === 'vetting') return 'Security vetting';
  if (field === 'vettingNote') return 'Vetting note';
  return FIELD_LABELS[field] ?? field;
}

function valueText(value, which) {
  return value === '' || value === null || value === undefined
    ? h('span', { class: `change-${which} muted` }, '(empty)')
    : h('span', { class: `change-${which}` }, value);
}

/** Why an import of this preview would do nothing. */
function nothingText(data, options) {
  if (data.rows === 0) return 'The file has no rows to import.';
  if (data.changed > 0 && !options.updateExisting) {
    return `Nobody new to add. ${data.changed === 1 ? '1 person' : `${data.changed} people`} on the list changed: `
      + `tick ${UPDATE_LABEL} and preview again to update them.`;
  }
  if (data.invalid === data.rows) return 'Every row is invalid: there is nobody to import.';
  if (data.unseated > 0) {
    return `Nothing to import: everyone in the file is already on the list, and ${data.unseated === 1 ? '1 of them has' : `${data.unseated} of them have`} no seat `
      + '(invited or cancelled). An import registers nobody already on the list: register them from Attendees (Alt+3).';
  }
  return 'Nothing to import: everyone in the file is already on the list.';
}

/** "12 KB" for a byte count. */
function sizeText(bytes) {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}
