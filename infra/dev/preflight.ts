import Redis from 'ioredis';
import { Client } from 'pg';
import { bindable } from './free-port';

/**
 * Reachability checks run before anything starts, each bounded to a few seconds, so a missing
 * PostgreSQL or Redis is reported by name with what to do, instead of services retrying forever.
 */
export async function checkPostgres(url: string): Promise<string | undefined> {
  const target = new URL(url);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return [
      `PostgreSQL is not reachable at ${redact(url)}: ${(error as Error).message}`,
      '  Start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start;',
      '  Docker: docker compose up -d postgres) or point DATABASE_URL at a running server.',
    ].join('\n');
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return [
      `Redis is not reachable at ${redact(url)}: ${(error as Error).message}`,
      '  Start it (redis-server --daemonize yes; Docker: docker compose up -d redis) or point REDIS_URL at a running server.',
    ].join('\n');
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * The ports the stack will listen on, each named by the variable that moves it. Checked before
 * anything starts: with another stack already running, its answers on these ports would pass for
 * this one's readiness, and the first service to fail binding would take the others down.
 */
export async function checkPorts(ports: Record<string, number>): Promise<string | undefined> {
  const taken: string[] = [];
  for (const [variable, port] of Object.entries(ports)) {
    if (!(await bindable(port))) taken.push(`  port ${port} (${variable}) is in use`);
  }
  if (taken.length === 0) return undefined;
  return [
    ...taken,
    '  Another Marquee (or another program) is listening there: stop it, or set these variables',
    '  (in the environment or .env) to free ports.',
  ].join('\n');
}
