import { api, query } from '../api.js';
import { badge, dateTime, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

const statusBadge = (status) => badge(String(status), status >= 500 ? 'danger' : status >= 400 ? 'warning' : 'success');

export function renderLogs(page) {
  const table = dataTable({
    name: 'logs',
    searchLabel: 'Key prefix, key name or owner',
    sort: '-timestamp',
    exportHref: '/admin/api/logs/export.csv',
    filters: [
      { name: 'endpoint', label: 'Endpoint', placeholder: '/movies' },
      { name: 'status', label: 'Status', type: 'select', options: [['', 'Any'], ['2xx', '2xx'], ['3xx', '3xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['401', '401'], ['403', '403'], ['404', '404'], ['429', '429']] },
      { name: 'from', label: 'From', type: 'date' },
      { name: 'to', label: 'Before', type: 'date' },
    ],
    columns: [
      { key: 'timestamp', label: 'Time', sort: 'timestamp', render: (l) => dateTime(l.timestamp) },
      { key: 'method', label: 'Method', sort: 'method' },
      { key: 'endpoint', label: 'Endpoint', sort: 'endpoint', class: 'wrap mono' },
      { key: 'status', label: 'Status', sort: 'status', render: (l) => statusBadge(l.status) },
      { key: 'latency_ms', label: 'Latency (ms)', sort: 'latency_ms', render: (l) => l.latency_ms.toFixed(1) },
      { key: 'key_prefix', label: 'Key', sort: 'key_prefix', class: 'mono' },
      { key: 'owner_email', label: 'Owner', sort: 'owner_email', class: 'wrap' },
    ],
    load: (params) => api(`/logs${query(params)}`),
  });
  page.append(pageHeader('Request logs'), table.element);
  void table.refresh();
}
