/**
 * Builds elements from data with textContent only: nothing the API returns is ever parsed as
 * HTML, so a title like <img src=x onerror=alert(1)> shows as text.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export const number = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString());
export const percent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)} %`);

export function alertBox(kind, ...content) {
  return el('div', { class: `alert alert-${kind}`, role: kind === 'danger' ? 'alert' : 'status' }, ...content);
}

export function badge(text, kind) {
  return el('span', { class: `badge text-bg-${kind}` }, text);
}

export function pageHeader(title, ...actions) {
  return el('div', { class: 'd-flex flex-wrap align-items-center justify-content-between gap-2 mb-3' },
    el('h1', { class: 'h4 mb-0' }, title), el('div', { class: 'd-flex flex-wrap gap-2' }, ...actions));
}
