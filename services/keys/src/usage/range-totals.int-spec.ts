import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { usageBatchOf, type UsageEvent } from '@marquee/contracts';
import { databaseConfig, migrate } from '@marquee/database';
import { dropDatabase, PG_SERVER } from '../../../../test/support/servers';
import { AnalyticsRepository } from '../analytics/analytics.repository';
import { ApiKey } from '../api-keys/api-key.entity';
import { Plan } from '../plans/plan.entity';
import { emptyHistogram, latencyBucket, latencyQuantile } from './latency-histogram';
import { keyTotals } from './range-totals';
import { UsageRepository } from './usage.repository';

const DATABASE = `marquee_it_range_${randomBytes(4).toString('hex')}`;
const HOUR = 3_600_000;

/**
 * Totals over a range come from the hourly rollups for whole hours and from the log rows for the
 * rest: whatever the range, they must equal counting the calls in it one by one.
 */
describe('usage totals over a range', () => {
  let orm: MikroORM;
  let db: Client;
  const keys: string[] = [];
  const calls: (UsageEvent & { at: number })[] = [];
  const nowMs = Math.floor(Date.now() / HOUR) * HOUR + 20 * 60_000;
  const base = nowMs - 20 * 60_000 - 4 * HOUR;

  beforeAll(async () => {
    await migrate(`${PG_SERVER}/${DATABASE}`, () => undefined);
    orm = await MikroORM.init(databaseConfig({ url: `${PG_SERVER}/${DATABASE}`, entities: [ApiKey, Plan] }));
    db = new Client({ connectionString: `${PG_SERVER}/${DATABASE}` });
    await db.connect();
    for (const name of ['busy', 'quiet']) {
      const { rows } = await db.query<{ id: string }>(
        `insert into api_keys (owner_email, owner_id, name, key_hash, prefix, plan_code) values ('dev@gmail.com', $1, $2, $3, $4, 'pro') returning id`,
        ['7a4bd3a5-42f4-4c0e-9a57-6c1b5e5d2f10', name, randomBytes(32).toString('hex'), randomBytes(4).toString('hex')]);
      keys.push(rows[0].id);
    }
    // A call every 7 minutes from 4 h 20 min ago to now, the busy key 3 to the quiet key's 1.
    for (let at = base, n = 0; at < nowMs; at += 7 * 60_000, n += 1) {
      calls.push({
        requestId: uuidv7({ msecs: at }), apiKeyId: keys[n % 4 === 3 ? 1 : 0], method: 'GET', endpoint: `/movies/${n}`,
        statusCode: n % 5 === 0 ? 404 : 200, latencyMs: 0.4 + (n % 13) * 1.7, at, counted: true,
      });
    }
    await new UsageRepository(orm.em.fork()).persist(usageBatchOf(calls));
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.end();
    await dropDatabase(DATABASE);
  });

  function counted(fromMs: number, toMs: number, keyId: string) {
    const inRange = calls.filter((c) => c.apiKeyId === keyId && c.at >= fromMs && c.at < toMs);
    const histogram = emptyHistogram();
    for (const c of inRange) histogram[latencyBucket(Math.fround(c.latencyMs))] += 1;
    return { requests: inRange.length, errors: inRange.filter((c) => c.statusCode >= 400).length, histogram };
  }

  const ranges: [string, number, number][] = [
    ['whole hours', base, base + 3 * HOUR],
    ['parts of hours at both ends', base + 3 * 60_000, nowMs - 50 * 60_000],
    ['inside one hour', base + 25 * 60_000, base + 55 * 60_000],
    ['up to now', base + 31 * 60_000, nowMs],
    // The last call arrived a minute ago.
    ['up to a moment ago, after the last call', base + 31 * 60_000, nowMs - 30_000],
    ['up to the last call', base + 31 * 60_000, nowMs - 60_000],
    ['into the future', base, nowMs + 5 * HOUR],
  ];

  it.each(ranges)('counts every call once over %s', async (_, fromMs, toMs) => {
    const totals = await keyTotals(orm.em.fork(), fromMs, toMs, { nowMs });
    for (const keyId of keys) {
      const expected = counted(fromMs, toMs, keyId);
      expect(totals.get(keyId) ?? { requests: 0, errors: 0, histogram: emptyHistogram() }).toEqual(expected);
    }
  });

  it("counts an owner's keys only when asked for one owner", async () => {
    expect((await keyTotals(orm.em.fork(), base, nowMs, { nowMs, ownerId: '00000000-0000-4000-8000-000000000000' })).size).toBe(0);
    expect((await keyTotals(orm.em.fork(), base, nowMs, { nowMs, ownerId: '7a4bd3a5-42f4-4c0e-9a57-6c1b5e5d2f10' })).size).toBe(2);
  });

  it('answers the overview and the leaderboard from the same totals', async () => {
    const analytics = new AnalyticsRepository(orm.em.fork());
    const from = new Date(base + 3 * 60_000).toISOString();
    const to = new Date(nowMs - 50 * 60_000).toISOString();
    const busy = counted(Date.parse(from), Date.parse(to), keys[0]);
    const quiet = counted(Date.parse(from), Date.parse(to), keys[1]);

    const overview = await analytics.overview({ from, to }, nowMs);
    expect(overview).toMatchObject({ requests: busy.requests + quiet.requests, errors: busy.errors + quiet.errors });
    const all = calls.filter((c) => c.at >= Date.parse(from) && c.at < Date.parse(to)).map((c) => Math.fround(c.latencyMs)).sort((a, b) => a - b);
    const exactP95 = all[Math.ceil(0.95 * all.length) - 1];
    expect(Math.abs(overview.p95_latency_ms! - exactP95) / exactP95).toBeLessThan(0.05);

    const board = await analytics.leaderboard({ from, to, sort: 'requests', limit: 10 }, nowMs);
    expect(board.map((e) => [e.key_name, e.requests, e.errors])).toEqual([['busy', busy.requests, busy.errors], ['quiet', quiet.requests, quiet.errors]]);
    expect(board[0].p95_latency_ms).toBe(Math.round(latencyQuantile(busy.histogram, 0.95)! * 100) / 100);
    expect((await analytics.leaderboard({ from, to, sort: 'requests', limit: 1 }, nowMs)).map((e) => e.key_name)).toEqual(['busy']);
  });
});
