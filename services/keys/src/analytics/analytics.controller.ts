import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AnalyticsRange, KEYS_ANALYTICS_PATTERNS, LeaderboardEntry, LeaderboardRequest, ListLogsRequest, LogPage, TimeseriesPoint,
  TimeseriesRequest, UsageOverview,
} from '@marquee/contracts';
import { LOG_COUNT_CAP, logPageMeta } from '../usage/log-page-meta';
import { AnalyticsRepository } from './analytics.repository';

/** Request logs and usage analytics for the admin portal (reads only). */
@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsRepository) {}

  @MessagePattern(KEYS_ANALYTICS_PATTERNS.logs)
  async logs(@Payload() query: ListLogsRequest): Promise<LogPage> {
    const { rows, total } = await this.analytics.logs(query, LOG_COUNT_CAP);
    return { data: rows, meta: logPageMeta(query.page, query.limit, total) };
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
