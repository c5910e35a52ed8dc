import { el, pageHeader } from '../dom.js';

export function renderQueues(page) {
  page.append(
    pageHeader('Queues', el('a', { class: 'btn btn-outline-secondary btn-sm', href: '/admin/queues', target: '_blank', rel: 'noopener' }, 'Open in a new tab')),
    el('p', { class: 'small text-body-secondary' }, 'csv-import and usage-logs, read-only (bull-board).'),
    el('iframe', { class: 'queue-frame', src: '/admin/queues', title: 'Queue board' }));
}
