// Building DOM nodes without innerHTML: strings always become text nodes.

const PROPERTIES = new Set(['value', 'checked']);

/**
 * Builds an element. attrs: `class`, `on<event>` listeners, `value`/`checked` as properties,
 * `true` as an empty attribute, `false`/null/undefined skipped; children: nodes, strings, arrays.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  el.append(...nodes(children));
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

/** Replaces all children of `el` with `children` (nodes, strings, arrays). */
export function setChildren(el, ...children) {
  el.replaceChildren(...nodes(children));
}

/**
 * Whether `el` is on screen: in the page, and neither it nor a view holding it hidden. An
 * answer that comes once the operator has gone to another view says itself in the message
 * line instead of in (or over) a view they no longer see.
 */
export function isShown(el) {
  return el.isConnected && el.closest('[hidden]') === null;
}

/** Removes all children of `el`. */
export function clear(el) {
  el.replaceChildren();
}

function nodes(children) {
  const out = [];
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    out.push(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return out;
}
