import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { bearer, signUpAndVerify } from './support/developers';
import { adminToken, call, createKey, eventually, stack, uniqueEmail, withDb } from './support/e2e';
import { monitorRedis } from './support/redis-monitor';
import { freePort } from './support/stack';

const run = promisify(execFile);
const cli = join(__dirname, '..', 'dist/services/keys/src/cli/create-key.js');

describe('API key enforcement', () => {
  let gateway: string;
  let token: string;
  const movies = (key?: string) => call(gateway, '/movies?limit=1', { headers: key === undefined ? {} : { 'x-api-key': key } });
  const admin = (method: string, path: string, body?: unknown) =>
    call(gateway, `/admin/api/keys${path}`, { method, headers: { authorization: `Bearer ${token}` }, body });

  beforeAll(async () => {
    gateway = stack().gateways[0];
    token = await adminToken();
  });

  it('refuses a missing or malformed key with 401 before touching Redis', async () => {
    const malformed = ['not-a-key', '12345678-1234-1234-1234-123456789012', 'a'.repeat(36), 'b2c7a3d4-5e6f-4a1b-8c2d-3e4f5a6b7c8'];
    const hashes = malformed.map((k) => createHash('sha256').update(k.toLowerCase()).digest('hex'));
    const monitor = await monitorRedis(stack().redisUrl);
    const seen = monitor.lines;
    try {
      for (const key of [undefined, '', ...malformed]) {
        const answer = await movies(key);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body.detail).toMatch(/X-API-KEY|API key/);
        expect(answer.headers.get('www-authenticate')).toBe('ApiKey realm="Marquee API", header="X-API-KEY"');
      }
      const known = createHash('sha256').update('b2c7a3d4-5e6f-4a1b-8c2d-3e4f5a6b7c8d').digest('hex');
      await movies('b2c7a3d4-5e6f-4a1b-8c2d-3e4f5a6b7c8d');
      // MONITOR lines arrive asynchronously: the known key's lookup shows that the earlier ones have.
      expect(await eventually(async () => seen.some((line) => line.includes(known)), (found) => found, 5_000)).toBe(true);
      expect(seen.filter((line) => hashes.some((h) => line.includes(h)))).toEqual([]);
    } finally {
      monitor.stop();
    }
  });

  it('refuses an unknown key with 401 and remembers it without asking PostgreSQL again', async () => {
    const unknown = 'b2c7a3d4-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
    const refused = await movies(unknown);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('X-API-KEY');
    const redis = new Redis(stack().redisUrl);
    try {
      const keys = await redis.keys('mq:key:*');
      const negative = [];
      for (const k of keys) if ((await redis.hget(k, 'st')) === 'none') negative.push(await redis.ttl(k));
      expect(negative.length).toBeGreaterThan(0);
      expect(Math.max(...negative)).toBeLessThanOrEqual(60);
    } finally {
      redis.disconnect();
    }
  });

  it('admits a valid key with rate-limit and quota headers', async () => {
    const { key } = await createKey(token, uniqueEmail('headers'));
    const first = await movies(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(first.headers.get('x-quota-limit')).toBe('1000');
    expect(first.headers.get('x-quota-remaining')).toBe('999');
    const second = await movies(key.toUpperCase());
    expect(second.headers.get('x-quota-remaining')).toBe('998');
  });

  it('suspends, resumes, changes plan and deletes with effect on the very next call', async () => {
    const created = await createKey(token, uniqueEmail('lifecycle'));
    expect((await movies(created.key)).status).toBe(200);

    const suspended = await admin('POST', `/${created.id}/suspend`);
    expect(suspended.body.status).toBe('suspended');
    const refused = await movies(created.key);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('suspended');
    // Still a key-bearing answer: the limits it would have, and the refused call not counted.
    expect(refused.headers.get('x-quota-limit')).toBe('1000');
    expect(refused.headers.get('x-quota-remaining')).toBe('999');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('59');

    expect((await admin('POST', `/${created.id}/resume`)).body.status).toBe('active');
    expect((await movies(created.key)).status).toBe(200);

    const pro = await admin('PATCH', `/${created.id}`, { plan: 'pro' });
    expect(pro.body).toMatchObject({ plan: 'pro', quota: 100000, rate_limit_per_minute: 600 });
    const onPro = await movies(created.key);
    expect(onPro.headers.get('x-ratelimit-limit')).toBe('600');
    expect(onPro.headers.get('x-quota-limit')).toBe('100000');

    expect((await admin('DELETE', `/${created.id}`)).status).toBe(200);
    expect((await movies(created.key)).status).toBe(401);
    expect((await admin('GET', `/${created.id}`)).status).toBe(404);
  });

  it('answers 429 with Retry-After once the minute window is full', async () => {
    const { key } = await createKey(token, uniqueEmail('ratelimit'));
    const secondsLeft = 60 - new Date().getUTCSeconds();
    if (secondsLeft < 10) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 200));
    const answers = await Promise.all(Array.from({ length: 70 }, () => movies(key)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(60);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(10);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited[0].headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited[0].headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited[0].body.detail).toContain('per minute');
  });

  it('resets usage: the quota counts from zero again', async () => {
    const created = await createKey(token, uniqueEmail('reset'));
    await movies(created.key);
    await movies(created.key);
    const reset = await admin('POST', `/${created.id}/reset-usage`);
    expect(reset.status).toBe(200);
    expect(reset.body.usage_count).toBe(0);
    expect((await movies(created.key)).headers.get('x-quota-remaining')).toBe('999');
  });

  it('enforces the monthly quota with 429 naming the reset date', async () => {
    await withDb((db) => db.query(`insert into plans (code, name, monthly_quota, rate_limit_per_minute, max_keys) values ('e2e-three', 'Three calls', 3, null, 5) on conflict do nothing`));
    const { key } = await createKey(token, uniqueEmail('quota'), 'e2e-three');
    for (let i = 0; i < 3; i += 1) expect((await movies(key)).status).toBe(200);
    const spent = await movies(key);
    expect(spent.status).toBe(429);
    expect(spent.headers.get('x-quota-remaining')).toBe('0');
    expect(spent.body.detail).toMatch(/month.*resets at \d{4}-\d{2}-01T00:00:00/);
  });

  it('prints a working raw key from the operator CLI', async () => {
    const s = stack();
    const { stdout, stderr } = await run(process.execPath, [cli, '--owner', uniqueEmail('cli'), '--plan', 'pro'], {
      env: { ...process.env, DATABASE_URL: s.databaseUrl, REDIS_URL: s.redisUrl },
    });
    const key = stdout.trim();
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(stderr).toContain('shown only this once');
    const answer = await movies(key);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-quota-limit')).toBe('100000');
  });

  it('explains CLI mistakes instead of failing with a stack trace', async () => {
    const s = stack();
    const env = { ...process.env, DATABASE_URL: s.databaseUrl, REDIS_URL: s.redisUrl };
    await expect(run(process.execPath, [cli], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('usage: npm run keys:create') });
    await expect(run(process.execPath, [cli, '--owner', uniqueEmail('cli'), '--plan', 'gold'], { env }))
      .rejects.toMatchObject({ stderr: expect.stringContaining('gold') });
  });

  it("makes a key the CLI creates for a verified developer's address (or an alias of it) theirs, as the admin API does", async () => {
    const s = stack();
    const developer = await signUpAndVerify(gateway, 'cli-linked');
    const [local, domain] = developer.email.split('@');
    const { stdout, stderr } = await run(process.execPath, [cli, '--owner', `${local.toUpperCase()}+ops@${domain}`, '--name', 'From the CLI'], {
      env: { ...process.env, DATABASE_URL: s.databaseUrl, REDIS_URL: s.redisUrl },
    });
    expect(stderr).toContain(`for developer ${developer.email} (user ${developer.id})`);
    const mine = await call(gateway, '/me/keys', { headers: bearer(developer) });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'From the CLI', owner_id: developer.id, owner_email: developer.email, prefix: stdout.trim().slice(0, 8) }),
    ]));
    expect((await movies(stdout.trim())).status).toBe(200);
  });

  it('names an unreachable PostgreSQL from the CLI, and makes no key when identity cannot say whose it is', async () => {
    const s = stack();
    const nowhere = await freePort();
    const noPostgres = run(process.execPath, [cli, '--owner', uniqueEmail('cli-pg')], { env: { ...process.env, DATABASE_URL: `postgres://postgres@127.0.0.1:${nowhere}/marquee`, REDIS_URL: s.redisUrl } });
    await expect(noPostgres).rejects.toMatchObject({ stderr: expect.stringContaining('could not create the key: connect ECONNREFUSED') });
    await noPostgres.catch((error: { stderr: string }) => expect(error.stderr).not.toMatch(/\n\s+at /));

    // Redis down, or up with no identity listening on its db: as the admin API answers 503, no key.
    const spareDb = new URL(s.redisUrl);
    spareDb.pathname = '/5';
    for (const [tag, redisUrl] of [['cli-redis', `redis://127.0.0.1:${nowhere}/0`], ['cli-identity', spareDb.toString()]]) {
      const owner = uniqueEmail(tag);
      const refused = run(process.execPath, [cli, '--owner', owner, '--plan', 'pro'], { env: { ...process.env, DATABASE_URL: s.databaseUrl, REDIS_URL: redisUrl } });
      await expect(refused).rejects.toMatchObject({
        code: 1,
        stdout: '',
        stderr: expect.stringContaining(`could not create the key: identity did not say whether ${owner} belongs to a verified developer`),
      });
      await refused.catch((error: { stderr: string }) => {
        expect(error.stderr).toContain('start identity');
        expect(error.stderr).not.toMatch(/\n\s+at /);
      });
      expect(await withDb(async (db) => (await db.query('select count(*)::int as n from api_keys where owner_email = $1', [owner])).rows[0].n)).toBe(0);
    }
    const spare = new Redis(spareDb.toString());
    await spare.del('mq:rpc:identity.user.find-verified');
    spare.disconnect();
  });
});
