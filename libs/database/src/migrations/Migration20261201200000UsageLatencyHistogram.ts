import { Migration } from '@mikro-orm/migrations';

/** The histogram buckets' bounds in ms: LATENCY_BOUNDS_MS in services/keys (a test holds them equal). */
const BOUNDS = '{0.05,0.055,0.0605,0.0666,0.0732,0.0805,0.0886,0.0974,0.107,0.118,0.13,0.143,0.157,0.173,0.19,0.209,0.23,0.253,0.278,0.306,0.336,0.37,0.407,0.448,0.492,0.542,0.596,0.655,0.721,0.793,0.872,0.96,1.06,1.16,1.28,1.41,1.55,1.7,1.87,2.06,2.26,2.49,2.74,3.01,3.31,3.64,4.01,4.41,4.85,5.34,5.87,6.46,7.1,7.81,8.59,9.45,10.4,11.4,12.6,13.8,15.2,16.7,18.4,20.3,22.3,24.5,27,29.7,32.6,35.9,39.5,43.4,47.8,52.6,57.8,63.6,70,76.9,84.6,93.1,102,113,124,136,150,165,181,200,220,242,266,292,321,354,389,428,471,518,569,626,689,758,834,917,1010,1110,1220,1340,1480,1620,1790,1970,2160,2380,2620,2880,3170,3480,3830,4210,4640,5100,5610,6170,6790,7470,8210,9030,9940,10900,12000,13200,14500,16000,17600,19400,21300,23400,25800,28400,31200,34300,37700,41500,45700,50200,55200}';
/** One column per bucket (the bounds and one more): latency_b0 … latency_b147. */
const COLUMNS = Array.from({ length: BOUNDS.split(',').length + 1 }, (_, i) => `latency_b${i}`);

/**
 * Each hourly rollup keeps a latency histogram, so a p95 over a range reads the range's rollups
 * instead of every call in it: 148 buckets 10 % apart, one int column each, because PostgreSQL
 * sums columns natively (4,200 rollups: a few ms) where adding int[] histograms element by
 * element took 110–230 ms. usage_latency_bucket files a latency as the keys worker does. The
 * rollups already there are counted again from the logs, histograms included, by the migration
 * after this one (UsageLogTimeIsArrival).
 */
export class Migration20261201200000UsageLatencyHistogram extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function usage_latency_bucket(ms float8) returns int language sql immutable parallel safe
      as $$ select width_bucket(ms, '${BOUNDS}'::float8[]) $$;`);
    this.addSql(`alter table usage_rollups_hourly ${COLUMNS.map((c) => `add column ${c} int not null default 0`).join(', ')};`);
  }
}
