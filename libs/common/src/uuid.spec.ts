import { v7 as uuidv7 } from 'uuid';
import { uuidv7Ms } from './uuid';

describe('uuidv7Ms', () => {
  it('reads back the instant a UUIDv7 was made', () => {
    for (const ms of [0, 1, 1_700_000_000_123, Date.UTC(2026, 11, 31, 23, 59, 59, 999), 2 ** 48 - 1]) {
      expect(uuidv7Ms(uuidv7({ msecs: ms }))).toBe(ms);
    }
  });

  it('orders ids made one after another as their instants', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    const after = Date.now();
    const instants = ids.map(uuidv7Ms);
    expect([...ids].sort()).toEqual(ids);
    expect(instants[0]).toBeGreaterThanOrEqual(before);
    expect(instants[instants.length - 1]).toBeLessThanOrEqual(after + 1);
  });
});
