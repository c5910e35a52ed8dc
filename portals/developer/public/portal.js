// Developer portal behaviour: copy buttons, key actions on /me (with the CSRF token), the usage
// chart and the playground. Everything a user typed is written with textContent, never as HTML.
(function () {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy]');
    if (!button) return;
    const input = document.querySelector(button.dataset.copy);
    input.select();
    const done = () => { button.textContent = 'Copied'; setTimeout(() => { button.textContent = 'Copy'; }, 2000); };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, () => { document.execCommand('copy'); done(); });
    else { document.execCommand('copy'); done(); }
  });

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) throw new Error(json?.detail ?? `${response.status} ${response.statusText}`);
    return json;
  }

  const keyError = document.getElementById('key-error');
  function showError(message) {
    keyError.textContent = message;
    keyError.classList.remove('d-none');
  }

  /** The raw key is shown once, then the page reloads the table without it. */
  function showRawKey(label, created) {
    sessionStorage.setItem('marquee-raw-key', JSON.stringify({ label, key: created.key }));
    window.location.reload();
  }
  const pending = sessionStorage.getItem('marquee-raw-key');
  if (pending && document.getElementById('raw-key-box')) {
    sessionStorage.removeItem('marquee-raw-key');
    const { label, key } = JSON.parse(pending);
    document.getElementById('raw-key-label').textContent = label;
    document.getElementById('new-raw-key').value = key;
    document.getElementById('raw-key-box').classList.remove('d-none');
    const pgKey = document.getElementById('pg-key');
    if (pgKey && !pgKey.value) pgKey.value = key;
  }

  document.getElementById('create-key-form')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = event.target.elements.name.value.trim();
    try {
      const created = await api('POST', '/me/keys', { name });
      showRawKey(`Your new key "${created.name}"`, created);
    } catch (error) { showError(error.message); }
  });

  const modalElement = document.getElementById('confirm-modal');
  let confirmAction = null;
  document.getElementById('confirm-ok')?.addEventListener('click', async () => {
    const action = confirmAction;
    confirmAction = null;
    bootstrap.Modal.getOrCreateInstance(modalElement).hide();
    if (action) await action();
  });
  function confirmThen(title, text, action) {
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    confirmAction = action;
    bootstrap.Modal.getOrCreateInstance(modalElement).show();
  }

  document.querySelectorAll('[data-action]').forEach((button) => {
    button.addEventListener('click', () => {
      const { keyId, keyName, action } = button.dataset;
      if (action === 'rotate') {
        confirmThen('Rotate this key?', `"${keyName}" gets a new value; the current value stops working at once.`, async () => {
          try { showRawKey(`The new value of "${keyName}"`, await api('POST', `/me/keys/${keyId}/rotate`)); } catch (error) { showError(error.message); }
        });
      } else if (action === 'delete') {
        confirmThen('Delete this key?', `"${keyName}" stops working at once. This cannot be undone.`, async () => {
          try { await api('DELETE', `/me/keys/${keyId}`); window.location.reload(); } catch (error) { showError(error.message); }
        });
      }
    });
  });

  // Usage chart: daily bars of this month beside last month, by day of month.
  const canvas = document.getElementById('usage-chart');
  if (canvas && window.Chart) {
    const now = new Date();
    const iso = (d) => d.toISOString().slice(0, 10);
    const thisStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const lastStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const thisEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
    api('GET', `/me/usage?from=${iso(lastStart)}&to=${iso(thisEnd)}&bucket=day`).then((usage) => {
      const days = Array.from({ length: 31 }, (_, i) => i + 1);
      const byDate = new Map(usage.data.map((b) => [b.date, b.requests]));
      const series = (start) => days.map((day) => {
        const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), day));
        return date.getUTCMonth() === start.getUTCMonth() ? byDate.get(iso(date)) ?? 0 : null;
      });
      const thisMonth = series(thisStart);
      const lastMonth = series(lastStart);
      const month = (d) => d.toLocaleString('en', { month: 'long', timeZone: 'UTC' });
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: days,
          datasets: [
            { label: month(thisStart), data: thisMonth, backgroundColor: '#0d6efd' },
            { label: month(lastStart), data: lastMonth, backgroundColor: '#adb5bd' },
          ],
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
      const sum = (xs) => xs.reduce((a, b) => a + (b ?? 0), 0);
      document.getElementById('usage-summary').textContent =
        `${month(thisStart)}: ${sum(thisMonth)} requests · ${month(lastStart)}: ${sum(lastMonth)} requests`;
      canvas.dataset.rendered = 'true';
    }).catch((error) => { document.getElementById('usage-summary').textContent = `Usage could not be loaded: ${error.message}`; });
  }

  // Playground: builds the URL from the fields of the chosen endpoint and calls it with the key.
  const playground = document.getElementById('playground');
  if (playground) {
    const endpoint = playground.elements.endpoint;
    const showFields = () => {
      playground.querySelectorAll('[data-for]').forEach((field) => {
        field.classList.toggle('d-none', !field.dataset.for.split(' ').includes(endpoint.value));
      });
      document.getElementById('pg-url').textContent = buildUrl();
    };
    const buildUrl = () => {
      if (endpoint.value === '/movies/{id}') return `/movies/${encodeURIComponent(playground.elements.id.value.trim())}`;
      const params = new URLSearchParams();
      playground.querySelectorAll('[data-for]').forEach((field) => {
        if (field.classList.contains('d-none')) return;
        const input = field.querySelector('input');
        if (input.value.trim() !== '') params.set(input.name, input.value.trim());
      });
      const query = params.toString();
      return query ? `${endpoint.value}?${query}` : endpoint.value;
    };
    endpoint.addEventListener('change', showFields);
    playground.addEventListener('input', () => { document.getElementById('pg-url').textContent = buildUrl(); });
    showFields();
    playground.addEventListener('submit', async (event) => {
      event.preventDefault();
      const url = buildUrl();
      const result = document.getElementById('pg-result');
      const status = document.getElementById('pg-status');
      const headers = document.getElementById('pg-headers');
      const body = document.getElementById('pg-body');
      try {
        const response = await fetch(url, { headers: { 'X-API-KEY': playground.elements.key.value.trim() }, credentials: 'omit' });
        const text = await response.text();
        status.textContent = `${response.status} ${response.statusText}`;
        status.className = `badge fs-6 ${response.ok ? 'text-bg-success' : 'text-bg-danger'}`;
        headers.replaceChildren();
        for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-quota-limit', 'x-quota-remaining', 'retry-after']) {
          const value = response.headers.get(name);
          if (value === null) continue;
          const dt = document.createElement('dt'); dt.className = 'col-6 col-sm-4 font-monospace'; dt.textContent = name;
          const dd = document.createElement('dd'); dd.className = 'col-6 col-sm-8 mb-0'; dd.textContent = value;
          headers.append(dt, dd);
        }
        try { body.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { body.textContent = text; }
      } catch (error) {
        status.textContent = 'Network error';
        status.className = 'badge fs-6 text-bg-danger';
        body.textContent = error.message;
      }
      result.classList.remove('d-none');
    });
  }
})();
