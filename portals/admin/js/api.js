/** The admin JSON API, with the session cookie and the CSRF header on every change. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

const SAFE = new Set(['GET', 'HEAD']);
let onUnauthorized = () => {};

export function whenSignedOut(handler) {
  onUnauthorized = handler;
}

function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('marquee_admin_csrf='));
  return match ? decodeURIComponent(match.slice('marquee_admin_csrf='.length)) : '';
}

export async function api(path, { method = 'GET', body, form } = {}) {
  const headers = { accept: 'application/json' };
  if (!SAFE.has(method)) headers['x-csrf-token'] = csrfToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/admin/api${path}`, {
    method, headers, credentials: 'same-origin',
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/login')) onUnauthorized();
    throw new ApiError(response.status, data);
  }
  return data;
}

/** A query string without empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
