import { createHmac } from 'node:crypto';
import Redis from 'ioredis';
import { eventChannel } from '../libs/common/src/rpc/redis-queue.transport';
import { adminToken, call, eventually, stack, uniqueEmail, withDb } from './support/e2e';
import { bearer, DEV_PASSWORD, onGateway, randomIp, signUpAndVerify } from './support/developers';
import { mailsTo, verificationLink, waitForMails } from './support/mailbox';

const JWT_SECRET = 'local-development-secret-change-me-in-production';
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sign = (header: object, payload: object, secret: string) => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

describe('Developer sign-up, verification and sessions (/auth)', () => {
  let gateway: string;
  const signup = (body: unknown) => call(gateway, '/auth/signup', { method: 'POST', body });
  const login = (email: string, password: string, ip = randomIp()) =>
    call(gateway, '/auth/login', { method: 'POST', body: { email, password }, headers: { 'x-forwarded-for': ip } });

  beforeAll(() => {
    gateway = stack().gateways[0];
  });

  it('signs up, mails a real verification link over SMTP, and the link yields a working API key', async () => {
    const email = uniqueEmail('flow');
    const created = await signup({ name: 'Ada <b>Lovelace</b>', email, password: DEV_PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), email, verified: false });

    const [mail] = await waitForMails(email);
    expect(mail.subject).toBe('Confirm your e-mail address for Marquee');
    const link = verificationLink(mail);
    // Built from PUBLIC_URL, not from the Host the request came in on.
    expect(link.startsWith('http://localhost:3000/auth/verify?token=')).toBe(true);
    const token = new URL(link).searchParams.get('token')!;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(mail.html).toContain(link);
    expect(mail.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    expect(mail.text).toContain(link);
    const stored = await withDb(async (db) => (await db.query('select v.token_hash from email_verifications v join users u on u.id = v.user_id where u.email = $1', [email])).rows);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);

    expect((await login(email, DEV_PASSWORD)).status).toBe(403);
    const verified = await call(gateway, onGateway(link));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ email, verified: true, api_key: { owner_email: email, plan: 'free', status: 'active' } });
    const key = verified.body.api_key.key as string;
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const movies = await call(gateway, '/movies?limit=1', { headers: { 'x-api-key': key } });
    expect(movies.status).toBe(200);

    const signedIn = await login(email, DEV_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String), refresh_token: expect.any(String) });
    const keys = await call(gateway, '/me/keys', { headers: { authorization: `Bearer ${signedIn.body.access_token}` } });
    expect(keys.body).toHaveLength(1);
    expect(keys.body[0].key).toBeUndefined();
    const usage = await eventually(
      () => call(gateway, '/me/usage', { headers: { authorization: `Bearer ${signedIn.body.access_token}` } }),
      (answer) => answer.body.data?.some((b: { requests: number }) => b.requests >= 1),
    );
    expect(usage.body.data.at(-1)).toMatchObject({ date: new Date().toISOString().slice(0, 10), requests: 1, errors: 0 });
  });

  it('a browser following the link is signed in and sees the raw key once, then only its prefix', async () => {
    const email = uniqueEmail('browser');
    expect((await signup({ name: 'Grace', email, password: DEV_PASSWORD })).status).toBe(201);
    const [mail] = await waitForMails(email);
    const response = await fetch(`${gateway}${onGateway(verificationLink(mail))}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/portal\/welcome\?ticket=/);
    const cookies = response.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('marquee_access='))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith('marquee_refresh='))).toMatch(/SameSite=Lax/);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');

    const first = await fetch(`${gateway}${location}`, { headers: { cookie } });
    const html = await first.text();
    expect(first.status).toBe(200);
    const raw = /data-testid="raw-key" readonly value="([0-9a-f-]{36})"/.exec(html)?.[1];
    expect(raw).toBeDefined();
    expect((await call(gateway, '/movies?limit=1', { headers: { 'x-api-key': raw! } })).status).toBe(200);

    const again = await (await fetch(`${gateway}${location}`, { headers: { cookie } })).text();
    expect(again).not.toContain(raw!);
    expect(again).toContain(`${raw!.slice(0, 8)}…`);
  });

  it('answers 400 with a resend offer for used, unknown and expired links, and a resend invalidates the older link', async () => {
    const email = uniqueEmail('tokens');
    await signup({ name: 'Tok', email, password: DEV_PASSWORD });
    const [first] = await waitForMails(email);
    const resent = await call(gateway, '/auth/resend-verification', { method: 'POST', body: { email } });
    expect(resent.status).toBe(202);
    const mails = await waitForMails(email, 2);
    const older = onGateway(verificationLink(first));
    const newer = onGateway(verificationLink(mails[1]));
    expect(newer).not.toBe(older);

    const superseded = await call(gateway, older);
    expect(superseded.status).toBe(400);
    expect(superseded.body.code).toBe('AUTH.TOKEN_USED');
    const page = await fetch(`${gateway}${older}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('action="/portal/resend"');
    expect(html).toContain(`value="${email}"`);

    expect((await call(gateway, newer)).status).toBe(200);
    const reused = await call(gateway, newer);
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('AUTH.TOKEN_USED');

    const unknown = await call(gateway, '/auth/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('AUTH.TOKEN_UNKNOWN');

    const late = uniqueEmail('expired');
    await signup({ name: 'Late', email: late, password: DEV_PASSWORD });
    const [lateMail] = await waitForMails(late);
    await withDb((db) => db.query("update email_verifications set expires_at = now() - interval '1 minute' where user_id = (select id from users where email = $1)", [late]));
    const expired = await call(gateway, onGateway(verificationLink(lateMail)));
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('AUTH.TOKEN_EXPIRED');
    expect(expired.headers.get('content-type')).toContain('application/problem+json');
  });

  it('spends a link once when it is opened twice at the same moment, and issues one key', async () => {
    const email = uniqueEmail('double-click');
    const created = await signup({ name: 'Twice', email, password: DEV_PASSWORD });
    const [mail] = await waitForMails(email);
    const path = onGateway(verificationLink(mail));
    const answers = await Promise.all([call(gateway, path), call(gateway, path)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const keys = await withDb(async (db) => (await db.query('select count(*)::int as n from api_keys where owner_id = $1', [created.body.id])).rows[0].n);
    expect(keys).toBe(1);
  });

  it('accepts resend requests for any address without telling whether it is registered', async () => {
    const unknown = await call(gateway, '/auth/resend-verification', { method: 'POST', body: { email: uniqueEmail('nobody') } });
    const verified = await signUpAndVerify(gateway, 'resend-verified');
    const known = await call(gateway, '/auth/resend-verification', { method: 'POST', body: { email: verified.email } });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
  });

  it('refuses disallowed and disposable domains with 400 naming the rule', async () => {
    const corporate = await signup({ name: 'X', email: `x.${Date.now()}@example.com`, password: DEV_PASSWORD });
    expect(corporate.status).toBe(400);
    expect(corporate.body.code).toBe('IDENTITY.DOMAIN_NOT_ALLOWED');
    expect(corporate.body.detail).toContain('example.com is not accepted');
    const disposable = await signup({ name: 'X', email: `x.${Date.now()}@mailinator.com`, password: DEV_PASSWORD });
    expect(disposable.status).toBe(400);
    expect(disposable.body.code).toBe('IDENTITY.DISPOSABLE_DOMAIN');
    expect(disposable.body.detail).toContain('disposable');
  });

  it('refuses a second account for the same mailbox: case, Gmail dots, +tags and googlemail.com', async () => {
    const local = `farm${Date.now()}`;
    expect((await signup({ name: 'F', email: `${local}@gmail.com`, password: DEV_PASSWORD })).status).toBe(201);
    const spread = local.split('').join('.');
    for (const alias of [`${local.toUpperCase()}@GMAIL.com`, `${spread}@gmail.com`, `${local}+free@gmail.com`, `${spread}+x@googlemail.com`]) {
      const again = await signup({ name: 'F', email: alias, password: DEV_PASSWORD });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('IDENTITY.EMAIL_TAKEN');
    }
  });

  it('answers 422 naming each invalid field, including passwords bcrypt would truncate', async () => {
    const invalid = await signup({ name: '', email: 'not-an-email', password: 'short' });
    expect(invalid.status).toBe(422);
    for (const field of ['name', 'email', 'password must be at least 10 characters']) expect(invalid.body.detail).toContain(field);
    const long = await signup({ name: 'L', email: uniqueEmail('long'), password: 'é'.repeat(37) });
    expect(long.status).toBe(422);
    expect(long.body.detail).toContain('at most 72 bytes');
    const exactly72 = await signup({ name: 'L', email: uniqueEmail('long72'), password: 'é'.repeat(36) });
    expect(exactly72.status).toBe(201);
    const nul = await signup({ name: 'N', email: uniqueEmail('nul'), password: 'first-part\u0000ignored-by-bcrypt' });
    expect(nul.status).toBe(422);
    expect(nul.body.detail).toBe('password must not contain a NUL character');
  });

  it('refuses a JSON body holding __proto__ or constructor.prototype with 400 saying so, and says what is wrong with one that is not JSON', async () => {
    const send = async (path: string, text: string) => {
      const response = await fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { code: string; detail: string } };
    };
    const email = uniqueEmail('proto');
    const cases: [string, string, string][] = [
      ['/auth/signup', `{"name":"P","email":"${email}","password":"${DEV_PASSWORD}","__proto__":{"verified":true}}`, 'Body contains a forbidden key __proto__'],
      ['/auth/login', `{"email":"${email}","password":"x","options":{"constructor":{"prototype":{"admin":true}}}}`, 'Body contains a forbidden key constructor.prototype (at options.constructor.prototype)'],
      ['/admin/api/login', '{"username":"admin","password":"x","\\u005f_proto__":{}}', 'Body contains a forbidden key __proto__'],
    ];
    for (const [path, text, detail] of cases) {
      const answer = await send(path, text);
      expect({ path, status: answer.status, type: answer.type, body: answer.body }).toEqual({
        path, status: 400, type: expect.stringContaining('application/problem+json'), body: expect.objectContaining({ code: 'INVALID_JSON', detail }),
      });
    }
    const cut = await send('/auth/signup', '{"email":');
    expect(cut.status).toBe(400);
    expect(cut.body.detail).toMatch(/^Body is not valid JSON: .+/);
    // Nothing was created by the refused sign-up: the address is still free.
    expect((await signup({ name: 'P', email, password: DEV_PASSWORD })).status).toBe(201);
  });

  it('signs in with 401 for wrong password and unknown address alike, and throttles an address from one IP only, so nobody elsewhere can lock its owner out', async () => {
    const developer = await signUpAndVerify(gateway, 'throttle');
    const guesser = randomIp();
    const wrong = await login(developer.email, 'wrong password!', guesser);
    const nobody = await login(uniqueEmail('ghost'), 'wrong password!', guesser);
    expect(wrong.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(wrong.body).toEqual(nobody.body);
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(developer.email, 'wrong password!', guesser)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[4]).toBe(429);
    const throttled = await login(developer.email, DEV_PASSWORD, guesser);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 'AUTH.THROTTLED', detail: expect.stringMatching(/^Too many failed sign-ins; retry in \d+ s\.$/) });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);

    const owner = await login(developer.email, DEV_PASSWORD, randomIp());
    expect(owner.status).toBe(200);
    expect(owner.body.access_token).toEqual(expect.any(String));
    expect((await login(developer.email, DEV_PASSWORD, guesser)).status).toBe(429);
  });

  it('throttles sign-in failures per IP address across accounts, without locking the accounts', async () => {
    const developer = await signUpAndVerify(gateway, 'ip-throttle');
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await login(uniqueEmail(`spray${i}`), 'wrong password!', ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await login(developer.email, DEV_PASSWORD, ip)).status).toBe(429);
    expect((await login(developer.email, DEV_PASSWORD, randomIp())).status).toBe(200);
  });

  it('rotates refresh tokens, and reusing a spent one revokes the whole family', async () => {
    const developer = await signUpAndVerify(gateway, 'refresh');
    const refresh = (token: string) => call(gateway, '/auth/refresh', { method: 'POST', body: { refresh_token: token } });
    const second = await refresh(developer.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(developer.refreshToken);
    expect((await call(gateway, '/me', { headers: { authorization: `Bearer ${second.body.access_token}` } })).status).toBe(200);

    const reuse = await refresh(developer.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('AUTH.REFRESH_REUSED');
    const afterTheft = await refresh(second.body.refresh_token);
    expect(afterTheft.status).toBe(401);

    const racing = await login(developer.email, DEV_PASSWORD);
    const both = await Promise.all([refresh(racing.body.refresh_token), refresh(racing.body.refresh_token)]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 401]);

    const fresh = await login(developer.email, DEV_PASSWORD);
    expect((await call(gateway, '/auth/logout', { method: 'POST', body: { refresh_token: fresh.body.refresh_token } })).status).toBe(204);
    expect((await refresh(fresh.body.refresh_token)).status).toBe(401);
    expect((await refresh('not-a-token')).status).toBe(401);
  });

  it('refuses unsigned, foreign-key, expired and admin tokens on /me', async () => {
    const developer = await signUpAndVerify(gateway, 'forged');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: developer.id, role: 'developer', name: 'x', iat: now, exp: now + 600 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const foreign = sign({ alg: 'HS256', typ: 'JWT' }, claims, 'someone-elses-secret-someone-elses-secret');
    const hs512 = (() => {
      const body = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}`;
      return `${body}.${createHmac('sha512', JWT_SECRET).update(body).digest('base64url')}`;
    })();
    const expired = sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 1200, exp: now - 600 }, JWT_SECRET);
    const admin = await adminToken();
    for (const token of [unsigned, foreign, hs512, expired, admin, 'garbage']) {
      const answer = await call(gateway, '/me', { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    const genuine = sign({ alg: 'HS256', typ: 'JWT' }, claims, JWT_SECRET);
    expect((await call(gateway, '/me', { headers: { authorization: `Bearer ${genuine}` } })).status).toBe(200);
    expect((await call(gateway, '/me', { headers: bearer(developer) })).body).toMatchObject({ id: developer.id, email: developer.email, verified: true });
  });

  it('issues exactly one first key even when the verified event is delivered twice', async () => {
    const developer = await signUpAndVerify(gateway, 'twice');
    const redis = new Redis(stack().redisUrl);
    try {
      const event = { pattern: 'identity.user.verified', data: { userId: developer.id, email: developer.email, name: 'x', ticket: 'replayed-ticket-0000000000000000' } };
      for (let i = 0; i < 2; i += 1) await redis.publish(eventChannel(stack().redisUrl, 'identity.user.verified'), JSON.stringify(event));
    } finally {
      redis.disconnect();
    }
    await new Promise((r) => setTimeout(r, 1000));
    const keys = await call(gateway, '/me/keys', { headers: bearer(developer) });
    expect(keys.body.map((k: { id: string }) => k.id)).toEqual([developer.keyId]);
    expect(await withDb(async (db) => (await db.query('select count(*)::int as n from api_keys where owner_id = $1', [developer.id])).rows[0].n)).toBe(1);
    expect(mailsTo(developer.email)).toHaveLength(1);
  });
});
