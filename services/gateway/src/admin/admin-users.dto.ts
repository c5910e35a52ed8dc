import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { USER_SORTS, UserSort } from '@marquee/contracts';
import { PageQuery } from '../validation/page.query';

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Substring of e-mail or name' })
  @IsOptional() @IsString({ message: 'q must be a single text value' }) @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'verified must be true or false' })
  verified?: boolean;

  @ApiPropertyOptional({ enum: USER_SORTS, default: '-created_at' })
  @IsOptional() @IsIn(USER_SORTS, { message: `sort must be one of ${USER_SORTS.join(', ')}` })
  sort: UserSort = '-created_at';
}
