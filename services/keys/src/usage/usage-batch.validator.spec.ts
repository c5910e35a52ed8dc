import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { usageBatchOf, UsageEvent } from '@marquee/contracts';
import { wellFormedRows } from './usage-batch.validator';

describe('wellFormedRows', () => {
  const keyId = randomUUID();
  const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
    requestId: uuidv7(), apiKeyId: keyId, method: 'GET', endpoint: '/movies/7', statusCode: 200, latencyMs: 1.25, counted: true,
    ...overrides,
  });

  it('passes a whole batch through, each call at its request id\'s instant', () => {
    const at = [Date.UTC(2026, 11, 7, 9, 30, 0, 125), Date.UTC(2026, 11, 7, 9, 30, 1, 7)];
    const batch = usageBatchOf([event({ requestId: uuidv7({ msecs: at[0] }) }), event({ requestId: uuidv7({ msecs: at[1] }), counted: false, statusCode: 429 })]);

    const sut = wellFormedRows(batch);

    expect(sut).toEqual({ batch: { ...batch, at }, dropped: 0 });
  });

  it('keeps the times of a batch that carries them, as earlier gateways sent them', () => {
    const batch = { ...usageBatchOf([event(), event()]), at: [Date.UTC(2026, 0, 31, 23, 59), Date.UTC(2026, 1, 1)] };

    expect(wellFormedRows(batch)).toEqual({ batch, dropped: 0 });
    expect(wellFormedRows(batch).batch).toBe(batch);
  });

  it('drops only the damaged rows and keeps the rest in order', () => {
    const good = [event({ endpoint: '/a' }), event({ endpoint: '/b' })];
    const batch = usageBatchOf([good[0], event({ requestId: 'not-a-uuid' }), good[1], event({ apiKeyId: 'nobody' })]);

    const sut = wellFormedRows(batch);

    expect(sut.dropped).toBe(2);
    expect(sut.batch.requestId).toEqual(good.map((e) => e.requestId));
    expect(sut.batch.endpoint).toEqual(['/a', '/b']);
    expect(sut.batch.key.map((k) => sut.batch.keyIds[k])).toEqual([keyId, keyId]);
    expect(sut.batch.at).toHaveLength(2);
  });

  it('drops a row whose request id is not a UUIDv7 when the batch carries no times: it would have no time', () => {
    const batch = usageBatchOf([event(), event({ requestId: randomUUID() }), event()]);

    const sut = wellFormedRows(batch);

    expect(sut.dropped).toBe(1);
    expect(sut.batch.requestId).toEqual([batch.requestId[0], batch.requestId[2]]);
  });

  it('keeps a row of any UUID version when the batch carries its time, and drops a request id that is no UUID either way', () => {
    const v4 = randomUUID();
    const almost = `${uuidv7().slice(0, 35)}x`; // a version digit 7, and not a UUID
    const timed = { ...usageBatchOf([event({ requestId: v4 }), event({ requestId: almost })]), at: [Date.now(), Date.now()] };
    const untimed = usageBatchOf([event({ requestId: almost }), event()]);

    expect(wellFormedRows(timed)).toMatchObject({ dropped: 1, batch: { requestId: [v4] } });
    expect(wellFormedRows(untimed)).toMatchObject({ dropped: 1, batch: { requestId: [untimed.requestId[1]] } });
  });

  it('drops a row whose number columns are not numbers', () => {
    const batch = { ...usageBatchOf([event(), event(), event()]), at: [Date.now(), Date.now(), Date.now()] };
    (batch.status as unknown[])[0] = '200';
    (batch.at as unknown[])[1] = null;
    (batch.counted as unknown[])[2] = true;

    expect(wellFormedRows(batch).dropped).toBe(3);
  });

  it('counts every row of a batch whose columns do not line up as dropped', () => {
    const batch = usageBatchOf([event(), event()]);
    batch.endpoint.pop();
    const shortTimes = { ...usageBatchOf([event(), event()]), at: [Date.now()] };

    expect(wellFormedRows(batch)).toMatchObject({ dropped: 2, batch: { requestId: [] } });
    expect(wellFormedRows(shortTimes)).toMatchObject({ dropped: 2, batch: { requestId: [] } });
    expect(wellFormedRows({ nonsense: true })).toMatchObject({ dropped: 0, batch: { requestId: [] } });
  });
});
