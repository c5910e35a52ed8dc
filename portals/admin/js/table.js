import { query } from './api.js';
import { alertBox, el, number } from './dom.js';

/**
 * A server-side table: search, filters, sort on every sortable column and paging are all query
 * parameters of one API call, so it works the same for 10 rows or a million.
 *
 * columns: [{ key, label, sort: false | 'field', render(row) → text or Node }]
 * filters: [{ name, label, type: 'text' | 'select' | 'date' | 'number', options: [[value, label]] }]
 * load(params) → Promise<{ data, meta: { page, total, total_pages } }>
 */
export function dataTable({ columns, load, filters = [], sort, limit = 20, searchLabel = 'Search', exportHref, name }) {
  const state = { page: 1, limit, sort, values: {} };
  const form = el('form', { class: 'row g-2 align-items-end mb-2', role: 'search', 'aria-label': `${name} filters` });
  const inputs = {};
  const addField = (field) => {
    let input;
    const id = `${name}-${field.name}`;
    if (field.type === 'select') {
      input = el('select', { class: 'form-select form-select-sm', id, name: field.name }, field.options.map(([value, label]) => el('option', { value }, label)));
    } else {
      input = el('input', { class: 'form-control form-control-sm', id, name: field.name, type: field.type ?? 'text', placeholder: field.placeholder ?? '' });
    }
    inputs[field.name] = input;
    form.append(el('div', { class: field.wide ? 'col-12 col-md-4' : 'col-6 col-md-2' }, el('label', { class: 'form-label small mb-0', for: id }, field.label), input));
  };
  addField({ name: 'q', label: searchLabel, wide: true, type: 'search' });
  filters.forEach(addField);
  const exportLink = exportHref ? el('a', { class: 'btn btn-outline-secondary btn-sm', href: '#', download: '' }, 'Export CSV') : null;
  form.append(el('div', { class: 'col-12 col-md-auto d-flex gap-2' }, el('button', { class: 'btn btn-primary btn-sm', type: 'submit' }, 'Apply'), exportLink));

  const head = el('tr');
  const marks = {};
  for (const column of columns) {
    if (!column.sort) {
      head.append(el('th', { scope: 'col' }, column.label));
      continue;
    }
    marks[column.sort] = el('span', { class: 'sort-mark', 'aria-hidden': 'true' });
    const th = el('th', { scope: 'col', class: 'sortable', tabindex: '0', dataset: { sort: column.sort } }, column.label, ' ', marks[column.sort]);
    const toggle = () => {
      state.sort = state.sort === column.sort ? `-${column.sort}` : column.sort;
      state.page = 1;
      refresh();
    };
    th.addEventListener('click', toggle);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') toggle(); });
    head.append(th);
  }
  const body = el('tbody');
  const message = el('div');
  const info = el('span', { class: 'small text-body-secondary' });
  const prev = el('button', { class: 'btn btn-outline-secondary btn-sm', type: 'button' }, '‹ Prev');
  const next = el('button', { class: 'btn btn-outline-secondary btn-sm', type: 'button' }, 'Next ›');
  prev.addEventListener('click', () => { state.page -= 1; refresh(); });
  next.addEventListener('click', () => { state.page += 1; refresh(); });
  const element = el('section', { class: 'data-table', dataset: { table: name } },
    form, message,
    el('div', { class: 'table-responsive' }, el('table', { class: 'table table-sm table-striped align-middle' }, el('thead', {}, head), body)),
    el('div', { class: 'd-flex align-items-center justify-content-between gap-2' }, info, el('div', { class: 'btn-group' }, prev, next)));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const [field, input] of Object.entries(inputs)) state.values[field] = input.value.trim();
    state.page = 1;
    refresh();
  });

  function params() {
    return { ...state.values, sort: state.sort, page: state.page, limit: state.limit };
  }

  async function refresh() {
    for (const [field, mark] of Object.entries(marks)) {
      mark.textContent = state.sort === field ? '▲' : state.sort === `-${field}` ? '▼' : '';
      mark.parentElement.setAttribute('aria-sort', state.sort === field ? 'ascending' : state.sort === `-${field}` ? 'descending' : 'none');
    }
    if (exportLink) exportLink.href = `${exportHref}${query({ ...state.values, sort: state.sort })}`;
    element.setAttribute('aria-busy', 'true');
    try {
      const { data, meta } = await load(params());
      message.replaceChildren();
      body.replaceChildren(...(data.length ? data.map((row) => el('tr', {}, columns.map((c) => el('td', { class: c.class }, c.render ? c.render(row) : row[c.key] ?? '—'))))
        : [el('tr', {}, el('td', { colspan: columns.length, class: 'text-center text-body-secondary' }, 'Nothing matches.'))]));
      const pages = Math.max(1, meta.total_pages);
      info.textContent = `Page ${meta.page ?? state.page} of ${pages} · ${number(meta.total)}${meta.total_estimated ? '+' : ''} rows`;
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
    } catch (error) {
      body.replaceChildren();
      message.replaceChildren(alertBox('danger', error.message));
      info.textContent = '';
    } finally {
      element.setAttribute('aria-busy', 'false');
    }
  }

  return { element, refresh };
}
