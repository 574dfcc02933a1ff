// A badge scanner is a keyboard: it types a badge code and Enter into whatever has the focus,
// whenever the next delegate hands over a badge. At the Arrival view that is a check-in. Anywhere
// else the Enter must never be taken as the operator's: not as the answer to a question ("Print
// as it is"), not as a PIN try, not as a form sent with the code glued into a name. This guard,
// on the whole window and before anything else hears the key, knows a code typed just before
// an Enter. Unless the Arrival view takes the scan, it stops that Enter, takes the code back
// out of the field it went into, and says plainly that the badge was not taken.

import { h } from './dom.js';

// The shape of a badge code (see src/token.rs): "DD", 26 base32 letters, a check letter.
// A scanner may send a space after it, as the Arrival view allows.
const CODE_AT_END = /(DD[A-Z2-7]{27})\s*$/i;
// Keys a scanner (or a person) may send inside a code without it being another key's work.
const QUIET = new Set(['Shift', 'CapsLock']);

let typed = '';
// A space a scanner sent after a code was stopped: its key-up is stopped too (a button is
// pressed, a box ticked, when the space comes up).
let spaceHeld = false;

/** Whether `el` takes typed text (a space typed there is text, not a press). */
const textField = (el) => el instanceof HTMLTextAreaElement
  || (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color', 'range'].includes(el.type));

/**
 * Starts the guard. `takes(target)`: whether the Arrival view handles a scan whose Enter goes
 * to `target` (its box, its buttons, its reason fields) with no dialog open. `said(text)`: shows
 * a message in the window's message area (used when no dialog is open).
 */
export function initScanGuard({ takes, said }) {
  window.addEventListener('keydown', (e) => {
    // Enter ends a scan; so does Tab, for a scanner set to send it (at Arrival the Tab is let
    // through: the code stays in the box, and Enter scans it).
    if (e.key === 'Enter' || (e.key === 'Tab' && CODE_AT_END.test(typed))) {
      const code = typed.match(CODE_AT_END)?.[1];
      typed = '';
      const dialog = document.querySelector('dialog[open]');
      if (!code || (!dialog && takes(e.target))) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      const where = takeBack(e.target, code);
      if (dialog) {
        note(dialog, 'A badge was scanned while this question was open: it was not taken, and the question was not answered. Answer it, then scan the badge again.');
      } else {
        said(`A badge was scanned${where ? ` into “${where}”` : ''}: it was not taken, and nothing was sent. To check the person in, go to Arrival (Alt+1) and scan the badge again.`);
      }
      return;
    }
    // A space right after a code (a scanner set to send one before its Enter) would press the
    // focused button or tick the focused box before the Enter comes: "Print as it is", "Use
    // Jamaica". Unless the Arrival view takes the scan, it presses nothing.
    if (e.key === ' ' && CODE_AT_END.test(typed) && !textField(e.target)) {
      const dialog = document.querySelector('dialog[open]');
      if (dialog || !takes(e.target)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        spaceHeld = true;
      }
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) typed = (typed + e.key).slice(-64);
    else if (!QUIET.has(e.key)) typed = '';
  }, true);
  window.addEventListener('keyup', (e) => {
    if (e.key !== ' ' || !spaceHeld) return;
    spaceHeld = false;
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
}

/**
 * Takes the code back out of the text field it was typed into (the field's own text before
 * it stays); returns the field's label, or '' when the code went into no field. A field whose
 * length limit cut the code holds only its start: that start is taken back.
 */
function takeBack(target, code) {
  if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) return '';
  const value = target.value.replace(/\s+$/, '');
  for (let n = Math.min(code.length, value.length); n >= 2; n -= 1) {
    if (value.slice(-n).toUpperCase() === code.slice(0, n).toUpperCase()) {
      target.value = value.slice(0, -n);
      target.dispatchEvent(new Event('input', { bubbles: true }));
      break;
    }
  }
  const label = target.labels?.[0]?.textContent?.trim() ?? target.getAttribute('aria-label') ?? '';
  return label;
}

/** Says `text` inside the open dialog, above its buttons, until the dialog closes. */
function note(dialog, text) {
  let p = dialog.querySelector('.scan-note');
  if (!p) {
    p = h('p', { class: 'scan-note', role: 'alert' });
    const actions = dialog.querySelector('.dialog-actions');
    if (actions) actions.before(p);
    else dialog.append(p);
    const shown = p;
    dialog.addEventListener('close', () => shown.remove(), { once: true });
  }
  p.textContent = text;
}
