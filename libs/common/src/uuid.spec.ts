import { v7 as uuidv7 } from 'uuid';
import { randomUUID } from 'node:crypto';
import { isUuidV7, uuidv7Floor, uuidv7Ms } from './uuid';

describe('isUuidV7', () => {
  it('tells a UUIDv7 from UUIDs of other versions and from other values', () => {
    expect(isUuidV7(uuidv7())).toBe(true);
    expect(isUuidV7(uuidv7().toUpperCase())).toBe(true);
    expect(isUuidV7(randomUUID())).toBe(false);
    expect(isUuidV7('not-a-uuid')).toBe(false);
    expect(isUuidV7(42)).toBe(false);
  });
});

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

describe('uuidv7Floor', () => {
  it('is at or below every UUIDv7 of its instant and above every one made a millisecond earlier', () => {
    const ms = 1_764_547_200_123;
    expect(uuidv7Floor(ms)).toBe('019ad735-847b-0000-0000-000000000000');
    expect(uuidv7Ms(uuidv7Floor(ms))).toBe(ms);
    for (let i = 0; i < 100; i += 1) {
      expect(uuidv7({ msecs: ms }) >= uuidv7Floor(ms)).toBe(true);
      expect(uuidv7({ msecs: ms - 1 }) < uuidv7Floor(ms)).toBe(true);
    }
  });
});
