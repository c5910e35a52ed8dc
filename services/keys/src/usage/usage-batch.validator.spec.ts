import { randomUUID } from 'node:crypto';
import { usageBatchOf, UsageEvent } from '@marquee/contracts';
import { wellFormedRows } from './usage-batch.validator';

describe('wellFormedRows', () => {
  const keyId = randomUUID();
  const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
    requestId: randomUUID(), apiKeyId: keyId, method: 'GET', endpoint: '/movies/7', statusCode: 200, latencyMs: 1.25, at: Date.now(), counted: true,
    ...overrides,
  });

  it('passes a whole batch through as it is', () => {
    const batch = usageBatchOf([event(), event({ counted: false, statusCode: 429 })]);

    const sut = wellFormedRows(batch);

    expect(sut).toEqual({ batch, dropped: 0 });
    expect(sut.batch).toBe(batch);
  });

  it('drops only the damaged rows and keeps the rest in order', () => {
    const good = [event({ endpoint: '/a' }), event({ endpoint: '/b' })];
    const batch = usageBatchOf([good[0], event({ requestId: 'not-a-uuid' }), good[1], event({ apiKeyId: 'nobody' })]);

    const sut = wellFormedRows(batch);

    expect(sut.dropped).toBe(2);
    expect(sut.batch.requestId).toEqual(good.map((e) => e.requestId));
    expect(sut.batch.endpoint).toEqual(['/a', '/b']);
    expect(sut.batch.key.map((k) => sut.batch.keyIds[k])).toEqual([keyId, keyId]);
  });

  it('drops a row whose number columns are not numbers', () => {
    const batch = usageBatchOf([event(), event(), event()]);
    (batch.status as unknown[])[0] = '200';
    (batch.at as unknown[])[1] = null;
    (batch.counted as unknown[])[2] = true;

    expect(wellFormedRows(batch).dropped).toBe(3);
  });

  it('counts every row of a batch whose columns do not line up as dropped', () => {
    const batch = usageBatchOf([event(), event()]);
    batch.endpoint.pop();

    expect(wellFormedRows(batch)).toMatchObject({ dropped: 2, batch: { requestId: [] } });
    expect(wellFormedRows({ nonsense: true })).toMatchObject({ dropped: 0, batch: { requestId: [] } });
  });
});
