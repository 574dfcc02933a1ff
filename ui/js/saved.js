// "Saved as … / Open": where the desk wrote a file, and a button that opens it.

import { openPath } from './api.js';
import { h } from './dom.js';

/**
 * Builds the component; returns {element, show(message, path), hide(), focus()}. `id` prefixes
 * its ids; `openLabel` names the button ("Open PDF").
 */
export function createSavedFile({ id, fail, openLabel = 'Open' }) {
  const message = h('p', { class: 'print-message' });
  const path = h('span', { id: `${id}-path`, class: 'path' });
  const open = h('button', { id: `${id}-open`, type: 'button' }, openLabel);
  const element = h('section', { id, class: 'print-result', role: 'status', hidden: true },
    message, h('p', {}, 'Saved as ', path, ' ', open));
  open.addEventListener('click', () => openPath(path.textContent).catch(fail));
  return {
    element,
    show(text, file) {
      message.textContent = text;
      message.hidden = !text;
      // A long path may break after each separator, never inside a name.
      path.replaceChildren(...file.split(/(?<=[/\\])/).flatMap((part) => [part, document.createElement('wbr')]));
      element.hidden = false;
    },
    hide() {
      element.hidden = true;
    },
    /** Puts the focus on Open (after a file was written on the operator's request). */
    focus() {
      open.focus();
    },
  };
}
