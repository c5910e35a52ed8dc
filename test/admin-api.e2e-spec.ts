import { createHmac } from 'node:crypto';
import { adminToken, call, createKey, stack, uniqueEmail } from './support/e2e';

describe('Admin API', () => {
  let gateway: string;
  let token: string;
  const admin = (method: string, path: string, body?: unknown, auth = `Bearer ${token}`) =>
    call(gateway, `/admin/api${path}`, { method, headers: { authorization: auth }, body });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    token = await adminToken();
  });

  it('signs in with the configured admin and sets an HttpOnly cookie', async () => {
    const s = stack();
    const answer = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('marquee_admin=');
    expect(cookie).toContain('HttpOnly');
    const withCookie = await call(gateway, '/admin/api/keys', { headers: { cookie: cookie.split(';')[0] } });
    expect(withCookie.status).toBe(200);
  });

  it('refuses wrong credentials with 401 and throttles repeated failures with 429 and Retry-After', async () => {
    const name = `nobody-${Date.now()}`;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i += 1) {
      last = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: name, password: 'wrong-password' } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses missing, forged and unsigned tokens', async () => {
    expect((await call(gateway, '/admin/api/keys')).status).toBe(401);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const payload = b64({ sub: 'x', role: 'admin', name: 'mallory', exp: Math.floor(Date.now() / 1000) + 600 });
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const forged = `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${createHmac('sha256', 'not-our-secret-not-our-secret-xx').update(`${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}`).digest('base64url')}`;
    for (const t of [unsigned, forged, 'garbage']) {
      const answer = await admin('GET', '/keys', undefined, `Bearer ${t}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('creates exactly one key, even with two keys replicas, showing the raw value once and never again', async () => {
    const owner = uniqueEmail('create');
    const created = await admin('POST', '/keys', { owner_email: owner, name: 'Backend', plan: 'free' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner_email: owner, name: 'Backend', plan: 'free', status: 'active', usage_count: 0, quota: 1000 });
    expect(created.body.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 8));
    const owned = await admin('GET', `/keys?q=${encodeURIComponent(owner)}`);
    expect(owned.body.meta.total).toBe(1);
    const fetched = await admin('GET', `/keys/${created.body.id}`);
    expect(fetched.body.key).toBeUndefined();
    expect(JSON.stringify(fetched.body)).not.toContain(created.body.key);
  });

  it("refuses a key past the plan's max_keys with 409", async () => {
    const owner = uniqueEmail('max');
    for (let i = 0; i < 5; i += 1) await createKey(token, owner, 'free', `k${i}`);
    const sixth = await admin('POST', '/keys', { owner_email: owner, name: 'k6', plan: 'free' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.detail).toContain('allows 5');
  });

  it('answers 422 naming each invalid field, 404 for unknown keys and 400 for malformed ids', async () => {
    const invalid = await admin('POST', '/keys', { owner_email: 'not-an-email', name: '', plan: 'Gold Plan!' });
    expect(invalid.status).toBe(422);
    for (const field of ['owner_email', 'name', 'plan']) expect(invalid.body.detail).toContain(field);
    const unknownPlan = await admin('POST', '/keys', { owner_email: uniqueEmail('plan'), name: 'x', plan: 'gold' });
    expect(unknownPlan.status).toBe(422);
    expect(unknownPlan.body.detail).toContain('gold');
    const nul = await admin('POST', '/keys', { owner_email: uniqueEmail('nul'), name: 'My\u0000app', plan: 'free' });
    expect(nul.status).toBe(422);
    expect(nul.body.detail).toBe('name must not contain control characters');
    expect((await admin('POST', '/keys', {})).body.detail).toBe('owner_email is required; name is required; plan is required');
    expect((await admin('POST', '/keys', { owner_email: uniqueEmail('type'), name: 5, plan: 'free' })).body.detail).toBe('name must be a string');
    expect((await admin('POST', '/keys', [1, 2])).body).toMatchObject({ status: 422, detail: 'the request body must be a JSON object' });
    const deep = await fetch(`${gateway}/admin/api/keys`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    });
    expect(await deep.json()).toMatchObject({ status: 422, detail: 'the request is nested more than 16 levels deep' });
    const nulQuery = await call(gateway, '/admin/api/keys?q=%00', { headers: { authorization: `Bearer ${token}` } });
    expect(nulQuery.status).toBe(400);
    expect(nulQuery.body.detail).toContain('q must not contain a NUL character');
    expect((await admin('POST', '/keys/00000000-0000-4000-8000-000000000000/suspend')).status).toBe(404);
    expect((await admin('POST', '/keys/nope/suspend')).status).toBe(400);
    const notJson = await call(gateway, '/admin/api/keys', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: undefined });
    expect([400, 422]).toContain(notJson.status);
  });

  it('lists keys with search, filters, sort and paging', async () => {
    const tag = `list${Date.now()}`;
    const owner = `${tag}@gmail.com`;
    const a = await createKey(token, owner, 'free', 'alpha');
    await createKey(token, owner, 'pro', 'beta');
    await createKey(token, owner, 'free', 'gamma');
    await admin('POST', `/keys/${a.id}/suspend`);

    const all = await admin('GET', `/keys?q=${tag}&sort=name`);
    expect(all.body.data.map((k: { name: string }) => k.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(all.body.meta).toMatchObject({ total: 3, page: 1 });
    expect((await admin('GET', `/keys?q=${tag}&sort=-name`)).body.data.map((k: { name: string }) => k.name)).toEqual(['gamma', 'beta', 'alpha']);
    expect((await admin('GET', `/keys?q=${tag}&status=suspended`)).body.data.map((k: { name: string }) => k.name)).toEqual(['alpha']);
    expect((await admin('GET', `/keys?q=${tag}&plan=pro`)).body.data.map((k: { name: string }) => k.name)).toEqual(['beta']);
    const page2 = await admin('GET', `/keys?q=${tag}&sort=name&limit=2&page=2`);
    expect(page2.body.data.map((k: { name: string }) => k.name)).toEqual(['gamma']);
    expect(page2.body.meta).toMatchObject({ total: 3, total_pages: 2 });
    expect((await admin('GET', '/keys?sort=bogus')).status).toBe(400);
    expect((await admin('GET', `/keys?q=${a.key.slice(0, 8)}`)).body.data.map((k: { id: string }) => k.id)).toContain(a.id);
  });
});
