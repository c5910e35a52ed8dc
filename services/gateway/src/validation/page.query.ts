import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { StrictInt } from './transforms';

/** `page` (from 1) and `limit` (1-100, default 20): every numbered list of the API. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional() @StrictInt() @IsInt({ message: 'page must be an integer' }) @Min(1, { message: 'page must be 1 or more' })
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 20, maximum: 100 })
  @IsOptional() @StrictInt() @IsInt({ message: 'limit must be an integer' }) @Min(1, { message: 'limit must be between 1 and 100' }) @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 20;
}
