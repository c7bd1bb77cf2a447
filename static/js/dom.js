// Small DOM helpers. Every piece of data text goes through createTextNode /
// textContent: this module never parses HTML, so nothing from the API can
// become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyAttrs(node, attrs) {
  if (!attrs) return node;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class' || key === 'className') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'style') {
      // CSSOM assignment is allowed by the page's CSP (style attributes are not).
      for (const [k, v] of Object.entries(value)) node.style.setProperty(k, v);
    } else if (key === 'hidden' && node instanceof HTMLElement) {
      node.hidden = Boolean(value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  return node;
}

function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** el('p', {class: 'x'}, 'text', otherNode) — strings become text nodes. */
export function el(tag, attrs, ...children) {
  return appendChildren(applyAttrs(document.createElement(tag), attrs), children);
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  return appendChildren(applyAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** Replaces a node's children; strings become text, and null, undefined or false are skipped (append would write "null"). */
export function fill(node, ...children) {
  clear(node);
  return appendChildren(node, children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Returns the URL when it is an absolute http(s) URL, otherwise null. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string' || value.trim() === '') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Link to an external page: new tab, no opener, no referrer. */
export function externalLink(url, ...children) {
  const href = safeHttpUrl(url);
  if (!href) return el('span', null, ...children);
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, ...children);
}

export function debounce(fn, ms) {
  let timer = 0;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.flush = (...args) => { clearTimeout(timer); fn(...args); };
  return wrapped;
}
