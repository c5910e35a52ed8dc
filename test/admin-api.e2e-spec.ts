import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DEVELOPMENT_JWT_SECRET } from '../libs/common/src/config/jwt-secret';
import { bearer, DEV_PASSWORD, randomIp, signUpAndVerify } from './support/developers';
import { adminToken, call, createKey, stack, uniqueEmail, withDb } from './support/e2e';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sign = (header: object, payload: object, secret: string, hmac = 'sha256') => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac(hmac, secret).update(body).digest('base64url')}`;
};
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** A service from the build, as an operator would start it; its exit code and what it printed. */
function boot(service: 'gateway' | 'identity', env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const { JWT_SECRET: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(__dirname, '..', `dist/services/${service}/src/main.js`)], {
    env: { ...inherited, PORT: '0', ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output }); }));
}

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

  it('refuses a filter by a plan that does not exist with 400 naming it and the plans there are, as it refuses an unknown status', async () => {
    const gold = await admin('GET', '/keys?plan=gold');
    expect(gold.status).toBe(400);
    expect(gold.headers.get('content-type')).toContain('application/problem+json');
    expect(gold.body.code).toBe('KEYS.UNKNOWN_PLAN');
    const listed = (detail: string) => /^plan must be one of (.+); "gold" is not$/.exec(detail)?.[1].split(', ');
    expect(listed(gold.body.detail)).toEqual(expect.arrayContaining(['free', 'pro', 'unlimited']));
    expect((await admin('GET', '/keys?status=bogus')).body).toMatchObject({ status: 400, detail: 'status must be active or suspended' });
    // Plans are rows: one added by an operator is a filter at once, with nothing to deploy.
    await withDb((db) => db.query(`insert into plans (code, name, monthly_quota, rate_limit_per_minute, max_keys) values ('e2e-gold', 'Gold', 10, 10, 5) on conflict do nothing`));
    expect(await admin('GET', '/keys?plan=e2e-gold')).toMatchObject({ status: 200, body: { data: [] } });
    const unknownOnCreate = await admin('POST', '/keys', { owner_email: uniqueEmail('plan'), name: 'x', plan: 'gold' });
    expect(unknownOnCreate.body).toMatchObject({ status: 422, code: 'KEYS.UNKNOWN_PLAN' });
    expect(listed(unknownOnCreate.body.detail)).toEqual(expect.arrayContaining(['free', 'pro', 'unlimited', 'e2e-gold']));
  });

  it('will not start in production with the published JWT secret or a short one, naming JWT_SECRET', async () => {
    for (const service of ['gateway', 'identity'] as const) {
      for (const JWT_SECRET of [undefined, DEVELOPMENT_JWT_SECRET, 'short-secret']) {
        const { code, output } = await boot(service, { NODE_ENV: 'production', JWT_SECRET });
        expect(code).toBe(78);
        expect(output).toContain('JWT_SECRET');
        expect(output).not.toMatch(/\n\s+at /);
      }
    }
  });

  it('refuses a correctly signed admin token without exp or jti, or signed HS512, and leaves the key alone', async () => {
    const key = await createKey(token, uniqueEmail('forged'), 'free', 'target');
    const mallory = { sub: '00000000-0000-0000-0000-000000000001', role: 'admin', name: 'mallory', iat: Math.floor(Date.now() / 1000) };
    const exp = mallory.iat + 600;
    const forged = [
      sign({ alg: 'HS256', typ: 'JWT' }, { ...mallory, jti: 'forged-1' }, DEVELOPMENT_JWT_SECRET),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...mallory, exp }, DEVELOPMENT_JWT_SECRET),
      sign({ alg: 'HS512', typ: 'JWT' }, { ...mallory, exp, jti: 'forged-2' }, DEVELOPMENT_JWT_SECRET, 'sha512'),
    ];
    for (const t of forged) {
      const answer = await admin('POST', `/keys/${key.id}/suspend`, undefined, `Bearer ${t}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await admin('GET', `/keys/${key.id}`)).body.status).toBe('active');
  });

  it('ends the session on logout: the token is refused afterwards as Bearer and as cookie, other sessions go on', async () => {
    const session = await adminToken();
    expect(claimsOf(session).jti).toEqual(expect.any(String));
    expect(session).not.toBe(token);
    expect((await admin('GET', '/session', undefined, `Bearer ${session}`)).status).toBe(200);
    expect((await admin('POST', '/logout', undefined, `Bearer ${session}`)).status).toBe(204);
    expect((await admin('GET', '/keys', undefined, `Bearer ${session}`)).status).toBe(401);
    expect((await call(gateway, '/admin/api/keys', { headers: { cookie: `marquee_admin=${session}` } })).status).toBe(401);
    expect((await admin('GET', '/keys')).status).toBe(200);

    const redis = new Redis(stack().redisUrl);
    try {
      const ttl = await redis.ttl(`mq:revoked-token:${claimsOf(session).jti}`);
      const remaining = claimsOf(session).exp - Math.floor(Date.now() / 1000);
      expect(ttl).toBeGreaterThan(remaining - 10);
      // Whole seconds: when a second ends between the logout and this line, the TTL set then is
      // one more than what is left now.
      expect(ttl).toBeLessThanOrEqual(remaining + 1);
    } finally {
      redis.disconnect();
    }

    const s = stack();
    const login = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await call(gateway, '/admin/api/keys', { headers: { cookie } })).status).toBe(200);
    expect((await call(gateway, '/admin/api/logout', { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await call(gateway, '/admin/api/keys', { headers: { cookie } })).status).toBe(401);
    expect((await call(gateway, '/admin/queues/', { headers: { cookie } })).status).toBe(401);
  });

  it("counts failed sign-ins per username and address: a stranger cannot lock the admin out, yet one address can't spray usernames", async () => {
    const s = stack();
    const login = (username: string, password: string, ip: string) =>
      call(gateway, '/admin/api/login', { method: 'POST', body: { username, password }, headers: { 'x-forwarded-for': ip } });
    const stranger = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(s.adminUsername, 'wrong-password', stranger)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const throttled = await login(s.adminUsername, s.adminPassword, stranger);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(s.adminUsername, s.adminPassword, randomIp())).status).toBe(200);

    const sprayer = randomIp();
    const sprayed: number[] = [];
    for (let i = 0; i < 21; i += 1) sprayed.push((await login(`nobody-${Date.now()}-${i}`, 'wrong-password', sprayer)).status);
    expect(sprayed.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(sprayed[20]).toBe(429);
    expect((await login(s.adminUsername, s.adminPassword, sprayer)).status).toBe(429);
  });

  it('marks every answer carrying a token or a raw key Cache-Control: no-store', async () => {
    const s = stack();
    const login = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    const created = await admin('POST', '/keys', { owner_email: uniqueEmail('nostore'), name: 'k', plan: 'free' });
    const developer = await signUpAndVerify(gateway, 'nostore');
    const devLogin = await call(gateway, '/auth/login', { method: 'POST', body: { email: developer.email, password: DEV_PASSWORD }, headers: { 'x-forwarded-for': randomIp() } });
    const refreshed = await call(gateway, '/auth/refresh', { method: 'POST', body: { refresh_token: devLogin.body.refresh_token } });
    const ownKey = await call(gateway, '/me/keys', { method: 'POST', headers: bearer(developer), body: { name: 'second' } });
    for (const [answer, status] of [[login, 200], [created, 201], [devLogin, 200], [refreshed, 200], [ownKey, 201]] as const) {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    expect((await call(gateway, '/health')).headers.get('cache-control')).not.toBe('no-store');
  });

  it("holds an owner to the key limit of every plan they hold: no sixth key through a pro key or a plan change", async () => {
    const owner = uniqueEmail('limit');
    for (let i = 0; i < 5; i += 1) await createKey(token, owner, 'free', `f${i}`);
    const pro = await admin('POST', '/keys', { owner_email: owner, name: 'p6', plan: 'pro' });
    expect(pro.status).toBe(409);
    expect(pro.body.detail).toContain('the free plan allows 5');

    const proOwner = uniqueEmail('limit-pro');
    const keys = [];
    for (let i = 0; i < 6; i += 1) keys.push(await createKey(token, proOwner, 'pro', `p${i}`));
    const toFree = await admin('PATCH', `/keys/${keys[0].id}`, { plan: 'free' });
    expect(toFree.status).toBe(409);
    expect(toFree.body).toMatchObject({ code: 'KEYS.LIMIT_REACHED', detail: expect.stringContaining('the free plan allows 5') });
    expect((await admin('GET', `/keys/${keys[0].id}`)).body.plan).toBe('pro');
    expect((await call(gateway, '/movies?limit=1', { headers: { 'x-api-key': keys[0].key } })).headers.get('x-quota-limit')).toBe('100000');

    expect((await admin('DELETE', `/keys/${keys[5].id}`)).status).toBe(200);
    const within = await admin('PATCH', `/keys/${keys[0].id}`, { plan: 'free' });
    expect(within.status).toBe(200);
    expect(within.body.plan).toBe('free');
  });

  it('lets only one of a racing key creation and plan change through when together they would pass the limit', async () => {
    const owner = uniqueEmail('race');
    const keys = [];
    for (let i = 0; i < 5; i += 1) keys.push(await createKey(token, owner, 'pro', `p${i}`));
    const [created, changed] = await Promise.all([
      admin('POST', '/keys', { owner_email: owner, name: 'p6', plan: 'pro' }),
      admin('PATCH', `/keys/${keys[0].id}`, { plan: 'free' }),
    ]);
    expect([created.status, changed.status]).toEqual(created.status === 201 ? [201, 409] : [409, 200]);
    const held = (await admin('GET', `/keys?q=${encodeURIComponent(owner)}&limit=100`)).body;
    const plans = held.data.map((k: { plan: string }) => k.plan);
    expect(held.meta.total > 5 && plans.includes('free')).toBe(false);
  });

  it("links a key made for a registered developer's address to them, so they see it and it counts once", async () => {
    const dev = await signUpAndVerify(gateway, 'linked');
    const [local, domain] = dev.email.split('@');
    // An alias of the same mailbox, as an admin might type it.
    const created = await admin('POST', '/keys', { owner_email: `${local.toUpperCase()}+ops@${domain}`, name: 'Ops', plan: 'free' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner_id: dev.id, owner_email: dev.email });

    const mine = await call(gateway, '/me/keys', { headers: bearer(dev) });
    expect(mine.body.map((k: { name: string }) => k.name).sort()).toEqual(['Default key', 'Ops']);
    const listed = await admin('GET', `/users?q=${encodeURIComponent(dev.email)}`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: dev.id, key_count: 2 })]);

    for (const name of ['k3', 'k4', 'k5']) expect((await admin('POST', '/keys', { owner_email: dev.email, name, plan: 'free' })).status).toBe(201);
    const sixth = await call(gateway, '/me/keys', { method: 'POST', headers: bearer(dev), body: { name: 'k6' } });
    expect(sixth.status).toBe(409);
    expect((await call(gateway, '/me/keys', { headers: bearer(dev) })).body).toHaveLength(5);
  });

  it('gives a developer the keys made for their address before they signed up, on verification', async () => {
    const email = uniqueEmail('later');
    const early = await createKey(token, email, 'pro', 'Made early');
    const dev = await signUpAndVerify(gateway, 'later', 'Later Developer', email);
    const mine = await call(gateway, '/me/keys', { headers: bearer(dev) });
    expect(mine.body).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: early.id, name: 'Made early', plan: 'pro', owner_id: dev.id }),
      expect.objectContaining({ name: 'Default key', plan: 'free', owner_id: dev.id }),
    ]));
    expect((await admin('GET', `/users?q=${encodeURIComponent(email)}`)).body.data[0].key_count).toBe(2);
  });

  it('refuses a key name that is blank once trimmed, or not storable as sent, and stores the trimmed name', async () => {
    const owner = uniqueEmail('names');
    for (const name of ['   ', '\u200b', ' \u200b\u200d\ufeff ']) {
      const blank = await admin('POST', '/keys', { owner_email: owner, name, plan: 'free' });
      expect(blank.status).toBe(422);
      expect(blank.body.detail).toBe('name is required');
    }
    const surrogate = await admin('POST', '/keys', { owner_email: owner, name: 'half \ud800 pair', plan: 'free' });
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.detail).toContain('name');
    expect((await admin('GET', `/keys?q=${encodeURIComponent(owner)}`)).body.meta.total).toBe(0);

    const padded = await admin('POST', '/keys', { owner_email: owner, name: ' \u200bBackend 😀\u200b ', plan: 'free' });
    expect(padded.status).toBe(201);
    expect(padded.body.name).toBe('Backend 😀');
    expect((await admin('GET', `/keys/${padded.body.id}`)).body.name).toBe('Backend 😀');
  });

  it('answers a deletion with the key as it is now: deleted', async () => {
    const created = await createKey(token, uniqueEmail('deleted'));
    const deleted = await admin('DELETE', `/keys/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: created.id, status: 'deleted' });
    expect((await admin('DELETE', `/keys/${created.id}`)).status).toBe(404);
  });

  it('checks a plan change in order: the id (400), the key (404), then the plan (422)', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const malformed = await admin('PATCH', '/keys/not-a-uuid', {});
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toContain('id must be a key id');
    expect((await admin('PATCH', '/keys/not-a-uuid', [1])).status).toBe(400);
    expect((await admin('PATCH', `/keys/${unknown}`, { plan: 'gold' })).status).toBe(404);
    expect((await admin('PATCH', `/keys/${unknown}`, {})).status).toBe(404);

    const { id } = await createKey(token, uniqueEmail('order'));
    expect((await admin('PATCH', `/keys/${id}`, {})).body).toMatchObject({ status: 422, detail: 'plan is required' });
    const gold = await admin('PATCH', `/keys/${id}`, { plan: 'gold' });
    expect(gold.status).toBe(422);
    expect(gold.body.detail).toContain('gold');
    expect((await admin('GET', `/keys/${id}`)).body.plan).toBe('free');
  });

  it('takes only JSON bodies on the JSON API (/admin/api, /auth, /me): a form or text body is 415 before anything runs', async () => {
    const developer = await signUpAndVerify(gateway, 'json-only');
    const send = async (path: string, contentType: string, body: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
      return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { code: string; detail: string } };
    };
    const form = 'application/x-www-form-urlencoded';
    const cases: [string, string, string, Record<string, string>][] = [
      // Right credentials, as a form: once accepted like JSON, which a cross-site form can send.
      ['/auth/login', form, new URLSearchParams({ email: developer.email, password: DEV_PASSWORD }).toString(), { 'x-forwarded-for': randomIp() }],
      ['/admin/api/login', form, new URLSearchParams({ username: stack().adminUsername, password: stack().adminPassword }).toString(), {}],
      ['/me/keys', form, 'name=From+a+form', bearer(developer)],
      ['/admin/api/keys', 'text/plain', JSON.stringify({ owner_email: uniqueEmail('text'), name: 'x', plan: 'free' }), { authorization: `Bearer ${token}` }],
    ];
    for (const [path, contentType, body, headers] of cases) {
      const answer = await send(path, contentType, body, headers);
      expect({ path, status: answer.status, type: answer.type, body: answer.body }).toEqual({
        path, status: 415, type: expect.stringContaining('application/problem+json'),
        body: expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: `Content-Type must be application/json; this body is ${contentType}` }),
      });
    }
    expect((await call(gateway, '/me/keys', { headers: bearer(developer) })).body.map((k: { name: string }) => k.name)).toEqual(['Default key']);

    // JSON with a charset, and calls without a body, go through as before.
    const json = await send('/me/keys', 'application/json; charset=utf-8', '{"name":"From JSON"}', bearer(developer));
    expect(json.status).toBe(201);
    const suspended = await call(gateway, `/admin/api/keys/${developer.keyId}/suspend`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(suspended.status).toBe(200);
    // The upload takes multipart, and says so itself to anything else.
    const upload = await send('/admin/api/imports', form, 'file=x', { authorization: `Bearer ${token}` });
    expect(upload).toMatchObject({ status: 415, body: { code: 'IMPORTS.NOT_MULTIPART' } });
  });
});
