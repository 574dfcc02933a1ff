// The print log of the Badges view: every job sent to a printer, newest first, how it ended in
// CUPS's words, and for a job that did not print: send it again (to its printer or another)
// or cancel it. A job that printed can be sent again only after "print again?".

import { asAppError, openPath, printJobCancel, printJobRetry, printJobs } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { h, isShown, setChildren } from '../dom.js';
import { printedBut } from '../format.js';

const SHOWN = 12;

/** Builds the log; returns {element, refresh(), setPrinters(list)}. */
export function createPrintLog(ctx) {
  const body = h('tbody');
  const empty = h('p', { id: 'print-log-empty', class: 'hint' }, 'No badge was sent to a printer yet.');
  const table = h('table', { id: 'print-log-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Print log, newest first'),
    h('thead', {}, h('tr', {},
      ['Sent', 'Badges', 'Printer', 'State'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    body);
  const element = h('section', { id: 'print-log', class: 'panel print-log', 'aria-labelledby': 'print-log-heading' },
    h('h3', { id: 'print-log-heading' }, 'Print log'),
    empty, h('div', { class: 'table-wrap' }, table));
  let printers = [];
  // The job being sent again (Send again, Print again…), else null. While there is one the log
  // is busy: it is not read again, and another Send again is refused in words, never dropped
  // without a word (only the busy cursor showed it).
  let sending = null;
  // The printer the operator chose for a job's Send again, by job: the log is drawn again at
  // every change of the database (another desk's print, a check-in), and a choice the new rows
  // forgot would send the job back to the printer that failed.
  const chosen = new Map();

  function whose(j) {
    return j.badges === 1 ? j.names[0] : `${j.badges} badges`;
  }

  function row(j) {
    const actions = [];
    // A job left "sending" was cut off between the log and CUPS (the desk stopped): it can be
    // sent again or cancelled like one that waits.
    if (!j.printed) {
      // A chosen printer that has since gone from the computer falls back to the job's own.
      const want = printers.some((p) => p.name === chosen.get(j.id)) ? chosen.get(j.id) : j.printer;
      // The job's own printer, gone from the computer, is still the one shown (Send again then
      // says it is not there): never whichever printer comes first in the list.
      const gone = printers.some((p) => p.name === j.printer) ? [] : [{ name: j.printer, state: 'not on this computer' }];
      const other = h('select', { id: `print-log-to-${j.id}`, 'aria-label': `Printer for job ${j.id}` },
        [...gone, ...printers].map((p) => h('option', { value: p.name, selected: p.name === want }, `${p.name} — ${p.state}`)));
      other.addEventListener('change', () => chosen.set(j.id, other.value));
      actions.push(other, button(`print-log-retry-${j.id}`, 'Send again', () => retry(j, other.value || null, false)));
    }
    if (j.state === 'waiting' || j.state === 'sending') actions.push(button(`print-log-cancel-${j.id}`, 'Cancel', () => cancel(j)));
    if (j.printed) actions.push(button(`print-log-again-${j.id}`, 'Print again…', () => retry(j, null, false)));
    actions.push(button(`print-log-open-${j.id}`, 'Open PDF', () => openPath(j.file).catch(ctx.fail)));
    const tone = j.printed ? 'ok' : (j.state === 'waiting' ? 'warn' : 'danger');
    const but = printedBut(j);
    return h('tr', { 'data-job': String(j.id), 'data-state': j.state },
      h('td', {}, j.atVenue, h('br'), h('span', { class: 'hint' }, `${j.operator} (${j.desk})`)),
      h('td', {}, whose(j)),
      h('td', {}, j.printer, j.cupsJob ? h('span', { class: 'hint' }, ` #${j.cupsJob}`) : null),
      // Printed with something to know (a badge in it replaced meanwhile, which does not scan).
      h('td', { class: `job-state ${but ? 'warn' : tone}` }, j.printed ? (but ? `printed — ${but}` : 'printed') : j.words),
      h('td', { class: 'job-actions' }, actions));
  }

  function setSending(j) {
    sending = j;
    element.classList.toggle('busy', j !== null);
  }

  function button(id, label, onClick) {
    const b = h('button', { id, type: 'button' }, label);
    b.addEventListener('click', onClick);
    return b;
  }

  async function refresh() {
    if (sending) return;
    try {
      const jobs = await printJobs(SHOWN);
      for (const id of chosen.keys()) {
        if (!jobs.some((j) => j.id === id && !j.printed)) chosen.delete(id);
      }
      // The focus stays on the same control of the same job when the rows are drawn again.
      const focused = body.contains(document.activeElement) ? document.activeElement.id : '';
      table.hidden = jobs.length === 0;
      empty.hidden = jobs.length > 0;
      setChildren(body, jobs.map(row));
      if (focused) document.getElementById(focused)?.focus();
    } catch (err) {
      ctx.fail(err);
    }
  }

  async function retry(j, printer, again) {
    if (sending) {
      const other = sending.id !== j.id ? ` Nothing was done for job ${j.id} (${whose(j)}).` : '';
      ctx.fail({ kind: 'conflict', message: `Print job ${sending.id} (${whose(sending)}) is still being sent: wait for its answer, then try again.${other}` });
      return;
    }
    ctx.clearMessage();
    setSending(j);
    // Set when the job is handed to a second call (after "Print again?"): that call frees the
    // log itself, and this one must not free it again later, when another job may be in flight.
    let handed = false;
    try {
      const job = await printJobRetry(j.id, printer, again, () => {});
      if (job.printed) ctx.info(job.message);
      else ctx.fail({ kind: 'io', message: job.message });
    } catch (err) {
      const e = asAppError(err);
      setSending(null);
      if (!again && e.confirm && !isShown(element)) {
        // The operator has gone to another view while it was sent: not asked over it.
        ctx.fail({ kind: 'io', message: `Job ${j.id} (${whose(j)}) was not sent again: ${e.message.replace(/[.\s]+$/, '')}. Choose “Send again” in the print log to decide.` });
        return;
      }
      if (!again && e.confirm) {
        const go = await confirmDialog({ title: 'Print again?', message: e.message, okLabel: 'Print again', cancelLabel: 'Do not print' });
        if (go) {
          handed = true;
          await retry(j, printer, true);
        }
        return;
      }
      ctx.fail(err);
    } finally {
      if (!handed) setSending(null);
    }
    await refresh();
    await ctx.changed();
  }

  async function cancel(j) {
    ctx.clearMessage();
    try {
      const done = await printJobCancel(j.id);
      // What the desk knows of it: not printed, or (let go on its way through another
      // computer, forgotten by CUPS) perhaps printed, its badges no longer opening the door.
      ctx.info(done.message);
      // While another job is being sent the log is not read again (that waits for its answer):
      // the row of the job cancelled says so now, not "waiting" beside the message.
      if (sending) body.querySelector(`tr[data-job="${j.id}"]`)?.replaceWith(row(done));
    } catch (err) {
      ctx.fail(err);
    }
    await refresh();
  }

  return {
    element,
    refresh,
    /** The printers a job can be sent to. */
    setPrinters(list) {
      printers = list;
    },
  };
}
