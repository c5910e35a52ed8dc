import { thresholdsToNotify } from './quota-notices.service';

describe('thresholdsToNotify', () => {
  it('is empty below 80 %', () => {
    expect(thresholdsToNotify(799, 1000, 0)).toEqual([]);
  });

  it('names 80 at exactly 80 % and 100 at the full quota', () => {
    expect(thresholdsToNotify(800, 1000, 0)).toEqual([80]);
    expect(thresholdsToNotify(1000, 1000, 80)).toEqual([100]);
  });

  it('names both when one batch jumps past both thresholds', () => {
    expect(thresholdsToNotify(1000, 1000, 0)).toEqual([80, 100]);
  });

  it('never repeats a threshold already mailed this period', () => {
    expect(thresholdsToNotify(900, 1000, 80)).toEqual([]);
    expect(thresholdsToNotify(5000, 1000, 100)).toEqual([]);
  });

  it('ignores keys without a quota', () => {
    expect(thresholdsToNotify(10, 0, 0)).toEqual([]);
  });
});
