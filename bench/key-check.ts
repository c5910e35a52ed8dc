/**
 * The key check's cost to Redis: the hot path's Lua script (QuotaScript) through the gateway's
 * own pipelined connection (ScriptPipeline), 50 calls in flight as under autocannon's 50
 * connections, for a key that is admitted, an unlimited one and one refused for its quota.
 * Redis's CPU per call comes from /proc, so it counts parsing, the script and the reply.
 * Redis shares the API's two cores, so every microsecond here is one the gateway does not get.
 *
 *   npm run bench:key-check        (BENCH_KEY_CHECKS=200000)
 */
import Redis from 'ioredis';
import { redisOptions } from '../libs/common/src';
import { hashApiKey, KeyRecord, QuotaScript, writeKeyRecord } from '../libs/quota/src';
import { cpuMeter, flushRedis, log, machine, median, REDIS_URL, round, runMain, table, withCleanup, writeResults } from './lib/harness';

const CALLS = Number(process.env.BENCH_KEY_CHECKS ?? 200_000);
const IN_FLIGHT = 50;
const ROUNDS = 3;

const KEYS: { label: string; record: KeyRecord }[] = [
  { label: 'admitted (a monthly quota and a per-minute window)', record: record(1, 100_000_000, 100_000_000) },
  { label: 'admitted (unlimited plan)', record: record(2, null, null) },
  { label: 'refused (monthly quota used up)', record: record(3, 0, null) },
];

function record(n: number, monthlyQuota: number | null, ratePerMinute: number | null): KeyRecord {
  return { id: `00000000-0000-4000-8000-00000000000${n}`, status: 'active', monthlyQuota, ratePerMinute, expiresAtMs: null, version: 1 };
}

/** `CALLS` checks of one key, IN_FLIGHT at a time; Redis CPU and this process's CPU per call. */
async function measure(script: QuotaScript, keyHash: string): Promise<{ redis: number; client: number }> {
  const cpu = cpuMeter({});
  let next = 0;
  const worker = async () => {
    while (next < CALLS) {
      next += 1;
      await script.check(keyHash);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const spent = cpu(CALLS);
  return { redis: spent.redis, client: spent.load_generator };
}

async function main(): Promise<void> {
  await withCleanup(5 * 60_000, async (defer) => {
    log(`key check: ${CALLS.toLocaleString('en')} calls per key and round, ${IN_FLIGHT} in flight, ${ROUNDS} rounds`);
    await flushRedis();
    const redis = new Redis(redisOptions(REDIS_URL));
    defer(() => redis.quit());
    const pipeline = QuotaScript.pipeline(redisOptions(REDIS_URL));
    defer(() => pipeline.close());
    const script = new QuotaScript(pipeline);
    for (const k of KEYS) await writeKeyRecord(redis, hashApiKey(`bench-${k.record.id}`), k.record);
    await measure(script, hashApiKey(`bench-${KEYS[0].record.id}`)); // warm-up: JIT, script cache

    const rows: { key: string; redis_us: number[]; client_us: number[] }[] = KEYS.map((k) => ({ key: k.label, redis_us: [], client_us: [] }));
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [i, k] of KEYS.entries()) {
        const { redis: redisUs, client } = await measure(script, hashApiKey(`bench-${k.record.id}`));
        rows[i].redis_us.push(redisUs);
        rows[i].client_us.push(client);
        log(`  ${k.label.padEnd(50)} Redis ${redisUs} µs  client ${client} µs per call`);
      }
    }
    const md = [
      '# Key check: Redis CPU per call',
      '',
      `${new Date().toISOString()} · ${machine().cpus} cores · node ${process.version} · ${CALLS.toLocaleString('en')} calls per key and ` +
        `round, ${IN_FLIGHT} in flight through ScriptPipeline, medians of ${ROUNDS} rounds`,
      '',
      table(['key', 'Redis µs per call', 'client µs per call'], rows.map((r) => [r.key, round(median(r.redis_us), 1), round(median(r.client_us), 1)])),
    ].join('\n');
    writeResults('key-check', { machine: machine(), calls: CALLS, in_flight: IN_FLIGHT, rows }, md);
  });
}

runMain(main);
