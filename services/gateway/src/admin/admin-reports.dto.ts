import { METHODS } from 'node:http';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { AUDIT_ACTIONS, AUDIT_SORTS, AuditAction, AuditSort, LEADERBOARD_SORTS, LeaderboardSort, LOG_SORTS, LogSort, TimeBucket } from '@marquee/contracts';
import { apply } from '../movies/movie-query.dto';
import { StrictInt } from '../validation/transforms';
import { PageQuery } from '../validation/page.query';

const Instant = (name: string) => [
  IsOptional(),
  IsISO8601({ strict: true }, { message: `${name} must be an ISO 8601 date or date-time, such as 2026-11-22 or 2026-11-22T10:00:00Z` }),
];
/** What Node's HTTP parser accepts, so what a request log can hold; any other is a typo, not an empty page. */
const HTTP_METHOD = new RegExp(`^(${METHODS.join('|')})$`, 'i');
const Search = (name: string) => [
  IsOptional(), IsString({ message: `${name} must be a single text value` }), MaxLength(200, { message: `${name} must be at most 200 characters` }),
];


export class RangeQuery {
  @ApiPropertyOptional({ description: 'Start (inclusive), ISO 8601', example: '2026-11-22T00:00:00Z' })
  @apply(Instant('from'))
  from?: string;

  @ApiPropertyOptional({ description: 'End (exclusive), ISO 8601; defaults to now', example: '2026-11-23T00:00:00Z' })
  @apply(Instant('to'))
  to?: string;
}

/** When both ends are given and valid, `from` comes first (a reversed range is a mistake, not an empty page). */
const BeforeTo = () => ValidateBy({
  name: 'beforeTo',
  validator: {
    validate: (from: unknown, args) => {
      const start = Date.parse(String(from));
      const end = Date.parse(String((args?.object as { to?: unknown }).to));
      return Number.isNaN(start) || Number.isNaN(end) || start < end;
    },
    defaultMessage: () => 'from must be before to',
  },
});

/** A list over a time range: page, limit, from and to. */
class RangePageQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Start (inclusive), ISO 8601' })
  @apply(Instant('from'))
  @BeforeTo()
  from?: string;

  @ApiPropertyOptional({ description: 'End (exclusive), ISO 8601' })
  @apply(Instant('to'))
  to?: string;
}

export class LogsQuery extends RangePageQuery {
  @ApiPropertyOptional({ description: 'One key' })
  @IsOptional() @IsUUID('all', { message: 'key_id must be a key id (a UUID)' })
  key_id?: string;

  @ApiPropertyOptional({ description: 'Substring of the key prefix, key name or owner e-mail' })
  @apply(Search('q'))
  q?: string;

  @ApiPropertyOptional({ description: 'Substring of the endpoint', example: '/movies' })
  @apply(Search('endpoint'))
  endpoint?: string;

  @ApiPropertyOptional({ example: 'GET', description: 'An HTTP method, in any case' })
  @IsOptional() @Matches(HTTP_METHOD, { message: 'method must be an HTTP method such as GET or HEAD' })
  method?: string;

  @ApiPropertyOptional({ description: 'A status (404) or a class (4xx)', example: '4xx' })
  @IsOptional() @Matches(/^([1-5]\d\d|[1-5]xx)$/i, { message: 'status must be a status code such as 404 or a class such as 4xx' })
  status?: string;

  @ApiPropertyOptional({ enum: LOG_SORTS, default: '-timestamp' })
  @IsOptional() @IsIn(LOG_SORTS, { message: `sort must be one of ${LOG_SORTS.join(', ')}` })
  sort: LogSort = '-timestamp';
}

export class TimeseriesQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: ['hour', 'day'], default: 'hour' })
  @IsOptional() @IsIn(['hour', 'day'], { message: 'bucket must be hour or day' })
  bucket: TimeBucket = 'hour';
}

export class LeaderboardQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: LEADERBOARD_SORTS, default: 'requests' })
  @IsOptional() @IsIn(LEADERBOARD_SORTS, { message: `sort must be one of ${LEADERBOARD_SORTS.join(', ')}` })
  sort: LeaderboardSort = 'requests';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 10, maximum: 100 })
  @IsOptional() @StrictInt() @IsInt({ message: 'limit must be an integer' }) @Min(1, { message: 'limit must be between 1 and 100' }) @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 10;
}

export class AuditQuery extends RangePageQuery {
  @ApiPropertyOptional({ description: 'Substring of the admin, action, target or detail' })
  @apply(Search('q'))
  q?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional() @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'The key or import the action was about' })
  @apply(Search('target_id'))
  target_id?: string;

  @ApiPropertyOptional({ enum: AUDIT_SORTS, default: '-created_at' })
  @IsOptional() @IsIn(AUDIT_SORTS, { message: `sort must be one of ${AUDIT_SORTS.join(', ')}` })
  sort: AuditSort = '-created_at';
}
