import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { escapeLike } from '@marquee/catalog';
import { instantMs, uuidv7Floor } from '@marquee/common';
import { latencyQuantile } from '../usage/latency-histogram';
import { keyTotals, sumTotals } from '../usage/range-totals';
import type {
  LeaderboardEntry, LeaderboardRequest, ListLogsRequest, LogSort, TimeseriesPoint, TimeseriesRequest, UsageLogView, UsageOverview,
  AnalyticsRange,
} from '@marquee/contracts';

const LOG_SORT_COLUMN: Record<string, string> = {
  timestamp: 'l.created_at', endpoint: 'l.endpoint', method: 'l.method', status: 'l.status_code', latency_ms: 'l.latency_ms',
  key_prefix: 'k.prefix', owner_email: 'k.owner_email',
};

const LOG_COLUMNS = `l.request_id as id, l.created_at as timestamp, l.method, l.endpoint, l.status_code as status, l.latency_ms, l.counted,
  k.id as key_id, k.prefix as key_prefix, k.name as key_name, k.owner_email`;

interface LogRow extends Omit<UsageLogView, 'timestamp'> {
  timestamp: Date;
}

/**
 * Time order over all keys is request id order (a call's time is its UUIDv7 id's), which the
 * primary key walks: ordering by created_at there read and sorted the whole table, 0.4 s at 2M
 * rows. For one key, its (api_key_id, created_at) index gives the same order.
 */
function logOrder(sort: LogSort, oneKey: boolean): string {
  const desc = sort.startsWith('-');
  const dir = desc ? 'desc' : 'asc';
  const column = desc ? sort.slice(1) : sort;
  if (column === 'timestamp' && !oneKey) return `l.request_id ${dir}`;
  return `${LOG_SORT_COLUMN[column]} ${dir}, l.request_id ${dir}`;
}

function logWhere(query: ListLogsRequest): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (query.keyId) { parts.push('l.api_key_id = ?'); params.push(query.keyId); }
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    parts.push(`(k.prefix ilike ? escape '\\' or k.name ilike ? escape '\\' or k.owner_email ilike ? escape '\\')`);
    params.push(like, like, like);
  }
  if (query.endpoint) { parts.push(`l.endpoint ilike ? escape '\\'`); params.push(`%${escapeLike(query.endpoint)}%`); }
  if (query.method) { parts.push('l.method = ?'); params.push(query.method.toUpperCase()); }
  if (query.status !== undefined) { parts.push('l.status_code = ?'); params.push(query.status); }
  if (query.statusClass !== undefined) { parts.push('l.status_code between ? and ?'); params.push(query.statusClass * 100, query.statusClass * 100 + 99); }
  // A call's created_at is its request id's instant, so a time range is also a range of ids:
  // the primary key's walk then starts and stops at the range instead of filtering the whole log.
  if (query.from) {
    const from = instantMs(query.from);
    parts.push('l.created_at >= ? and l.request_id >= ?::uuid');
    params.push(new Date(from).toISOString(), uuidv7Floor(from));
  }
  if (query.to) {
    const to = instantMs(query.to);
    parts.push('l.created_at < ? and l.request_id < ?::uuid');
    params.push(new Date(to).toISOString(), uuidv7Floor(to));
  }
  if (query.beforeId !== undefined) { parts.push('l.request_id < ?'); params.push(query.beforeId); }
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', params };
}

const toLogView = (row: LogRow): UsageLogView => ({ ...row, timestamp: new Date(row.timestamp).toISOString(), latency_ms: Number(row.latency_ms) });

const round = (n: number | null, digits = 2) => (n === null ? null : Math.round(Number(n) * 10 ** digits) / 10 ** digits);

/**
 * Read-only SQL over usage_logs (walked by request id, or by key and time) and usage_rollups_hourly
 * (totals and latency histograms per key and hour, which the overview and leaderboard add up).
 */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly em: EntityManager) {}

  async logs(query: ListLogsRequest, countCap: number): Promise<{ rows: UsageLogView[]; total: number }> {
    const where = logWhere(query);
    const from = 'from usage_logs l join api_keys k on k.id = l.api_key_id';
    const order = query.beforeId !== undefined ? 'l.request_id desc' : logOrder(query.sort, query.keyId !== undefined);
    const offset = query.beforeId !== undefined ? 0 : (query.page - 1) * query.limit;
    const [rows, [{ n }]] = await Promise.all([
      this.execute<LogRow>(`select ${LOG_COLUMNS} ${from} ${where.sql} order by ${order} limit ? offset ?`, [...where.params, query.limit, offset]),
      this.execute<{ n: number }>(`select count(*)::int as n from (select 1 ${from} ${where.sql} limit ?) capped`, [...where.params, countCap + 1]),
    ]);
    return { rows: rows.map(toLogView), total: n };
  }

  async overview(range: AnalyticsRange, nowMs = Date.now()): Promise<UsageOverview> {
    const [perKey, [keys]] = await Promise.all([
      keyTotals(this.em.fork(), instantMs(range.from), instantMs(range.to), { nowMs }),
      this.execute<{ active: number }>(
        `select count(*)::int as active from api_keys where deleted_at is null and status = 'active' and (expires_at is null or expires_at > now())`, []),
    ]);
    const { requests, errors, histogram } = sumTotals(perKey.values());
    return {
      ...range,
      requests,
      errors,
      error_rate: requests ? round(errors / requests, 4)! : 0,
      p95_latency_ms: round(latencyQuantile(histogram, 0.95)),
      active_keys: keys.active,
    };
  }

  /** Every bucket of the range, empty ones as zeros, so a chart needs no gap filling. */
  async timeseries(request: TimeseriesRequest): Promise<TimeseriesPoint[]> {
    const rows = await this.execute<{ at: Date; requests: number; errors: number; latency_sum: number | null }>(
      `select b.at, coalesce(sum(r.requests), 0)::int as requests, coalesce(sum(r.errors), 0)::int as errors, sum(r.latency_sum_ms) as latency_sum
       from generate_series(date_trunc(?, ?::timestamptz, 'UTC'), date_trunc(?, ?::timestamptz - interval '1 microsecond', 'UTC'), ?::interval) as b(at)
       left join usage_rollups_hourly r on r.hour >= b.at and r.hour < b.at + ?::interval
       group by b.at order by b.at`,
      [request.bucket, request.from, request.bucket, request.to, `1 ${request.bucket}`, `1 ${request.bucket}`]);
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(), requests: r.requests, errors: r.errors,
      avg_latency_ms: r.requests ? round(Number(r.latency_sum) / r.requests) : null,
    }));
  }

  async leaderboard(request: LeaderboardRequest, nowMs = Date.now()): Promise<LeaderboardEntry[]> {
    const perKey = await keyTotals(this.em.fork(), instantMs(request.from), instantMs(request.to), { nowMs });
    const ranked = [...perKey].map(([keyId, t]) => ({
      keyId, requests: t.requests, errors: t.errors,
      error_rate: round(t.errors / t.requests, 4)!, p95_latency_ms: round(latencyQuantile(t.histogram, 0.95))!,
    }));
    ranked.sort((a, b) => b[request.sort] - a[request.sort] || (a.keyId < b.keyId ? -1 : 1));
    const top = ranked.slice(0, request.limit);
    if (top.length === 0) return [];
    const keys = await this.execute<Omit<LeaderboardEntry, 'requests' | 'errors' | 'error_rate' | 'p95_latency_ms'>>(
      `select k.id as key_id, k.prefix as key_prefix, k.name as key_name, k.owner_email, k.plan_code as plan, k.status
       from api_keys k where k.id = any(?::uuid[])`, [`{${top.map((t) => t.keyId).join(',')}}`]);
    const byId = new Map(keys.map((k) => [k.key_id, k]));
    return top.flatMap(({ keyId, ...figures }) => {
      const key = byId.get(keyId);
      return key ? [{ ...key, ...figures }] : [];
    });
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.fork().getConnection().execute<T[]>(sql, params as never[]);
  }
}
