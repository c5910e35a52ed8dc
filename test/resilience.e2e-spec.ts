import { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { Client } from 'pg';
import { call, eventually } from './support/e2e';
import { CuttableProxy } from './support/cuttable-proxy';
import { startStack, StackInfo } from './support/stack';
import { PG_PORT, PG_SERVER, REDIS_PORT } from './support/servers';

/** PostgreSQL and Redis going away and coming back, seen from an API consumer. */
describe('Resilience to PostgreSQL and Redis outages', () => {
  let pg: CuttableProxy;
  let redis: CuttableProxy;
  let stack: StackInfo & { processes: ChildProcess[] };
  let gateway: string;
  let key: string;
  const api = (path: string) => call(gateway, path, { headers: { 'x-api-key': key } });

  beforeAll(async () => {
    pg = await CuttableProxy.open(PG_PORT);
    redis = await CuttableProxy.open(REDIS_PORT);
    stack = await startStack({ gateways: 1, redisDb: 15, name: 'marquee_resilience', servicePorts: { postgres: pg.port, redis: redis.port } });
    gateway = stack.gateways[0];
    const login = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: stack.adminUsername, password: stack.adminPassword } });
    const created = await call(gateway, '/admin/api/keys', {
      method: 'POST', headers: { authorization: `Bearer ${login.body.access_token}` }, body: { owner_email: 'outage@gmail.com', name: 'outage', plan: 'pro' },
    });
    key = created.body.key;
    await eventually(async () => (await api('/movies?limit=1')).body?.meta?.total ?? 0, (n) => n >= 500, 60_000);
  });

  afterAll(async () => {
    for (const child of stack?.processes ?? []) child.kill('SIGTERM');
    await Promise.all((stack?.processes ?? []).map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await pg?.cut();
    await redis?.cut();
    const db = new Client({ connectionString: `${PG_SERVER}/postgres` });
    await db.connect();
    await db.query(`drop database if exists "${new URL(stack.databaseUrl).pathname.slice(1)}" with (force)`);
    await db.end();
  });

  it('answers 503 problem+json within seconds while PostgreSQL is down, and recovers by itself', async () => {
    expect((await api('/search?title=star')).status).toBe(200);
    await pg.cut();
    try {
      const started = Date.now();
      const down = await api('/search?title=godfather');
      expect(Date.now() - started).toBeLessThan(8000);
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect(down.body.detail).not.toMatch(/\n\s+at /);
      expect((await call(gateway, '/ready')).status).toBe(503);
    } finally {
      await pg.restore();
    }
    const back = await eventually(() => api('/search?title=godfather'), (a) => a.status === 200, 20_000);
    expect(back.status).toBe(200);
    expect(back.body.data.length).toBeGreaterThan(0);
  });

  it('answers 503 problem+json within seconds while Redis is down, and recovers by itself', async () => {
    expect((await api('/movies/1')).status).toBe(200);
    await redis.cut();
    try {
      const started = Date.now();
      const down = await api('/movies/1');
      expect(Date.now() - started).toBeLessThan(8000);
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect((await call(gateway, '/ready')).status).toBe(503);
    } finally {
      await redis.restore();
    }
    const back = await eventually(() => api('/movies/1'), (a) => a.status === 200, 20_000);
    expect(back.status).toBe(200);
  });

  it('re-seeds the quota counter from PostgreSQL after Redis loses its data', async () => {
    for (let i = 0; i < 5; i += 1) expect((await api('/movies/2')).status).toBe(200);
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const persisted = await eventually(
        async () => {
          const [answer, row] = await Promise.all([api('/movies/3'), db.query("select usage_count::int as n from api_keys where owner_email = 'outage@gmail.com'")]);
          return { remaining: Number(answer.headers.get('x-quota-remaining')), used: row.rows[0].n as number };
        },
        // Settled: every admitted call so far is in PostgreSQL (the probe itself adds one).
        (p) => p.used === 100_000 - p.remaining - 1,
      );
      // The settling probe's own call lands next: then PostgreSQL holds every admitted call.
      const used = await eventually(
        async () => (await db.query("select usage_count::int as n from api_keys where owner_email = 'outage@gmail.com'")).rows[0].n as number,
        (n) => n === persisted.used + 1,
      );
      const direct = new Redis(stack.redisUrl);
      await direct.flushdb();
      direct.disconnect();
      const after = await api('/movies/4');
      expect(after.status).toBe(200);
      expect(Number(after.headers.get('x-quota-remaining'))).toBe(100_000 - used - 1);
      expect(persisted.used).toBeGreaterThan(5);
    } finally {
      await db.end();
    }
  });
});
