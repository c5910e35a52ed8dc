import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../api-key/api-key.guard';
import { Answer, KeyAnswers } from '../docs/api-responses';
import { MOVIE_PAGE_EXAMPLE, PROBLEM_EXAMPLES as P } from '../docs/examples';
import { ListMoviesQuery, SearchMoviesQuery } from './movie-query.dto';
import { MoviePage, MoviesService } from './movies.service';

/**
 * The public catalogue API, at / and /v1. Every call passes the API key guard first.
 * GET /movies/{id} is a plain Fastify route: movie-by-id.route.ts.
 */
@ApiTags('movies')
@ApiSecurity('api-key')
@ApiHeader({ name: 'X-API-KEY', required: true, description: 'Your API key (a UUID)' })
@UseGuards(ApiKeyGuard)
@Controller(['', 'v1'])
export class MoviesController {
  constructor(private readonly movies: MoviesService) {}

  @Get('movies')
  @Answer(200, 'A page of the catalogue', MOVIE_PAGE_EXAMPLE)
  @Answer(400, 'A malformed parameter, named in detail', P.badParameter)
  @KeyAnswers()
  list(@Query() query: ListMoviesQuery): Promise<MoviePage> {
    return this.movies.list(query);
  }

  @Get('search')
  @Answer(200, 'Movies matching every given criterion', MOVIE_PAGE_EXAMPLE)
  @Answer(400, 'No criterion, or a malformed parameter', P.noCriteria)
  @KeyAnswers()
  search(@Query() query: SearchMoviesQuery): Promise<MoviePage> {
    return this.movies.search(query);
  }
}
