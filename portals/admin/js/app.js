import { api, whenSignedOut } from './api.js';
import { alertBox, el } from './dom.js';
import { renderAudit } from './pages/audit.js';
import { renderImports } from './pages/imports.js';
import { renderKeys } from './pages/keys.js';
import { renderLogs } from './pages/logs.js';
import { renderMovies } from './pages/movies.js';
import { renderOverview } from './pages/overview.js';
import { renderQueues } from './pages/queues.js';
import { renderUsers } from './pages/users.js';

const PAGES = {
  overview: renderOverview, movies: renderMovies, imports: renderImports, keys: renderKeys,
  logs: renderLogs, users: renderUsers, queues: renderQueues, audit: renderAudit,
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const session = document.getElementById('session');
let signedIn = false;
/** Pages stop their timers (the import progress poll) when the admin leaves them. */
let leavePage = () => {};

function showLogin(problem) {
  signedIn = false;
  leavePage();
  nav.hidden = true;
  session.hidden = true;
  const error = el('div');
  if (problem) error.append(alertBox('warning', problem));
  const form = el('form', { class: 'card card-body login-card mx-auto', id: 'login-form' },
    el('h1', { class: 'h4' }, 'Sign in'), error,
    el('label', { class: 'form-label', for: 'username' }, 'Username'),
    el('input', { class: 'form-control mb-2', id: 'username', name: 'username', autocomplete: 'username', required: true }),
    el('label', { class: 'form-label', for: 'password' }, 'Password'),
    el('input', { class: 'form-control mb-3', id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { class: 'btn btn-primary', type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/login', { method: 'POST', body: { username: form.username.value, password: form.password.value } });
      await start();
    } catch (e) {
      error.replaceChildren(alertBox('danger', e.message));
    }
  });
  main.replaceChildren(form);
}

function route() {
  if (!signedIn) return;
  leavePage();
  const name = location.hash.replace(/^#/, '') || 'overview';
  const render = PAGES[name] ?? PAGES.overview;
  for (const link of nav.querySelectorAll('a.nav-link')) {
    const active = link.getAttribute('href') === `#${name}`;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const page = el('div', { dataset: { page: name } });
  main.replaceChildren(page);
  leavePage = render(page) ?? (() => {});
}

async function start() {
  try {
    const me = await api('/session');
    signedIn = true;
    document.getElementById('session-user').textContent = me.username;
    nav.hidden = false;
    session.hidden = false;
    route();
  } catch {
    showLogin();
  }
}

whenSignedOut(() => { if (signedIn) showLogin('Your session has ended; sign in again.'); });
document.getElementById('logout').addEventListener('click', async () => {
  await api('/logout', { method: 'POST' }).catch(() => undefined);
  showLogin();
});
window.addEventListener('hashchange', route);
void start();
