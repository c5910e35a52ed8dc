import { Readable } from 'node:stream';
import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MovieFilter, MovieRow, MovieView, toMovieView } from '@marquee/catalog';
import { GatewayEnv } from '../config/gateway.env';
import { Answer } from '../docs/api-responses';
import { MOVIE_EXAMPLE, PROBLEM_EXAMPLES as P } from '../docs/examples';
import { MoviesRepository } from '../movies/movies.repository';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminMoviesQuery } from './admin-movies.dto';
import { csvRows, keysetPages } from './csv-writer';
import { requireReachablePage } from '../validation/reachable-page';

const EXPORT_BATCH = 5000;
const EXPORT_HEADER = ['id', 'title', 'year', 'genre', 'director', 'actors', 'plot', 'poster_url'];

interface AdminMoviePage {
  data: (MovieView & { updated_at: string })[];
  meta: { page: number; limit: number; total: number; total_pages: number; total_estimated: boolean };
}

const filterOf = (query: AdminMoviesQuery): MovieFilter => ({ title: query.q, genre: query.genre, year: query.year, director: query.director });

/** The catalogue as admins browse and export it (read-only; ingestion writes it). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('admin/api/movies')
export class AdminMoviesController {
  constructor(private readonly movies: MoviesRepository, private readonly env: GatewayEnv) {}

  @Get()
  @Answer(200, 'One page of the catalogue', {
    data: [{ ...MOVIE_EXAMPLE, updated_at: '2026-11-22T10:00:05.000Z' }],
    meta: { page: 1, limit: 20, total: 1, total_pages: 1, total_estimated: false },
  })
  @Answer(400, 'A malformed filter, or a page past MAX_OFFSET', P.badParameter)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  async list(@Query() query: AdminMoviesQuery): Promise<AdminMoviePage> {
    const offset = (query.page - 1) * query.limit;
    requireReachablePage(query.page, query.limit, this.env.MAX_OFFSET, 'narrow the filter');
    const filter = filterOf(query);
    const [rows, counted] = await Promise.all([
      this.movies.adminPage(filter, query.sort, query.limit, offset),
      this.movies.countUpTo(filter, this.env.COUNT_CAP),
    ]);
    const estimated = counted > this.env.COUNT_CAP;
    const total = estimated ? Math.max(counted, await this.movies.estimate(filter)) : counted;
    return {
      data: rows.map((r) => ({ ...toMovieView(r), updated_at: new Date(r.updated_at).toISOString() })),
      meta: { page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit), total_estimated: estimated },
    };
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
  @Answer(200, 'The matching catalogue as CSV (the import format); formula-like cells are neutralised', `${EXPORT_HEADER.join(',')}\r\n42,The Matrix,1999,"Action, Science Fiction",Lana Wachowski,Keanu Reeves,A hacker…,https://posters.marquee.dev/the-matrix-1999.jpg\r\n`)
  @Answer(401, 'Not signed in as an admin', P.unauthorized)
  export(@Query() query: AdminMoviesQuery, @Res({ passthrough: true }) reply: FastifyReply): Readable {
    const filter = filterOf(query);
    const batches = keysetPages(EXPORT_BATCH, (afterId: number | undefined) => this.movies.exportBatch(filter, afterId ?? 0, EXPORT_BATCH), (r: MovieRow) => Number(r.id));
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="movies.csv"');
    return Readable.from(csvRows(EXPORT_HEADER, batches, (r) => {
      const m = toMovieView(r);
      return [m.id, m.title, m.year, m.genre, m.director, m.actors, m.plot, m.poster_url];
    }));
  }
}
