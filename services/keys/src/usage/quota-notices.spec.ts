import { keysWithThresholdDue, QuotaStanding, thresholdsToNotify } from './quota-notices.service';

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

describe('keysWithThresholdDue', () => {
  const now = Date.UTC(2026, 10, 20, 12);
  const standing = (id: string, used: number, notice: Partial<QuotaStanding> = {}): QuotaStanding => ({
    id, usage_count: String(used), usage_period: '2026-11-01', quota_notice_period: null, quota_notice_level: 0, monthly_quota: '1000', ...notice,
  });

  it('names the keys that reached a threshold not yet mailed this month', () => {
    const standings = [
      standing('below', 799), standing('eighty', 800), standing('mailed', 950, { quota_notice_period: '2026-11-01', quota_notice_level: 80 }),
      standing('full', 1000, { quota_notice_period: '2026-11-01', quota_notice_level: 80 }),
    ];

    expect(keysWithThresholdDue(standings, now)).toEqual(['eighty', 'full']);
  });

  it('counts a level mailed last month as not mailed, and ignores a standing of another month', () => {
    const standings = [
      standing('new month', 850, { quota_notice_period: '2026-10-01', quota_notice_level: 100 }),
      standing('stale', 900, { usage_period: '2026-10-01' }),
    ];

    expect(keysWithThresholdDue(standings, now)).toEqual(['new month']);
  });
});
