import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { badRequest, MARQUEE_BUS, rpc } from '@marquee/common';
import {
  AnalyticsRange, KEYS_ANALYTICS_PATTERNS, LeaderboardEntry, LeaderboardRequest, TimeBucket, TimeseriesPoint, TimeseriesRequest, UsageOverview,
} from '@marquee/contracts';
import { Answer } from '../docs/api-responses';
import { PROBLEM_EXAMPLES as P } from '../docs/examples';
import { MoviesRepository } from '../movies/movies.repository';
import { AdminAuthGuard } from './admin-auth.guard';
import { LeaderboardQuery, RangeQuery, TimeseriesQuery } from './admin-reports.dto';

const HOUR_MS = 3_600_000;
const MAX_BUCKETS: Record<TimeBucket, number> = { hour: 24 * 31, day: 400 };
const BUCKET_MS: Record<TimeBucket, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };

const startOfUtcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** from/to of a query, defaults filled in; to is exclusive. */
export function resolveRange(query: RangeQuery, defaultFrom: (now: Date) => Date, now = new Date()): AnalyticsRange {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : defaultFrom(to);
  if (from >= to) throw badRequest('INVALID_PARAMETER', 'from must be before to');
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Usage analytics for the overview page: computed by keys from usage_logs and the hourly rollups. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/api/analytics')
export class AdminAnalyticsController {
  constructor(@Inject(MARQUEE_BUS) private readonly bus: ClientProxy, private readonly movies: MoviesRepository) {}

  @Get('overview')
  @Answer(200, 'Requests, error rate and p95 latency (from 10 %-wide latency buckets: within 5 %) over the range (default: today, UTC), active keys and movies', {
    from: '2026-11-22T00:00:00.000Z', to: '2026-11-22T10:00:00.000Z', requests: 1520, errors: 38, error_rate: 0.025, p95_latency_ms: 4.2, active_keys: 12, movies: 1104,
  })
  @Answer(400, 'A malformed date, or from not before to', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  async overview(@Query() query: RangeQuery): Promise<UsageOverview & { movies: number }> {
    const range = resolveRange(query, startOfUtcDay);
    const [usage, movies] = await Promise.all([rpc<UsageOverview, AnalyticsRange>(this.bus, KEYS_ANALYTICS_PATTERNS.overview, range), this.movies.countAll()]);
    return { ...usage, movies };
  }

  @Get('timeseries')
  @Answer(200, 'Requests and errors per hour (or day) over the range (default: the last 24 hours), empty buckets as zeros', [
    { at: '2026-11-22T09:00:00.000Z', requests: 120, errors: 3, avg_latency_ms: 2.7 },
    { at: '2026-11-22T10:00:00.000Z', requests: 0, errors: 0, avg_latency_ms: null },
  ])
  @Answer(400, 'A malformed date or bucket, or too many buckets', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  timeseries(@Query() query: TimeseriesQuery): Promise<TimeseriesPoint[]> {
    const range = resolveRange(query, (to) => new Date(to.getTime() - 24 * HOUR_MS));
    const buckets = (Date.parse(range.to) - Date.parse(range.from)) / BUCKET_MS[query.bucket];
    if (buckets > MAX_BUCKETS[query.bucket]) {
      throw badRequest('INVALID_PARAMETER', `at most ${MAX_BUCKETS[query.bucket]} ${query.bucket} buckets per call; shorten the range or use a larger bucket`);
    }
    return rpc<TimeseriesPoint[], TimeseriesRequest>(this.bus, KEYS_ANALYTICS_PATTERNS.timeseries, { ...range, bucket: query.bucket });
  }

  @Get('leaderboard')
  @Answer(200, 'The busiest keys over the range (default: today, UTC) with their error rate and p95 latency (within 5 %)', [{
    key_id: '6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11', key_prefix: '3b9d2c4e', key_name: 'Production', owner_email: 'dev@gmail.com', plan: 'pro',
    status: 'active', requests: 912, errors: 11, error_rate: 0.0121, p95_latency_ms: 3.9,
  }])
  @Answer(400, 'A malformed date, sort or limit', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  leaderboard(@Query() query: LeaderboardQuery): Promise<LeaderboardEntry[]> {
    const range = resolveRange(query, startOfUtcDay);
    return rpc<LeaderboardEntry[], LeaderboardRequest>(this.bus, KEYS_ANALYTICS_PATTERNS.leaderboard, { ...range, sort: query.sort, limit: query.limit });
  }
}
