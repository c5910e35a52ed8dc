import { emptyHistogram, LATENCY_BOUNDS_MS, LATENCY_BUCKETS, latencyBucket, latencyQuantile } from './latency-histogram';

describe('latency histogram', () => {
  it('files a latency by the bounds at or below it', () => {
    expect(LATENCY_BUCKETS).toBe(148);
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.049)).toBe(0);
    expect(latencyBucket(0.05)).toBe(1);
    expect(latencyBucket(1.2)).toBe(LATENCY_BOUNDS_MS.indexOf(1.16) + 1);
    expect(latencyBucket(1e9)).toBe(LATENCY_BUCKETS - 1);
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i += 1) {
      expect(LATENCY_BOUNDS_MS[i] / LATENCY_BOUNDS_MS[i - 1]).toBeGreaterThan(1.08);
      expect(LATENCY_BOUNDS_MS[i] / LATENCY_BOUNDS_MS[i - 1]).toBeLessThan(1.12);
    }
  });

  it('reads a p95 within 5 % of the exact one', () => {
    for (const spread of [[1.5], [0.8, 1.1, 2.5, 3, 40], Array.from({ length: 1000 }, (_, i) => 0.2 + (i % 97) * 0.7 + (i % 7) ** 3)]) {
      const histogram = emptyHistogram();
      for (const ms of spread) histogram[latencyBucket(ms)] += 1;
      const sorted = [...spread].sort((a, b) => a - b);
      const exact = sorted[Math.ceil(0.95 * sorted.length) - 1];
      const read = latencyQuantile(histogram, 0.95)!;
      expect(Math.abs(read - exact) / exact).toBeLessThan(0.05);
    }
    expect(latencyQuantile(emptyHistogram(), 0.95)).toBeNull();
  });
});
