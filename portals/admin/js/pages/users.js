import { api, query } from '../api.js';
import { badge, dateTime, number, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

export function renderUsers(page) {
  const table = dataTable({
    name: 'users',
    searchLabel: 'Name or e-mail',
    sort: '-created_at',
    filters: [{ name: 'verified', label: 'Verified', type: 'select', options: [['', 'Any'], ['true', 'Verified'], ['false', 'Not verified']] }],
    columns: [
      { key: 'name', label: 'Name', sort: 'name', class: 'wrap' },
      { key: 'email', label: 'E-mail', sort: 'email', class: 'wrap' },
      { key: 'verified', label: 'Verified', render: (u) => (u.verified ? badge('verified', 'success') : badge('pending', 'secondary')) },
      { key: 'key_count', label: 'Keys', render: (u) => number(u.key_count) },
      { key: 'created_at', label: 'Signed up', sort: 'created_at', render: (u) => dateTime(u.created_at) },
    ],
    load: (params) => api(`/users${query(params)}`),
  });
  page.append(pageHeader('Users'), table.element);
  void table.refresh();
}
