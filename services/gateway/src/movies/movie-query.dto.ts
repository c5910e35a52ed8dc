import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MOVIE_SORTS, MovieSort } from '@marquee/catalog';
import { StrictInt, Trimmed } from '../validation/transforms';

const NEXT_YEAR_LIMIT = new Date().getUTCFullYear() + 10;

export class ListMoviesQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, description: 'Page number; pages reach at most MAX_OFFSET rows deep, use cursor beyond.' })
  @IsOptional()
  @StrictInt()
  @IsInt({ message: 'page must be an integer' })
  @Min(1, { message: 'page must be 1 or more' })
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @StrictInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 100' })
  @Max(100, { message: 'limit must be between 1 and 100' })
  limit = 20;

  @ApiPropertyOptional({ enum: MOVIE_SORTS })
  @IsOptional()
  @IsIn(MOVIE_SORTS, { message: `sort must be one of ${MOVIE_SORTS.join(', ')}` })
  sort?: MovieSort;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page: pages at constant cost at any depth.' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(600, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

export const Text = (name: string, max: number) => [
  IsOptional(),
 
  Trimmed(),
  IsString({ message: `${name} must be a single text value` }),
  MaxLength(max, { message: `${name} must be at most ${max} characters` }),
];

export const Year = (name: string) => [
  IsOptional(),
 
  StrictInt(),
  IsInt({ message: `${name} must be an integer year` }),
  Min(1800, { message: `${name} must be between 1800 and ${NEXT_YEAR_LIMIT}` }),
  Max(NEXT_YEAR_LIMIT, { message: `${name} must be between 1800 and ${NEXT_YEAR_LIMIT}` }),
];

export const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class SearchMoviesQuery extends ListMoviesQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the title; % _ \\ match literally', maxLength: 200 })
  @apply(Text('title', 200))
  title?: string;

  @ApiPropertyOptional({ description: 'One genre; matches movies listing it among several', example: 'drama' })
  @apply(Text('genre', 100))
  genre?: string;

  @ApiPropertyOptional({ type: 'integer', example: 1994 })
  @apply(Year('year'))
  year?: number;

  @ApiPropertyOptional({ type: 'integer', example: 1990 })
  @apply(Year('year_from'))
  year_from?: number;

  @ApiPropertyOptional({ type: 'integer', example: 1999 })
  @apply(Year('year_to'))
  year_to?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the director', maxLength: 200 })
  @apply(Text('director', 200))
  director?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the cast', maxLength: 200 })
  @apply(Text('actor', 200))
  actor?: string;
}
