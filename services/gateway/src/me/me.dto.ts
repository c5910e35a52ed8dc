import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../validation/page.query';
import { IsKeyName } from '../validation/key-name';
import { StrictInt } from '../validation/transforms';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateOwnKeyBody {
  @ApiProperty({ example: 'Staging', description: 'trimmed of whitespace and invisible characters; 1-100 characters' })
  @IsKeyName()
  name: string;
}

export class UsageQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'first day (UTC), default 29 days before `to`' })
  @IsOptional() @Matches(DATE, { message: 'from must be a date as YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'last day (UTC), default today' })
  @IsOptional() @Matches(DATE, { message: 'to must be a date as YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: ['day'], default: 'day' })
  @IsOptional() @IsIn(['day'], { message: 'bucket must be day' })
  bucket: 'day' = 'day';
}

/** `page` and `limit` of the request log. */
export class LogsQuery extends PageQuery {}

export class StatsQuery {
  @ApiPropertyOptional({ type: 'integer', default: 30, minimum: 1, maximum: 365 })
  @IsOptional() @StrictInt() @IsInt({ message: 'days must be an integer' }) @Min(1, { message: 'days must be between 1 and 365' }) @Max(365, { message: 'days must be between 1 and 365' })
  days = 30;
}
