// Rosters view: a roster out of the desk as CSV, Excel, JSON or the PDF sign-in sheet — the
// format and columns, who is on it, and the file written.

import { exportChoices, exportRoster } from '../api.js';
import { createSavedFile } from '../saved.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock, submitOnEnter } from '../fields.js';
import { dayLabel, misprints, plural } from '../format.js';

const FORMATS = [['csv', 'CSV'], ['xlsx', 'Excel (XLSX)'], ['json', 'JSON'], ['pdf', 'PDF sign-in sheet']];
const STATUSES = [
  ['registered', 'Registered'], ['waitlisted', 'Waitlisted'], ['invited', 'Invited'], ['cancelled', 'Cancelled'],
  ['all', 'Everyone'],
];
const CUSTOM = 'custom';
/** Sent as the columns when the format has its own (the backend still reads them). */
const ANY_PRESET = 'full';

/** Builds the Rosters view; returns {element, show(), refresh()}. */
export function createRostersView(ctx) {
  const errors = new FieldErrors();

  // 1. The file: format and columns.
  const format = h('select', { name: 'format' }, FORMATS.map(([value, label]) => h('option', { value }, label)));
  const formatField = fieldBlock({ id: 'export-format', label: 'Format', control: format });
  errors.add('format', formatField.error, () => [format]);

  const preset = h('select', { name: 'preset' }, h('option', { value: CUSTOM }, 'Custom…'));
  const columnsNote = h('p', { id: 'export-columns-note' });
  const presetField = fieldBlock({
    id: 'export-preset', label: 'Columns', control: preset, errorId: 'export-columns-error', hint: columnsNote,
  });
  const columnList = h('div', { class: 'column-list' });
  /** Column key → its checkbox. */
  const columnBoxes = new Map();
  const custom = h('fieldset', { id: 'export-columns', class: 'field export-columns', hidden: true, 'aria-describedby': 'export-columns-error' },
    h('legend', {}, 'Columns of the roster, in this order'),
    columnList);
  errors.add('columns', presetField.error, () => {
    if (custom.hidden) return [preset];
    const boxes = [...columnBoxes.values()];
    return [boxes.find((b) => b.checked) ?? boxes[0] ?? preset];
  });

  const sheets = h('input', { type: 'checkbox', id: 'export-sheets', name: 'sheetPerPreset' });
  const sheetsOption = h('div', { class: 'check-option', hidden: true },
    sheets, h('label', { for: sheets.id }, 'One sheet per preset'));

  const filePanel = h('fieldset', { class: 'panel export-panel' },
    h('legend', {}, 'The file'),
    formatField.block,
    presetField.block,
    custom,
    sheetsOption);

  // 2. Who is on it.
  const status = h('select', { name: 'status' }, STATUSES.map(([value, label]) => h('option', { value }, label)));
  const category = h('select', { name: 'category' },
    h('option', { value: '' }, 'All'),
    ctx.categories.map((c) => h('option', { value: c.value }, c.label)));
  const delegation = h('input', {
    name: 'delegation', type: 'text', list: 'delegation-options', autocomplete: 'off', spellcheck: 'false',
  });
  const days = h('select', { name: 'days' });
  const order = h('select', { name: 'order' },
    h('option', { value: 'name' }, 'By name'),
    h('option', { value: 'precedence' }, 'Order of precedence'));
  const filterFields = [
    ['status', 'Status', status, null],
    ['category', 'Category', category, null],
    ['delegation', 'Delegation', delegation, h('p', {}, 'Leave empty for every delegation.')],
    ['days', 'Attending', days, null],
    ['order', 'Order', order, h('p', {}, 'Precedence: heads of delegation first, then by delegation, then as recorded.')],
  ].map(([name, label, control, hint]) => {
    const { block, error } = fieldBlock({ id: `export-${name}`, label, control, hint });
    errors.add(name, error, () => [control]);
    return block;
  });
  const whoPanel = h('fieldset', { class: 'panel export-panel' }, h('legend', {}, 'Who is on it'), filterFields);

  // 3. Export.
  const run = h('button', { id: 'export-run', type: 'submit', class: 'primary big' }, 'Export');
  const result = createSavedFile({ id: 'export-result', fail: ctx.fail });

  const form = h('form', { id: 'export-form', class: 'rosters-layout', novalidate: true, 'aria-labelledby': 'rosters-heading' },
    filePanel,
    whoPanel,
    h('div', { class: 'rosters-actions' },
      h('div', { class: 'form-actions' }, run, h('p', { id: 'export-folder', class: 'hint' }, 'The file is written into ', h('span', { class: 'path' }, ctx.outputDir), '.')),
      result.element));
  const element = h('section', { id: 'view-rosters', class: 'view view-rosters', hidden: true },
    h('h2', { id: 'rosters-heading', class: 'visually-hidden' }, 'Export a roster'),
    form);

  let choices = { presets: [], columns: [] };
  let choicesLoad = null;
  let lastPreset = null;
  let daysShown = null;
  let busy = false;

  submitOnEnter(form, run);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runExport();
  });
  format.addEventListener('change', showColumns);
  sheets.addEventListener('change', showColumns);
  preset.addEventListener('change', onPreset);

  const hasOwnColumns = () => format.value === 'pdf' || format.value === 'json'
    || (format.value === 'xlsx' && sheets.checked);

  // ---------- Columns ----------

  function loadChoices() {
    choicesLoad ??= exportChoices().then((c) => {
      choices = c;
      showChoices();
    }).catch((err) => {
      choicesLoad = null;
      throw err;
    });
    return choicesLoad;
  }

  function showChoices() {
    setChildren(preset,
      choices.presets.map((p) => h('option', { value: p.name }, p.label)),
      h('option', { value: CUSTOM }, 'Custom…'));
    preset.value = choices.presets[0]?.name ?? CUSTOM;
    lastPreset = choices.presets[0] ?? null;
    columnBoxes.clear();
    setChildren(columnList, choices.columns.map((c) => {
      const id = `export-col-${c.key}`;
      const box = h('input', { type: 'checkbox', id, name: 'columns', value: c.key });
      columnBoxes.set(c.key, box);
      return h('div', { class: 'check-option' }, box, h('label', { for: id }, c.header));
    }));
    showColumns();
  }

  function onPreset() {
    const p = choices.presets.find((x) => x.name === preset.value);
    if (p) {
      lastPreset = p;
    } else if (![...columnBoxes.values()].some((b) => b.checked)) {
      // Custom starts from the preset chosen before.
      for (const key of lastPreset?.columns ?? []) {
        const box = columnBoxes.get(key);
        if (box) box.checked = true;
      }
    }
    showColumns();
  }

  /** Enables the column choice where the format uses it, and says what the columns are. */
  function showColumns() {
    const fmt = format.value;
    const own = hasOwnColumns();
    preset.disabled = own;
    for (const box of columnBoxes.values()) box.disabled = own;
    custom.hidden = own || preset.value !== CUSTOM;
    sheetsOption.hidden = fmt !== 'xlsx';
    columnsNote.textContent = columnsText(fmt);
  }

  function columnsText(fmt) {
    if (fmt === 'pdf') return 'The PDF sign-in sheet has its own fixed columns, grouped by delegation: the column choice does not apply.';
    if (fmt === 'json') return 'JSON has every field of each person: the column choice does not apply.';
    if (fmt === 'xlsx' && sheets.checked) {
      return `Each preset gets its own sheet (${choices.presets.map((p) => p.label).join(', ')}): the column choice does not apply.`;
    }
    const p = choices.presets.find((x) => x.name === preset.value);
    if (!p) return 'Tick the columns to write.';
    const header = (key) => choices.columns.find((c) => c.key === key)?.header ?? key;
    return p.columns.map(header).join(', ');
  }

  /** The columns as the backend takes them: a preset name or a comma-separated list of keys. */
  function columnsSpec() {
    if (hasOwnColumns()) return ANY_PRESET;
    if (preset.value !== CUSTOM) return preset.value;
    return [...columnBoxes].filter(([, box]) => box.checked).map(([key]) => key).join(',');
  }

  // ---------- Who ----------

  /** The event's days as choices; keeps the day chosen while it still exists. */
  function showDays() {
    const eventDays = ctx.event?.days ?? [];
    const labels = eventDays.map((d) => [String(d.day), dayLabel(d)]);
    const key = JSON.stringify(labels);
    if (key === daysShown) return;
    daysShown = key;
    const keep = days.value;
    setChildren(days,
      h('option', { value: '' }, 'All days'),
      labels.map(([value, label]) => h('option', { value }, label)));
    days.value = labels.some(([value]) => value === keep) ? keep : '';
  }

  function request() {
    const filter = { status: status.value };
    if (category.value) filter.category = category.value;
    if (delegation.value.trim()) filter.delegation = delegation.value;
    if (days.value) filter.days = days.value;
    if (order.value !== 'name') filter.order = order.value;
    return {
      format: format.value,
      filter,
      columns: columnsSpec(),
      sheetPerPreset: format.value === 'xlsx' && sheets.checked,
    };
  }

  // ---------- Export ----------

  async function runExport() {
    if (busy) return;
    ctx.clearMessage();
    errors.clear();
    busy = true;
    run.disabled = true;
    element.classList.add('busy');
    result.hide();
    try {
      const outcome = await exportRoster(request());
      // The path has its own line below: the headline says only what was written.
      result.show(`${plural(outcome.rows, 'person', 'people')} exported`, outcome.path);
      // A name the sheet's font cannot draw, or written right to left: said before it is printed.
      const misprinted = misprints(outcome.warnings);
      if (misprinted) ctx.fail(misprinted);
      result.focus();
    } catch (err) {
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      busy = false;
      run.disabled = false;
      element.classList.remove('busy');
    }
  }

  showDays();
  showColumns();

  return {
    element,
    /** Follows the event's days. */
    refresh() {
      showDays();
    },
    /** Called when the view is shown: loads the columns, focuses the format. */
    async show() {
      showDays();
      format.focus();
      try {
        await loadChoices();
      } catch (err) {
        ctx.fail(err);
      }
    },
  };
}
