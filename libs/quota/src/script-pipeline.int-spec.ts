import Redis from 'ioredis';
import { redisOptions } from '../../common/src/redis/redis-options';
import { redisUrl } from '../../../test/support/servers';
import { ScriptPipeline } from './script-pipeline';

const REDIS_URL = redisUrl(14);
const ECHO = "redis.call('INCR', KEYS[1]) return {tonumber(ARGV[1]), ARGV[2], redis.call('GET', KEYS[1]), false}";

describe('ScriptPipeline', () => {
  let redis: Redis;
  let sut: ScriptPipeline;

  const ready = async () => {
    for (let i = 0; i < 100; i += 1) {
      try {
        return await sut.run(['warm'], [0, '']);
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    throw new Error('the pipeline did not connect');
  };

  beforeEach(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
    sut = new ScriptPipeline(redisOptions(REDIS_URL), ECHO, 1000);
    await ready();
  });

  afterEach(async () => {
    sut.close();
    await redis.flushdb();
    await redis.quit();
  });

  it('answers each call with its own reply, in the database of the URL', async () => {
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => sut.run(['n'], [i, `é-${i}`])));

    expect(replies.map((r) => (r as unknown[]).slice(0, 2))).toEqual(Array.from({ length: 500 }, (_, i) => [i, `é-${i}`]));
    expect(replies.map((r) => Number((r as unknown[])[2])).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect((replies[0] as unknown[])[3]).toBeNull();
    expect(await redis.get('n')).toBe('500');
  });

  it('runs the script again in full when Redis has lost it', async () => {
    await redis.script('FLUSH');

    await expect(sut.run(['n'], [7, 'x'])).resolves.toEqual([7, 'x', '1', null]);
  });

  it('passes a script error to the caller and keeps the following replies in step', async () => {
    const failing = new ScriptPipeline(redisOptions(REDIS_URL), "return redis.error_reply('NOPE ' .. ARGV[1])", 1000);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const [a, b] = await Promise.allSettled([failing.run([], ['one']), failing.run([], ['two'])]);

      expect(a).toMatchObject({ status: 'rejected', reason: { message: 'NOPE one' } });
      expect(b).toMatchObject({ status: 'rejected', reason: { message: 'NOPE two' } });
      await expect(sut.run(['n'], [1, 'after'])).resolves.toEqual([1, 'after', '1', null]);
    } finally {
      failing.close();
    }
  });

  it('fails calls as "connection is closed" when its connection is killed, then reconnects by itself', async () => {
    // Only the pipeline's connection: other suites share this Redis.
    const own = await redis.client('ID');
    const clients = (await redis.client('LIST') as string).split('\n').filter((line) => / db=14 /.test(line));
    for (const line of clients) {
      const id = line.match(/^id=(\d+)/)![1];
      if (Number(id) !== own) await redis.client('KILL', 'ID', id);
    }
    const during = await sut.run(['n'], [1, 'a']).then(() => 'answered', (e: Error) => e.message);

    expect(['answered', expect.stringMatching(/Connection is closed/)]).toContainEqual(during);
    await expect(ready()).resolves.toEqual([0, '', expect.any(String), null]);
  });
});
