/**
 * The usage pipeline: how many usage events per second reach `usage_logs`.
 *
 * 1. Through the queue: batches of 1,000 events (UsageBatchJob) are put on the BullMQ `usage-logs` queue
 *    (as the gateway's UsageBuffer does) and a running keys service drains them; timed from the
 *    first enqueue to the last row in usage_logs.
 * 2. Directly: UsageRepository.persist (the worker's own code, from the keys module) called in a
 *    loop with 1,000-event batches, no queue.
 *
 *   npm run bench:usage        (BENCH_USAGE_EVENTS=200000)
 */
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Queue } from 'bullmq';
import { bullConnection } from '../libs/common/src';
import { QUEUE_PREFIX, USAGE_JOB, USAGE_QUEUE, UsageBatchJob, usageBatchOf } from '../libs/contracts/src';
import { UsageRepository } from '../services/keys/src/usage/usage.repository';
import {
  BenchDatabase, cpuMeter, flushRedis, log, machine, postgresInUse, REDIS_URL, round, runMain, sleep, startService, table, usePostgres,
  withCleanup, writeResults,
} from './lib/harness';
import { keysContext } from './lib/keys-context';

const EVENTS = Number(process.env.BENCH_USAGE_EVENTS ?? 200_000);
const DIRECT_EVENTS = Number(process.env.BENCH_USAGE_DIRECT_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_USAGE_BATCH ?? 1000);
const KEYS = 20;
const TARGET_EVENTS_PER_S = 20_000;
const ENDPOINTS = ['/movies', '/search', '/movies/42', '/v1/movies/7', '/search'];

function batchOf(keyIds: string[], size: number): UsageBatchJob {
  const now = Date.now();
  return usageBatchOf(Array.from({ length: size }, (_, i) => ({
    requestId: uuidv7({ msecs: now - (i % 1000) }), // as the gateway's: the call's time is the id's instant
    apiKeyId: keyIds[i % keyIds.length],
    method: 'GET',
    endpoint: ENDPOINTS[i % ENDPOINTS.length],
    statusCode: i % 50 === 0 ? 429 : 200,
    latencyMs: round(1 + Math.random() * 10, 2),
    counted: i % 50 !== 0,
  })));
}

async function countRows(db: BenchDatabase): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from usage_logs'))[0].n;
}

async function main(): Promise<void> {
  await withCleanup(10 * 60_000, async (defer) => {
    await usePostgres(defer);
    log(`usage: ${EVENTS.toLocaleString('en')} events through the queue, ${DIRECT_EVENTS.toLocaleString('en')} straight into UsageRepository.persist, batches of ${BATCH}, ${KEYS} keys`);
    await flushRedis();
    const db = new BenchDatabase('usage');
    await db.create();
    defer(() => db.drop());
    const keyIds = (await db.query<{ id: string }>(
      `insert into api_keys (owner_email, name, key_hash, prefix, plan_code)
       select 'bench' || i || '@gmail.com', 'bench', encode(sha256(('bench-key-' || i)::bytea), 'hex'), 'bench' || i, 'unlimited'
       from generate_series(1, ${KEYS}) i returning id`)).map((r) => r.id);

    // 1. Through BullMQ and a running keys service.
    const keys = await startService('keys', db.url, {}, 'bench-usage-keys');
    defer(() => keys.stop());
    const queue = new Queue<UsageBatchJob>(USAGE_QUEUE, { connection: bullConnection(REDIS_URL), prefix: QUEUE_PREFIX });
    defer(() => queue.close());
    const batches = Math.ceil(EVENTS / BATCH);
    const payloads = Array.from({ length: batches }, () => batchOf(keyIds, BATCH));
    const cpu = cpuMeter({ keys: keys.child.pid! });
    const started = Date.now();
    for (let i = 0; i < batches; i += 50) {
      await queue.addBulk(payloads.slice(i, i + 50).map((data) => ({
        name: USAGE_JOB, data, opts: { jobId: randomUUID(), removeOnComplete: { count: 1000 }, removeOnFail: { count: 10_000 } },
      })));
    }
    const enqueuedMs = Date.now() - started;
    const deadline = Date.now() + 5 * 60_000;
    let rows = 0;
    while ((rows = await countRows(db)) < EVENTS) {
      if (Date.now() > deadline) throw new Error(`only ${rows} of ${EVENTS} usage events persisted after 5 minutes`);
      await sleep(50);
    }
    const drainedMs = Date.now() - started;
    const cpuPerEvent = cpu(EVENTS);
    const queueRate = Math.round(EVENTS / (drainedMs / 1000));
    const enqueueRate = Math.round(EVENTS / (enqueuedMs / 1000));
    const usageCount = (await db.query<{ n: string }>('select sum(usage_count)::bigint as n from api_keys'))[0].n;
    log(`  queue → keys service → usage_logs: ${EVENTS} events in ${drainedMs} ms = ${queueRate} events/s (enqueueing alone: ${enqueuedMs} ms, ${enqueueRate} events/s); api_keys.usage_count sum ${usageCount}`);
    log(`  CPU µs per event: ${Object.entries(cpuPerEvent).map(([name, us]) => `${name} ${us}`).join(', ')}`);
    await keys.stop();

    // 2. UsageRepository.persist directly (the keys module without its worker).
    const app = await keysContext(db.url);
    defer(() => app.close());
    const orm = app.get(MikroORM);
    const repo = app.get(UsageRepository);
    const directBatches = Array.from({ length: Math.ceil(DIRECT_EVENTS / BATCH) }, () => batchOf(keyIds, BATCH));
    const before = await countRows(db);
    const t = Date.now();
    for (const batch of directBatches) await RequestContext.create(orm.em, () => repo.persist(batch));
    const directMs = Date.now() - t;
    const directRows = (await countRows(db)) - before;
    const directRate = Math.round(directRows / (directMs / 1000));
    log(`  UsageRepository.persist, one batch at a time: ${directRows} events in ${directMs} ms = ${directRate} events/s`);

    const md = [
      '# Usage pipeline: events persisted per second',
      '',
      `${new Date().toISOString()} · ${machine().cpus} cores · node ${process.version} · ${postgresInUse()} · batches of ${BATCH} events over ${KEYS} keys · ` +
        'each batch COPYs its log rows, upserts hourly rollups and updates api_keys.usage_count in one transaction',
      '',
      table(['path', 'events', 'time ms', 'events/s', 'target'], [
        ['BullMQ usage-logs → running keys service → usage_logs (first enqueue to last row)', EVENTS, drainedMs, queueRate, `≥ ${TARGET_EVENTS_PER_S.toLocaleString('en')}/s`],
        ['enqueueing alone (addBulk, 50 jobs a call)', EVENTS, enqueuedMs, enqueueRate, '—'],
        ['UsageRepository.persist directly, sequential batches', directRows, directMs, directRate, `≥ ${TARGET_EVENTS_PER_S.toLocaleString('en')}/s`],
      ]),
      '',
      `CPU per event while the keys service drained the queue (from /proc): ${Object.entries(cpuPerEvent).map(([name, us]) => `${name} ${us} µs`).join(' · ')}`,
    ].join('\n');
    log(`\n${md}`);
    writeResults('usage', {
      bench: 'usage', machine: machine(), settings: { events: EVENTS, direct_events: DIRECT_EVENTS, batch: BATCH, keys: KEYS },
      figures: { queue_events_per_s: queueRate, queue_ms: drainedMs, enqueue_events_per_s: enqueueRate, direct_events_per_s: directRate, direct_ms: directMs, usage_count_sum: Number(usageCount), cpu_us_per_event: cpuPerEvent },
      targets: { events_per_s_min: TARGET_EVENTS_PER_S },
    }, md);
  });
}

runMain(main);
