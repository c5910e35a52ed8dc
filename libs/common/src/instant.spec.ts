import { instantMs } from './instant';

describe('instantMs', () => {
  it('reads dates and date-times without an offset as UTC, and honours an offset given', () => {
    expect(instantMs('2026-11-22')).toBe(Date.UTC(2026, 10, 22));
    expect(instantMs('2026-11-22T10:00')).toBe(Date.UTC(2026, 10, 22, 10));
    expect(instantMs('2026-11-22T10:00:00.250')).toBe(Date.UTC(2026, 10, 22, 10, 0, 0, 250));
    expect(instantMs('2026-11-22T10:00:00Z')).toBe(Date.UTC(2026, 10, 22, 10));
    expect(instantMs('2026-11-22T10:00:00+02:00')).toBe(Date.UTC(2026, 10, 22, 8));
  });
});
