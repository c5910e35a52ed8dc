import { v7 as uuidv7 } from 'uuid';
import { adminToken, call, eventually, stack, uniqueEmail, withDb } from './support/e2e';
import { bearer, Developer, signUpAndVerify } from './support/developers';
import { mailsTo, waitForMails } from './support/mailbox';

describe('Developer self-service (/me) and the admin list of developers', () => {
  let gateway: string;
  let alice: Developer;
  let bob: Developer;
  const me = (who: Developer, method: string, path: string, body?: unknown) => call(gateway, `/me${path}`, { method, headers: bearer(who), body });
  const apiCall = (key: string, path = '/movies?limit=1') => call(gateway, path, { headers: { 'x-api-key': key } });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    [alice, bob] = await Promise.all([signUpAndVerify(gateway, 'alice', 'Alice'), signUpAndVerify(gateway, 'bob', 'Bob')]);
  });

  it('shows the profile and the keys without their raw value', async () => {
    expect((await me(alice, 'GET', '')).body).toMatchObject({ id: alice.id, name: 'Alice', email: alice.email, verified: true });
    const keys = await me(alice, 'GET', '/keys');
    expect(keys.status).toBe(200);
    expect(keys.body).toEqual([expect.objectContaining({
      id: alice.keyId, name: 'Default key', prefix: alice.key.slice(0, 8), plan: 'free', status: 'active', quota: 1000,
      usage_count: expect.any(Number), created_at: expect.any(String), last_used_at: null,
    })]);
    expect(JSON.stringify(keys.body)).not.toContain(alice.key);
    expect((await call(gateway, '/me/keys')).status).toBe(401);
  });

  it("creates keys up to the plan's max_keys (409 past it), rotates and deletes them with immediate effect", async () => {
    const dev = await signUpAndVerify(gateway, 'keys');
    const created = await me(dev, 'POST', '/keys', { name: 'Staging' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Staging', plan: 'free', key: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await apiCall(created.body.key)).status).toBe(200);
    for (const name of ['k3', 'k4', 'k5']) expect((await me(dev, 'POST', '/keys', { name })).status).toBe(201);
    const sixth = await me(dev, 'POST', '/keys', { name: 'k6' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.code).toBe('KEYS.LIMIT_REACHED');
    expect((await me(dev, 'POST', '/keys', { name: '' })).status).toBe(422);

    const rotated = await me(dev, 'POST', `/keys/${created.body.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.id).toBe(created.body.id);
    expect(rotated.body.key).not.toBe(created.body.key);
    expect((await apiCall(created.body.key)).status).toBe(401);
    expect((await apiCall(rotated.body.key)).status).toBe(200);

    expect((await me(dev, 'DELETE', `/keys/${created.body.id}`)).status).toBe(204);
    expect((await apiCall(rotated.body.key)).status).toBe(401);
    expect((await me(dev, 'DELETE', `/keys/${created.body.id}`)).status).toBe(404);
    expect((await me(dev, 'POST', '/keys', { name: 'after delete' })).status).toBe(201);
    expect((await me(dev, 'DELETE', '/keys/not-a-uuid')).status).toBe(400);
  });

  it("isolates developers: A cannot read, rotate or delete B's keys, usage or logs", async () => {
    expect((await apiCall(bob.key)).status).toBe(200);
    expect((await apiCall(alice.key, '/movies/1')).status).toBe(200);
    const bobKeyId = bob.keyId;
    expect((await me(alice, 'POST', `/keys/${bobKeyId}/rotate`)).status).toBe(404);
    expect((await me(alice, 'DELETE', `/keys/${bobKeyId}`)).status).toBe(404);
    expect((await apiCall(bob.key)).status).toBe(200);
    expect((await me(alice, 'GET', '/keys')).body.map((k: { id: string }) => k.id)).not.toContain(bobKeyId);

    const aliceLogs = await eventually(() => me(alice, 'GET', '/logs'), (a) => a.body.meta?.total >= 1);
    expect(aliceLogs.body.data.length).toBeGreaterThan(0);
    expect(aliceLogs.body.data.every((l: { key_id: string }) => l.key_id === alice.keyId)).toBe(true);
    expect(aliceLogs.body.data[0]).toMatchObject({ key_prefix: alice.key.slice(0, 8), method: 'GET', endpoint: '/movies/1', status: 200 });

    const bobLogs = await eventually(() => me(bob, 'GET', '/logs'), (a) => a.body.meta?.total >= 2);
    expect(bobLogs.body.meta).toMatchObject({ page: 1, limit: 20, total: 2, total_pages: 1, total_estimated: false });
    expect(bobLogs.body.data.every((l: { key_id: string }) => l.key_id === bobKeyId)).toBe(true);

    const aliceStats = await me(alice, 'GET', '/stats');
    expect(aliceStats.body.keys.map((k: { key_id: string }) => k.key_id)).toEqual([alice.keyId]);
    const bobStats = await me(bob, 'GET', '/stats?days=7');
    expect(bobStats.body).toMatchObject({ days: 7, totals: { requests: 2, errors: 0 } });
    expect(bobStats.body.keys).toEqual([expect.objectContaining({ key_id: bobKeyId, requests: 2, errors: 0, p95_latency_ms: expect.any(Number) })]);

    const today = new Date().toISOString().slice(0, 10);
    const bobUsage = await me(bob, 'GET', `/usage?from=${today}&to=${today}&bucket=day`);
    expect(bobUsage.body.data).toEqual([{ date: today, requests: 2, errors: 0 }]);
  });

  it("pages a developer's logs over all their keys newest first, every call once", async () => {
    const dev = await signUpAndVerify(gateway, 'pager');
    const second = (await me(dev, 'POST', '/keys', { name: 'Second' })).body as { id: string };
    // 300 calls a key, interleaved in time; the first key's are a millisecond apart, the second's 3.
    const start = Date.now() - 3_600_000;
    const calls = [...Array.from({ length: 300 }, (_, n) => ({ key: dev.keyId, at: start + n })),
      ...Array.from({ length: 300 }, (_, n) => ({ key: second.id, at: start + 3 * n }))];
    await withDb((db) => db.query(
      `insert into usage_logs (request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at)
       select id, key, 'GET', '/movies/' || n, 200, 1, true, to_timestamp(at / 1000.0)
       from unnest($1::uuid[], $2::uuid[], $3::float8[]) with ordinality as t(id, key, at, n)`,
      [calls.map((c) => uuidv7({ msecs: c.at })), calls.map((c) => c.key), calls.map((c) => c.at)]));

    const seen: { timestamp: string; key_id: string; endpoint: string }[] = [];
    for (let page = 1; page <= 6; page += 1) {
      const logs = await me(dev, 'GET', `/logs?limit=100&page=${page}`);
      expect(logs.status).toBe(200);
      expect(logs.body.meta).toMatchObject({ page, total: 600, total_pages: 6 });
      seen.push(...logs.body.data);
    }
    expect(seen).toHaveLength(600);
    expect(new Set(seen.map((l) => `${l.key_id} ${l.endpoint}`)).size).toBe(600);
    const stamps = seen.map((l) => Date.parse(l.timestamp));
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
    expect(stamps[0]).toBe(start + 3 * 299);
  });

  it('answers 400 naming the parameter for malformed usage, logs and stats queries', async () => {
    for (const [path, words] of [
      ['/stats?days=0', 'days must be between 1 and 365'], ['/stats?days=366', 'days must be between 1 and 365'],
      ['/usage?from=2026-13-40', 'from'], ['/usage?from=2026-11-20&to=2026-11-01', 'from must not be after to'],
      ['/usage?bucket=hour', 'bucket must be day'], ['/logs?limit=500', 'limit must be between 1 and 100'],
      ['/logs?page=501', 'page 501 is past the deepest page reachable by number (10000 rows)'],
    ]) {
      const answer = await me(alice, 'GET', path);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toContain(words);
    }
    expect((await me(alice, 'GET', '/stats')).body.days).toBe(30);
  });

  it('mails the owner once at 80 % and once at 100 % of the monthly quota', async () => {
    const dev = await signUpAndVerify(gateway, 'quota');
    const plan = `tiny-${Date.now()}`;
    await withDb((db) => db.query("insert into plans (code, name, monthly_quota, rate_limit_per_minute, max_keys) values ($1, 'Tiny', 10, 1000, 5)", [plan]));
    const token = await adminToken();
    const changed = await call(gateway, `/admin/api/keys/${dev.keyId}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: { plan } });
    expect(changed.status).toBe(200);

    for (let i = 0; i < 8; i += 1) expect((await apiCall(dev.key)).status).toBe(200);
    const [eighty] = await waitForMails(dev.email, 1, /quota/);
    expect(eighty.subject).toContain('80%');
    expect(eighty.text).toContain('8 of 10 calls');

    for (let i = 0; i < 2; i += 1) expect((await apiCall(dev.key)).status).toBe(200);
    expect((await apiCall(dev.key)).status).toBe(429);
    const both = await waitForMails(dev.email, 2, /quota/);
    expect(both[1].subject).toContain('has used its monthly quota');
    expect(both[1].html).toContain('refused with 429');

    await eventually(() => me(dev, 'GET', '/keys'), (a) => a.body[0]?.usage_count === 10);
    expect(mailsTo(dev.email).filter((m) => /quota/.test(m.subject))).toHaveLength(2);
  });

  it('lists developers for admins with verification state and key count', async () => {
    const token = await adminToken();
    const admin = (path: string, auth = `Bearer ${token}`) => call(gateway, `/admin/api/users${path}`, { headers: { authorization: auth } });
    const pending = uniqueEmail('pending');
    expect((await call(gateway, '/auth/signup', { method: 'POST', body: { name: 'Pending', email: pending, password: 'correct horse battery' } })).status).toBe(201);

    const found = await admin(`?q=${encodeURIComponent(alice.email)}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      data: [{ id: alice.id, name: 'Alice', email: alice.email, verified: true, created_at: expect.any(String), key_count: 1 }],
      meta: { page: 1, limit: 20, total: 1, total_pages: 1 },
    });
    const unverified = await admin(`?q=${encodeURIComponent(pending)}&verified=false`);
    expect(unverified.body.data).toEqual([expect.objectContaining({ email: pending, verified: false, key_count: 0 })]);
    expect((await admin(`?q=${encodeURIComponent(pending)}&verified=true`)).body.meta.total).toBe(0);

    const byEmail = await admin('?sort=email&limit=100');
    const emails = byEmail.body.data.map((u: { email: string }) => u.email);
    expect(emails).toEqual([...emails].sort());
    const newest = await admin('?limit=2&page=1');
    expect(newest.body.meta).toMatchObject({ page: 1, limit: 2 });
    expect(Date.parse(newest.body.data[0].created_at)).toBeGreaterThanOrEqual(Date.parse(newest.body.data[1].created_at));

    expect((await admin('?sort=rating')).status).toBe(400);
    expect((await admin('?verified=maybe')).status).toBe(400);
    expect((await admin('', '')).status).toBe(401);
    expect((await admin('', `Bearer ${alice.accessToken}`)).status).toBe(403);
  });

  it('refuses a key name that is blank once trimmed or not storable, and keeps the trimmed name', async () => {
    const dev = await signUpAndVerify(gateway, 'names');
    for (const name of ['   ', '\u200b', '\u3164 \u2060']) {
      const blank = await me(dev, 'POST', '/keys', { name });
      expect(blank.status).toBe(422);
      expect(blank.body.detail).toBe('name is required');
    }
    const surrogate = await me(dev, 'POST', '/keys', { name: '\udc00 staging' });
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.detail).toContain('name');
    expect((await me(dev, 'GET', '/keys')).body).toHaveLength(1);
    const padded = await me(dev, 'POST', '/keys', { name: '\u200b Staging \u200b' });
    expect(padded.status).toBe(201);
    expect(padded.body.name).toBe('Staging');
  });

  it("holds a developer's own keys to the limit of the plans they hold, with the admin's plan changes", async () => {
    const token = await adminToken();
    const dev = await signUpAndVerify(gateway, 'devlimit');
    const keys = [dev.keyId];
    for (const name of ['k2', 'k3', 'k4', 'k5']) keys.push((await me(dev, 'POST', '/keys', { name })).body.id);
    // The admin moves one key to pro: the four on free still allow 5 in all.
    const moved = await call(gateway, `/admin/api/keys/${keys[1]}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: { plan: 'pro' } });
    expect(moved.status).toBe(200);
    const sixth = await me(dev, 'POST', '/keys', { name: 'k6' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.detail).toContain('the free plan allows 5');
    expect((await me(dev, 'GET', '/keys')).body).toHaveLength(5);
  });
});
