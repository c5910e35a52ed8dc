import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { call } from './support/e2e';
import { freePort } from './support/stack';
import { PG_SERVER, redisUrl as redisDbUrl } from './support/servers';

const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'dist/infra/dev/start.js');
const run = promisify(execFile);

function launch(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  // Its own process group, so a failed test can stop the services with it (see stopAll).
  const child = spawn(process.execPath, [LAUNCHER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  return { child, output: () => output };
}

/** The launcher and every service it started: killing the launcher alone leaves them running. */
function stopAll(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  if (child.exitCode !== null) resolve(child.exitCode);
  else child.once('exit', (code) => resolve(code));
});

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('npm start (the local launcher)', () => {
  it('names PostgreSQL and Redis, and how to fix them, within seconds when they are unreachable', async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const started = Date.now();
    const { child, output } = launch({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/marquee`, REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
    });
    expect(await exited(child)).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output()).toContain(`PostgreSQL is not reachable at postgres://postgres@127.0.0.1:${pgPort}/marquee`);
    expect(output()).toContain(`Redis is not reachable at redis://127.0.0.1:${redisPort}/0`);
    expect(output()).toMatch(/DATABASE_URL/);
    expect(output()).toMatch(/REDIS_URL/);
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('names a port already in use and the variable that moves it, instead of passing another stack off as itself', async () => {
    const busy = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, '0.0.0.0', resolve));
    try {
      const started = Date.now();
      const { child, output } = launch({ DATABASE_URL: `${PG_SERVER}/marquee_launcher_ports`, REDIS_URL: redisDbUrl(14), GATEWAY_PORT: String(port), MAILDEV: 'false' });
      expect(await exited(child)).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(output()).toContain(`port ${port} (GATEWAY_PORT) is in use`);
      expect(output()).not.toContain('Marquee is up');
    } finally {
      busy.close();
    }
  });

  it('migrates, imports the starter catalogue, creates the admin, runs four services and stops them on Ctrl-C', async () => {
    const database = `marquee_launcher_${Date.now()}`;
    const databaseUrl = `${PG_SERVER}/${database}`;
    const redisUrl = redisDbUrl(14);
    // A first start, on Redis too: what an earlier run left there (sign-in throttles) is gone.
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    const ports = {
      GATEWAY_PORT: await freePort(), IDENTITY_PORT: await freePort(), KEYS_PORT: await freePort(), INGESTION_PORT: await freePort(),
      MAILDEV_SMTP_PORT: await freePort(), MAILDEV_WEB_PORT: await freePort(),
    };
    const { child, output } = launch({
      DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, ADMIN_PASSWORD: '', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    });
    try {
      const up = await until(() => output().includes('Marquee is up'), 60_000);
      // On failure, the launcher's own words say which step or service stalled.
      expect({ up, output: up ? '' : output().slice(-6000) }).toEqual({ up: true, output: '' });
      for (const name of ['gateway', 'identity', 'keys', 'ingestion']) expect(output()).toContain(`[${name.padEnd(9)}]`);
      // Readable logs: no process warning (a deprecation, say) among the services' lines.
      expect(output().match(/.*\(node:\d+\) .*/g) ?? []).toEqual([]);
      expect(output()).toContain(`http://localhost:${ports.GATEWAY_PORT}/docs`);
      expect(output()).toContain(`http://localhost:${ports.GATEWAY_PORT}/portal`);
      const mailbox = `http://localhost:${ports.MAILDEV_WEB_PORT}/index.html`;
      expect(output()).toContain(mailbox);
      expect((await fetch(mailbox)).status).toBe(200);
      const password = /generated password: (\S+)/.exec(output())?.[1];
      expect(password).toBeDefined();

      const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
      const login = await call(gateway, '/admin/api/login', { method: 'POST', body: { username: 'admin', password } });
      expect(login.status).toBe(200);
      // TRUST_PROXY is unset: X-Forwarded-For is the client's own word, so six guesses "from six
      // addresses" are six from this one, and the throttle still stops them.
      const guesses: number[] = [];
      for (let i = 1; i <= 6; i += 1) {
        const guess = await call(gateway, '/auth/login', {
          method: 'POST', body: { email: 'nobody.launcher@gmail.com', password: 'wrong password!' }, headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        guesses.push(guess.status);
      }
      expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);

      const { stdout } = await run(process.execPath, [join(ROOT, 'dist/services/keys/src/cli/create-key.js'), '--owner', 'launcher@gmail.com'], {
        env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl },
      });
      const key = stdout.trim();
      let last: unknown;
      const catalogued = await until(async () => {
        const answer = await call(gateway, '/movies?limit=1', { headers: { 'x-api-key': key } });
        last = { status: answer.status, body: answer.body };
        return answer.body?.meta?.total >= 500;
      }, 30_000);
      expect({ catalogued, last }).toMatchObject({ catalogued: true });

      const developer = `launcher.${Date.now()}@gmail.com`;
      expect((await call(gateway, '/auth/signup', { method: 'POST', body: { name: 'Launch', email: developer, password: 'correct horse battery' } })).status).toBe(201);
      let inbox: { subject: string; text: string; to: { address: string }[] }[] = [];
      expect(await until(async () => {
        inbox = (await call(`http://127.0.0.1:${ports.MAILDEV_WEB_PORT}`, '/api/email')).body;
        return Array.isArray(inbox) && inbox.some((m) => m.to.some((t) => t.address === developer));
      }, 30_000)).toBe(true);
      const verification = inbox.find((m) => m.to.some((t) => t.address === developer))!;
      expect(verification.subject).toBe('Confirm your e-mail address for Marquee');
      expect(verification.text).toContain(`http://localhost:${ports.GATEWAY_PORT}/auth/verify?token=`);

      child.kill('SIGINT');
      expect(await Promise.race([exited(child).then(() => 'exited'), new Promise((r) => setTimeout(() => r('hung'), 20_000))])).toBe('exited');
      for (const port of Object.values(ports)) {
        const stillUp = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
        expect({ port, stillUp }).toEqual({ port, stillUp: false });
      }
    } finally {
      stopAll(child);
      const db = new Client({ connectionString: `${PG_SERVER}/postgres` });
      await db.connect();
      await db.query(`drop database if exists "${database}" with (force)`);
      await db.end();
    }
  });
});
