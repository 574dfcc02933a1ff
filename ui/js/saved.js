// "Saved as … / Open": where the desk wrote a file, and a button that opens it.

import { openPath } from './api.js';
import { h } from './dom.js';

/** Builds the component; returns {element, show(message, path), hide()}. `id` prefixes its ids. */
export function createSavedFile({ id, fail }) {
  const message = h('p', { class: 'print-message' });
  const path = h('span', { id: `${id}-path`, class: 'path' });
  const open = h('button', { id: `${id}-open`, type: 'button' }, 'Open');
  const element = h('section', { id, class: 'print-result', role: 'status', hidden: true },
    message, h('p', {}, 'Saved as ', path, ' ', open));
  open.addEventListener('click', () => openPath(path.textContent).catch(fail));
  return {
    element,
    show(text, file) {
      message.textContent = text;
      path.textContent = file;
      element.hidden = false;
    },
    hide() {
      element.hidden = true;
    },
  };
}
