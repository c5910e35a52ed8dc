import { Migration } from '@mikro-orm/migrations';

/** The latency histogram's columns (Migration20261201200000UsageLatencyHistogram). */
const HISTOGRAM = Array.from({ length: 148 }, (_, i) => `latency_b${i}`);

/** The instant (epoch ms) in the first 48 bits of a UUIDv7 column. */
const ID_MS = `('x' || substr(replace(request_id::text, '-', ''), 1, 12))::bit(48)::bigint`;

/**
 * A call's time is its arrival, the instant of its UUIDv7 request id (the gateway writes it so
 * from now on); rows logged before carried the time the answer was sent, later by the call's
 * latency. They take their arrival too, so that every row's created_at is its id's instant and a
 * time range is exactly a range of ids. The hourly rollups are then summed again from the logs,
 * so a call that arrived in one hour and was answered in the next counts in the hour it arrived.
 */
export class Migration20261201300000UsageLogTimeIsArrival extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      update usage_logs set created_at = to_timestamp(${ID_MS} / 1000.0)
      where substr(request_id::text, 15, 1) = '7' and created_at <> to_timestamp(${ID_MS} / 1000.0);`);
    this.addSql(`delete from usage_rollups_hourly;`);
    this.addSql(`
      insert into usage_rollups_hourly (api_key_id, hour, requests, errors, latency_sum_ms, latency_max_ms, ${HISTOGRAM.join(', ')})
      select api_key_id, hour, count(*), count(*) filter (where status_code >= 400), sum(latency_ms), max(latency_ms),
             ${HISTOGRAM.map((_, b) => `count(*) filter (where bucket = ${b})`).join(', ')}
      from (
        select api_key_id, date_trunc('hour', created_at, 'UTC') as hour, status_code, latency_ms, usage_latency_bucket(latency_ms) as bucket
        from usage_logs where api_key_id in (select id from api_keys)
      ) l
      group by 1, 2;`);
  }
}
