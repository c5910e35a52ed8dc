import { HISTOGRAM_COLUMNS, HISTOGRAM_COUNTS_SQL, LATENCY_BUCKETS } from './latency-histogram';

/**
 * The SQL of persisting a usage batch (UsageRepository). Two paths: a batch seen for the first
 * time is COPYed in (LOCK_KEYS, COPY_LOGS, ADD_TOTALS in one transaction); one that may have been
 * persisted before goes through PERSIST_CHECKED, which finds the rows already logged.
 */

/**
 * Where each key that used quota now stands against its plan, from an `updated` CTE of
 * api_keys rows that returns n.admitted: the quota mails are decided from it.
 */
const STANDINGS = `(select coalesce(json_agg(json_build_object(
      'id', u.id, 'usage_count', u.usage_count::text, 'usage_period', to_char(u.usage_period, 'YYYY-MM-DD'),
      'quota_notice_period', to_char(u.quota_notice_period, 'YYYY-MM-DD'), 'quota_notice_level', u.quota_notice_level,
      'monthly_quota', p.monthly_quota::text)), '[]')
   from updated u join plans p on p.code = u.plan_code
   where u.admitted > 0 and u.deleted_at is null and p.monthly_quota > 0) as standings`;

/** Ends an insert into usage_rollups_hourly `as r`: an hour already there adds the new calls to it. */
const ADD_TO_ROLLUP = `on conflict (api_key_id, hour) do update set
    requests = r.requests + excluded.requests,
    errors = r.errors + excluded.errors,
    latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms,
    latency_max_ms = greatest(r.latency_max_ms, excluded.latency_max_ms),
    ${HISTOGRAM_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')}`;

const ROLLUP_COLUMNS = `api_key_id, hour, requests, errors, latency_sum_ms, latency_max_ms, ${HISTOGRAM_COLUMNS.join(', ')}`;

/**
 * Adds a `newest` CTE (api_key_id, period, admitted, last_used) to the keys' counters: a newer
 * month restarts the count, an older one adds nothing.
 */
const UPDATE_COUNTERS = `updated as (
  update api_keys k set
    usage_count = case
      when n.period > k.usage_period then n.admitted
      when n.period = k.usage_period then k.usage_count + n.admitted
      else k.usage_count end,
    usage_period = greatest(k.usage_period, n.period),
    last_used_at = greatest(k.last_used_at, n.last_used)
  from newest n
  where k.id = n.api_key_id
  returning k.id, k.usage_count, k.usage_period, k.quota_notice_period, k.quota_notice_level, k.plan_code, k.deleted_at, n.admitted
)`;

/**
 * Locks the batch's keys ($1) in id order, so two batches of the same keys queue behind each
 * other and cannot deadlock, and reads when each was last reset (epoch ms). Row locks return the
 * newest version of each key, so a batch that waited adds to what the first wrote.
 */
export const LOCK_KEYS = `
select id, extract(epoch from usage_reset_at)::float8 * 1000 as reset_ms
from api_keys where id = any($1::uuid[]) order by id for update`;

/** The log rows, in COPY's binary format: written by UsageRepository in this column order. */
export const COPY_LOGS = `
copy usage_logs (request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at)
from stdin with (format binary)`;

/**
 * What the batch adds, summed by the worker (batchTotals): hourly rollups ($1–$6, and $11 their
 * latency histograms one after another) and the keys' counters ($7–$10: key, month, admitted
 * calls, last use in epoch seconds).
 */
export const ADD_TOTALS = `
with rollup as (
  insert into usage_rollups_hourly as r (${ROLLUP_COLUMNS})
  select t.api_key_id, to_timestamp(t.hour_s), t.requests, t.errors, t.latency_sum_ms, t.latency_max_ms,
         ${HISTOGRAM_COLUMNS.map((_, b) => `h[(t.n::int - 1) * ${LATENCY_BUCKETS} + ${b + 1}]`).join(', ')}
  from (select $11::int[] as h) histograms, unnest($1::uuid[], $2::float8[], $3::int[], $4::int[], $5::float8[], $6::real[]) with ordinality
    as t(api_key_id, hour_s, requests, errors, latency_sum_ms, latency_max_ms, n)
  ${ADD_TO_ROLLUP}
), newest as (
  select n.api_key_id, n.period, n.admitted, to_timestamp(n.last_used_s) as last_used
  from unnest($7::uuid[], $8::date[], $9::int[], $10::float8[]) as n(api_key_id, period, admitted, last_used_s)
), ${UPDATE_COUNTERS}
select ${STANDINGS}
`;

/**
 * The batch in one statement, skipping rows already logged: the path for a batch that may have
 * been persisted before, in part or whole. $1 and $2 the batch's key ids, $3… its columns; a
 * row's key is $2[k + 1], k its `key`.
 *
 * `locked` locks the batch's keys in id order first: every other part waits on it (`fresh`
 * joins it, the main query reads `fresh` before anything is written), so two batches of the same
 * keys queue behind each other and cannot deadlock. Row locks return the newest version of each
 * key, and UPDATE follows a concurrent update to it, so a batch that waited adds to what the
 * first wrote.
 *
 * `fresh` holds the rows to log: of a key that exists, with a request id not logged yet (the
 * caller drops ids the batch repeats). It carries the key's last usage reset, so the rollup and
 * the counters aggregate it alone: joining the inserted rows back to api_keys row by row took
 * a fifth of the statement. An anti-join rather than ON CONFLICT DO NOTHING, whose speculative
 * insertion cost every row 2–3 µs more (200,000 rows: 1.6 s against 1.9 s); so every fresh row
 * is inserted, or the statement fails. The anti-join reads the snapshot the statement began
 * with: the same batch persisted twice at once (a stalled job taken again) makes the second
 * fail on the request id's uniqueness once the first commits, and persist runs it again, which
 * finds the rows logged.
 *
 * Returns how many rows were new, and where each key that used quota now stands against it.
 */
export const PERSIST_CHECKED = `
with locked as materialized (
  select a.id, a.usage_reset_at from api_keys a where a.id = any(?::uuid[]) order by a.id for update
), known as materialized (
  select u.ord::int - 1 as k, l.id, l.usage_reset_at
  from unnest(?::uuid[]) with ordinality as u(id, ord) join locked l on l.id = u.id
), fresh as materialized (
  select t.request_id, kn.id as api_key_id, t.method, t.endpoint, t.status_code, t.latency_ms,
         t.counted = 1 as counted, to_timestamp(t.at / 1000) as created_at, kn.usage_reset_at, usage_latency_bucket(t.latency_ms) as bucket
  from unnest(?::uuid[], ?::int[], ?::text[], ?::text[], ?::smallint[], ?::real[], ?::smallint[], ?::float8[])
    as t(request_id, k, method, endpoint, status_code, latency_ms, counted, at)
  join known kn on kn.k = t.k
  where not exists (select 1 from usage_logs l where l.request_id = t.request_id)
), inserted as (
  insert into usage_logs (request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at)
  select request_id, api_key_id, method, endpoint, status_code, latency_ms, counted, created_at from fresh
), rollup as (
  insert into usage_rollups_hourly as r (${ROLLUP_COLUMNS})
  select api_key_id, date_trunc('hour', created_at, 'UTC'), count(*), count(*) filter (where status_code >= 400), sum(latency_ms), max(latency_ms),
         ${HISTOGRAM_COUNTS_SQL}
  from fresh group by 1, 2
  ${ADD_TO_ROLLUP}
), per_period as (
  select api_key_id,
         (date_trunc('month', created_at at time zone 'utc'))::date as period,
         count(*) filter (where counted and created_at >= coalesce(usage_reset_at, '-infinity')) as admitted,
         max(created_at) as last_used
  from fresh
  group by 1, 2
), newest as (
  select distinct on (api_key_id) api_key_id, period, admitted, last_used
  from per_period order by api_key_id, period desc
), ${UPDATE_COUNTERS}
select (select count(*)::int from fresh) as n,
  ${STANDINGS}
`;

