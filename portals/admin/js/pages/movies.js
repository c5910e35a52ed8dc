import { api, query } from '../api.js';
import { el, dateTime, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

export function renderMovies(page) {
  const table = dataTable({
    name: 'movies',
    searchLabel: 'Title',
    sort: 'title',
    exportHref: '/admin/api/movies/export.csv',
    filters: [
      { name: 'genre', label: 'Genre', placeholder: 'drama' },
      { name: 'year', label: 'Year', type: 'number' },
      { name: 'director', label: 'Director' },
    ],
    columns: [
      { key: 'id', label: 'ID', sort: 'id' },
      { key: 'title', label: 'Title', sort: 'title', class: 'wrap' },
      { key: 'year', label: 'Year', sort: 'year' },
      { key: 'genre', label: 'Genre', sort: 'genre', class: 'wrap' },
      { key: 'director', label: 'Director', sort: 'director', class: 'wrap' },
      { key: 'actors', label: 'Actors', sort: 'actors', class: 'wrap' },
      { key: 'updated_at', label: 'Updated', sort: 'updated_at', render: (m) => dateTime(m.updated_at) },
    ],
    load: (params) => api(`/movies${query(params)}`),
  });
  page.append(pageHeader('Movies', el('a', { class: 'btn btn-outline-primary btn-sm', href: '#imports' }, 'Import a CSV')), table.element);
  void table.refresh();
}
