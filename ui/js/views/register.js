// Register view: the desk's main form. Enter registers; the outcome is shown big.

import { arrivalFind, arrive, asAppError, delegationCheck, getAttendee, registerAttendee, reinstateAttendee, walkInName } from '../api.js';
import { badgeOutcome, printCheckedBadge } from '../badge-print.js';
import { confirmDialog } from '../dialog.js';
import { naming, statusLabel } from '../format.js';
import { runAction, serialQueue } from '../action.js';
import { createSavedFile } from '../saved.js';
import { createAttendeeFields } from '../attendee-form.js';
import { clear, h, isShown, setChildren } from '../dom.js';
import { submitOnEnter } from '../fields.js';

/** Builds the Register view; returns {element, show(), refresh()}. */
export function createRegisterView(ctx) {
  const fields = createAttendeeFields({
    prefix: 'reg', categories: ctx.categories, days: ctx.event.days, placeholder: true, newDaysChecked: true,
  });
  const result = h('section', { id: 'register-result', class: 'result', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { id: 'reg-submit', type: 'submit', class: 'primary big' }, 'Register');
  const form = h('form', { id: 'register-form', novalidate: true, 'aria-labelledby': 'register-heading' },
    fields.element,
    h('div', { class: 'form-actions' },
      submit,
      h('p', { class: 'hint' },
        'Required: a given or family name, and a category. Enter registers from any field; Ctrl+Enter from Notes.')));
  const saved = createSavedFile({ id: 'register-saved', fail: ctx.fail });
  // People already on the list with the name being typed: use one of them instead of
  // registering a duplicate.
  const matches = h('section', { id: 'reg-matches', class: 'reg-matches', 'aria-label': 'Already on the list', hidden: true });
  const element = h('section', { id: 'view-register', class: 'view view-register', hidden: true },
    h('h2', { id: 'register-heading', class: 'visually-hidden' }, 'Register an attendee'),
    result,
    matches,
    form);
  const MATCH_MS = 150;
  let matchTimer = 0;
  let matchSeq = 0;
  for (const name of ['givenName', 'familyName']) {
    fields.control(name).addEventListener('input', () => {
      clearTimeout(matchTimer);
      matchTimer = setTimeout(showMatches, MATCH_MS);
    });
  }

  let busy = false;
  // The form's values right after a registration emptied it: an Enter on that untouched form
  // (a double-tapped Enter) is ignored, so the outcome stays on screen.
  let emptied = null;
  showResult(null);
  submitOnEnter(form, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    register();
  });

  async function register() {
    if (busy) return;
    if (emptied !== null && JSON.stringify(fields.read()) === emptied) return;
    ctx.clearMessage();
    showResult(null);
    saved.hide();
    fields.clearErrors();
    if (!fields.requireDay()) return;
    busy = true;
    form.classList.add('busy');
    let sent = null;
    try {
      if (!(await confirmDelegation())) return;
      sent = fields.read();
      await done(await registerAttendee(sent), JSON.stringify(sent));
    } catch (err) {
      if (isShown(element)) {
        ctx.fail(err, fields.showErrors);
      } else {
        // Refused once the operator has gone to another view: said there, naming the person
        // (a refusal shown only beside the hidden form's fields said nothing at all).
        const e = asAppError(err);
        if (e.kind === 'validation') fields.showErrors(e);
        const why = e.fields.length ? e.fields.map((f) => f.message).join('; ') : e.message;
        const who = [sent?.givenName, sent?.familyName].filter((v) => v?.trim()).join(' ') || 'The person typed at Register';
        ctx.fail({ kind: e.kind, message: `${who} was not registered: ${why}` });
      }
    } finally {
      busy = false;
      form.classList.remove('busy');
    }
  }

  /** A delegation that is not known yet but close to one ("Fra", "Jamiaca"): which one? */
  async function confirmDelegation() {
    const box = fields.control('delegation');
    const typed = box.value.trim();
    if (!typed) return true;
    const check = await delegationCheck(typed);
    if (check.known || !check.suggestion) return true;
    const use = await confirmDialog({
      title: 'Which delegation?',
      message: `“${typed}” is not a delegation yet. Did you mean ${check.suggestion}?`,
      okLabel: `Use ${check.suggestion}`,
      cancelLabel: `Create “${typed}”`,
    });
    if (use) box.value = check.suggestion;
    return true;
  }

  async function showMatches() {
    const given = fields.control('givenName').value.trim();
    const family = fields.control('familyName').value.trim();
    const mine = ++matchSeq;
    if (family.length < 2) {
      hideMatches();
      return;
    }
    let found;
    try {
      found = await arrivalFind(`${given} ${family}`, null, 5);
    } catch {
      // Words the search cannot use (only punctuation): nothing to show.
      found = [];
    }
    if (mine !== matchSeq) return;
    if (!found.length) {
      hideMatches();
      return;
    }
    matches.hidden = false;
    setChildren(matches,
      h('h3', {}, 'Already on the list with this name'),
      h('ul', {}, found.map(({ attendee: a }, i) => h('li', {},
        h('span', { class: 'match-name' }, h('strong', {}, a.displayName),
          [a.delegation, a.organization].filter(Boolean).map((x) => ` — ${x}`).join(''),
          h('span', { class: `chip status-${a.status}` }, statusLabel(a)), ` #${a.id}`),
        h('button', { id: `reg-use-${i}`, type: 'button', onclick: () => useExisting(a) }, useLabel(a))))));
  }

  function hideMatches() {
    matchSeq += 1;
    matches.hidden = true;
    clear(matches);
  }

  const useLabel = (a) => (a.status === 'invited' ? 'Register this person'
    : a.status === 'cancelled' ? 'Reinstate this person' : 'Use this person');

  /** The person is already on the list: register or reinstate them, or show them as they are. */
  async function useExisting(found) {
    ctx.clearMessage();
    saved.hide();
    // As they are now, not as the list of matches read them (another desk may have cancelled
    // or registered them since).
    let a;
    try {
      a = await getAttendee(found.id);
    } catch (err) {
      ctx.fail(err);
      return;
    }
    let outcome;
    if (a.status === 'invited' || a.status === 'cancelled') {
      // Busy on the list of matches, not the whole view: a badge still printing for the last
      // person does not drop this click without a word.
      outcome = await runAction(matches, () => reinstateAttendee(a.id), ctx.fail);
      if (!outcome) return;
    } else {
      const where = a.status === 'registered' ? 'already registered' : `on the waitlist (position ${a.waitlistPosition ?? '?'})`;
      outcome = { attendee: a, message: `${a.displayName} is ${where}: nothing new was registered` };
    }
    await done(outcome);
  }

  /**
   * An outcome for the person at the desk: shown big, the form emptied for the next one. `sent`:
   * the form as it was sent; when the operator typed in it while it was being saved, what they
   * typed stays (said), and the focus stays where they are typing.
   */
  async function done(outcome, sent = null) {
    showResult(outcome);
    // Answered once the operator has gone to another view: the outcome is said in the message
    // line (the box is emptied when they come back, and they would never learn it).
    const away = !isShown(element);
    const said = naming(outcome.attendee.displayName, outcome.message);
    if (sent !== null && JSON.stringify(fields.read()) !== sent) {
      emptied = null;
      ctx.info(`${away ? `${said} ` : ''}${outcome.attendee.displayName} was saved; the form was changed while saving and is kept as typed, not sent.`);
    } else {
      if (away) ctx.info(said);
      fields.reset();
      hideMatches();
      emptied = JSON.stringify(fields.read());
      fields.focusFirst();
    }
    await ctx.changed();
  }

  function showResult(outcome) {
    if (!outcome) {
      result.className = 'result empty';
      clear(result);
      return;
    }
    const { attendee, message } = outcome;
    result.className = `result ${attendee.status === 'registered' ? 'registered' : 'waitlisted'}`;
    // This person's follow-ups (badge, check-in) are said here, and only while this box is
    // theirs.
    const follow = h('p', { id: 'register-follow', class: 'result-follow', role: 'status' });
    // A walk-in or a lost badge: print the one badge now, and check the person in.
    const actions = attendee.status === 'registered'
      ? h('div', { class: 'result-actions' },
        h('button', { id: 'reg-print', type: 'button', onclick: () => followUps(() => printOne(attendee, follow)) }, 'Print badge'),
        h('button', { id: 'reg-checkin', type: 'button', onclick: () => followUps(() => checkIn(attendee, follow)) }, 'Check in'))
      : null;
    setChildren(result,
      h('p', { class: 'result-message' }, message),
      h('p', { class: 'result-person' },
        h('strong', {}, attendee.displayName),
        attendee.delegation ? ` — ${attendee.delegation}` : '',
        h('span', { class: 'result-id' }, ` (#${attendee.id})`)),
      actions,
      follow,
      saved.element);
    saved.hide();
  }

  // The follow-ups run in turn: Check in pressed while the badge is still printing is done
  // after it, not dropped.
  const followUps = serialQueue();

  /**
   * A follow-up (badge, check-in) of a person registered: in `follow`, their outcome's line;
   * once the box shows the next person or another view is shown, in the message line (the
   * text names the person).
   */
  function followUp(follow, text, file = null) {
    if (!isShown(follow)) {
      ctx.info(text);
      return;
    }
    follow.textContent = text;
    if (file) saved.show('', file);
    else saved.hide();
  }

  async function printOne(attendee, follow) {
    ctx.clearMessage();
    const out = await runAction(element, () => printCheckedBadge(attendee), ctx.fail);
    if (out === null) followUp(follow, `Badge of ${attendee.displayName} not printed`);
    if (!out) return;
    const told = badgeOutcome(attendee, out);
    followUp(follow, told.message, told.file);
    await ctx.changed();
  }

  async function checkIn(attendee, follow) {
    ctx.clearMessage();
    // At a session's door, the walk-in is admitted (or refused) there, as a scan would be: a
    // day's check-in alone let press in to a closed session without a word.
    const [day, session] = [ctx.checkInDay(), ctx.checkInSession()];
    const out = await runAction(element, () => arrive(attendee.id, day, session), ctx.fail);
    if (!out) return;
    followUp(follow, out.message);
    await ctx.changed();
  }

  return {
    element,
    /**
     * Puts the words typed at the arrival desk in the name fields: the last is the family name.
     * A form holding details typed and not saved is replaced only when the operator says so
     * (before, the walk-in emptied it without a word).
     */
    async prefill(text) {
      const typed = fields.read();
      const holds = Object.entries(typed).some(([name, v]) => name !== 'days' && v !== '' && v !== 'no');
      if (holds) {
        const who = [typed.givenName, typed.familyName].filter((v) => v.trim()).join(' ') || 'someone not yet named';
        const replace = await confirmDialog({
          title: 'Replace the form?',
          message: `The form holds details typed for ${who}, not saved. Replace them with the walk-in “${text.trim()}”?`,
          okLabel: 'Replace with the walk-in',
          cancelLabel: 'Keep what is typed',
          danger: true,
        });
        if (!replace) {
          ctx.info(`The walk-in “${text.trim()}” was not started: the form keeps what was typed for ${who}.`);
          fields.focusFirst();
          return;
        }
      }
      fields.reset();
      let name = { givenName: '', familyName: text.trim() };
      try {
        name = await walkInName(text);
      } catch (err) {
        ctx.fail(err);
      }
      fields.setName(name.givenName, name.familyName);
      emptied = null;
      showResult(null);
      showMatches();
      fields.focusFirst();
    },
    /** Called when the view is shown: refresh, then focus the first field. */
    show() {
      // A new visit: the last registration's outcome is not about what comes next.
      showResult(null);
      fields.setDays(ctx.event.days);
      fields.focusFirst();
    },
    /** Called when the database changed elsewhere: keeps what the operator typed. */
    refresh() {
      fields.setDays(ctx.event.days);
    },
  };
}
