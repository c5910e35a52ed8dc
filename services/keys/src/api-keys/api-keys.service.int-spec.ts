import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import Redis from 'ioredis';
import { Client } from 'pg';
import { databaseConfig, migrate } from '@marquee/database';
import { freePort } from '../../../../infra/dev/free-port';
import { dropDatabase, PG_SERVER, redisUrl } from '../../../../test/support/servers';
import { Plan } from '../plans/plan.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';

const DATABASE = `marquee_it_keys_${randomBytes(4).toString('hex')}`;
const REDIS_URL = redisUrl(12);

describe('ApiKeysService', () => {
  let orm: MikroORM;
  let db: Client;
  let redis: Redis;
  /** A service per call, as each RPC gets its own request context. */
  const sut = () => {
    const em = orm.em.fork();
    return new ApiKeysService(em, em.getRepository(ApiKey), redis);
  };
  const owner = (tag: string) => `${tag}-${randomUUID()}@gmail.com`;
  const liveKeys = async (email: string) =>
    (await db.query<{ plan_code: string; owner_id: string | null; first_key: boolean }>(
      'select plan_code, owner_id, first_key from api_keys where owner_email = $1 and deleted_at is null', [email])).rows;

  beforeAll(async () => {
    await migrate(`${PG_SERVER}/${DATABASE}`, () => undefined);
    orm = await MikroORM.init(databaseConfig({ url: `${PG_SERVER}/${DATABASE}`, entities: [ApiKey, Plan] }));
    db = new Client({ connectionString: `${PG_SERVER}/${DATABASE}` });
    await db.connect();
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.end();
    redis?.disconnect();
    await dropDatabase(DATABASE);
  });

  it('never lets racing creates and plan changes for one owner together pass a plan limit', async () => {
    for (let round = 0; round < 5; round += 1) {
      const email = owner('race');
      const keys = [];
      for (let i = 0; i < 5; i += 1) keys.push(await sut().create({ ownerEmail: email, name: `p${i}`, plan: 'pro' }));
      const outcomes = await Promise.allSettled([
        sut().create({ ownerEmail: email, name: 'p5', plan: 'pro' }),
        sut().changePlan(keys[0].id, 'free'),
        sut().changePlan(keys[1].id, 'free'),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      const held = await liveKeys(email);
      expect(held.length > 5 && held.some((k) => k.plan_code === 'free')).toBe(false);
    }
  });

  it('refuses a plan change that would break the limit, and changes nothing', async () => {
    const email = owner('change');
    const keys = [];
    for (let i = 0; i < 6; i += 1) keys.push(await sut().create({ ownerEmail: email, name: `p${i}`, plan: 'pro' }));
    await expect(sut().changePlan(keys[0].id, 'free')).rejects.toMatchObject({ code: 'KEYS.LIMIT_REACHED', status: 409 });
    expect((await liveKeys(email)).map((k) => k.plan_code)).toEqual(Array(6).fill('pro'));
  });

  it('gives a verified developer the keys made for their address, and no first key past a limit', async () => {
    const email = owner('claim');
    const userId = randomUUID();
    for (let i = 0; i < 5; i += 1) await sut().create({ ownerEmail: email, name: `f${i}`, plan: 'free' });
    expect(await sut().issueFirstKey({ ownerId: userId, ownerEmail: email })).toBeNull();
    const held = await liveKeys(email);
    expect(held).toHaveLength(5);
    expect(held.every((k) => k.owner_id === userId && !k.first_key)).toBe(true);
    expect(await sut().listOwned(userId)).toHaveLength(5);
  });

  it('stores a name trimmed of invisible characters and refuses one with nothing left, whoever calls', async () => {
    const email = owner('name');
    await expect(sut().create({ ownerEmail: email, name: ' \u200b ', plan: 'free' })).rejects.toMatchObject({ status: 422, message: 'name is required' });
    await expect(sut().create({ ownerEmail: email, name: 'a\ud800', plan: 'free' })).rejects.toMatchObject({ status: 422 });
    expect(await liveKeys(email)).toHaveLength(0);
    expect((await sut().create({ ownerEmail: email, name: '\ufeffCLI key\u200b', plan: 'free' })).name).toBe('CLI key');
  });

  it('keeps a key it made while Redis is away and hands out its raw value: the gateway loads the record on first use', async () => {
    const away = new Redis({ port: await freePort(), lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    try {
      const em = orm.em.fork();
      const email = owner('redis-away');
      const created = await new ApiKeysService(em, em.getRepository(ApiKey), away).create({ ownerEmail: email, name: 'Made offline', plan: 'pro' });
      expect(created.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await liveKeys(email)).toEqual([{ plan_code: 'pro', owner_id: null, first_key: false }]);
    } finally {
      away.disconnect();
    }
  });
});
