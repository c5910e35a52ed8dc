/**
 * Reading usage back at scale: the request-log pages, a developer's logs and the analytics over a
 * usage_logs of millions of calls, through the keys service's own repositories (the code behind
 * the RPC patterns the gateway calls).
 *
 * The calls are generated inside PostgreSQL as the pipeline writes them: UUIDv7 request ids whose
 * instant is the call's time, 200 keys of 50 owners (one key makes a third of the calls), spread
 * over the last 20 hours, a 404 in every 50; the hourly rollups with their latency histograms are
 * then built from them as the one-statement persist path builds them.
 *
 *   npm run bench:usage-reads        (BENCH_USAGE_ROWS=3000000)
 */
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import type { ListLogsRequest } from '../libs/contracts/src';
import { AnalyticsRepository } from '../services/keys/src/analytics/analytics.repository';
import { HISTOGRAM_COLUMNS, HISTOGRAM_COUNTS_SQL } from '../services/keys/src/usage/latency-histogram';
import { LOG_COUNT_CAP } from '../services/keys/src/usage/log-page-meta';
import { OwnedUsageRepository } from '../services/keys/src/usage/owned-usage.repository';
import {
  BenchDatabase, log, machine, postgresInUse, round, runMain, table, usePostgres, withCleanup, writeResults,
} from './lib/harness';
import { keysContext } from './lib/keys-context';

const ROWS = Number(process.env.BENCH_USAGE_ROWS ?? 3_000_000);
const RUNS = 5;
const HOUR = 3_600_000;
const OWNER = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const KEY = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

async function load(db: BenchDatabase, endMs: number): Promise<void> {
  await db.query(`
    insert into api_keys (id, owner_id, owner_email, name, key_hash, prefix, plan_code)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('10000000-0000-4000-8000-' || lpad(to_hex(i % 50), 12, '0'))::uuid,
           'owner' || (i % 50) || '@gmail.com', 'key ' || i, encode(sha256(('bench-key-' || i)::bytea), 'hex'), 'k' || i, 'pro'
    from generate_series(0, 199) i`);
  // Call n at endMs - 20 h + n * 20 h / ROWS; its id is a UUIDv7 of that instant.
  await db.query(`
    insert into usage_logs (request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at)
    select (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12))::uuid,
           key, 'GET', '/movies/' || (n % 1100), case when n % 50 = 0 then 404 else 200 end, 0.4 + random() * random() * 30, true,
           to_timestamp(ms / 1000.0)
    from (
      select n, ms, lpad(to_hex(ms), 12, '0') as h, md5(n::text) as r,
             ('00000000-0000-4000-8000-' || lpad(to_hex(case when n % 3 = 0 then 0 else (n * 7919) % 200 end), 12, '0'))::uuid as key
      from (select n, $1::bigint - ${20 * HOUR} + (n * ${20 * HOUR}::bigint / $2::bigint) as ms from generate_series(1::bigint, $2::bigint) n) t
    ) c`, [endMs, ROWS]);
  await db.query(`
    insert into usage_rollups_hourly (api_key_id, hour, requests, errors, latency_sum_ms, latency_max_ms, ${HISTOGRAM_COLUMNS.join(', ')})
    select api_key_id, hour, count(*), count(*) filter (where status_code >= 400), sum(latency_ms), max(latency_ms),
           ${HISTOGRAM_COUNTS_SQL}
    from (select *, date_trunc('hour', created_at, 'UTC') as hour, usage_latency_bucket(latency_ms) as bucket from usage_logs) l
    group by 1, 2`);
  await db.query('vacuum analyze usage_logs');
  await db.query('analyze usage_rollups_hourly');
  await db.query('analyze api_keys');
}

async function main(): Promise<void> {
  await withCleanup(20 * 60_000, async (defer) => {
    await usePostgres(defer);
    log(`usage reads: ${ROWS.toLocaleString('en')} logged calls over 20 hours, 200 keys of 50 owners`);
    const db = new BenchDatabase('usage_reads');
    await db.create();
    defer(() => db.drop());
    const nowMs = Date.now();
    const loadStarted = Date.now();
    await load(db, nowMs - 60_000);
    log(`  loaded in ${Math.round((Date.now() - loadStarted) / 1000)} s`);

    const app = await keysContext(db.url);
    defer(() => app.close());
    const orm = app.get(MikroORM);
    const analytics = app.get(AnalyticsRepository);
    const owned = app.get(OwnedUsageRepository);
    const logs = (query: Partial<ListLogsRequest>) => analytics.logs({ sort: '-timestamp', page: 1, limit: 50, ...query }, LOG_COUNT_CAP);
    const iso = (ms: number) => new Date(ms).toISOString();
    const day = { from: iso(nowMs - 24 * HOUR), to: iso(Date.now()) };
    const window = { from: iso(Math.floor(nowMs / HOUR) * HOUR - 5.5 * HOUR), to: iso(Math.floor(nowMs / HOUR) * HOUR - 2.5 * HOUR) };

    const reads: [string, () => Promise<unknown>][] = [
      ['admin logs, newest first, page 1', () => logs({})],
      ['admin logs, newest first, page 200', () => logs({ page: 200 })],
      ['admin logs, status 404, page 1', () => logs({ status: 404 })],
      ['admin logs of 5 minutes 15 hours ago, page 1', () => logs({ from: iso(nowMs - 15 * HOUR), to: iso(nowMs - 15 * HOUR + 300_000) })],
      ['admin logs of the busiest key, page 1', () => logs({ keyId: KEY(0) })],
      ['admin logs of the busiest key, page 200', () => logs({ keyId: KEY(0), page: 200 })],
      ["/me/logs of the busiest key's owner, page 1", () => owned.logs(OWNER(0), 1, 50)],
      ["/me/logs of the busiest key's owner, page 200", () => owned.logs(OWNER(0), 200, 50)],
      ['/me/logs of another owner, page 1', () => owned.logs(OWNER(7), 1, 50)],
      ['/me/stats of the busiest key\'s owner, 30 days', () => owned.stats(OWNER(0), 30)],
      ['overview, the last 24 hours', () => analytics.overview(day)],
      ['leaderboard by p95, the last 24 hours', () => analytics.leaderboard({ ...day, sort: 'p95_latency_ms', limit: 10 })],
      ['overview, 3 hours starting and ending mid-hour', () => analytics.overview(window)],
      // For scale, the ninth session's starting point: every call of the range read and sorted or aggregated.
      ['(before) admin logs page 1, sorted by created_at', () => db.query(
        'select l.request_id from usage_logs l join api_keys k on k.id = l.api_key_id order by l.created_at desc, l.request_id desc limit 50')],
      ["(before) /me/logs page 1 of the busiest key's owner, one join", () => db.query(
        `select l.created_at from api_keys k join usage_logs l on l.api_key_id = k.id where k.owner_id = $1
         order by l.created_at desc, l.request_id desc limit 50`, [OWNER(0)])],
      ['(before) overview, the last 24 hours, over the calls', () => db.query(
        `select count(*), count(*) filter (where status_code >= 400), percentile_cont(0.95) within group (order by latency_ms)
         from usage_logs where created_at >= $1 and created_at < $2`, [day.from, day.to])],
      ['(before) leaderboard, the last 24 hours, over the calls', () => db.query(
        `select api_key_id, count(*), percentile_cont(0.95) within group (order by latency_ms) as p95
         from usage_logs where created_at >= $1 and created_at < $2 group by api_key_id order by p95 desc limit 10`, [day.from, day.to])],
    ];
    const rows: (string | number)[][] = [];
    const figures: Record<string, { median_ms: number; max_ms: number }> = {};
    for (const [name, read] of reads) {
      const times: number[] = [];
      for (let run = 0; run <= RUNS; run += 1) {
        const started = process.hrtime.bigint();
        await RequestContext.create(orm.em, read);
        if (run > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      figures[name] = { median_ms: round(times[Math.floor(times.length / 2)], 1), max_ms: round(times[times.length - 1], 1) };
      rows.push([name, figures[name].median_ms, figures[name].max_ms]);
      log(`  ${name.padEnd(52)} median ${figures[name].median_ms} ms  max ${figures[name].max_ms} ms`);
    }

    const md = [
      '# Usage reads at scale',
      '',
      `${new Date().toISOString()} · ${machine().cpus} cores · node ${process.version} · ${postgresInUse()} · ${ROWS.toLocaleString('en')} calls in usage_logs over 20 hours, ` +
        `200 keys of 50 owners, one key a third of the calls · each read ${RUNS} times after one warm-up, straight through the keys service's repositories`,
      '',
      table(['read', 'median ms', 'max ms'], rows),
    ].join('\n');
    log(`\n${md}`);
    writeResults('usage-reads', { bench: 'usage-reads', machine: machine(), settings: { rows: ROWS, runs: RUNS }, figures }, md);
  });
}

runMain(main);
