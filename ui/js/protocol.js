// Protocol notices: the arrival of a VIP, or of a person flagged "notify protocol", shown
// under the header on every view (the dashboard too) until someone acknowledges it — at any
// desk; who and when go in the audit. Read again whenever the database changes (the revision
// poll), so every desk shows a new arrival within a poll.

import { acknowledgeNotice, protocolNotices } from './api.js';
import { h, setChildren } from './dom.js';

/** Notices shown at once before "Show N more". */
const FEW = 3;

/** Wires the notice bar `#protocol-notices`; returns refresh(), which reads the notices again. */
export function initProtocol({ info, fail }) {
  const bar = document.getElementById('protocol-notices');
  const busy = new Set();
  let shown = '';
  let expanded = false;

  async function acknowledge(id) {
    if (busy.has(id)) return;
    busy.add(id);
    try {
      const out = await acknowledgeNotice(id);
      info(out.message);
      await refresh();
    } catch (err) {
      fail(err);
      await refresh();
    } finally {
      busy.delete(id);
    }
  }

  function line(n) {
    const head = n.headOfDelegation ? ', head of delegation' : '';
    const door = n.session ? ` at the door of “${n.session}”` : '';
    return h('li', { class: 'protocol-notice', 'data-notice': String(n.id) },
      h('span', { class: 'protocol-why' }, n.why),
      h('span', { class: 'protocol-text' },
        h('strong', {}, n.displayName), ` (${n.delegation || 'no delegation'}${head}) arrived at ${n.localTime}${door}`,
        h('span', { class: 'protocol-by' }, ` — checked in by ${n.operator} (${n.desk})`)),
      h('button', { id: `protocol-ack-${n.id}`, type: 'button', onclick: () => acknowledge(n.id) }, 'Acknowledge'));
  }

  async function refresh() {
    let notices;
    try {
      notices = await protocolNotices();
    } catch (err) {
      // The header already says when the database cannot be reached; keep what is shown.
      // Any other failure is said, and on the bar itself until a read succeeds (the message
      // area is emptied by the next action): notices left as they were must not pass for
      // current ones, nor an empty bar for "no arrival for protocol".
      if (err?.kind !== 'unreachable') {
        fail(err);
        markStale();
      }
      return;
    }
    if (bar.querySelector('#protocol-stale')) shown = '';
    // Redraw only when the notices changed: a focused Acknowledge button keeps its focus.
    const key = `${notices.map((n) => n.id).join(',')}/${expanded}`;
    if (key === shown) return;
    shown = key;
    draw(notices);
  }

  /** Says on the bar that the notices could not be read again: what it shows is as before. */
  function markStale() {
    let note = bar.querySelector('#protocol-stale');
    if (!note) {
      note = h('p', { id: 'protocol-stale', class: 'protocol-stale', role: 'alert' });
      bar.prepend(note);
    }
    note.textContent = bar.querySelector('.protocol-list')
      ? 'The notices for protocol could not be read again: these are as read before, and newer arrivals may be missing.'
      : 'The notices for protocol could not be read: an arrival protocol must meet may be missing here.';
    bar.hidden = false;
  }

  /** The oldest few, so that a busy hour never pushes the desk below the fold; all on asking. */
  function draw(notices) {
    bar.hidden = notices.length === 0;
    const more = notices.length - FEW;
    const toggle = more > 0
      ? h('button', {
        id: 'protocol-more', type: 'button',
        onclick: () => {
          expanded = !expanded;
          refresh();
        },
      }, expanded ? 'Show the oldest only' : `Show ${more} more`)
      : null;
    setChildren(bar,
      h('h2', { class: 'protocol-heading' }, notices.length === 1 ? 'For protocol: 1 arrival' : `For protocol: ${notices.length} arrivals`, ' ', toggle),
      h('ul', { class: 'protocol-list' }, (expanded ? notices : notices.slice(0, FEW)).map(line)));
  }

  return refresh;
}
