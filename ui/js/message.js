// The one message area (#message): errors in red, information in blue.

const box = () => document.getElementById('message');
const bar = () => document.getElementById('message-bar');
const closeButton = () => document.getElementById('message-close');

function show(kind, text, { fatal = false } = {}) {
  const el = box();
  const cls = kind === 'info' ? 'info' : 'error';
  // Information is announced politely; an error interrupts.
  el.setAttribute('role', cls === 'info' ? 'status' : 'alert');
  el.textContent = text;
  el.className = fatal ? `${cls} fatal` : cls;
  el.dataset.kind = kind;
  bar().dataset.kind = cls;
  closeButton().hidden = fatal;
}

/** Shows an information message (not an error). */
export function showInfo(text) {
  show('info', text);
}

/** Shows an AppError's message verbatim, in red; `fatal` makes it big and undismissable. */
export function showError(err, options) {
  show(err.kind, err.message, options);
}

/** Empties the message area. */
export function clearMessage() {
  const el = box();
  el.textContent = '';
  el.className = '';
  delete el.dataset.kind;
  delete bar().dataset.kind;
  closeButton().hidden = true;
}

/** Empties the message area only if it still shows `text`. */
export function clearMessageIf(text) {
  if (box().textContent === text) clearMessage();
}

/** Wires the close button of the message area. */
export function initMessage() {
  closeButton().addEventListener('click', clearMessage);
}
