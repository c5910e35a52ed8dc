import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { apply, Text, Year } from '../movies/movie-query.dto';
import { PageQuery } from '../validation/page.query';

export const ADMIN_MOVIE_SORTS = [
  'id', '-id', 'title', '-title', 'year', '-year', 'genre', '-genre', 'director', '-director', 'actors', '-actors', 'updated_at', '-updated_at',
] as const;
export type AdminMovieSort = (typeof ADMIN_MOVIE_SORTS)[number];

/** The catalogue filters; the CSV export takes them too and ignores page and limit. */
export class AdminMoviesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the title' })
  @apply(Text('q', 200))
  q?: string;

  @ApiPropertyOptional({ description: 'One genre', example: 'drama' })
  @apply(Text('genre', 100))
  genre?: string;

  @ApiPropertyOptional({ example: 1999 })
  @apply(Year('year'))
  year?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the director' })
  @apply(Text('director', 200))
  director?: string;

  @ApiPropertyOptional({ enum: ADMIN_MOVIE_SORTS, default: 'title' })
  @IsOptional() @IsIn(ADMIN_MOVIE_SORTS, { message: `sort must be one of ${ADMIN_MOVIE_SORTS.join(', ')}` })
  sort: AdminMovieSort = 'title';
}
