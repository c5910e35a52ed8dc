import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { v7 as uuidv7 } from 'uuid';
import { LegacyUsageBatchJob, QUEUE_PREFIX, USAGE_JOB, USAGE_QUEUE, UsageBatchJob, usageBatchOf, UsageEvent } from '../libs/contracts/src';
import { adminToken, call, createKey, eventually, stack, uniqueEmail, withDb } from './support/e2e';

describe('Usage metering', () => {
  let token: string;

  beforeAll(async () => {
    token = await adminToken();
  });

  it('records every call with method, endpoint, status, latency and a unique, time-ordered request id', async () => {
    const { id, key } = await createKey(token, uniqueEmail('metering'));
    const gateway = stack().gateways[1];
    const headers = { 'x-api-key': key };
    await call(gateway, '/movies?limit=2', { headers });
    await call(gateway, '/v1/search?title=star', { headers });
    await call(gateway, '/movies/abc', { headers });
    await call(gateway, '/movies/987654321', { headers });

    const rows = await eventually(
      () => withDb(async (db) => (await db.query('select method, endpoint, status_code, latency_ms, counted, request_id from usage_logs where api_key_id = $1 order by created_at', [id])).rows),
      (r) => r.length === 4,
    );
    expect(rows.map((r) => [r.method, r.endpoint, r.status_code])).toEqual([
      ['GET', '/movies', 200], ['GET', '/v1/search', 200], ['GET', '/movies/abc', 400], ['GET', '/movies/987654321', 404],
    ]);
    for (const r of rows) {
      expect(r.latency_ms).toBeGreaterThan(0);
      expect(r.counted).toBe(true);
      expect(r.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    // Time-ordered (UUIDv7), so usage_logs' request id index grows at its end.
    expect(rows.map((r) => r.request_id)).toEqual(rows.map((r) => r.request_id).sort());
    const key_ = await withDb(async (db) => (await db.query('select usage_count::int as n, last_used_at from api_keys where id = $1', [id])).rows[0]);
    expect(key_.n).toBe(4);
    expect(key_.last_used_at).not.toBeNull();
    const rollup = await withDb(async (db) => (await db.query('select sum(requests)::int as requests, sum(errors)::int as errors from usage_rollups_hourly where api_key_id = $1', [id])).rows[0]);
    expect(rollup).toEqual({ requests: 4, errors: 2 });
  });

  it('persists a redelivered batch only once', async () => {
    const { id } = await createKey(token, uniqueEmail('redelivery'));
    const events: UsageEvent[] = Array.from({ length: 25 }, (_, i) => ({
      requestId: uuidv7(), apiKeyId: id, method: 'GET', endpoint: '/movies', statusCode: i % 5 === 0 ? 404 : 200,
      latencyMs: 1.5, counted: true,
    }));
    const url = new URL(stack().redisUrl);
    const queue = new Queue<UsageBatchJob | LegacyUsageBatchJob>(USAGE_QUEUE, {
      prefix: QUEUE_PREFIX, connection: { host: url.hostname, port: Number(url.port), db: Number(url.pathname.slice(1)) },
    });
    try {
      const probe = () => withDb(async (db) => ({
        rows: (await db.query('select count(*)::int as n from usage_logs where api_key_id = $1', [id])).rows[0].n as number,
        usage: (await db.query('select usage_count::int as n from api_keys where id = $1', [id])).rows[0].n as number,
      }));
      await queue.add(USAGE_JOB, usageBatchOf(events));
      expect(await eventually(probe, (p) => p.rows === 25)).toEqual({ rows: 25, usage: 25 });
      await queue.add(USAGE_JOB, usageBatchOf(events));
      await queue.add(USAGE_JOB, usageBatchOf([...events.slice(0, 10), ...events.slice(0, 10)]));
      const unfinished = async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed')).reduce((a, b) => a + b, 0);
      expect(await eventually(unfinished, (n) => n === 0)).toBe(0);
      expect(await probe()).toEqual({ rows: 25, usage: 25 });

      // Batches queued by earlier gateways (an upgrade with a backlog) are still read, once: events
      // as objects, and columns with each call's time (their request ids need not be UUIDv7).
      const fresh = events.slice(0, 5).map((e) => ({ ...e, requestId: randomUUID(), at: Date.now() }));
      await queue.add(USAGE_JOB, { events: [...events.slice(5, 10).map((e) => ({ ...e, at: Date.now() })), ...fresh] });
      expect(await eventually(probe, (p) => p.rows === 30)).toEqual({ rows: 30, usage: 30 });
      const timed = events.slice(0, 5).map((e) => ({ ...e, requestId: randomUUID() }));
      await queue.add(USAGE_JOB, { ...usageBatchOf([...events.slice(10, 15), ...timed]), at: Array.from({ length: 10 }, () => Date.now()) });
      expect(await eventually(probe, (p) => p.rows === 35)).toEqual({ rows: 35, usage: 35 });
    } finally {
      await queue.close();
    }
  });
});
