import { api, query } from '../api.js';
import { el, dateTime, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

const ACTIONS = ['admin.login', 'key.create', 'key.suspend', 'key.resume', 'key.reset-usage', 'key.change-plan', 'key.delete', 'import.create'];

export function renderAudit(page) {
  const table = dataTable({
    name: 'audit',
    searchLabel: 'Admin, action, target or detail',
    sort: '-created_at',
    filters: [
      { name: 'action', label: 'Action', type: 'select', options: [['', 'Any'], ...ACTIONS.map((a) => [a, a])] },
      { name: 'from', label: 'From', type: 'date' },
      { name: 'to', label: 'Before', type: 'date' },
    ],
    columns: [
      { key: 'created_at', label: 'When', sort: 'created_at', render: (e) => dateTime(e.created_at) },
      { key: 'actor_name', label: 'Who', sort: 'actor_name' },
      { key: 'action', label: 'What', sort: 'action' },
      { key: 'target_type', label: 'Target', sort: 'target_type', render: (e) => (e.target_type ? `${e.target_type} ${e.target_id ?? ''}` : '—'), class: 'wrap mono' },
      { key: 'detail', label: 'Detail', render: (e) => el('code', { class: 'small' }, JSON.stringify(e.detail)), class: 'wrap' },
      { key: 'ip', label: 'IP' },
    ],
    load: (params) => api(`/audit${query(params)}`),
  });
  page.append(pageHeader('Audit'), table.element);
  void table.refresh();
}
