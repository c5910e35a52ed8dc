import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { USER_SORTS, UserSort } from '@marquee/contracts';
import { EmptyAsAbsent, StrictInt } from '../validation/transforms';

export class ListUsersQuery {
  @ApiPropertyOptional({ description: 'Substring of e-mail or name' })
  @IsOptional() @EmptyAsAbsent() @IsString({ message: 'q must be a single text value' }) @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @EmptyAsAbsent()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'verified must be true or false' })
  verified?: boolean;

  @ApiPropertyOptional({ enum: USER_SORTS, default: '-created_at' })
  @IsOptional() @EmptyAsAbsent() @IsIn(USER_SORTS, { message: `sort must be one of ${USER_SORTS.join(', ')}` })
  sort: UserSort = '-created_at';

  @ApiPropertyOptional({ default: 1 })
  @IsOptional() @StrictInt() @IsInt({ message: 'page must be an integer' }) @Min(1, { message: 'page must be 1 or more' })
  page = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional() @StrictInt() @IsInt({ message: 'limit must be an integer' }) @Min(1, { message: 'limit must be between 1 and 100' }) @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 20;
}
