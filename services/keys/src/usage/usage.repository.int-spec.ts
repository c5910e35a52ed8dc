import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { usageBatchOf, type UsageEvent } from '@marquee/contracts';
import { databaseConfig, migrate } from '@marquee/database';
import { dropDatabase, PG_SERVER } from '../../../../test/support/servers';
import { ApiKey } from '../api-keys/api-key.entity';
import { Plan } from '../plans/plan.entity';
import { emptyHistogram, HISTOGRAM_COLUMNS, LATENCY_BOUNDS_MS, latencyBucket } from './latency-histogram';
import { UsageRepository } from './usage.repository';

const SERVER = PG_SERVER;
const DATABASE = `marquee_it_usage_${randomBytes(4).toString('hex')}`;
const DATABASE_URL = `${SERVER}/${DATABASE}`;

interface KeyRow {
  usage_count: string;
  usage_period: string;
  last_used_at: Date | null;
}

interface RollupRow {
  hour: Date;
  requests: number;
  errors: number;
  latency_sum_ms: number;
  latency_max_ms: number;
}

describe('UsageRepository', () => {
  let orm: MikroORM;
  let db: Client;
  let sut: UsageRepository;

  beforeAll(async () => {
    await migrate(DATABASE_URL, () => undefined);
    orm = await MikroORM.init(databaseConfig({ url: DATABASE_URL, entities: [ApiKey, Plan] }));
    db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    await db.query(`set timezone = 'UTC'`);
  });

  beforeEach(() => {
    sut = new UsageRepository(orm.em.fork());
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.end();
    await dropDatabase(DATABASE);
  });

  async function createKey(values: { usagePeriod?: string; usageCount?: number; usageResetAt?: Date } = {}): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `insert into api_keys (owner_email, name, key_hash, prefix, plan_code, usage_period, usage_count, usage_reset_at)
       values ($1, 'test key', $2, $3, 'free', coalesce($4::date, (date_trunc('month', now() at time zone 'utc'))::date), $5, $6)
       returning id`,
      [`dev-${randomUUID()}@example.com`, randomBytes(32).toString('hex'), `mq_${randomBytes(3).toString('hex')}`,
        values.usagePeriod ?? null, values.usageCount ?? 0, values.usageResetAt ?? null],
    );
    return rows[0].id;
  }

  /** A call at `at`: its request id is a UUIDv7 of that instant, as the gateway's are. */
  function event(apiKeyId: string, at: number, overrides: Partial<UsageEvent> = {}): UsageEvent & { at: number } {
    return {
      requestId: uuidv7({ msecs: at }), apiKeyId, method: 'GET', endpoint: '/v1/movies', statusCode: 200, latencyMs: 12.5, at, counted: true,
      ...overrides,
    };
  }

  async function key(id: string): Promise<KeyRow> {
    const { rows } = await db.query<KeyRow>(
      `select usage_count, to_char(usage_period, 'YYYY-MM-DD') as usage_period, last_used_at from api_keys where id = $1`, [id],
    );
    return rows[0];
  }

  async function logCount(apiKeyId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from usage_logs where api_key_id = $1', [apiKeyId]);
    return rows[0].n;
  }

  async function rollups(apiKeyId: string): Promise<RollupRow[]> {
    const { rows } = await db.query<RollupRow>(
      'select hour, requests, errors, latency_sum_ms, latency_max_ms from usage_rollups_hourly where api_key_id = $1 order by hour', [apiKeyId],
    );
    return rows;
  }

  /** An instant in the current UTC month, so usage_period (defaulting to this month) matches. */
  function thisMonth(day: number, hour: number, minute = 0): number {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day, hour, minute);
  }

  it('persists every event, counts the counted ones and rolls them up per hour', async () => {
    const keyId = await createKey();
    const events = [
      event(keyId, thisMonth(2, 10, 5), { latencyMs: 10 }),
      event(keyId, thisMonth(2, 10, 40), { statusCode: 404, latencyMs: 30, counted: true }),
      event(keyId, thisMonth(2, 10, 59), { statusCode: 429, latencyMs: 1, counted: false }),
      event(keyId, thisMonth(2, 11, 0), { latencyMs: 20 }),
      event(keyId, thisMonth(2, 11, 30), { statusCode: 500, latencyMs: 50 }),
    ];

    const { persisted } = await sut.persist(usageBatchOf(events));

    expect(persisted).toBe(5);
    expect(await logCount(keyId)).toBe(5);
    const row = await key(keyId);
    expect(Number(row.usage_count)).toBe(4);
    expect(row.last_used_at?.getTime()).toBe(thisMonth(2, 11, 30));
    expect(await rollups(keyId)).toEqual([
      { hour: new Date(thisMonth(2, 10)), requests: 3, errors: 2, latency_sum_ms: 41, latency_max_ms: 30 },
      { hour: new Date(thisMonth(2, 11)), requests: 2, errors: 1, latency_sum_ms: 70, latency_max_ms: 50 },
    ]);
  });

  it('tells where each key that used quota now stands against its plan, for the quota mails', async () => {
    const near = await createKey({ usageCount: 798 });
    const browsing = await createKey();
    const period = new Date(thisMonth(1, 0)).toISOString().slice(0, 10);

    const { standings } = await sut.persist(usageBatchOf([
      event(near, thisMonth(3, 10)), event(near, thisMonth(3, 11)), event(near, thisMonth(3, 12)),
      event(browsing, thisMonth(3, 10), { counted: false, statusCode: 429 }),
    ]));

    expect(standings).toEqual([{
      id: near, usage_count: '801', usage_period: period, quota_notice_period: null, quota_notice_level: 0, monthly_quota: '1000',
    }]);
  });

  it('returns 0 and changes nothing when the same batch is persisted again', async () => {
    const keyId = await createKey();
    const events = [event(keyId, thisMonth(3, 9)), event(keyId, thisMonth(3, 9, 30), { statusCode: 500 }), event(keyId, thisMonth(3, 12))];
    await sut.persist(usageBatchOf(events));
    const before = { key: await key(keyId), logs: await logCount(keyId), rollups: await rollups(keyId) };

    const { persisted } = await new UsageRepository(orm.em.fork()).persist(usageBatchOf(events));

    expect(persisted).toBe(0);
    expect(await key(keyId)).toEqual(before.key);
    expect(await logCount(keyId)).toBe(before.logs);
    expect(await rollups(keyId)).toEqual(before.rollups);
    expect(Number(before.key.usage_count)).toBe(3);
  });

  it('counts only the new events of a batch that mixes new and already-seen request ids', async () => {
    const keyId = await createKey();
    const seen = [event(keyId, thisMonth(4, 8)), event(keyId, thisMonth(4, 8, 10))];
    await sut.persist(usageBatchOf(seen));
    const fresh = [event(keyId, thisMonth(4, 8, 20)), event(keyId, thisMonth(4, 9), { counted: false })];

    const { persisted } = await new UsageRepository(orm.em.fork()).persist(usageBatchOf([...seen, ...fresh]));

    expect(persisted).toBe(2);
    expect(await logCount(keyId)).toBe(4);
    expect(Number((await key(keyId)).usage_count)).toBe(3);
    expect((await rollups(keyId)).map((r) => [r.hour.getTime(), r.requests])).toEqual([[thisMonth(4, 8), 3], [thisMonth(4, 9), 1]]);
  });

  it('persists and counts a request id repeated within one batch once', async () => {
    const keyId = await createKey();
    const once = event(keyId, thisMonth(4, 15));

    const { persisted } = await sut.persist(usageBatchOf([once, { ...once }, event(keyId, thisMonth(4, 15, 1))]));

    expect(persisted).toBe(2);
    expect(await logCount(keyId)).toBe(2);
    expect(Number((await key(keyId)).usage_count)).toBe(2);
    expect(await rollups(keyId)).toEqual([expect.objectContaining({ requests: 2 })]);
  });

  it('drops events of a key that does not exist without failing the batch', async () => {
    const keyId = await createKey();
    const ghost = randomUUID();

    const { persisted } = await sut.persist(usageBatchOf([event(keyId, thisMonth(5, 7)), event(ghost, thisMonth(5, 7)), event(keyId, thisMonth(5, 7, 1))]));

    expect(persisted).toBe(2);
    expect(await logCount(keyId)).toBe(2);
    expect(await logCount(ghost)).toBe(0);
    expect(Number((await key(keyId)).usage_count)).toBe(2);
    expect(await rollups(ghost)).toEqual([]);
  });

  it('restarts the count when events arrive from a new month', async () => {
    const keyId = await createKey({ usagePeriod: '2026-10-01', usageCount: 900 });
    const events = [
      event(keyId, Date.UTC(2026, 9, 31, 23, 59)),
      event(keyId, Date.UTC(2026, 10, 1, 0, 0, 1)),
      event(keyId, Date.UTC(2026, 10, 1, 0, 5)),
      event(keyId, Date.UTC(2026, 10, 1, 0, 6), { counted: false }),
    ];

    await sut.persist(usageBatchOf(events));

    const row = await key(keyId);
    expect(row.usage_period).toBe('2026-11-01');
    expect(Number(row.usage_count)).toBe(2);
    expect(row.last_used_at?.getTime()).toBe(Date.UTC(2026, 10, 1, 0, 6));
  });

  it('adds to the current month and ignores late events of an earlier month', async () => {
    const keyId = await createKey({ usagePeriod: '2026-11-01', usageCount: 10 });

    await sut.persist(usageBatchOf([event(keyId, Date.UTC(2026, 9, 30, 12)), event(keyId, Date.UTC(2026, 10, 2, 12))]));
    await new UsageRepository(orm.em.fork()).persist(usageBatchOf([event(keyId, Date.UTC(2026, 9, 31, 12))]));

    const row = await key(keyId);
    expect(row.usage_period).toBe('2026-11-01');
    expect(Number(row.usage_count)).toBe(11);
    expect(row.last_used_at?.getTime()).toBe(Date.UTC(2026, 10, 2, 12));
    expect(await logCount(keyId)).toBe(3);
  });

  it('does not count events older than the last usage reset', async () => {
    const resetAt = thisMonth(10, 12);
    const keyId = await createKey({ usageResetAt: new Date(resetAt) });

    await sut.persist(usageBatchOf([
      event(keyId, resetAt - 60_000),
      event(keyId, resetAt - 1),
      event(keyId, resetAt),
      event(keyId, resetAt + 60_000),
    ]));

    expect(Number((await key(keyId)).usage_count)).toBe(2);
    expect(await logCount(keyId)).toBe(4);
  });

  it('adds up two batches for the same keys persisted concurrently', async () => {
    const keys = [await createKey(), await createKey(), await createKey()];
    const batch = (n: number, hour: number) => Array.from({ length: n }, (_, i) => event(keys[i % keys.length], thisMonth(6, hour, i % 60)));
    const first = [...batch(60, 14)].reverse();
    const second = batch(90, 14);

    const results = await Promise.all([
      new UsageRepository(orm.em.fork()).persist(usageBatchOf(first)),
      new UsageRepository(orm.em.fork()).persist(usageBatchOf(second)),
    ]);

    expect(results.map((r) => r.persisted)).toEqual([60, 90]);
    for (const id of keys) {
      expect(Number((await key(id)).usage_count)).toBe(50);
      expect(await logCount(id)).toBe(50);
      expect(await rollups(id)).toEqual([expect.objectContaining({ requests: 50, errors: 0 })]);
    }
  });

  it('persists a batch that two workers take at once only once', async () => {
    const keys = [await createKey(), await createKey()];
    const batch = usageBatchOf(Array.from({ length: 40 }, (_, i) => event(keys[i % 2], thisMonth(7, 9, i))));

    const results = await Promise.all([
      new UsageRepository(orm.em.fork()).persist(batch),
      new UsageRepository(orm.em.fork()).persist(batch),
    ]);

    expect(results.map((r) => r.persisted).sort((a, b) => a - b)).toEqual([0, 40]);
    for (const id of keys) {
      expect(Number((await key(id)).usage_count)).toBe(20);
      expect(await logCount(id)).toBe(20);
      expect(await rollups(id)).toEqual([expect.objectContaining({ requests: 20 })]);
    }
  });

  it('stores method and endpoint text exactly as given', async () => {
    const keyId = await createKey();
    const endpoint = `/v1/movies/O'Brien "Cut" {a,b} \\x\\ NULL ,é`;

    await sut.persist(usageBatchOf([event(keyId, thisMonth(7, 1), { endpoint, method: 'PATCH' }), event(keyId, thisMonth(7, 1), { endpoint: '' })]));

    const { rows } = await db.query('select method, endpoint from usage_logs where api_key_id = $1 order by endpoint desc', [keyId]);
    expect(rows).toEqual([{ method: 'PATCH', endpoint }, { method: 'GET', endpoint: '' }]);
  });

  it('logs each call as it was: request id, key, status, latency, whether counted, and when', async () => {
    const keyId = await createKey();
    const call = event(keyId, thisMonth(8, 9, 15) + 123, { statusCode: 429, latencyMs: 0.37, counted: false });

    await sut.persist(usageBatchOf([call]));

    const { rows } = await db.query(
      'select request_id, api_key_id, status_code, latency_ms, counted, created_at from usage_logs where api_key_id = $1', [keyId],
    );
    expect(rows).toEqual([{
      request_id: call.requestId, api_key_id: keyId, status_code: 429, latency_ms: 0.37, counted: false, created_at: new Date(call.at),
    }]);
  });

  it('takes a key id written in upper case as the same key', async () => {
    const keyId = await createKey();

    const { persisted } = await sut.persist(usageBatchOf([event(keyId.toUpperCase(), thisMonth(9, 1))]));

    expect(persisted).toBe(1);
    expect(await logCount(keyId)).toBe(1);
    expect(Number((await key(keyId)).usage_count)).toBe(1);
  });

  it('keeps a latency histogram per hour, filed alike by the worker and by the database', async () => {
    const keyId = await createKey();
    const latencies = [0.01, 0.05, 0.3, 1.2, 1.2, 4.41, 9.99, 120, 3000, 60_000, 90_000];
    const first = latencies.map((latencyMs, i) => event(keyId, thisMonth(6, 14, i), { latencyMs }));
    await sut.persist(usageBatchOf(first));
    // A batch holding rows seen before goes through the one-statement path, where SQL files them.
    const again = latencies.map((latencyMs, i) => event(keyId, thisMonth(6, 14, 30 + i), { latencyMs: latencyMs * 1.7 }));
    await new UsageRepository(orm.em.fork()).persist(usageBatchOf([first[0], ...again]));

    const expected = emptyHistogram();
    for (const e of [...first, ...again]) expected[latencyBucket(Math.fround(e.latencyMs))] += 1;
    const { rows: [rollup] } = await db.query<Record<string, number>>(
      `select ${HISTOGRAM_COLUMNS.join(', ')} from usage_rollups_hourly where api_key_id = $1`, [keyId]);
    expect(HISTOGRAM_COLUMNS.map((c) => rollup[c])).toEqual(expected);

    const probes = LATENCY_BOUNDS_MS.flatMap((b) => [b, Math.fround(b * 0.999), Math.fround(b * 1.001)]);
    const { rows } = await db.query<{ bucket: number }>('select usage_latency_bucket(ms::real) as bucket from unnest($1::float8[]) as t(ms)', [probes]);
    expect(rows.map((r) => r.bucket)).toEqual(probes.map((ms) => latencyBucket(Math.fround(ms))));
  });

  it('persists nothing for an empty batch', async () => {
    await expect(sut.persist(usageBatchOf([]))).resolves.toEqual({ persisted: 0, standings: [] });
  });
});
