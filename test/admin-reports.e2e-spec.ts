import { v7 as uuidv7 } from 'uuid';
import { uuidv7Ms } from '@marquee/common';
import { adminToken, call, createKey, eventually, stack, uniqueEmail, withDb } from './support/e2e';

/** Request logs, usage analytics and the audit trail, as the admin portal reads them. */
describe('Admin reports: request logs, analytics and audit', () => {
  let gateway: string;
  let token: string;
  let key: { id: string; key: string; prefix: string };
  let owner: string;
  const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    call(gateway, `/admin/api${path}`, { ...init, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    token = await adminToken();
    owner = uniqueEmail('reports');
    key = (await createKey(token, owner, 'pro', 'Reports key')) as typeof key;
    const api = (path: string) => call(gateway, path, { headers: { 'x-api-key': key.key } });
    for (let i = 0; i < 6; i += 1) expect((await api(`/movies?limit=1&page=${i + 1}`)).status).toBe(200);
    expect((await api('/movies/999999999')).status).toBe(404);
    expect((await api('/search')).status).toBe(400);
    await eventually(() => admin(`/logs?key_id=${key.id}`), (a) => a.body?.meta?.total === 8);
  });

  it('lists request logs filtered by key, endpoint, status and date range, sorted and paged', async () => {
    const all = await admin(`/logs?key_id=${key.id}&limit=5`);
    expect(all.status).toBe(200);
    expect(all.body.meta).toMatchObject({ page: 1, limit: 5, total: 8, total_pages: 2, total_estimated: false });
    expect(all.body.data[0]).toMatchObject({ key_id: key.id, key_prefix: key.prefix, key_name: 'Reports key', owner_email: owner, method: 'GET', counted: true });
    const stamps = all.body.data.map((l: { timestamp: string }) => l.timestamp);
    expect(stamps).toEqual([...stamps].sort().reverse());
    // A call's time is its arrival, which its request id (UUIDv7) carries.
    for (const l of all.body.data) expect(Date.parse(l.timestamp)).toBe(uuidv7Ms(l.id));
    const everyKey = (await admin('/logs?limit=50')).body.data as { id: string; timestamp: string }[];
    expect(everyKey.map((l) => l.id)).toEqual(everyKey.map((l) => l.id).sort().reverse());
    expect(everyKey.map((l) => l.timestamp)).toEqual(everyKey.map((l) => l.timestamp).sort().reverse());

    const errors = await admin(`/logs?key_id=${key.id}&status=4xx&sort=status`);
    expect(errors.body.data.map((l: { status: number }) => l.status)).toEqual([400, 404]);
    expect((await admin(`/logs?key_id=${key.id}&status=404`)).body.data.map((l: { endpoint: string }) => l.endpoint)).toEqual(['/movies/999999999']);
    const ids = (await admin(`/logs?key_id=${key.id}`)).body.data.map((l: { id: string }) => l.id);
    expect(new Set(ids).size).toBe(8);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await admin(`/logs?q=${encodeURIComponent(owner)}&endpoint=search`)).body.meta.total).toBe(1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await admin(`/logs?key_id=${key.id}&from=${future}`)).body.meta.total).toBe(0);
    expect((await admin(`/logs?key_id=${key.id}&to=${future}&sort=latency_ms`)).body.meta.total).toBe(8);
    for (const sort of ['endpoint', '-method', 'key_prefix', '-owner_email', 'timestamp']) expect((await admin(`/logs?key_id=${key.id}&sort=${sort}`)).status).toBe(200);
    // A range's ends are exact to the millisecond, with a key and over all keys.
    const times = (await admin(`/logs?key_id=${key.id}`)).body.data.map((l: { timestamp: string }) => Date.parse(l.timestamp));
    const cut = times[3];
    const ranged = async (query: string) => (await admin(`/logs?q=${encodeURIComponent(owner)}&${query}`)).body.meta.total;
    expect(await ranged(`from=${new Date(cut).toISOString()}`)).toBe(times.filter((t: number) => t >= cut).length);
    expect(await ranged(`from=${new Date(cut + 1).toISOString()}`)).toBe(times.filter((t: number) => t > cut).length);
    expect(await ranged(`to=${new Date(cut).toISOString()}`)).toBe(times.filter((t: number) => t < cut).length);
    expect(await ranged(`to=${new Date(cut + 1).toISOString()}&key_id=${key.id}`)).toBe(times.filter((t: number) => t <= cut).length);

    const bad = await admin('/logs?status=600&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('status');
    expect(bad.body.detail).toContain('from');
    expect((await admin('/logs?from=2026-12-01&to=2026-01-01')).body).toMatchObject({ status: 400, detail: 'from must be before to' });
    expect((await call(gateway, '/admin/api/logs/export.csv?from=2026-12-01&to=2026-01-01', { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    const deep = await admin('/logs?page=101&limit=100');
    expect(deep.status).toBe(400);
    expect(deep.body.detail).toBe('page 101 is past the deepest page reachable by number (10000 rows); narrow the filter (from, to, key_id) or export the rows as CSV');
  });

  it('exports the filtered request logs as CSV', async () => {
    const exported = await call(gateway, `/admin/api/logs/export.csv?key_id=${key.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const lines = (exported.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('timestamp,method,endpoint,status,latency_ms,counted,key_id,key_prefix,key_name,owner_email');
    expect(lines).toHaveLength(9);
    expect(lines.filter((l) => l.includes(',404,'))).toHaveLength(1);
  });

  it('exports a log longer than one export page (5,000 rows) whole, newest first, every row once', async () => {
    const big = await createKey(token, uniqueEmail('export'), 'pro', 'Export key');
    const rows = 12_000;
    const start = Date.now() - 3_600_000;
    await withDb((db) => db.query(
      `insert into usage_logs (request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at)
       select id, $1, 'GET', '/movies/' || n, 200, 1.5, true, to_timestamp(($3::float8 + n) / 1000)
       from unnest($2::uuid[]) with ordinality as t(id, n)`,
      [big.id, Array.from({ length: rows }, (_, n) => uuidv7({ msecs: start + n + 1 })), start]));

    const exported = await call(gateway, `/admin/api/logs/export.csv?key_id=${big.id}`, { headers: { authorization: `Bearer ${token}` } });

    expect(exported.status).toBe(200);
    const lines = (exported.body as string).trim().split('\r\n').slice(1).map((l) => l.split(','));
    expect(lines).toHaveLength(rows);
    expect(new Set(lines.map((l) => l[2])).size).toBe(rows);
    expect(lines[0][2]).toBe(`/movies/${rows}`);
    expect(lines[rows - 1][2]).toBe('/movies/1');
    const stamps = lines.map((l) => l[0]);
    expect(stamps).toEqual([...stamps].sort().reverse());
  });

  it('answers the overview, the hourly timeseries and the leaderboard with error rate and p95 per key', async () => {
    const overview = await admin('/analytics/overview');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ requests: expect.any(Number), errors: expect.any(Number), active_keys: expect.any(Number), movies: expect.any(Number) });
    expect(overview.body.requests).toBeGreaterThanOrEqual(8);
    expect(overview.body.movies).toBeGreaterThanOrEqual(500);
    expect(overview.body.p95_latency_ms).toBeGreaterThan(0);
    expect(overview.body.error_rate).toBeCloseTo(overview.body.errors / overview.body.requests, 3);

    const series = await admin('/analytics/timeseries?bucket=hour');
    expect(series.status).toBe(200);
    expect(series.body.length).toBeGreaterThanOrEqual(24);
    const thisHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const now = series.body.find((p: { at: string }) => p.at === thisHour);
    expect(now.requests).toBeGreaterThanOrEqual(8);
    expect(series.body.reduce((n: number, p: { errors: number }) => n + p.errors, 0)).toBeGreaterThanOrEqual(2);

    const board = await eventually(() => admin('/analytics/leaderboard?limit=100'), (a) => a.body.some((e: { key_id: string }) => e.key_id === key.id));
    const mine = board.body.find((e: { key_id: string }) => e.key_id === key.id);
    expect(mine).toMatchObject({ key_prefix: key.prefix, owner_email: owner, plan: 'pro', requests: 8, errors: 2, error_rate: 0.25 });
    expect(mine.p95_latency_ms).toBeGreaterThan(0);

    expect((await admin('/analytics/timeseries?from=2026-01-01&to=2026-12-31&bucket=hour')).status).toBe(400);
    expect((await admin('/analytics/overview?from=2026-11-23&to=2026-11-22')).body.detail).toContain('from must be before to');
  });

  it('records every admin action in the audit trail: who, what, when, on which key', async () => {
    const target = await createKey(token, uniqueEmail('audit'), 'free', 'Audited key');
    await admin(`/keys/${target.id}/suspend`, { method: 'POST' });
    await admin(`/keys/${target.id}/resume`, { method: 'POST' });
    await admin(`/keys/${target.id}`, { method: 'PATCH', body: { plan: 'pro' } });
    await admin(`/keys/${target.id}/reset-usage`, { method: 'POST' });
    await admin(`/keys/${target.id}`, { method: 'DELETE' });
    const trail = await admin(`/audit?target_id=${target.id}&sort=created_at`);
    expect(trail.status).toBe(200);
    expect(trail.body.data.map((e: { action: string }) => e.action)).toEqual(['key.create', 'key.suspend', 'key.resume', 'key.change-plan', 'key.reset-usage', 'key.delete']);
    expect(trail.body.data[0]).toMatchObject({ actor_name: 'admin', target_type: 'key', target_id: target.id, detail: { name: 'Audited key', plan: 'free' } });
    expect(JSON.stringify(trail.body)).not.toContain(target.key);
    expect(Date.parse(trail.body.data[0].created_at)).toBeGreaterThan(Date.now() - 60_000);
    const logins = await admin('/audit?action=admin.login&limit=1');
    expect(logins.body.data[0]).toMatchObject({ action: 'admin.login', actor_name: 'admin', target_type: 'session' });
    expect((await admin('/audit?sort=actor_name&q=audited')).body.meta.total).toBeGreaterThanOrEqual(6);
  });

  it('refuses a filter no entry can match, an unknown action or HTTP method, with 400 naming it, instead of an empty page', async () => {
    const action = await admin('/audit?action=key.explode');
    expect(action.status).toBe(400);
    expect(action.headers.get('content-type')).toContain('application/problem+json');
    expect(action.body.detail).toBe('action must be one of admin.login, key.create, key.suspend, key.resume, key.reset-usage, key.change-plan, key.delete, import.create');
    const method = await admin('/logs?method=FETCH');
    expect(method.status).toBe(400);
    expect(method.body.detail).toBe('method must be an HTTP method such as GET or HEAD');
    expect((await admin('/logs?method=get')).status).toBe(200);
    expect((await admin('/audit?action=key.delete')).status).toBe(200);
  });
});
