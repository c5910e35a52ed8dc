import type Redis from 'ioredis';
import { NEGATIVE_TTL_S, quotaCounterKey, RECORD_TTL_S, recordKey } from './quota-keys';

/** What the hot path needs to know about a key, cached in Redis by the keys service. */
export interface KeyRecord {
  id: string;
  status: 'active' | 'suspended';
  /** null = unlimited */
  monthlyQuota: number | null;
  /** null = unlimited */
  ratePerMinute: number | null;
  expiresAtMs: number | null;
  /** api_keys.version: a record never overwrites a newer one */
  version: number;
}

/**
 * Writes the record unless Redis already holds a newer version (a slow cache fill must not undo
 * an admin's suspend), and seeds this month's counter from PostgreSQL when Redis has none
 * (after Redis lost its data). Deleted keys and unknown hashes are written as negative records.
 */
const WRITE_RECORD = `
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) > tonumber(ARGV[6]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'st', ARGV[2], 'q', ARGV[3], 'r', ARGV[4], 'exp', ARGV[5], 'v', ARGV[6])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
if KEYS[2] then
  redis.call('SET', KEYS[2], ARGV[8], 'NX', 'EX', tonumber(ARGV[9]))
end
return 1
`;

type RecordRedis = Redis & {
  marqueeWriteRecord(...args: (string | number)[]): Promise<number>;
};

function withCommand(redis: Redis): RecordRedis {
  const r = redis as RecordRedis;
  if (typeof r.marqueeWriteRecord !== 'function') redis.defineCommand('marqueeWriteRecord', { lua: WRITE_RECORD });
  return r;
}

export interface CounterSeed {
  periodId: string;
  used: number;
  resetMs: number;
}

export async function writeKeyRecord(redis: Redis, keyHash: string, record: KeyRecord, seed?: CounterSeed): Promise<boolean> {
  const keys = [recordKey(keyHash)];
  const args: (string | number)[] = [
    record.id, record.status === 'active' ? 'a' : 's', record.monthlyQuota ?? -1, record.ratePerMinute ?? -1,
    record.expiresAtMs ? Math.floor(record.expiresAtMs / 1000) : 0, record.version, RECORD_TTL_S,
  ];
  if (seed) {
    keys.push(quotaCounterKey(record.id, seed.periodId));
    args.push(seed.used, Math.ceil((seed.resetMs - Date.now()) / 1000) + 3 * 86400);
  }
  return (await withCommand(redis).marqueeWriteRecord(keys.length, ...keys, ...args)) === 1;
}

/** Remembers that this hash is no key (unknown or deleted) for a short while. */
export async function writeNegativeRecord(redis: Redis, keyHash: string, version = 0): Promise<void> {
  await withCommand(redis).marqueeWriteRecord(1, recordKey(keyHash), '', 'none', -1, -1, 0, version, NEGATIVE_TTL_S);
}

export async function setQuotaCounter(redis: Redis, keyId: string, periodId: string, used: number, resetMs: number): Promise<void> {
  await redis.set(quotaCounterKey(keyId, periodId), used, 'EX', Math.ceil((resetMs - Date.now()) / 1000) + 3 * 86400);
}
