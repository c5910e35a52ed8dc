/**
 * Latency histograms: how many calls took each range of milliseconds, kept per key and hour in
 * usage_rollups_hourly (a column a bucket), so a p95 over a day reads 24 rows a key instead of
 * every call of the day (3M calls: 1.7 s for the overview, 7.9 s for the leaderboard; see
 * bench/usage-reads.ts). Buckets are 10 % wide, from 0.05 ms to 55 s, so a percentile read from
 * them is within 5 % of the exact one.
 *
 * The bounds are also written into the database's usage_latency_bucket function (migration
 * UsageLatencyHistogram), which files rows the same way in SQL; a test holds the two equal.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  0.05, 0.055, 0.0605, 0.0666, 0.0732, 0.0805, 0.0886, 0.0974, 0.107, 0.118, 0.13, 0.143, 0.157, 0.173,
  0.19, 0.209, 0.23, 0.253, 0.278, 0.306, 0.336, 0.37, 0.407, 0.448, 0.492, 0.542, 0.596, 0.655,
  0.721, 0.793, 0.872, 0.96, 1.06, 1.16, 1.28, 1.41, 1.55, 1.7, 1.87, 2.06, 2.26, 2.49,
  2.74, 3.01, 3.31, 3.64, 4.01, 4.41, 4.85, 5.34, 5.87, 6.46, 7.1, 7.81, 8.59, 9.45,
  10.4, 11.4, 12.6, 13.8, 15.2, 16.7, 18.4, 20.3, 22.3, 24.5, 27, 29.7, 32.6, 35.9,
  39.5, 43.4, 47.8, 52.6, 57.8, 63.6, 70, 76.9, 84.6, 93.1, 102, 113, 124, 136,
  150, 165, 181, 200, 220, 242, 266, 292, 321, 354, 389, 428, 471, 518,
  569, 626, 689, 758, 834, 917, 1010, 1110, 1220, 1340, 1480, 1620, 1790, 1970,
  2160, 2380, 2620, 2880, 3170, 3480, 3830, 4210, 4640, 5100, 5610, 6170, 6790, 7470,
  8210, 9030, 9940, 10900, 12000, 13200, 14500, 16000, 17600, 19400, 21300, 23400, 25800, 28400,
  31200, 34300, 37700, 41500, 45700, 50200, 55200,
];

/** Bucket 0 is below the first bound; bucket i, from bound i - 1 up to bound i; the last, from the last bound up. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** usage_rollups_hourly's column for each bucket, in order. */
export const HISTOGRAM_COLUMNS: readonly string[] = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `latency_b${i}`);

/** SQL: the histogram columns' values for a group of rows whose `bucket` is usage_latency_bucket(latency_ms). */
export const HISTOGRAM_COUNTS_SQL = HISTOGRAM_COLUMNS.map((_, b) => `count(*) filter (where bucket = ${b})`).join(', ');

/** The bucket of a latency: how many bounds are at or below it (PostgreSQL's width_bucket). */
export function latencyBucket(ms: number): number {
  let low = 0;
  let high = LATENCY_BOUNDS_MS.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (LATENCY_BOUNDS_MS[mid] <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A histogram of no calls. */
export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

/** Adds `more` into `into` and returns it. */
export function addHistogram(into: number[], more: readonly number[]): number[] {
  for (let i = 0; i < LATENCY_BUCKETS; i += 1) into[i] += more[i];
  return into;
}

/**
 * The q-quantile (0.95 for p95) of the calls in a histogram, or null without calls: the
 * nearest-rank call's bucket, the calls in it taken as spread evenly across it, each at the
 * middle of its share (a lone call reads as the bucket's middle, at most 5 % off). The open
 * buckets at either end answer their bound.
 */
export function latencyQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket += 1) {
    const count = histogram[bucket];
    if (seen + count < rank) {
      seen += count;
      continue;
    }
    if (bucket === 0) return LATENCY_BOUNDS_MS[0];
    if (bucket === histogram.length - 1) return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
    const low = LATENCY_BOUNDS_MS[bucket - 1];
    const high = LATENCY_BOUNDS_MS[bucket];
    return low + ((high - low) * (rank - seen - 0.5)) / count;
  }
  return null;
}
