// The programme in Event settings: a table per day (time, title, room, who may attend), and
// one form that adds a session or, after Edit, changes it. Keyboard first: Enter in the form
// saves, Escape leaves an edit. Every change is a coordinator action (the PIN is asked for).

import { asAppError, attendanceExport, listAttendees, programmeExport, programmeImport, sessionAdd, sessionPeople, sessionRemove, sessionSet, sessions } from '../api.js';
import { serialQueue } from '../action.js';
import { confirmDialog } from '../dialog.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock, keptAfterConflict, submitOnEnter } from '../fields.js';
import { formatDate, misprints } from '../format.js';
import { createSavedFile } from '../saved.js';

/** Builds the section `#programme`; returns {element, refresh()}. */
export function createProgramme(ctx) {
  const errors = new FieldErrors();
  const tables = h('div', { id: 'programme-days' });
  const empty = h('p', { id: 'programme-empty', class: 'hint', hidden: true }, 'No sessions yet: the days alone are checked in.');

  const day = h('select', { name: 'day' });
  const start = h('input', { name: 'start', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'HH:MM' });
  const end = h('input', { name: 'end', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'HH:MM' });
  const title = h('input', { name: 'title', type: 'text', autocomplete: 'off', maxlength: 200 });
  const room = h('input', { name: 'room', type: 'text', autocomplete: 'off', maxlength: 100 });
  const fields = [
    ['day', fieldBlock({ id: 'session-day', label: 'Day', control: day, className: 'span-3' }), day],
    ['start', fieldBlock({ id: 'session-start', label: 'Starts', control: start, className: 'span-2' }), start],
    ['end', fieldBlock({ id: 'session-end', label: 'Ends', control: end, className: 'span-2' }), end],
    ['title', fieldBlock({ id: 'session-title', label: 'Title', control: title, className: 'span-5' }), title],
    ['room', fieldBlock({ id: 'session-room', label: 'Room', control: room, className: 'span-6' }), room],
  ];
  for (const [name, f, control] of fields) errors.add(name, f.error, () => [control]);
  const boxes = new Map();
  const categoriesError = h('div', { id: 'session-categories-error', class: 'field-error' });
  const categories = h('fieldset', { id: 'session-categories', class: 'field span-12 session-categories', 'aria-describedby': categoriesError.id },
    h('legend', {}, 'Open to'));
  errors.add('categories', categoriesError, () => [...boxes.values()]);
  const save = h('button', { id: 'session-save', type: 'submit', class: 'primary' }, 'Add session');
  const cancel = h('button', { id: 'session-cancel', type: 'button', hidden: true }, 'Stop editing');
  const form = h('form', { id: 'session-form', class: 'settings-fields', novalidate: true, 'aria-label': 'Add a session' },
    fields.map(([, f]) => f.block), categories,
    h('div', { class: 'form-actions span-12' }, save, cancel));
  // The people named on a session's lists: admitted or excluded whatever their category.
  const peopleHeading = h('h4', { id: 'session-people-heading' });
  const peopleFind = h('input', { id: 'session-people-find', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Type a name' });
  const peopleLists = h('div', { id: 'session-people-lists' });
  const peopleResults = h('ul', { id: 'session-people-results', class: 'session-people-results' });
  const peopleDone = h('button', { id: 'session-people-done', type: 'button' }, 'Done');
  const peoplePanel = h('section', { id: 'session-people', class: 'session-people', hidden: true, 'aria-labelledby': 'session-people-heading' },
    peopleHeading, peopleLists,
    h('label', { for: 'session-people-find' }, 'Find a person to admit or exclude by name'), peopleFind, peopleResults, peopleDone);
  let peopleOf = null;
  let findSeq = 0;

  // The programme as CSV out and in; a session's sign-in sheet (from its row).
  const saved = createSavedFile({ id: 'programme-saved', fail: (err) => ctx.fail(err) });
  const exportButton = h('button', { id: 'programme-export', type: 'button' }, 'Export programme (CSV)');
  const file = h('input', { id: 'programme-file', type: 'file', accept: '.csv,text/csv' });
  const importButton = h('button', { id: 'programme-import', type: 'button' }, 'Import programme');
  const element = h('section', { id: 'programme', class: 'panel programme', 'aria-labelledby': 'programme-heading' },
    h('h3', { id: 'programme-heading' }, 'Programme'),
    h('p', { class: 'hint' }, 'Sessions per day, at the venue’s time. A new session is open to every category but the press; the door admits or refuses by it.'),
    empty, tables, peoplePanel, form,
    h('div', { class: 'form-actions programme-files' }, exportButton,
      h('label', { for: 'programme-file' }, 'Programme file (CSV: day, start, end, title, room, open to)'), file, importButton),
    saved.element);

  let editing = null;
  /** The form as Edit filled it (sent with a save: only what was typed differently is saved). */
  let loaded = null;
  let shown = [];
  let drawn = '';
  let seq = 0;
  let busy = false;
  /** The people panel's clicks, one after another. */
  const peopleInTurn = serialQueue();

  submitOnEnter(form, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && editing) {
      e.preventDefault();
      stopEditing();
    }
  });
  cancel.addEventListener('click', stopEditing);
  tables.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-session]');
    if (!b) return;
    const s = shown.find((x) => x.id === Number(b.dataset.session));
    if (!s) return;
    if (b.classList.contains('session-edit')) edit(s);
    if (b.classList.contains('session-remove')) remove(s);
    if (b.classList.contains('session-sheet')) sheet(s);
    if (b.classList.contains('session-people-open')) openPeople(s);
  });
  peopleFind.addEventListener('input', findPeople);
  peopleDone.addEventListener('click', closePeople);
  peoplePanel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closePeople();
    }
  });
  peoplePanel.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-person]');
    if (b) setPerson(Number(b.dataset.person), b.dataset.list, b.dataset.name);
  });
  exportButton.addEventListener('click', async () => {
    ctx.clearMessage();
    try {
      const out = await programmeExport();
      saved.show(out.message.replace(/ to .*$/, ''), out.path);
      saved.focus();
    } catch (err) {
      ctx.fail(err);
    }
  });
  importButton.addEventListener('click', async () => {
    const chosen = file.files?.[0];
    ctx.clearMessage();
    if (!chosen) {
      ctx.fail({ kind: 'validation', message: 'Choose the programme file first (Programme file)' });
      file.focus();
      return;
    }
    saved.hide();
    try {
      const out = await programmeImport(new Uint8Array(await chosen.arrayBuffer()));
      file.value = '';
      ctx.info(out.message);
      await Promise.all([load(), ctx.changed()]);
    } catch (err) {
      ctx.fail(err);
    }
    importButton.focus();
  });

  /** The day choice and a checkbox per category (every one but the press ticked). */
  function buildChoices() {
    const was = day.value;
    setChildren(day, ctx.event.days.map((d) => h('option', { value: String(d.day) }, `Day ${d.day} — ${formatDate(d.date)}`)));
    if ([...day.options].some((o) => o.value === was)) day.value = was;
    if (boxes.size === 0) {
      for (const c of ctx.categories) {
        const box = h('input', { type: 'checkbox', id: `session-open-${c.value}`, value: c.value });
        boxes.set(c.value, box);
        categories.append(h('label', { class: 'check', for: box.id }, box, ` ${c.label}`));
      }
      categories.append(categoriesError);
      tickDefault();
    }
  }

  function tickDefault() {
    for (const [value, box] of boxes) box.checked = value !== 'press';
  }

  function read() {
    return {
      day: Number(day.value),
      start: start.value,
      end: end.value,
      title: title.value,
      room: room.value,
      categories: [...boxes].filter(([, b]) => b.checked).map(([v]) => v).join(','),
    };
  }

  /**
   * Reads the programme and shows it unless a later read has started meanwhile; resolves to
   * what it read (null when the read failed), shown or not.
   */
  async function load() {
    const mine = ++seq;
    try {
      const list = await sessions(null);
      if (mine === seq) render(list);
      return list;
    } catch (err) {
      if (mine === seq) ctx.fail(err);
      return null;
    }
  }

  function render(list) {
    shown = list;
    // Read again and the same: the tables stay as they are, so a click on one of their
    // buttons while they were being read is not lost with the button it was aimed at.
    const key = JSON.stringify([list, ctx.event.days]);
    if (key === drawn) {
      renderPeople();
      return;
    }
    const focusedId = document.activeElement?.closest?.('#programme-days button')?.id ?? '';
    empty.hidden = list.length > 0;
    const days = [...new Set(list.map((s) => s.day))];
    setChildren(tables, days.map((n) => {
      const d = ctx.event.days.find((x) => x.day === n);
      return h('table', { id: `programme-day-${n}`, class: 'plain-table programme-table' },
        h('caption', {}, `Day ${n}${d ? ` — ${formatDate(d.date)}` : ''}`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Session'), h('th', { scope: 'col' }, 'Room'),
          h('th', { scope: 'col' }, 'Open to'), h('th', { scope: 'col', class: 'actions' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, list.filter((s) => s.day === n).map((s) => h('tr', { 'data-session': String(s.id) },
          h('td', { class: 'programme-time' }, `${s.start}–${s.end}`),
          h('td', {}, h('strong', {}, s.title), h('span', { class: 'card-id' }, ` #${s.id}`)),
          h('td', {}, s.room || '—'),
          h('td', {}, s.openTo),
          h('td', { class: 'actions' },
            h('button', { type: 'button', id: `session-edit-${s.id}`, class: 'session-edit', 'data-session': String(s.id), 'aria-label': `Edit ${s.title}` }, 'Edit'),
            h('button', { type: 'button', id: `session-people-${s.id}`, class: 'session-people-open', 'data-session': String(s.id), 'aria-label': `People named for ${s.title}` }, `People${s.people.length ? ` (${s.people.length})` : ''}…`),
            h('button', { type: 'button', id: `session-sheet-${s.id}`, class: 'session-sheet', 'data-session': String(s.id), 'aria-label': `Sign-in sheet of ${s.title} (PDF)` }, 'Sign-in sheet'),
            h('button', { type: 'button', id: `session-remove-${s.id}`, class: 'session-remove', 'data-session': String(s.id), 'aria-label': `Remove ${s.title}` }, 'Remove'))))));
    }));
    drawn = key;
    if (focusedId) document.getElementById(focusedId)?.focus();
    renderPeople();
  }

  /** Opens the lists of `s`: who is admitted or excluded by name, and a search to add more. */
  function openPeople(s) {
    ctx.clearMessage();
    peopleOf = s.id;
    // A search still on its way from the panel before does not fill this one.
    findSeq += 1;
    peopleFind.value = '';
    setChildren(peopleResults);
    renderPeople();
    peopleFind.focus();
  }

  function closePeople() {
    const was = peopleOf;
    peopleOf = null;
    peoplePanel.hidden = true;
    document.getElementById(`session-people-${was}`)?.focus();
  }

  function renderPeople() {
    const s = shown.find((x) => x.id === peopleOf);
    if (!s) {
      peoplePanel.hidden = true;
      return;
    }
    peoplePanel.hidden = false;
    peopleHeading.textContent = `Named for “${s.title}” (day ${s.day}, ${s.start}–${s.end}) — open to ${s.openTo.split(';')[0]}`;
    const list = (admitted, label) => {
      const people = s.people.filter((p) => p.admitted === admitted);
      return h('div', { class: 'session-people-list' }, h('strong', {}, label),
        people.length === 0 ? h('span', { class: 'hint' }, ' nobody')
          : h('ul', {}, people.map((p) => h('li', {}, `${p.displayName} (#${p.id}) `,
            h('button', { type: 'button', 'data-person': String(p.id), 'data-list': 'clear', 'data-name': p.displayName, 'aria-label': `Put ${p.displayName} back under their category's rule` }, 'Remove from the list')))));
    };
    setChildren(peopleLists, list(true, 'Admitted by name:'), list(false, 'Excluded by name:'));
  }

  async function findPeople() {
    const q = peopleFind.value.trim();
    const mine = ++findSeq;
    if (!q) {
      setChildren(peopleResults);
      return;
    }
    try {
      const found = (await listAttendees({ name: q })).slice(0, 8);
      if (mine !== findSeq) return;
      setChildren(peopleResults, found.length === 0 ? h('li', { class: 'hint' }, `Nobody called “${q}”`)
        : found.map((a) => h('li', {}, `${a.displayName} — ${a.delegation || '—'}, ${ctx.categoryLabel(a.category)} (#${a.id}) `,
          h('button', { type: 'button', 'data-person': String(a.id), 'data-list': 'admit', 'data-name': a.displayName }, 'Admit'),
          h('button', { type: 'button', 'data-person': String(a.id), 'data-list': 'exclude', 'data-name': a.displayName }, 'Exclude'))));
    } catch (err) {
      if (mine === findSeq) ctx.fail(err);
    }
  }

  /**
   * Admit, exclude or put back one person: each click is done in its turn, after the one
   * before it (a click while the last one is still being shown is not dropped).
   */
  function setPerson(id, list, name) {
    // The session is the one whose panel was clicked in, taken now: a click waiting its turn
    // while another session's panel is opened still goes to its own session.
    const session = peopleOf;
    return peopleInTurn(() => applyPerson(session, id, list, name));
  }

  async function applyPerson(session, id, list, name) {
    const s = shown.find((x) => x.id === session);
    if (!s) {
      ctx.fail({ kind: 'notFound', message: `Session #${session} is no longer in the programme: ${name} was not changed there` });
      return;
    }
    ctx.clearMessage();
    try {
      await sessionPeople(s.id, [id], list);
      const said = { admit: 'admitted by name to', exclude: 'excluded by name from', clear: 'back under their category’s rule for' }[list];
      ctx.info(`${name} ${said} “${s.title}”`);
      await Promise.all([load(), ctx.changed()]);
      peopleFind.focus();
    } catch (err) {
      ctx.fail(err);
    }
  }

  function edit(s) {
    ctx.clearMessage();
    errors.clear();
    fill(s);
    save.textContent = `Save session #${s.id}`;
    form.setAttribute('aria-label', `Change session #${s.id}`);
    cancel.hidden = false;
    title.focus();
  }

  /** The form filled with session `s`, which is then what it was filled with (`loaded`). */
  function fill(s) {
    editing = s;
    // A day the list does not have yet (another desk lengthened the event): shown as is, so
    // the form is filled with the session's day and not with none.
    if (![...day.options].some((o) => o.value === String(s.day))) day.append(h('option', { value: String(s.day) }, `Day ${s.day}`));
    day.value = String(s.day);
    start.value = s.start;
    end.value = s.end;
    title.value = s.title;
    room.value = s.room;
    for (const [value, box] of boxes) box.checked = s.categories.includes(value);
    loaded = read();
  }

  /**
   * After a conflict (`err`), the form filled with session `s`, but for the fields the desk
   * took as typed in what was `sent`, and those typed since: they keep what the form shows
   * `now`. What the desk takes as no change (a time typed "8:00" for the loaded 08:00) shows
   * what is stored: kept as typed, it would become a change of the value another desk saved.
   */
  function rebase(now, sent, err, s) {
    const keep = keptAfterConflict(err, sent, now);
    fill(s);
    if (keep.has('day')) day.value = String(now.day);
    for (const [name, control] of [['start', start], ['end', end], ['title', title], ['room', room]]) {
      if (keep.has(name)) control.value = now[name];
    }
    if (keep.has('categories')) {
      const ticked = now.categories.split(',');
      for (const [value, box] of boxes) box.checked = ticked.includes(value);
    }
  }

  function stopEditing() {
    const was = editing;
    editing = null;
    loaded = null;
    errors.clear();
    for (const c of [start, end, title, room]) c.value = '';
    tickDefault();
    save.textContent = 'Add session';
    form.setAttribute('aria-label', 'Add a session');
    cancel.hidden = true;
    (was ? document.getElementById(`session-edit-${was.id}`) : null)?.focus() ?? start.focus();
  }

  async function submit() {
    if (busy) return;
    ctx.clearMessage();
    errors.clear();
    busy = true;
    // The session saved and what its form was filled with, taken now: Edit clicked on
    // another session while this save is under way fills the form with that one, which
    // the outcome below must leave alone.
    const target = editing;
    const sent = read();
    try {
      const s = target ? await sessionSet(target.id, sent, loaded) : await sessionAdd(sent);
      ctx.info(target ? `Session #${s.id} “${s.title}” saved` : `Session #${s.id} “${s.title}” added to day ${s.day}, ${s.start}–${s.end}`);
      const keepDay = day.value;
      if (editing === target && target) stopEditing();
      else if (editing === target) {
        for (const c of [start, end, title, room]) c.value = '';
        tickDefault();
        day.value = keepDay;
        start.focus();
      }
      await Promise.all([load(), ctx.changed()]);
    } catch (err) {
      // Changed at another desk too: the programme is read again; the fields typed here keep
      // what was typed, the others show what is stored, and what is stored becomes what the
      // form was filled with, so that the next save (said in the message) replaces only what
      // was typed.
      if (err?.stale && target && editing === target) {
        // What this read found, though a read started since (the other desk's change
        // followed) may show it only later.
        const now = (await load())?.find((x) => x.id === target.id);
        // Read once the programme is: what was typed meanwhile is kept too.
        if (now && editing === target) rebase(read(), sent, err, now);
      }
      if (target && editing !== target) {
        // The form shows another session now: the refusal names the one it is about, and
        // marks none of the fields shown.
        const e = asAppError(err);
        ctx.fail({ kind: e.kind, message: `Session #${target.id} “${target.title}” was not saved: ${e.message}` });
      } else {
        ctx.fail(err, (e) => errors.show(e));
      }
    } finally {
      busy = false;
    }
  }

  /** The session's sign-in sheet: everyone expected and everyone admitted, as a PDF. */
  async function sheet(s) {
    ctx.clearMessage();
    try {
      const out = await attendanceExport(s.id, 'pdf');
      saved.show(`Sign-in sheet of “${s.title}”: ${out.rows} ${out.rows === 1 ? 'person' : 'people'}`, out.path);
      const misprinted = misprints(out.warnings);
      if (misprinted) ctx.fail(misprinted);
      saved.focus();
    } catch (err) {
      ctx.fail(err);
    }
  }

  async function remove(s) {
    if (busy) return;
    ctx.clearMessage();
    const ok = await confirmDialog({
      title: 'Remove the session',
      message: `Remove “${s.title}” (day ${s.day}, ${s.start}–${s.end}) from the programme?`,
      okLabel: 'Remove', cancelLabel: 'Keep it', danger: true,
    });
    if (!ok) return;
    busy = true;
    try {
      let out;
      try {
        out = await sessionRemove(s.id, false);
      } catch (err) {
        const e = asAppError(err);
        if (!e.confirm) throw err;
        const force = await confirmDialog({
          title: 'People were checked in to it',
          message: `${e.message}.`,
          items: ['Removing it keeps who was checked in, when and by whom in the audit trail only.'],
          okLabel: 'Remove anyway', cancelLabel: 'Keep it', danger: true,
        });
        if (!force) return;
        out = await sessionRemove(s.id, true);
      }
      ctx.info(out.message);
      if (editing?.id === s.id) stopEditing();
      await Promise.all([load(), ctx.changed()]);
      (tables.querySelector('button.session-remove') ?? start).focus();
    } catch (err) {
      ctx.fail(err);
      await load();
    } finally {
      busy = false;
    }
  }

  return {
    element,
    /** Reads the programme again (and the days, which follow the event's dates). */
    refresh() {
      buildChoices();
      return load();
    },
  };
}
