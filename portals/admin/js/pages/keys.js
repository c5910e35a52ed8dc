import { api, query } from '../api.js';
import { alertBox, badge, dateTime, el, number, pageHeader } from '../dom.js';
import { dataTable } from '../table.js';

export function renderKeys(page) {
  const notice = el('div', { id: 'keys-notice' });
  // The seeded plans; the keys service refuses (422) any other.
  const plans = ['free', 'pro', 'unlimited'];

  async function act(label, call) {
    try {
      const key = await call();
      notice.replaceChildren(alertBox('success', `${label}: key ${key.prefix} (${key.name}) is now ${key.status} on ${key.plan}.`));
      await table.refresh();
    } catch (error) {
      notice.replaceChildren(alertBox('danger', `${label} failed: ${error.message}`));
    }
  }

  function actions(key) {
    const button = (text, kind, onclick) => el('button', { class: `btn btn-outline-${kind} btn-sm`, type: 'button', onclick }, text);
    const planSelect = el('select', { class: 'form-select form-select-sm w-auto', 'aria-label': `Plan of ${key.prefix}` },
      plans.map((p) => el('option', { value: p, selected: p === key.plan }, p)));
    planSelect.addEventListener('change', () => act('Plan changed', () => api(`/keys/${key.id}`, { method: 'PATCH', body: { plan: planSelect.value } })));
    return el('div', { class: 'd-flex flex-wrap gap-1' },
      key.status === 'active'
        ? button('Suspend', 'warning', () => act('Suspended', () => api(`/keys/${key.id}/suspend`, { method: 'POST' })))
        : button('Resume', 'success', () => act('Resumed', () => api(`/keys/${key.id}/resume`, { method: 'POST' }))),
      button('Reset usage', 'secondary', () => act('Usage reset', () => api(`/keys/${key.id}/reset-usage`, { method: 'POST' }))),
      planSelect,
      button('Delete', 'danger', () => {
        if (!window.confirm(`Delete key ${key.prefix} (${key.name})? Its next call will be refused.`)) return;
        void act('Deleted', () => api(`/keys/${key.id}`, { method: 'DELETE' }));
      }));
  }

  const table = dataTable({
    name: 'keys',
    searchLabel: 'Name, owner or prefix',
    sort: '-created_at',
    filters: [
      { name: 'status', label: 'Status', type: 'select', options: [['', 'Any'], ['active', 'Active'], ['suspended', 'Suspended']] },
      { name: 'plan', label: 'Plan', type: 'select', options: [['', 'Any'], ...plans.map((p) => [p, p])] },
    ],
    columns: [
      { key: 'prefix', label: 'Prefix', class: 'mono' },
      { key: 'name', label: 'Name', sort: 'name', class: 'wrap' },
      { key: 'owner_email', label: 'Owner', sort: 'owner_email', class: 'wrap' },
      { key: 'plan', label: 'Plan', sort: 'plan' },
      { key: 'status', label: 'Status', sort: 'status', render: (k) => badge(k.status, k.status === 'active' ? 'success' : 'warning') },
      { key: 'usage_count', label: 'Usage', sort: 'usage_count', render: (k) => `${number(k.usage_count)} / ${k.quota === null ? '∞' : number(k.quota)}` },
      { key: 'last_used_at', label: 'Last used', sort: 'last_used_at', render: (k) => dateTime(k.last_used_at) },
      { key: 'created_at', label: 'Created', sort: 'created_at', render: (k) => dateTime(k.created_at) },
      { key: 'actions', label: 'Actions', render: actions },
    ],
    load: (params) => api(`/keys${query(params)}`),
  });

  const form = el('form', { class: 'row g-2 align-items-end mb-3', id: 'create-key' },
    el('div', { class: 'col-12 col-md-4' }, el('label', { class: 'form-label small mb-0', for: 'key-owner' }, 'Owner e-mail'),
      el('input', { class: 'form-control form-control-sm', id: 'key-owner', name: 'owner_email', type: 'email', required: true })),
    el('div', { class: 'col-6 col-md-3' }, el('label', { class: 'form-label small mb-0', for: 'key-name' }, 'Name'),
      el('input', { class: 'form-control form-control-sm', id: 'key-name', name: 'name', required: true, maxlength: '100' })),
    el('div', { class: 'col-6 col-md-2' }, el('label', { class: 'form-label small mb-0', for: 'key-plan' }, 'Plan'),
      el('select', { class: 'form-select form-select-sm', id: 'key-plan', name: 'plan' }, plans.map((p) => el('option', { value: p }, p)))),
    el('div', { class: 'col-12 col-md-auto' }, el('button', { class: 'btn btn-primary btn-sm', type: 'submit' }, 'Create key')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api('/keys', { method: 'POST', body: { owner_email: form.owner_email.value, name: form.name.value, plan: form.plan.value } });
      notice.replaceChildren(alertBox('success', `Key created for ${created.owner_email}. Copy it now; it is shown only this once: `,
        el('code', { class: 'raw-key', id: 'raw-key' }, created.key)));
      form.reset();
      await table.refresh();
    } catch (error) {
      notice.replaceChildren(alertBox('danger', `Create failed: ${error.message}`));
    }
  });

  page.append(pageHeader('API keys'), form, notice, table.element);
  void table.refresh();
}
