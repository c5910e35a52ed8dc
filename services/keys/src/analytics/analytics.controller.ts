import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AnalyticsRange, KEYS_ANALYTICS_PATTERNS, LeaderboardEntry, LeaderboardRequest, ListLogsRequest, LogPage, TimeseriesPoint,
  TimeseriesRequest, UsageOverview,
} from '@marquee/contracts';
import { AnalyticsRepository } from './analytics.repository';

/** Log totals are exact up to here; beyond, the answer says `total_estimated` and gives the cap. */
const LOG_COUNT_CAP = 10_000;

/** Request logs and usage analytics for the admin portal (reads only). */
@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsRepository) {}

  @MessagePattern(KEYS_ANALYTICS_PATTERNS.logs)
  async logs(@Payload() query: ListLogsRequest): Promise<LogPage> {
    const { rows, total } = await this.analytics.logs(query, LOG_COUNT_CAP);
    const shown = Math.min(total, LOG_COUNT_CAP);
    return {
      data: rows,
      meta: { page: query.page, limit: query.limit, total: shown, total_pages: Math.ceil(shown / query.limit), total_estimated: total > LOG_COUNT_CAP },
    };
  }

  @MessagePattern(KEYS_ANALYTICS_PATTERNS.overview)
  overview(@Payload() range: AnalyticsRange): Promise<UsageOverview> {
    return this.analytics.overview(range);
  }

  @MessagePattern(KEYS_ANALYTICS_PATTERNS.timeseries)
  timeseries(@Payload() request: TimeseriesRequest): Promise<TimeseriesPoint[]> {
    return this.analytics.timeseries(request);
  }

  @MessagePattern(KEYS_ANALYTICS_PATTERNS.leaderboard)
  leaderboard(@Payload() request: LeaderboardRequest): Promise<LeaderboardEntry[]> {
    return this.analytics.leaderboard(request);
  }
}
