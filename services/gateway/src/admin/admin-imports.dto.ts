import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IMPORT_SORTS, ImportMode, ImportSort, ImportStatus } from '@marquee/contracts';
import { PageQuery } from '../validation/page.query';

export const IMPORT_MODES: ImportMode[] = ['merge', 'replace'];
const STATUSES: ImportStatus[] = ['queued', 'running', 'completed', 'failed'];

export class ListImportsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Substring of the file name or of who uploaded it' })
  @IsOptional() @IsString({ message: 'q must be a single text value' }) @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional() @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: ImportStatus;

  @ApiPropertyOptional({ enum: IMPORT_MODES })
  @IsOptional() @IsIn(IMPORT_MODES, { message: 'mode must be merge or replace' })
  mode?: ImportMode;

  @ApiPropertyOptional({ enum: IMPORT_SORTS, default: '-created_at' })
  @IsOptional() @IsIn(IMPORT_SORTS, { message: `sort must be one of ${IMPORT_SORTS.join(', ')}` })
  sort: ImportSort = '-created_at';
}
