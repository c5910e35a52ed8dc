import { api, query } from '../api.js';
import { alertBox, badge, dateTime, el, number, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

const POLL_MS = 500;
const STATUS_KIND = { queued: 'secondary', running: 'info', completed: 'success', failed: 'danger' };

export function renderImports(page) {
  let timer;
  const progressCard = el('section', { id: 'import-progress', class: 'mb-3' });

  function showImport(item) {
    const done = item.status === 'completed' || item.status === 'failed';
    const bar = el('div', {
      class: `progress-bar${done ? '' : ' progress-bar-striped progress-bar-animated'}${item.status === 'failed' ? ' bg-danger' : ''}`,
      role: 'progressbar', 'aria-valuenow': String(item.progress.percent), 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-label': `Import of ${item.file_name}`,
    }, `${item.progress.percent} %`);
    bar.style.width = `${item.progress.percent}%`;
    const c = item.counts;
    const rows = item.progress.rows_total === null ? number(item.progress.rows_done)
      : `${number(item.progress.rows_done)} / ${item.progress.rows_total_estimated ? '~' : ''}${number(item.progress.rows_total)}`;
    const errors = item.errors ?? [];
    progressCard.replaceChildren(el('div', { class: 'card' }, el('div', { class: 'card-body' },
      el('h2', { class: 'h6 d-flex flex-wrap gap-2 align-items-center' }, item.file_name, badge(item.status, STATUS_KIND[item.status]), el('span', { class: 'small text-body-secondary' }, `${item.mode} · ${dateTime(item.created_at)}`)),
      el('div', { class: 'progress mb-2' }, bar),
      el('p', { class: 'small mb-2', id: 'import-rows' }, `Rows ${rows}`),
      item.failure ? alertBox(item.status === 'failed' ? 'danger' : 'warning', item.failure) : null,
      el('dl', { class: 'row small mb-2', id: 'import-counts' }, ...['inserted', 'updated', 'unchanged', 'duplicates', 'rejected', 'deleted']
        .flatMap((k) => [el('dt', { class: 'col-6 col-md-2' }, k), el('dd', { class: 'col-6 col-md-2', dataset: { count: k } }, number(c[k]))])),
      item.unknown_columns.length ? el('p', { class: 'small' }, `Ignored columns: ${item.unknown_columns.join(', ')}`) : null,
      errors.length ? el('div', {},
        el('div', { class: 'd-flex justify-content-between align-items-center' },
          el('h3', { class: 'h6 mb-1' }, `Rejected rows${c.rejected > errors.length ? ` (first ${errors.length} of ${number(c.rejected)})` : ''}`),
          el('a', { class: 'btn btn-outline-secondary btn-sm', href: `/admin/api/imports/${item.id}/report.csv`, download: '' }, 'Download report')),
        el('div', { class: 'table-responsive' }, el('table', { class: 'table table-sm', id: 'rejected-rows' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Line'), el('th', { scope: 'col' }, 'Reason'))),
          el('tbody', {}, errors.slice(0, 200).map((e) => el('tr', {}, el('td', {}, String(e.line)), el('td', { class: 'wrap' }, e.reason)))))))
        : null)));
    return done;
  }

  async function follow(id) {
    clearTimeout(timer);
    try {
      const item = await api(`/imports/${id}`);
      if (showImport(item)) {
        await history.refresh();
        return;
      }
    } catch (error) {
      progressCard.replaceChildren(alertBox('danger', error.message));
      return;
    }
    timer = setTimeout(() => follow(id), POLL_MS);
  }

  const notice = el('div');
  const form = el('form', { class: 'row g-2 align-items-end mb-3', id: 'upload-form' },
    el('div', { class: 'col-12 col-md-5' }, el('label', { class: 'form-label small mb-0', for: 'import-file' }, 'CSV file (title and year required)'),
      el('input', { class: 'form-control form-control-sm', id: 'import-file', name: 'file', type: 'file', accept: '.csv,text/csv', required: true })),
    el('div', { class: 'col-6 col-md-3' }, el('label', { class: 'form-label small mb-0', for: 'import-mode' }, 'Mode'),
      el('select', { class: 'form-select form-select-sm', id: 'import-mode', name: 'mode' },
        el('option', { value: 'merge' }, 'merge: add and update'), el('option', { value: 'replace' }, 'replace: the file becomes the catalogue'))),
    el('div', { class: 'col-6 col-md-auto' }, el('button', { class: 'btn btn-primary btn-sm', type: 'submit' }, 'Upload')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.mode.value === 'replace' && !window.confirm('Replace the whole catalogue with this file? Movies absent from it are deleted.')) return;
    const data = new FormData();
    data.append('mode', form.mode.value);
    data.append('file', form.file.files[0]);
    try {
      const queued = await api('/imports', { method: 'POST', form: data });
      notice.replaceChildren();
      form.reset();
      void follow(queued.id);
    } catch (error) {
      notice.replaceChildren(alertBox('danger', `Upload refused: ${error.message}`));
    }
  });

  const history = dataTable({
    name: 'imports',
    searchLabel: 'File or admin',
    sort: '-created_at',
    filters: [
      { name: 'status', label: 'Status', type: 'select', options: [['', 'Any'], ['queued', 'Queued'], ['running', 'Running'], ['completed', 'Completed'], ['failed', 'Failed']] },
      { name: 'mode', label: 'Mode', type: 'select', options: [['', 'Any'], ['merge', 'Merge'], ['replace', 'Replace']] },
    ],
    columns: [
      { key: 'created_at', label: 'Started', sort: 'created_at', render: (i) => dateTime(i.created_at) },
      { key: 'file_name', label: 'File', sort: 'file_name', class: 'wrap' },
      { key: 'mode', label: 'Mode', sort: 'mode' },
      { key: 'status', label: 'Status', sort: 'status', render: (i) => badge(i.status, STATUS_KIND[i.status]) },
      { key: 'rows', label: 'Rows', sort: 'rows', render: (i) => number(i.counts.rows) },
      { key: 'rejected', label: 'Rejected', sort: 'rejected', render: (i) => number(i.counts.rejected) },
      { key: 'created_by', label: 'By', sort: 'created_by' },
      { key: 'view', label: '', render: (i) => el('button', { class: 'btn btn-link btn-sm p-0', type: 'button', onclick: () => follow(i.id) }, 'Details') },
    ],
    load: (params) => api(`/imports${query(params)}`),
  });

  page.append(pageHeader('Imports'), form, notice, progressCard, el('h2', { class: 'h5' }, 'History'), history.element);
  void history.refresh();
  return () => clearTimeout(timer);
}
