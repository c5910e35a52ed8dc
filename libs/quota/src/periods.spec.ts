import { periodIdOfDate, quotaPeriod } from './periods';

describe('quotaPeriod', () => {
  it('names the month and resets at the first instant of the next one', () => {
    expect(quotaPeriod(Date.parse('2026-11-15T12:34:56Z'))).toEqual({
      id: '202611',
      startMs: Date.parse('2026-11-01T00:00:00Z'),
      resetMs: Date.parse('2026-12-01T00:00:00Z'),
    });
  });

  it('rolls December over into January of the next year', () => {
    expect(quotaPeriod(Date.parse('2026-12-31T23:59:59.999Z'))).toEqual({
      id: '202612',
      startMs: Date.parse('2026-12-01T00:00:00Z'),
      resetMs: Date.parse('2027-01-01T00:00:00Z'),
    });
    expect(quotaPeriod(Date.parse('2027-01-01T00:00:00Z'))).toEqual({
      id: '202701',
      startMs: Date.parse('2027-01-01T00:00:00Z'),
      resetMs: Date.parse('2027-02-01T00:00:00Z'),
    });
  });

  it('includes 29 February in a leap year', () => {
    const sut = quotaPeriod(Date.parse('2028-02-29T23:59:59Z'));

    expect(sut.id).toBe('202802');
    expect(sut.resetMs).toBe(Date.parse('2028-03-01T00:00:00Z'));
    expect(sut.resetMs - sut.startMs).toBe(29 * 86_400_000);
  });

  it('ends February on the 28th in a common year', () => {
    const sut = quotaPeriod(Date.parse('2027-02-28T23:59:59Z'));

    expect(sut.resetMs - sut.startMs).toBe(28 * 86_400_000);
    expect(quotaPeriod(sut.resetMs).id).toBe('202703');
  });

  it('places the first and last millisecond of a month in that month', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');

    expect(quotaPeriod(start).id).toBe('202603');
    expect(quotaPeriod(start - 1).id).toBe('202602');
    expect(quotaPeriod(quotaPeriod(start).resetMs - 1).id).toBe('202603');
  });

  it('answers each month right when asked for months in turn, and its answer cannot be changed', () => {
    const november = Date.parse('2026-11-30T23:59:59.999Z');
    const december = november + 1;

    for (let i = 0; i < 3; i += 1) {
      expect(quotaPeriod(november).id).toBe('202611');
      expect(quotaPeriod(december).id).toBe('202612');
      expect(quotaPeriod(november - 86_400_000 * 40).id).toBe('202610');
    }
    const sut = quotaPeriod(december);
    expect(() => { (sut as { id: string }).id = '209901'; }).toThrow(TypeError);
    expect(quotaPeriod(december).id).toBe('202612');
  });

  it('uses UTC, not local time offsets written in the instant', () => {
    expect(quotaPeriod(Date.parse('2026-05-01T01:00:00+02:00')).id).toBe('202604');
  });
});

describe('periodIdOfDate', () => {
  it('reads a date column string', () => {
    expect(periodIdOfDate('2026-11-01')).toBe('202611');
  });

  it('reads a Date by its UTC month', () => {
    expect(periodIdOfDate(new Date(Date.UTC(2027, 0, 1)))).toBe('202701');
    expect(periodIdOfDate(new Date(Date.UTC(2026, 11, 31, 23, 59, 59)))).toBe('202612');
  });

  it('agrees with quotaPeriod for the same month', () => {
    const at = Date.parse('2028-02-29T10:00:00Z');

    expect(periodIdOfDate(new Date(quotaPeriod(at).startMs))).toBe(quotaPeriod(at).id);
  });
});
