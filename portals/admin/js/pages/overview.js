import { api, query } from '../api.js';
import { alertBox, el, number, pageHeader, percent } from '../dom.js';

function card(label, value, id) {
  return el('div', { class: 'col-6 col-md' }, el('div', { class: 'card h-100' }, el('div', { class: 'card-body py-2' },
    el('div', { class: 'small text-body-secondary' }, label), el('div', { class: 'fs-4', id }, value))));
}

function hourLabel(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function renderOverview(page) {
  const cards = el('div', { class: 'row g-2 mb-3', id: 'overview-cards' });
  const message = el('div');
  const canvas = el('canvas', { id: 'hourly-chart', 'aria-label': 'Requests and errors per hour, last 24 hours', role: 'img' });
  const board = el('tbody');
  page.append(pageHeader('Overview'), message, cards,
    el('h2', { class: 'h6' }, 'Requests and errors per hour (last 24 hours)'), el('div', { class: 'chart-box mb-3' }, canvas),
    el('h2', { class: 'h6' }, 'Busiest keys today'),
    el('div', { class: 'table-responsive' }, el('table', { class: 'table table-sm', id: 'leaderboard' },
      el('thead', {}, el('tr', {}, ['Key', 'Name', 'Owner', 'Plan', 'Requests', 'Errors', 'Error rate', 'p95 (ms)'].map((h) => el('th', { scope: 'col' }, h)))), board)));
  let chart;

  void (async () => {
    try {
      const [overview, series, leaders] = await Promise.all([
        api('/analytics/overview'), api(`/analytics/timeseries${query({ bucket: 'hour' })}`), api(`/analytics/leaderboard${query({ limit: 10 })}`),
      ]);
      cards.replaceChildren(
        card('Requests today', number(overview.requests), 'stat-requests'),
        card('Error rate', percent(overview.error_rate), 'stat-error-rate'),
        card('p95 latency', overview.p95_latency_ms === null ? '—' : `${overview.p95_latency_ms} ms`, 'stat-p95'),
        card('Active keys', number(overview.active_keys), 'stat-keys'),
        card('Movies', number(overview.movies), 'stat-movies'));
      board.replaceChildren(...leaders.map((k) => el('tr', {},
        el('td', { class: 'mono' }, k.key_prefix), el('td', { class: 'wrap' }, k.key_name), el('td', { class: 'wrap' }, k.owner_email), el('td', {}, k.plan),
        el('td', {}, number(k.requests)), el('td', {}, number(k.errors)), el('td', {}, percent(k.error_rate)), el('td', {}, String(k.p95_latency_ms ?? '—')))));
      if (window.Chart) {
        chart = new window.Chart(canvas, {
          type: 'bar',
          data: {
            labels: series.map((p) => hourLabel(p.at)),
            datasets: [
              { label: 'Requests', data: series.map((p) => p.requests), backgroundColor: '#0d6efd' },
              { label: 'Errors', data: series.map((p) => p.errors), backgroundColor: '#dc3545' },
            ],
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
        });
      }
    } catch (error) {
      message.replaceChildren(alertBox('danger', error.message));
    }
  })();
  return () => chart?.destroy();
}
