import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { USAGE_QUEUE, UsageBatchJob, UsageEvent } from '@marquee/contracts';
import { redisUrl } from '../../../../test/support/servers';
import { GatewayEnv } from '../config/gateway.env';
import { UsageBuffer } from './usage-buffer';

const REDIS_URL = redisUrl(13);

describe('UsageBuffer', () => {
  let redis: Redis;
  let queue: Queue<UsageBatchJob>;
  let sut: UsageBuffer;

  const event = (): UsageEvent => ({
    requestId: randomUUID(), apiKeyId: randomUUID(), method: 'GET', endpoint: '/movies/1', statusCode: 200, latencyMs: 1, at: Date.now(), counted: true,
  });
  const batchSizes = async () => (await queue.getWaiting()).map((job) => job.data.requestId.length).sort((a, b) => b - a);

  beforeEach(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
    queue = new Queue<UsageBatchJob>(USAGE_QUEUE, { connection: { host: redis.options.host, port: redis.options.port, db: 13 } });
    sut = new UsageBuffer(queue, Object.assign(new GatewayEnv(), { USAGE_BATCH_MAX: 100, USAGE_FLUSH_MS: 60_000 }));
  });

  afterEach(async () => {
    await queue.close();
    await redis.flushdb();
    await redis.quit();
  });

  it('ships a full batch as one job, and leaves events that arrive meanwhile for the next', async () => {
    for (let i = 0; i < 100; i += 1) sut.push(event());
    for (let i = 0; i < 30; i += 1) sut.push(event());

    await sut.flush();

    expect(await batchSizes()).toEqual([100]);
    expect(sut.pending).toBe(30);
  });

  it('sends what is left on the next flush, and everything at shutdown', async () => {
    for (let i = 0; i < 130; i += 1) sut.push(event());
    await sut.flush();
    for (let i = 0; i < 5; i += 1) sut.push(event());

    await sut.onApplicationShutdown();

    expect(await batchSizes()).toEqual([100, 35]);
    expect(sut.pending).toBe(0);
  });
});
