import Redis from 'ioredis';
import { redisUrl } from '../../../test/support/servers';
import { hashApiKey } from './key-hash';
import { KeyRecord, setQuotaCounter, writeKeyRecord, writeNegativeRecord } from './key-record';
import { quotaPeriod } from './periods';
import { quotaCounterKey } from './quota-keys';
import { KeyCheck, QuotaScript } from './quota.script';

const REDIS_URL = redisUrl(11);

describe('QuotaScript', () => {
  let redis: Redis;
  let other: Redis;
  let sut: QuotaScript;

  const keyHash = hashApiKey('mq_test_key');
  const record = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
    id: '3f2b7c1e-0000-4000-8000-000000000001',
    status: 'active',
    monthlyQuota: 1000,
    ratePerMinute: null,
    expiresAtMs: null,
    version: 1,
    ...overrides,
  });
  const counter = async (keyId: string, nowMs = Date.now()) => redis.get(quotaCounterKey(keyId, quotaPeriod(nowMs).id));
  const codes = (results: KeyCheck[]) => results.map((r) => (r.ok ? 'OK' : r.code));

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    other = new Redis(REDIS_URL);
  });

  beforeEach(async () => {
    await redis.flushdb();
    sut = new QuotaScript(redis);
  });

  afterAll(async () => {
    await redis?.flushdb();
    await redis?.quit();
    await other?.quit();
  });

  it('answers MISS when nothing is cached for the hash', async () => {
    await expect(sut.check(keyHash)).resolves.toEqual({ ok: false, code: 'MISS' });
  });

  it('answers UNKNOWN for a negative record', async () => {
    await writeNegativeRecord(redis, keyHash);

    await expect(sut.check(keyHash)).resolves.toEqual({ ok: false, code: 'UNKNOWN' });
  });

  it('answers SUSPENDED for a suspended key, with where its counters stand, without counting the call', async () => {
    const rec = record({ status: 'suspended', ratePerMinute: 60 });
    await writeKeyRecord(redis, keyHash, rec);

    await expect(sut.check(keyHash)).resolves.toMatchObject({
      ok: false, code: 'SUSPENDED', keyId: rec.id, limits: { quota: 1000, quotaRemaining: 1000, rate: 60, rateRemaining: 60 },
    });
    expect(await counter(rec.id)).toBeNull();
  });

  it('answers EXPIRED once the expiry has passed', async () => {
    const now = Date.now();
    const rec = record({ expiresAtMs: now - 60_000 });
    await writeKeyRecord(redis, keyHash, rec);

    await expect(sut.check(keyHash, now)).resolves.toMatchObject({ ok: false, code: 'EXPIRED', keyId: rec.id, limits: { quota: 1000, quotaRemaining: 1000, rate: null } });
    expect(await counter(rec.id, now)).toBeNull();
  });

  it('admits a key whose expiry is still ahead', async () => {
    const now = Date.now();
    await writeKeyRecord(redis, keyHash, record({ expiresAtMs: now + 3_600_000 }));

    await expect(sut.check(keyHash, now)).resolves.toMatchObject({ ok: true });
  });

  it('counts admitted calls down in both the quota and the rate window', async () => {
    const rec = record({ monthlyQuota: 10, ratePerMinute: 5 });
    await writeKeyRecord(redis, keyHash, rec);
    const now = Date.UTC(2026, 10, 15, 12, 0, 10);

    const first = await sut.check(keyHash, now);
    const second = await sut.check(keyHash, now + 1000);
    const third = await sut.check(keyHash, now + 2000);

    expect(first).toEqual({
      ok: true,
      keyId: rec.id,
      limits: {
        quota: 10, quotaRemaining: 9, quotaResetMs: Date.UTC(2026, 11, 1),
        rate: 5, rateRemaining: 4, rateResetMs: Date.UTC(2026, 10, 15, 12, 1, 0),
      },
    });
    expect(second).toMatchObject({ ok: true, limits: { quotaRemaining: 8, rateRemaining: 3 } });
    expect(third).toMatchObject({ ok: true, limits: { quotaRemaining: 7, rateRemaining: 2 } });
    expect(await counter(rec.id, now)).toBe('3');
  });

  it('admits exactly the quota under concurrent calls from two connections', async () => {
    const rec = record({ monthlyQuota: 50, ratePerMinute: null });
    await writeKeyRecord(redis, keyHash, rec);
    const second = new QuotaScript(other);

    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? sut : second).check(keyHash)),
    );

    expect(codes(results).filter((c) => c === 'OK')).toHaveLength(50);
    expect(codes(results).filter((c) => c === 'QUOTA_EXCEEDED')).toHaveLength(70);
    expect(await counter(rec.id)).toBe('50');
    const remaining = results.flatMap((r) => (r.ok ? [r.limits.quotaRemaining] : [])).sort((a, b) => a! - b!);
    expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('refuses the call after the per-minute rate with the next minute as reset', async () => {
    const rec = record({ monthlyQuota: 1000, ratePerMinute: 5 });
    await writeKeyRecord(redis, keyHash, rec);
    const now = Date.UTC(2026, 10, 15, 12, 30, 17, 250);

    const results = [];
    for (let i = 0; i < 6; i++) results.push(await sut.check(keyHash, now + i * 100));

    expect(codes(results)).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED']);
    expect(results[5]).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      keyId: rec.id,
      limits: expect.objectContaining({ rate: 5, rateRemaining: 0, rateResetMs: Date.UTC(2026, 10, 15, 12, 31, 0), quotaRemaining: 995 }),
    });
  });

  it('admits again in the next minute window', async () => {
    await writeKeyRecord(redis, keyHash, record({ ratePerMinute: 2 }));
    const now = Date.UTC(2026, 10, 15, 12, 30, 59);

    await sut.check(keyHash, now);
    await sut.check(keyHash, now);
    const refused = await sut.check(keyHash, now);
    const nextMinute = await sut.check(keyHash, now + 1000);

    expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(nextMinute).toMatchObject({ ok: true, limits: { rateRemaining: 1 } });
  });

  it('does not consume quota for refused calls', async () => {
    const rec = record({ monthlyQuota: 100, ratePerMinute: 2 });
    await writeKeyRecord(redis, keyHash, rec);
    const now = Date.UTC(2026, 10, 15, 8, 0, 0);

    for (let i = 0; i < 7; i++) await sut.check(keyHash, now);
    const later = await sut.check(keyHash, now + 60_000);

    expect(await counter(rec.id, now)).toBe('3');
    expect(later).toMatchObject({ ok: true, limits: { quotaRemaining: 97 } });
  });

  it('does not count calls beyond the quota', async () => {
    const rec = record({ monthlyQuota: 2 });
    await writeKeyRecord(redis, keyHash, rec);

    const results = [];
    for (let i = 0; i < 5; i++) results.push(await sut.check(keyHash));

    expect(codes(results)).toEqual(['OK', 'OK', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
    expect(results[4]).toMatchObject({ limits: { quota: 2, quotaRemaining: 0 } });
    expect(await counter(rec.id)).toBe('2');
  });

  it('leaves every counter it creates with an expiry, also when it refuses the first call', async () => {
    const noQuota = record({ id: '3f2b7c1e-0000-4000-8000-000000000002', monthlyQuota: 0 });
    const noRate = record({ id: '3f2b7c1e-0000-4000-8000-000000000003', ratePerMinute: 0 });
    await writeKeyRecord(redis, hashApiKey('mq_no_quota'), noQuota);
    await writeKeyRecord(redis, hashApiKey('mq_no_rate'), noRate);
    await writeKeyRecord(redis, keyHash, record({ ratePerMinute: 1 }));

    const results = [await sut.check(hashApiKey('mq_no_quota')), await sut.check(hashApiKey('mq_no_rate'))];
    for (let i = 0; i < 3; i++) results.push(await sut.check(keyHash));

    expect(codes(results)).toEqual(['QUOTA_EXCEEDED', 'RATE_LIMITED', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(results[0]).toMatchObject({ limits: { quota: 0, quotaRemaining: 0 } });
    expect(await counter(noQuota.id)).toBeNull();
    const counters = [...await redis.keys('*quota:*'), ...await redis.keys('*rate:*')];
    expect(counters).toHaveLength(2);
    for (const key of counters) expect(await redis.ttl(key)).toBeGreaterThan(0);
  });

  it('keeps an independent monthly counter per period', async () => {
    const rec = record({ monthlyQuota: 3 });
    await writeKeyRecord(redis, keyHash, rec);
    const november = Date.UTC(2026, 10, 30, 23, 59, 0);
    const december = Date.UTC(2026, 11, 1, 0, 0, 30);

    const inNovember = [];
    for (let i = 0; i < 4; i++) inNovember.push(await sut.check(keyHash, november));
    const inDecember = await sut.check(keyHash, december);

    expect(codes(inNovember)).toEqual(['OK', 'OK', 'OK', 'QUOTA_EXCEEDED']);
    expect(inDecember).toMatchObject({ ok: true, limits: { quotaRemaining: 2, quotaResetMs: Date.UTC(2027, 0, 1) } });
    expect(await counter(rec.id, november)).toBe('3');
    expect(await counter(rec.id, december)).toBe('1');
  });

  it('starts from the remaining quota given by the counter', async () => {
    const rec = record({ monthlyQuota: 50 });
    await writeKeyRecord(redis, keyHash, rec);
    const period = quotaPeriod(Date.now());
    await setQuotaCounter(redis, rec.id, period.id, 48, period.resetMs);

    const results = [];
    for (let i = 0; i < 3; i++) results.push(await sut.check(keyHash));

    expect(codes(results)).toEqual(['OK', 'OK', 'QUOTA_EXCEEDED']);
  });

  it('never lets an older record version overwrite a newer one', async () => {
    await expect(writeKeyRecord(redis, keyHash, record({ status: 'suspended', version: 2 }))).resolves.toBe(true);

    await expect(writeKeyRecord(redis, keyHash, record({ status: 'active', version: 1 }))).resolves.toBe(false);

    await expect(sut.check(keyHash)).resolves.toMatchObject({ ok: false, code: 'SUSPENDED' });
  });

  it('lets a newer record version replace an older one', async () => {
    await writeKeyRecord(redis, keyHash, record({ status: 'suspended', version: 2 }));

    await expect(writeKeyRecord(redis, keyHash, record({ status: 'active', version: 3 }))).resolves.toBe(true);

    await expect(sut.check(keyHash)).resolves.toMatchObject({ ok: true });
  });

  it('seeds the counter when none exists', async () => {
    const rec = record({ monthlyQuota: 50 });
    const period = quotaPeriod(Date.now());

    await writeKeyRecord(redis, keyHash, rec, { periodId: period.id, used: 40, resetMs: period.resetMs });
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await sut.check(keyHash));

    expect(codes(results).slice(0, 10)).toEqual(Array(10).fill('OK'));
    expect(results[0]).toMatchObject({ limits: { quotaRemaining: 9 } });
    expect(results[10]).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED' });
  });

  it('does not let a seed overwrite an existing counter', async () => {
    const rec = record({ monthlyQuota: 50 });
    const period = quotaPeriod(Date.now());
    await writeKeyRecord(redis, keyHash, rec);
    for (let i = 0; i < 5; i++) await sut.check(keyHash);

    await writeKeyRecord(redis, keyHash, { ...rec, version: 2 }, { periodId: period.id, used: 40, resetMs: period.resetMs });
    const next = await sut.check(keyHash);

    expect(next).toMatchObject({ ok: true, limits: { quotaRemaining: 44 } });
    expect(await counter(rec.id)).toBe('6');
  });

  it('admits an unlimited plan without limits', async () => {
    const rec = record({ monthlyQuota: null, ratePerMinute: null });
    await writeKeyRecord(redis, keyHash, rec);

    const results = [];
    for (let i = 0; i < 20; i++) results.push(await sut.check(keyHash));

    expect(codes(results)).toEqual(Array(20).fill('OK'));
    expect(results[19]).toMatchObject({
      ok: true, keyId: rec.id, limits: { quota: null, quotaRemaining: null, rate: null, rateRemaining: null },
    });
  });

  it('answers UNKNOWN after a key is replaced by a negative record of a newer version', async () => {
    await writeKeyRecord(redis, keyHash, record({ version: 1 }));

    await writeNegativeRecord(redis, keyHash, 2);

    await expect(sut.check(keyHash)).resolves.toEqual({ ok: false, code: 'UNKNOWN' });
  });
});
