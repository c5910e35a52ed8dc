import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from a redis:// URL. Reconnects forever with a capped backoff so a service
 * recovers on its own when Redis comes back; commands fail fast meanwhile instead of queueing.
 */
export function redisOptions(url: string, overrides: RedisOptions = {}): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: Number(u.pathname.replace('/', '') || 0),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    ...overrides,
  };
}

/** Options for BullMQ: it requires `maxRetriesPerRequest: null` on its blocking connections. */
export function bullConnection(url: string): RedisOptions {
  return redisOptions(url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
}
